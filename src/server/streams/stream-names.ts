// Binance USDⓈ-M market stream names: `<symbol>@<stream>` with the symbol in lower case ("All symbols for
// streams are lowercase"), and the market-wide `!…@arr` forms. The venue serves the streams it can build
// from marks (./market-events.ts); the others (depth, aggTrade, trades, forceOrder, …) are named as
// unsupported so a client gets an error instead of a silent stream. Pure.
import { isKlineInterval } from './candles.ts';

export type MarketStream =
  | { readonly kind: 'markPrice'; readonly symbol: string; readonly periodMs: 1000 | 3000 }
  | { readonly kind: 'kline'; readonly symbol: string; readonly interval: string }
  | { readonly kind: 'miniTicker'; readonly symbol: string }
  | { readonly kind: 'bookTicker'; readonly symbol: string }
  | { readonly kind: 'allMarkPrice'; readonly periodMs: 1000 | 3000 }
  | { readonly kind: 'allMiniTicker' }
  | { readonly kind: 'allBookTicker' };

/** Binance's streams that a paper venue without trades or an order book does not serve. */
const UNSUPPORTED = /^(aggTrade|trade|depth(\d+)?(@\d+ms)?|forceOrder|ticker|compositeIndex|contractInfo|assetIndex|continuousKline_.*|indexPriceKline_.*|markPriceKline_.*)$/;

/**
 * A stream name as the venue reads it: the stream, or why not (unknown, unsupported, upper case). Symbols
 * come back upper case (BTCUSDT), the engine's form; `knownSymbol` says which the venue lists.
 */
export function parseStreamName(name: string, knownSymbol: (symbol: string) => boolean): { stream: MarketStream } | { problem: string } {
  switch (name) {
    case '!markPrice@arr':
      return { stream: { kind: 'allMarkPrice', periodMs: 3000 } };
    case '!markPrice@arr@1s':
      return { stream: { kind: 'allMarkPrice', periodMs: 1000 } };
    case '!miniTicker@arr':
      return { stream: { kind: 'allMiniTicker' } };
    case '!bookTicker':
      return { stream: { kind: 'allBookTicker' } };
  }
  const at = name.indexOf('@');
  if (at <= 0) return { problem: `${JSON.stringify(name)} is not a stream name such as "btcusdt@markPrice"` };
  const lower = name.slice(0, at);
  const rest = name.slice(at + 1);
  if (lower !== lower.toLowerCase()) return { problem: `${JSON.stringify(name)}: the symbol of a stream name is lower case ("${lower.toLowerCase()}@${rest}")` };
  const symbol = lower.toUpperCase();
  if (!knownSymbol(symbol)) return { problem: `${JSON.stringify(name)}: unknown symbol ${symbol}` };
  if (rest === 'markPrice') return { stream: { kind: 'markPrice', symbol, periodMs: 3000 } };
  if (rest === 'markPrice@1s') return { stream: { kind: 'markPrice', symbol, periodMs: 1000 } };
  if (rest === 'miniTicker') return { stream: { kind: 'miniTicker', symbol } };
  if (rest === 'bookTicker') return { stream: { kind: 'bookTicker', symbol } };
  if (rest.startsWith('kline_')) {
    const interval = rest.slice('kline_'.length);
    if (isKlineInterval(interval)) return { stream: { kind: 'kline', symbol, interval } };
    return { problem: `${JSON.stringify(name)}: unknown kline interval ${JSON.stringify(interval)} (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 8h, 12h, 1d, 3d, 1w, 1M)` };
  }
  if (UNSUPPORTED.test(rest)) return { problem: `${JSON.stringify(name)}: the paper venue has no trades or order book to stream (it serves markPrice, kline_<interval>, miniTicker and bookTicker)` };
  return { problem: `${JSON.stringify(name)}: unknown stream ${JSON.stringify(rest)}` };
}

/** The canonical name of a stream (what LIST_SUBSCRIPTIONS and the combined envelope print). */
export function streamName(stream: MarketStream): string {
  switch (stream.kind) {
    case 'markPrice':
      return `${stream.symbol.toLowerCase()}@markPrice${stream.periodMs === 1000 ? '@1s' : ''}`;
    case 'kline':
      return `${stream.symbol.toLowerCase()}@kline_${stream.interval}`;
    case 'miniTicker':
      return `${stream.symbol.toLowerCase()}@miniTicker`;
    case 'bookTicker':
      return `${stream.symbol.toLowerCase()}@bookTicker`;
    case 'allMarkPrice':
      return `!markPrice@arr${stream.periodMs === 1000 ? '@1s' : ''}`;
    case 'allMiniTicker':
      return '!miniTicker@arr';
    case 'allBookTicker':
      return '!bookTicker';
  }
}

/** Does a subscription to `stream` receive the payload of `kind` for `symbol`? (The market-wide streams take every symbol.) */
export function streamCovers(stream: MarketStream, kind: 'markPrice' | 'kline' | 'miniTicker' | 'bookTicker', symbol: string): boolean {
  switch (stream.kind) {
    case 'allMarkPrice':
      return kind === 'markPrice';
    case 'allMiniTicker':
      return kind === 'miniTicker';
    case 'allBookTicker':
      return kind === 'bookTicker';
    default:
      return stream.kind === kind && stream.symbol === symbol;
  }
}

/** The combined-stream envelope of /stream?streams=… (and /market/stream, /public/stream, /private/stream). */
export function combined<T>(stream: string, data: T): { stream: string; data: T } {
  return { stream, data };
}
