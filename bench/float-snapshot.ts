// The float64 baseline of the cold-cache comparison: what a float implementation would do with a freshly
// received snapshot (JSON text): parse it, read the numbers, build the flat arrays of float-kernel.ts,
// deriving each explicit bracket table's maintenance amounts by the same recurrence the exact snapshot
// parser uses (cum_n = cum_{n-1} + floor_n x (MMR_n - MMR_{n-1})). The bundled tables (BTC, ETH, SOL)
// come from a table loaded once, as the exact path's bracket registry is loaded once.
// Scope as float-kernel.ts: linear cross positions, one per symbol; checked by the bench's agreement test.
import { emptyFloatAccount, type FloatAccount } from './float-kernel.ts';

/** One symbol's bracket rows as floats: floor, cap (last one Infinity), MMR, maintenance amount. */
export interface FloatBrackets {
  readonly floorUsdt: readonly number[];
  readonly capUsdt: readonly number[];
  readonly maintenanceMarginRate: readonly number[];
  readonly maintenanceAmountUsdt: readonly number[];
}

/** The bracket rows of every symbol of a prepared float account (done once, outside the timed loop). */
export function floatBracketsBySymbol(account: FloatAccount, symbols: readonly string[]): Map<string, FloatBrackets> {
  const out = new Map<string, FloatBrackets>();
  symbols.forEach((symbol, i) => {
    const from = account.bracketStart[i]!;
    const to = account.bracketStart[i + 1]!;
    out.set(symbol, {
      floorUsdt: Array.from(account.bracketFloorUsdt.subarray(from, to)),
      capUsdt: Array.from(account.bracketCapUsdt.subarray(from, to)),
      maintenanceMarginRate: Array.from(account.maintenanceMarginRate.subarray(from, to)),
      maintenanceAmountUsdt: Array.from(account.maintenanceAmountUsdt.subarray(from, to)),
    });
  });
  return out;
}

interface SnapshotJson {
  walletBalance: string;
  positions: { symbol: string; side: 'long' | 'short'; size: string; entryPrice: string; markPrice: string }[];
  markets?: Record<string, { brackets: { floor: string; cap: string; maintenanceMarginRate: string }[] }>;
}

function explicitBrackets(rows: { floor: string; cap: string; maintenanceMarginRate: string }[]): FloatBrackets {
  const floorUsdt: number[] = [];
  const capUsdt: number[] = [];
  const maintenanceMarginRate: number[] = [];
  const maintenanceAmountUsdt: number[] = [];
  let cumUsdt = 0;
  let previousRate = 0;
  rows.forEach((row, j) => {
    const floor = Number(row.floor);
    const rate = Number(row.maintenanceMarginRate);
    cumUsdt += floor * (rate - previousRate);
    previousRate = rate;
    floorUsdt.push(floor);
    capUsdt.push(j === rows.length - 1 ? Infinity : Number(row.cap));
    maintenanceMarginRate.push(rate);
    maintenanceAmountUsdt.push(cumUsdt);
  });
  return { floorUsdt, capUsdt, maintenanceMarginRate, maintenanceAmountUsdt };
}

/** Parses snapshot JSON text into a float account. */
export function floatAccountFromJson(text: string, bundled: ReadonlyMap<string, FloatBrackets>): FloatAccount {
  const json = JSON.parse(text) as SnapshotJson;
  const n = json.positions.length;
  const tables = json.positions.map((p) => {
    const explicit = json.markets?.[p.symbol];
    const table = explicit ? explicitBrackets(explicit.brackets) : bundled.get(p.symbol);
    if (!table) throw new Error(`no float bracket table for ${p.symbol}`);
    return table;
  });
  const rows = tables.reduce((sum, t) => sum + t.floorUsdt.length, 0);
  const account = emptyFloatAccount(Number(json.walletBalance), n, rows);
  let row = 0;
  json.positions.forEach((p, i) => {
    account.side[i] = p.side === 'long' ? 1 : -1;
    account.sizeBase[i] = Number(p.size);
    account.entryPriceUsdt[i] = Number(p.entryPrice);
    account.markPriceUsdt[i] = Number(p.markPrice);
    account.bracketStart[i] = row;
    const t = tables[i]!;
    for (let j = 0; j < t.floorUsdt.length; j++, row++) {
      account.bracketFloorUsdt[row] = t.floorUsdt[j]!;
      account.bracketCapUsdt[row] = t.capUsdt[j]!;
      account.maintenanceMarginRate[row] = t.maintenanceMarginRate[j]!;
      account.maintenanceAmountUsdt[row] = t.maintenanceAmountUsdt[j]!;
    }
  });
  account.bracketStart[n] = row;
  return account;
}
