// The mark's past as the feed plays it: per symbol, the step function of the bar-path points the
// ReplayFeed hands out (barTicks: open, the two extremes, close at quarters of each bar), from the
// history's first bar. A candle of any Binance interval, a rolling 24-hour window or the mark at a
// funding instant is read off it, up to a horizon (the feed time the market has reached): so a 1h kline
// is the bundled hourly bar itself, a 15m or 1d kline is built from the same ticks the engine saw, and an
// interval where no tick fell is a flat candle at the price that stood (the mark does not vanish between
// ticks). Pure: the caller passes the horizon.
import { gt, lt, type Price } from '../../domain/fixed.ts';
import type { CandleSeries } from '../../sim/data.ts';
import { candleBounds, type Candle } from '../streams/candles.ts';
import { barTicks } from './replay-feed.ts';

/** One symbol's mark points in time order. */
export interface MarkPath {
  readonly times: readonly number[];
  readonly prices: readonly Price[];
}

export function markPathOf(series: CandleSeries): MarkPath {
  const times: number[] = [];
  const prices: Price[] = [];
  for (let i = 0; i < series.time.length; i++) {
    for (const tick of barTicks(series, i)) {
      times.push(tick.time);
      prices.push(tick.price);
    }
  }
  return { times, prices };
}

/** Index of the last point at or before `timeMs` (-1: none). */
function lastAtOrBefore(path: MarkPath, timeMs: number): number {
  let lo = 0;
  let hi = path.times.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (path.times[mid]! <= timeMs) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The mark standing at `timeMs` (the last point at or before it), undefined before the first. */
export function priceAt(path: MarkPath, timeMs: number): Price | undefined {
  const i = lastAtOrBefore(path, timeMs);
  return i < 0 ? undefined : path.prices[i];
}

/** A candle with the number of mark points inside it (Binance's markPriceKlines count). */
export interface CountedCandle extends Candle {
  readonly points: number;
}

/**
 * The open, high, low, close over [fromMs, toMs] (the price standing at fromMs, then every point up to
 * toMs), and the points inside; undefined when no point is at or before toMs.
 */
export function windowOf(path: MarkPath, fromMs: number, toMs: number): Omit<CountedCandle, 'openTimeMs' | 'closeTimeMs'> | undefined {
  const standing = lastAtOrBefore(path, fromMs);
  const last = lastAtOrBefore(path, toMs);
  if (last < 0) return undefined;
  // before the first point the window opens at the first point inside it
  const first = Math.max(standing, 0);
  let high = path.prices[first]!;
  let low = high;
  for (let i = first + 1; i <= last; i++) {
    const p = path.prices[i]!;
    if (gt(p, high)) high = p;
    if (lt(p, low)) low = p;
  }
  return { open: path.prices[first]!, high, low, close: path.prices[last]!, points: last - lastAtOrBefore(path, fromMs - 1) };
}

export interface KlineQuery {
  readonly interval: string;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

/**
 * Binance's kline selection over the path up to `horizonMs`: candles whose open time is within
 * [startTime, endTime]; with a startTime the first `limit` of them, else the last `limit` (the newest
 * ending at endTime or at the horizon, the current candle included as it stands). Oldest first.
 */
export function klines(path: MarkPath, query: KlineQuery, horizonMs: number): CountedCandle[] {
  if (path.times.length === 0 || path.times[0]! > horizonMs) return [];
  const first = candleBounds(query.interval, path.times[0]!).openTimeMs;
  const newest = candleBounds(query.interval, Math.min(horizonMs, query.endTime ?? horizonMs)).openTimeMs;
  const opens: number[] = [];
  if (query.startTime !== undefined) {
    const from = Math.max(first, query.startTime);
    let open = candleBounds(query.interval, from).openTimeMs;
    if (open < from) open = candleBounds(query.interval, open).nextOpenTimeMs;
    for (; open <= newest && opens.length < query.limit; open = candleBounds(query.interval, open).nextOpenTimeMs) opens.push(open);
  } else {
    for (let open = newest; open >= first && opens.length < query.limit; open = candleBounds(query.interval, open - 1).openTimeMs) opens.push(open);
    opens.reverse();
  }
  const out: CountedCandle[] = [];
  for (const openTimeMs of opens) {
    const closeTimeMs = candleBounds(query.interval, openTimeMs).nextOpenTimeMs - 1;
    const candle = windowOf(path, openTimeMs, Math.min(closeTimeMs, horizonMs));
    if (candle) out.push({ openTimeMs, closeTimeMs, ...candle });
  }
  return out;
}
