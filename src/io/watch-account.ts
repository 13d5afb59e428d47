// One reading of the venue (ccxt's unified structures) as the account perpguard computes with: the positions
// and balance through the same importers as `perpguard calc` (./import/read.ts accountOf), the venue's
// fetchLeverageTiers as the snapshot's "markets" brackets (or the trader's --tiers dump instead), the stops
// and margin adjustments in the advisor's terms. The imported snapshot is what --record writes: a perpguard
// snapshot file `perpguard calc` reads back, holding figures only (no key, no secret, no raw response).
import { formatFixed, parseFixed, scale, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import type { BracketTable } from '../domain/tiers.ts';
import type { MarginAdjustment, StopOrder } from '../advisor/watch.ts';
import { hourlyVolatility, type HourlyVolatility } from '../advisor/watch-volatility.ts';
import { InputError } from '../schema/input-error.ts';
import { importCcxtLeverageTiers, TierImportError } from './ccxt-tiers.ts';
import type { ImportedSnapshot } from './import/detect.ts';
import { accountOf, type LoadedAccount } from './import/read.ts';
import { venueSymbolOf, type VenueReading } from './watch-source.ts';

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A bracket table in the snapshot's "markets" form (decimal strings). */
function bracketRows(table: BracketTable) {
  return table.brackets.map((b) => ({
    floor: formatFixed(b.floor),
    cap: formatFixed(b.cap),
    maintenanceMarginRate: formatFixed(b.maintenanceMarginRate),
    maintenanceAmount: formatFixed(b.maintenanceAmount),
    maxLeverage: b.maxLeverage,
  }));
}

/** The venue's tiers as tables; a dump ccxt could not give in full is left out (the bundled tables serve). */
export function tiersOf(tiers: Record<string, unknown> | undefined): BracketTable[] {
  if (!tiers) return [];
  const out: BracketTable[] = [];
  for (const [symbol, rows] of Object.entries(tiers)) {
    try {
      out.push(...importCcxtLeverageTiers({ [symbol]: rows }, '1970-01-01', 'the venue (ccxt fetchLeverageTiers)'));
    } catch (error) {
      if (!(error instanceof TierImportError)) throw error;
    }
  }
  return out;
}

/**
 * How many of a position's size units one contract of an order is, by the venue's symbol: a linear position's
 * size is base quantity (contracts x contractSize, as ../io/import/ccxt.ts reads it), an inverse one's is
 * contracts. From the reading's positions, which carry the contract size; ccxt's orders count contracts.
 */
function sizePerContract(positions: readonly unknown[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const p of positions) {
    if (!isObject(p) || typeof p['symbol'] !== 'string') continue;
    const [base, settle] = [p['symbol'].split('/')[0], p['symbol'].split(':')[1]];
    const contractSize = typeof p['contractSize'] === 'number' && p['contractSize'] > 0 ? String(p['contractSize']) : '1';
    out.set(venueSymbolOf(p), base !== undefined && base === settle ? '1' : contractSize);
  }
  return out;
}

/** The trigger orders that can stop a position: ccxt's unified order with a trigger (stop) price, and what each closes. */
export function stopsOf(orders: readonly unknown[], positions: readonly unknown[] = []): StopOrder[] {
  const perContract = sizePerContract(positions);
  const out: StopOrder[] = [];
  for (const o of orders) {
    if (!isObject(o)) continue;
    const info = isObject(o['info']) ? o['info'] : {};
    const trigger = o['triggerPrice'] ?? o['stopPrice'] ?? o['stopLossPrice'];
    if (typeof trigger !== 'number' || !(trigger > 0)) continue;
    const side = o['side'];
    if (side !== 'buy' && side !== 'sell') continue;
    const closePosition = info['closePosition'] === true || info['closePosition'] === 'true';
    const symbol = venueSymbolOf(o);
    // an order with no readable amount closes nothing that can be counted on
    const amount = typeof o['amount'] === 'number' && o['amount'] > 0 ? String(o['amount']) : '0';
    // rounded down: a stop is never counted as closing more than it does
    const size = closePosition ? 'whole' : scale(parseFixed<'Quantity'>(amount) as Quantity, parseFixed<'Rate'>(perContract.get(symbol) ?? '1') as Rate, 'floor');
    out.push({ symbol, side, triggerPrice: parseFixed<'Price'>(String(trigger)), reduceOnly: o['reduceOnly'] === true || closePosition, size });
  }
  return out;
}

/** Margin moved by the trader (ccxt's margin modification structures); trades' own margin moves left out. */
export function adjustmentsOf(rows: readonly unknown[]): MarginAdjustment[] {
  const out: MarginAdjustment[] = [];
  for (const r of rows) {
    if (!isObject(r) || typeof r['amount'] !== 'number') continue;
    const info = isObject(r['info']) ? r['info'] : {};
    if (info['deltaType'] === 'TRADE') continue;
    out.push({ symbol: venueSymbolOf(r), kind: r['type'] === 'add' ? 'add' : 'reduce', amount: parseFixed<'Money'>(String(r['amount'])) as Money });
  }
  return out;
}

export interface WatchedAccount {
  readonly loaded: LoadedAccount & { imported: NonNullable<LoadedAccount['imported']> };
  /** The imported snapshot with the brackets used: what --record writes. */
  readonly record: ImportedSnapshot;
  readonly reported: (Price | undefined)[];
  readonly stops: StopOrder[];
  readonly adjustments: MarginAdjustment[];
}

/**
 * The account of a reading, or undefined when it holds no open position. `override`: bracket tables the
 * trader gave (--tiers), used instead of the venue's for their symbols.
 */
export function watchedAccount(exchange: string, reading: VenueReading, override: readonly BracketTable[]): WatchedAccount | undefined {
  if (reading.positions.length === 0) return undefined;
  const tables = new Map<string, BracketTable>();
  for (const t of tiersOf(reading.tiers)) tables.set(t.symbol, t);
  for (const t of override) tables.set(t.symbol, t);
  const symbols = new Set(reading.positions.map((p) => venueSymbolOf(p as Record<string, unknown>)));
  const markets = Object.fromEntries([...tables.values()].filter((t) => symbols.has(t.symbol)).map((t) => [t.symbol, { brackets: bracketRows(t) }]));
  const bundle = { exchange, positions: reading.positions, balance: reading.balance, ...(Object.keys(markets).length > 0 ? { markets } : {}) };
  const loaded = accountOf({ label: `${exchange} account`, json: bundle }, [], {});
  if (!loaded.imported) throw new InputError('--exchange', `${exchange} answered with positions perpguard does not recognise`);
  return {
    loaded: loaded as WatchedAccount['loaded'],
    record: loaded.imported.snapshot,
    reported: loaded.imported.reported.map((r) => (r.liquidationPrice === null ? undefined : parseFixed<'Price'>(r.liquidationPrice))),
    stops: stopsOf(reading.orders, reading.positions),
    adjustments: adjustmentsOf(reading.adjustments),
  };
}

/**
 * The recent hourly volatility of each position's symbol, by the venue's symbol (ETHUSDT), from the reading's
 * candles; the last candle is the hour still forming and is left out. A symbol with too few hours is absent.
 */
export function volatilityOf(reading: VenueReading): Map<string, HourlyVolatility> {
  const out = new Map<string, HourlyVolatility>();
  for (const p of reading.positions) {
    if (!isObject(p)) continue;
    const rows = reading.candles[String(p['symbol'])] ?? [];
    const closes = rows
      .slice(0, -1)
      .filter((r): r is number[] => Array.isArray(r) && typeof r[0] === 'number' && typeof r[4] === 'number')
      .map((r) => ({ openTimeMs: r[0]!, close: r[4]! }));
    const v = hourlyVolatility(closes);
    if (v !== undefined) out.set(venueSymbolOf(p), v);
  }
  return out;
}
