// Candles of marks for the kline streams: Binance's intervals (1m … 1M), each candle the open, high, low
// and close of the marks inside [openTime, closeTime]. Binance aligns its candles to UTC: minutes, hours and
// days from the epoch, weeks from Monday 00:00, months from the 1st. Pure: marks and their feed times in.
import { gt, lt, type Price } from '../../domain/fixed.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** Binance USDⓈ-M kline intervals and their lengths (1M has none: a calendar month). */
export const KLINE_INTERVALS: Readonly<Record<string, number | 'month'>> = {
  '1m': MINUTE,
  '3m': 3 * MINUTE,
  '5m': 5 * MINUTE,
  '15m': 15 * MINUTE,
  '30m': 30 * MINUTE,
  '1h': HOUR,
  '2h': 2 * HOUR,
  '4h': 4 * HOUR,
  '6h': 6 * HOUR,
  '8h': 8 * HOUR,
  '12h': 12 * HOUR,
  '1d': DAY,
  '3d': 3 * DAY,
  '1w': 7 * DAY,
  '1M': 'month',
};

export const isKlineInterval = (text: string): boolean => Object.hasOwn(KLINE_INTERVALS, text);

/** 1970-01-01 was a Thursday: Monday 1970-01-05 starts the weeks. */
const FIRST_MONDAY_MS = 4 * DAY;

/** The open time (epoch ms) of the candle of `interval` containing `timeMs`, and the next candle's open time. */
export function candleBounds(interval: string, timeMs: number): { openTimeMs: number; nextOpenTimeMs: number } {
  const length = KLINE_INTERVALS[interval];
  if (length === undefined) throw new Error(`not a kline interval: ${interval}`);
  if (length === 'month') {
    const d = new Date(timeMs);
    return { openTimeMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1), nextOpenTimeMs: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) };
  }
  const origin = interval === '1w' ? FIRST_MONDAY_MS : 0;
  const openTimeMs = Math.floor((timeMs - origin) / length) * length + origin;
  return { openTimeMs, nextOpenTimeMs: openTimeMs + length };
}

export interface Candle {
  readonly openTimeMs: number;
  /** The last millisecond of the interval (Binance's T: next open - 1). */
  readonly closeTimeMs: number;
  readonly open: Price;
  readonly high: Price;
  readonly low: Price;
  readonly close: Price;
}

/**
 * The current candle of one symbol and interval. add() takes marks in time order and returns the candle
 * the mark ended (closed: a mark in a later interval ends the one before) and the current one.
 */
export class CandleBuilder {
  private current: Candle | undefined;

  constructor(readonly interval: string) {
    if (!isKlineInterval(interval)) throw new Error(`not a kline interval: ${interval}`);
  }

  add(timeMs: number, price: Price): { closed?: Candle; current: Candle } {
    const c = this.current;
    if (c && timeMs < c.openTimeMs) throw new Error(`mark at ${timeMs} is before the current candle's open ${c.openTimeMs}`);
    if (c && timeMs <= c.closeTimeMs) {
      this.current = { ...c, high: gt(price, c.high) ? price : c.high, low: lt(price, c.low) ? price : c.low, close: price };
      return { current: this.current };
    }
    const { openTimeMs, nextOpenTimeMs } = candleBounds(this.interval, timeMs);
    this.current = { openTimeMs, closeTimeMs: nextOpenTimeMs - 1, open: price, high: price, low: price, close: price };
    return c ? { closed: c, current: this.current } : { current: this.current };
  }

  /** The candle being built, if a mark has come. */
  get candle(): Candle | undefined {
    return this.current;
  }
}
