// The price history the advisor estimates from: a symbol's bundled hourly spot files or given candle files,
// the last close of the latest one, and a portfolio entered at those closes. Shared by `perpguard advise
// leverage` and the server's leverage route, so both read the same history and enter at the same price.
import { snapshotOfSpec } from '../advisor/accounts.ts';
import { baseOf } from '../exchanges/markets.ts';
import type { AccountSnapshot } from '../exchanges/rules.ts';
import { InputError } from '../schema/input-error.ts';
import type { Spec } from '../sim/spec.ts';
import { grouped } from '../views/numbers.ts';
import { bundled, loadCandles, type CandleSeries } from './market-data.ts';

const HOUR = 3_600_000;

/**
 * The bundled hourly spot files of a symbol (2019-2021 and 2024-2026), or none. Any venue's symbol maps by
 * its base asset (BTC-USDT-SWAP, BTCUSD_PERP, BTC: the BTCUSDT files), as in the simulator.
 */
export function bundledHourly(symbol: string): string[] {
  const base = baseOf(symbol);
  return ['BTC', 'ETH', 'SOL'].includes(base)
    ? [`binance-spot-${base}USDT-1h-2019-2021.csv`, `binance-spot-${base}USDT-1h-2024-2026.csv`]
    : [];
}

/**
 * Candle files for a symbol: `--data` entries (FILE, SYMBOL=FILE, bundled:NAME), else the bundled hourly
 * history. Plain files get the timeframe from their name (-1h-, -1d) or their content.
 */
export function loadHistory(symbol: string, data: readonly string[] | undefined, timeframeMs?: number): CandleSeries[] {
  const entries = data && data.length > 0 ? data : bundledHourly(symbol).map((f) => `bundled:${f}`);
  if (entries.length === 0) throw new InputError('--data', `no bundled history for ${symbol}: give candle files with --data`);
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const file = eq > 0 && !entry.startsWith('bundled:') ? entry.slice(eq + 1) : entry;
    const named = eq > 0 && !entry.startsWith('bundled:') ? entry.slice(0, eq) : symbol;
    const path = file.startsWith('bundled:') ? bundled(file.slice(8)) : file;
    return loadCandles(path, named, timeframeMs ?? (/-1h-/.test(file) ? HOUR : undefined));
  });
}

/** The last close of the latest series, with where it comes from. */
export function lastClose(series: readonly CandleSeries[]): { price: CandleSeries['close'][number]; source: string; time: number } {
  const latest = [...series].sort((a, b) => a.time[a.time.length - 1]! - b.time[b.time.length - 1]!).pop()!;
  const i = latest.time.length - 1;
  return { price: latest.close[i]!, source: latest.source, time: latest.time[i]! };
}


/**
 * A portfolio entered at the last bundled closes of its legs, as `advise leverage --spec` prices it: the account
 * the trade joins, and the words for it (`from`: where the spec came from, the CLI's file).
 */
export function specAtLastCloses(spec: Spec, from: string): { base: AccountSnapshot; account: string } {
  const prices = new Map(spec.legs.map((l) => [l.symbol, lastClose(loadHistory(l.symbol, undefined)).price]));
  const base = snapshotOfSpec(spec, prices);
  return { base, account: `${spec.name} (${from}), wallet ${grouped(spec.wallet)} ${base.legs[0]?.market.settleAsset ?? ''}, entered at the last bundled closes` };
}
