// Binance USDⓈ-M market stream payloads from the paper venue's marks (developers.binance.com/docs/derivatives/
// usds-margined-futures/websocket-market-streams: "Mark Price Stream", "Kline/Candlestick Streams",
// "Individual Symbol Mini Ticker Stream", "Individual Symbol Book Ticker Streams"). The venue's one price is
// the replay feed's mark (../feed/replay-feed.ts): there is no separate index, last trade or order book, so
// each payload says what stands in for them. Numbers are decimal strings with every digit (trailing zeros
// trimmed), ids and times JSON numbers. Pure.
import { add, formatFixed, roundToStep, eq, type Price, type Quantity, type Rate } from '../../domain/fixed.ts';
import { BINANCE_FUNDING_INTERVAL_MS } from '../../domain/funding.ts';
import type { Candle } from './candles.ts';

export interface MarkPriceUpdate {
  readonly e: 'markPriceUpdate';
  readonly E: number;
  readonly s: string;
  /** Mark price. */
  readonly p: string;
  /** Index price: the feed has none, so the mark (the replayed history is the mark's own). */
  readonly i: string;
  /** Estimated settle price (only meaningful before a delivery contract settles): the mark. */
  readonly P: string;
  /** The funding rate of the next settlement. */
  readonly r: string;
  /** The next funding time (epoch ms). */
  readonly T: number;
}

/**
 * Binance's funding settles every 8 hours at 00:00, 08:00 and 16:00 UTC: the next settlement strictly after
 * `timeMs` (at a settlement instant the next one is 8 hours on, as Binance shows once it has settled).
 */
export function nextFundingTimeMs(timeMs: number, intervalMs: number = BINANCE_FUNDING_INTERVAL_MS): number {
  return Math.floor(timeMs / intervalMs) * intervalMs + intervalMs;
}

/** symbol@markPrice and @markPrice@1s: the mark at `timeMs`, and the rate the next settlement will apply. */
export function markPriceUpdate(symbol: string, mark: Price, fundingRate: Rate, timeMs: number, eventTimeMs: number = timeMs): MarkPriceUpdate {
  const p = formatFixed(mark);
  return { e: 'markPriceUpdate', E: eventTimeMs, s: symbol, p, i: p, P: p, r: formatFixed(fundingRate), T: nextFundingTimeMs(timeMs) };
}

/** How often Binance pushes each mark price stream (its "Update Speed"): the server sends the newest mark per period of feed time. */
export const MARK_PRICE_PERIOD_MS = { markPrice: 3000, 'markPrice@1s': 1000 } as const;

export interface KlineEvent {
  readonly e: 'kline';
  readonly E: number;
  readonly s: string;
  readonly k: {
    readonly t: number;
    readonly T: number;
    readonly s: string;
    readonly i: string;
    /** First and last trade id: -1, Binance's "no trade" (the venue has no public trades). */
    readonly f: number;
    readonly L: number;
    readonly o: string;
    readonly c: string;
    readonly h: string;
    readonly l: string;
    /** Base volume, trades, quote volume, taker buy volumes: none (marks are not trades). */
    readonly v: string;
    readonly n: number;
    readonly x: boolean;
    readonly q: string;
    readonly V: string;
    readonly Q: string;
    readonly B: string;
  };
}

/** symbol@kline_<interval>: a candle of the marks in its interval; x is true once the interval has ended. */
export function klineEvent(symbol: string, interval: string, candle: Candle, closed: boolean, eventTimeMs: number): KlineEvent {
  return {
    e: 'kline',
    E: eventTimeMs,
    s: symbol,
    k: {
      t: candle.openTimeMs,
      T: candle.closeTimeMs,
      s: symbol,
      i: interval,
      f: -1,
      L: -1,
      o: formatFixed(candle.open),
      c: formatFixed(candle.close),
      h: formatFixed(candle.high),
      l: formatFixed(candle.low),
      v: '0',
      n: 0,
      x: closed,
      q: '0',
      V: '0',
      Q: '0',
      B: '0',
    },
  };
}

export interface MiniTicker {
  readonly e: '24hrMiniTicker';
  readonly E: number;
  readonly s: string;
  readonly c: string;
  readonly o: string;
  readonly h: string;
  readonly l: string;
  readonly v: string;
  readonly q: string;
}

/** symbol@miniTicker: the rolling 24 hours of marks (./rolling-day.ts); no volume (marks are not trades). */
export function miniTicker(symbol: string, day: { readonly open: Price; readonly high: Price; readonly low: Price; readonly close: Price }, eventTimeMs: number): MiniTicker {
  return { e: '24hrMiniTicker', E: eventTimeMs, s: symbol, c: formatFixed(day.close), o: formatFixed(day.open), h: formatFixed(day.high), l: formatFixed(day.low), v: '0', q: '0' };
}

export interface BookTicker {
  readonly e: 'bookTicker';
  readonly u: number;
  readonly E: number;
  readonly T: number;
  readonly s: string;
  readonly b: string;
  readonly B: string;
  readonly a: string;
  readonly A: string;
}

/**
 * The synthetic best bid and ask around the mark: the tick at or below the mark and the tick at or above
 * it, one tick apart when the mark sits on a tick (a book is never locked). At most one tick wide because
 * the engine fills every market order at the mark itself, with no depth limit: a wider synthetic spread
 * would tell a client (a bot quoting at the best bid, ccxt's price checks) that a market order costs more
 * than it does; one tick is the least a real book can show.
 */
export function syntheticBook(mark: Price, tickSize: Price): { bid: Price; ask: Price } {
  const bid = roundToStep(mark, tickSize, 'floor');
  const up = roundToStep(mark, tickSize, 'ceil');
  return { bid, ask: eq(bid, up) ? add(bid, tickSize) : up };
}

/**
 * symbol@bookTicker from the synthetic book. `quantity` is the size shown on each side: the engine's
 * depth at the mark is unlimited, so the caller chooses what to show (the server: the market's largest
 * order). `updateId` is the caller's increasing counter (Binance's u).
 */
export function bookTicker(symbol: string, mark: Price, tickSize: Price, quantity: Quantity, updateId: number, timeMs: number, eventTimeMs: number = timeMs): BookTicker {
  const { bid, ask } = syntheticBook(mark, tickSize);
  const size = formatFixed(quantity);
  return { e: 'bookTicker', u: updateId, E: eventTimeMs, T: timeMs, s: symbol, b: formatFixed(bid), B: size, a: formatFixed(ask), A: size };
}
