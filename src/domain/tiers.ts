// Leverage / maintenance-margin brackets ("tiers", "risk limits"), dated.
//
// MM = notional x MMR - cum, where cum ("maintenance amount", Bybit "mmDeduction") keeps MM continuous
// across bracket boundaries: cum_n = cum_{n-1} + floor_n x (MMR_n - MMR_{n-1})
// (Binance COIN-M FAQ ceccfcfb4e3a45e3b48b0b1bb1a8ae46 and USD-M FAQ b3c689c1f50a44cabb3a84e663b81d93;
// Bybit margin-parameters announcement; ../shared/reference/exchange-margin.md part 1 §0).
import {
  add,
  divideBy,
  eq,
  formatFixed,
  gt,
  gte,
  lt,
  lte,
  parseFixed,
  scale,
  sub,
  type Money,
  type Quantity,
  type Rate,
} from './fixed.ts';

export interface Bracket {
  readonly bracket: number;
  /** Notional floor of the bracket, in the settlement asset (coin for inverse contracts). */
  readonly floor: Money;
  /** Notional cap of the bracket. */
  readonly cap: Money;
  readonly maintenanceMarginRate: Rate;
  /** Maintenance amount ("cum"), subtracted from notional x MMR. */
  readonly maintenanceAmount: Money;
  readonly maxLeverage: number;
}

/**
 * Which end of a bracket a notional exactly on a boundary belongs to. Binance lists brackets as
 * [floor, cap); Bybit says "position value of 2,000,000 USDT or below" is the first tier, i.e. (floor, cap].
 * MM is continuous either way; the choice only decides which MMR is displayed on the boundary.
 */
export type BoundaryRule = 'floor-inclusive' | 'cap-inclusive';

/**
 * What a table's floors and caps count. 'notional': the position's value in the settlement asset (Binance,
 * Bybit, Hyperliquid), MM = notional x MMR - cum with cum on the recurrence. 'size': the position's size
 * (OKX position tiers are in contracts; perpguard stores them in its own size unit: base quantity for
 * linear swaps, contracts for inverse), and the tier's MMR applies to the whole position with no
 * maintenance amount ("mmr" of GET /api/v5/public/position-tiers has no deduction field; reference
 * tiers.md §2), so every maintenance amount must be 0 and there is no recurrence to check.
 */
export type BracketBasis = 'notional' | 'size';

export interface BracketTable {
  readonly symbol: string;
  /** First day (UTC, YYYY-MM-DD) the table is known to be in force. */
  readonly effectiveFrom: string;
  readonly source: string;
  readonly boundary: BoundaryRule;
  /** Absent means 'notional'. */
  readonly basis?: BracketBasis;
  readonly brackets: readonly Bracket[];
}

/** A table as written in data files: decimal strings, MMR in percent. */
export interface BracketTableSpec {
  readonly symbol: string;
  readonly effectiveFrom: string;
  readonly source: string;
  readonly boundary?: BoundaryRule;
  readonly basis?: BracketBasis;
  readonly brackets: readonly {
    readonly bracket: number;
    readonly floor: string;
    readonly cap: string;
    readonly mmrPercent: string;
    readonly maxLeverage: number;
    readonly cum: string;
  }[];
}

export class BracketTableError extends Error {
  override readonly name = 'BracketTableError';
}

/** The maintenance amount of bracket n from bracket n-1: cum_{n-1} + floor_n x (MMR_n - MMR_{n-1}). */
export function nextMaintenanceAmount(previousAmount: Money, floor: Money, rateValue: Rate, previousRate: Rate): Money {
  return add(previousAmount, scale(floor, sub(rateValue, previousRate), 'halfEven'));
}

/**
 * Checks a table: brackets numbered 1..n, contiguous (floor_n = cap_{n-1}, first floor 0), floor < cap,
 * MMR non-decreasing, max leverage non-increasing and at least 1 (fractions allowed: OKX lists 66.66x,
 * Bybit 1.43x), and the maintenance amounts exactly on the recurrence (all 0 for a 'size' table).
 * Throws BracketTableError naming the bracket and the rule it breaks.
 */
export function validateBracketTable(table: BracketTable): BracketTable {
  const where = `bracket table ${table.symbol} ${table.effectiveFrom}`;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(table.effectiveFrom)) {
    throw new BracketTableError(`${where}: effectiveFrom must be a date YYYY-MM-DD`);
  }
  if (table.brackets.length === 0) throw new BracketTableError(`${where}: has no brackets`);
  table.brackets.forEach((b, i) => {
    const at = `${where}, bracket ${b.bracket}`;
    if (b.bracket !== i + 1) throw new BracketTableError(`${at}: brackets must be numbered 1..n in order`);
    if (!gt(b.cap, b.floor)) throw new BracketTableError(`${at}: cap must be above floor`);
    if (!Number.isFinite(b.maxLeverage) || b.maxLeverage < 1) {
      throw new BracketTableError(`${at}: maxLeverage must be a number >= 1`);
    }
    if (lt(b.maintenanceMarginRate, parseFixed('0')) || gte(b.maintenanceMarginRate, parseFixed('1'))) {
      throw new BracketTableError(`${at}: maintenance margin rate must be in [0, 1)`);
    }
    if (i === 0) {
      if (!eq(b.floor, parseFixed('0'))) throw new BracketTableError(`${at}: the first floor must be 0`);
      if (!eq(b.maintenanceAmount, parseFixed('0'))) {
        throw new BracketTableError(`${at}: the first maintenance amount must be 0`);
      }
      return;
    }
    const prev = table.brackets[i - 1]!;
    if (!eq(b.floor, prev.cap)) {
      throw new BracketTableError(`${at}: floor ${formatFixed(b.floor)} must equal the previous cap ${formatFixed(prev.cap)}`);
    }
    if (lt(b.maintenanceMarginRate, prev.maintenanceMarginRate)) {
      throw new BracketTableError(`${at}: maintenance margin rate must not fall`);
    }
    if (b.maxLeverage > prev.maxLeverage) throw new BracketTableError(`${at}: max leverage must not rise`);
    if (table.basis === 'size') {
      if (!eq(b.maintenanceAmount, parseFixed('0'))) {
        throw new BracketTableError(`${at}: a size-based table charges the tier's MMR on the whole position; its maintenance amount must be 0`);
      }
      return;
    }
    const expected = nextMaintenanceAmount(prev.maintenanceAmount, b.floor, b.maintenanceMarginRate, prev.maintenanceMarginRate);
    if (!eq(expected, b.maintenanceAmount)) {
      throw new BracketTableError(
        `${at}: maintenance amount ${formatFixed(b.maintenanceAmount)} breaks cum_n = cum_{n-1} + floor_n x (MMR_n - MMR_{n-1}), which gives ${formatFixed(expected)}`,
      );
    }
  });
  return table;
}

