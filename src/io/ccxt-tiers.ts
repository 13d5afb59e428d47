// Import of leverage / maintenance tiers from a ccxt `fetchLeverageTiers` JSON dump (the form freqtrade
// ships as binance_leverage_tiers.json): { "BTC/USDT:USDT": [ { tier, currency, minNotional, maxNotional,
// maintenanceMarginRate, maxLeverage, info: { bracket, initialLeverage, notionalFloor, notionalCap,
// maintMarginRatio, cum } } ] }. ccxt types these as float64 numbers; the exchange's own strings in `info`
// are used first because they are exact. Every table is validated (contiguity, cum recurrence).
import { z } from 'zod';
import { formatFixed, times, parseFixed, zero, type Money, type Rate } from '../domain/fixed.ts';
import { BracketTableError, nextMaintenanceAmount, validateBracketTable, type Bracket, type BracketTable } from '../domain/tiers.ts';
import { firstProblem } from '../schema/fields.ts';

const numeric = z.union([z.string(), z.number()]);
const tierSchema = z.object({
  tier: numeric.optional(),
  minNotional: numeric,
  maxNotional: numeric,
  maintenanceMarginRate: numeric,
  maxLeverage: numeric,
  info: z.record(z.string(), z.unknown()).optional(),
});
const dumpSchema = z.record(z.string(), z.array(tierSchema).min(1, 'must list at least one tier'));

export class TierImportError extends Error {
  override readonly name = 'TierImportError';
}

/** "BTC/USDT:USDT" -> "BTCUSDT"; "BTC/USD:BTC" -> "BTCUSD_PERP" (Binance COIN-M naming); others joined. */
export function exchangeSymbolOf(unified: string): string {
  const m = /^([^/]+)\/([^:]+)(?::(.+))?$/.exec(unified);
  if (!m) return unified;
  const [, base, quote, settle] = m;
  if (settle !== undefined && settle === base) return `${base}${quote}_PERP`;
  return `${base}${quote}`;
}

function decimalText(value: unknown, where: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TierImportError(`${where}: not a finite number`);
    return String(value); // shortest round-trip form: 0.004 stays "0.004"
  }
  if (typeof value === 'string') return value;
  throw new TierImportError(`${where}: missing`);
}

/** Parses a dump into validated tables dated `effectiveFrom` (the day the dump was taken). */
export function importCcxtLeverageTiers(json: unknown, effectiveFrom: string, source: string): BracketTable[] {
  const parsed = dumpSchema.safeParse(json);
  if (!parsed.success) {
    // the field as every parser names it (`BTC/USDT:USDT[0].maxNotional`)
    const { field, reason } = firstProblem(parsed.error);
    throw new TierImportError(`${field || 'the file'}: ${reason} (expected ccxt fetchLeverageTiers output)`);
  }
  const tables: BracketTable[] = [];
  for (const [unified, tiers] of Object.entries(parsed.data)) {
    const symbol = exchangeSymbolOf(unified);
    let previousRate: Rate = zero();
    let previousAmount: Money = zero();
    const brackets: Bracket[] = tiers.map((t, i) => {
      const where = `${unified} tier ${i + 1}`;
      const info = t.info ?? {};
      const num = <U extends string>(value: unknown, field: string) => {
        try {
          return parseFixed<U>(decimalText(value, `${where} ${field}`));
        } catch (error) {
          if (error instanceof TierImportError) throw error;
          throw new TierImportError(`${where} ${field}: ${(error as Error).message}`);
        }
      };
      const floor = num<'Money'>(info['notionalFloor'] ?? info['minNotional'] ?? t.minNotional, 'floor');
      const cap = num<'Money'>(info['notionalCap'] ?? info['maxNotional'] ?? t.maxNotional, 'cap');
      const mmr = num<'Rate'>(info['maintMarginRatio'] ?? t.maintenanceMarginRate, 'maintenance margin rate');
      const maxLeverage = Number(decimalText(info['initialLeverage'] ?? t.maxLeverage, `${where} max leverage`));
      const amount =
        info['cum'] !== undefined
          ? num<'Money'>(info['cum'], 'cum')
          : i === 0
            ? zero<'Money'>()
            : nextMaintenanceAmount(previousAmount, floor, mmr, previousRate);
      previousRate = mmr;
      previousAmount = amount;
      return { bracket: i + 1, floor, cap, maintenanceMarginRate: mmr, maintenanceAmount: amount, maxLeverage };
    });
    try {
      tables.push(validateBracketTable({ symbol, effectiveFrom, source, boundary: 'floor-inclusive', brackets }));
    } catch (error) {
      if (error instanceof BracketTableError) throw new TierImportError(`${unified}: ${error.message}`);
      throw error;
    }
  }
  return tables;
}

/** A table as plain JSON (decimal strings), for `perpguard tiers --json`. */
export function bracketTableJson(table: BracketTable) {
  return {
    symbol: table.symbol,
    effectiveFrom: table.effectiveFrom,
    source: table.source,
    brackets: table.brackets.map((b) => ({
      bracket: b.bracket,
      floor: formatFixed(b.floor),
      cap: formatFixed(b.cap),
      maintenanceMarginRate: formatFixed(b.maintenanceMarginRate),
      maintenanceMarginPercent: formatFixed(times(b.maintenanceMarginRate, 100)),
      maintenanceAmount: formatFixed(b.maintenanceAmount),
      maxLeverage: b.maxLeverage,
    })),
  };
}