/** Builds and validates a table from its data-file form. */
export function bracketTableFromSpec(spec: BracketTableSpec): BracketTable {
  return validateBracketTable({
    symbol: spec.symbol,
    effectiveFrom: spec.effectiveFrom,
    source: spec.source,
    boundary: spec.boundary ?? 'floor-inclusive',
    ...(spec.basis ? { basis: spec.basis } : {}),
    brackets: spec.brackets.map((b) => ({
      bracket: b.bracket,
      floor: parseFixed<'Money'>(b.floor),
      cap: parseFixed<'Money'>(b.cap),
      // percent -> fraction: exact for any percent with up to 16 decimals
      maintenanceMarginRate: divideBy(parseFixed<'Rate'>(b.mmrPercent), 100, 'halfEven'),
      maxLeverage: b.maxLeverage,
      maintenanceAmount: parseFixed<'Money'>(b.cum),
    })),
  });
}

/**
 * The bracket of a notional. Past the last cap the last bracket applies (the exchange would refuse to
 * open such a position; a replay of a grown position still needs a rate), flagged by `beyondCap`.
 */
export function bracketFor(table: BracketTable, notionalValue: Money): { bracket: Bracket; beyondCap: boolean } {
  const brackets = table.brackets;
  const last = brackets[brackets.length - 1]!;
  for (const b of brackets) {
    const inside =
      table.boundary === 'floor-inclusive' ? lt(notionalValue, b.cap) : lte(notionalValue, b.cap);
    if (inside) return { bracket: b, beyondCap: false };
  }
  return { bracket: last, beyondCap: !(table.boundary === 'cap-inclusive' && eq(notionalValue, last.cap)) };
}

/** The tier of a position size in a 'size' table (OKX): same boundary rule, caps in the size unit. */
export function tierForSize(table: BracketTable, size: Quantity): { bracket: Bracket; beyondCap: boolean } {
  if (table.basis !== 'size') throw new BracketTableError(`bracket table ${table.symbol} ${table.effectiveFrom}: is not by size`);
  // floors and caps of a size table hold sizes; the Money brand is only the storage type of Bracket
  return bracketFor(table, size as unknown as Money);
}

/** The largest notional allowed at a leverage: the cap of the last bracket whose max leverage >= it. */
export function maxNotionalAtLeverage(table: BracketTable, leverage: number): Money | undefined {
  let best: Money | undefined;
  for (const b of table.brackets) if (b.maxLeverage >= leverage) best = b.cap;
  return best;
}

/** Dated tables per symbol; picks the one in force at a time. */
export class BracketRegistry {
  private readonly bySymbol = new Map<string, BracketTable[]>();

  constructor(tables: readonly BracketTable[] = []) {
    for (const t of tables) this.add(t);
  }

  add(table: BracketTable): void {
    validateBracketTable(table);
    const list = this.bySymbol.get(table.symbol) ?? [];
    if (list.some((t) => t.effectiveFrom === table.effectiveFrom)) {
      throw new BracketTableError(`bracket table ${table.symbol} ${table.effectiveFrom}: a table for that date exists already`);
    }
    list.push(table);
    list.sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : 0));
    this.bySymbol.set(table.symbol, list);
  }

  symbols(): string[] {
    return [...this.bySymbol.keys()].sort();
  }

  tables(symbol: string): readonly BracketTable[] {
    return this.bySymbol.get(symbol) ?? [];
  }

  /**
   * The table in force at `date` (YYYY-MM-DD, or epoch ms): the newest one whose effectiveFrom is on or
   * before it. Before the oldest table the oldest applies, with `extrapolated: true` so a report can
   * say the replay predates the data. Undefined when the symbol has no table. Without a date, the newest.
   */
  at(symbol: string, date?: string | number): { table: BracketTable; extrapolated: boolean } | undefined {
    const list = this.bySymbol.get(symbol);
    if (!list || list.length === 0) return undefined;
    if (date === undefined) return { table: list[list.length - 1]!, extrapolated: false };
    const day = typeof date === 'number' ? isoDay(date) : date;
    let found: BracketTable | undefined;
    for (const t of list) if (t.effectiveFrom <= day) found = t;
    return found ? { table: found, extrapolated: false } : { table: list[0]!, extrapolated: true };
  }
}

/** YYYY-MM-DD of an epoch-ms instant, in UTC. Pure civil-from-days arithmetic (H. Hinnant's algorithm). */
export function isoDay(epochMs: number): string {
  const z = Math.floor(epochMs / 86_400_000) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
