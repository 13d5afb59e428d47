// Binance's market-data shapes read off the feed's mark history (../feed/mark-history.ts): GET
// /fapi/v1/klines and /fapi/v1/markPriceKlines (arrays), /fapi/v1/ticker/24hr, /fapi/v1/ticker/price,
// /fapi/v1/depth (a synthetic book around the mark), /fapi/v1/fundingRate. Fields and order: Binance's
// "Kline/Candlestick Data", "Mark Price Kline/Candlestick Data", "24hr Ticker Price Change Statistics",
// "Symbol Price Ticker", "Order Book" and "Get Funding Rate History" pages.
// The venue has no trades of its own between accounts (every order fills at the mark), so volumes, trade
// counts and trade ids are 0: a client reading them sees no market activity rather than an invented one.
import { add, formatFixed, formatFixedTo, isPositive, isZero, ratio, roundToStep, sub, times, type Price, type Quantity, type Rate } from '../../domain/fixed.ts';
import type { Market } from '../../exchanges/rules.ts';
import type { CountedCandle, MarkPath } from '../feed/mark-history.ts';
import { priceAt, windowOf } from '../feed/mark-history.ts';
import { ROLLING_WINDOW_MS } from '../streams/rolling-day.ts';

/** One kline row: [openTime, o, h, l, c, volume, closeTime, quoteVolume, count, takerBuyBase, takerBuyQuote, ignore]. */
export function klineRow(candle: CountedCandle, mark: boolean): (number | string)[] {
  const { openTimeMs, closeTimeMs, open, high, low, close, points } = candle;
  // markPriceKlines count the mark updates inside the candle; klines count trades, and there are none
  return [openTimeMs, formatFixed(open), formatFixed(high), formatFixed(low), formatFixed(close), '0', closeTimeMs, '0', mark ? points : 0, '0', '0', '0'];
}

/** (close - open) / open in percent, 3 decimals as Binance prints it; "0.000" for a zero open. */
function percentChange(open: Price, close: Price): string {
  if (isZero(open)) return '0.000';
  return formatFixedTo(times(ratio(sub(close, open), open, 'halfEven'), 100), 3, 'halfEven');
}

/** GET /fapi/v1/ticker/24hr for one symbol: the rolling 24 hours up to `horizonMs`; undefined without a mark yet. */
export function ticker24hrJson(symbol: string, path: MarkPath, horizonMs: number) {
  const openTime = horizonMs - ROLLING_WINDOW_MS + 1;
  const day = windowOf(path, openTime, horizonMs);
  if (!day) return undefined;
  return {
    symbol,
    priceChange: formatFixed(sub(day.close, day.open)),
    priceChangePercent: percentChange(day.open, day.close),
    // no volume traded: the volume-weighted average has no weights; the last price stands for it
    weightedAvgPrice: formatFixed(day.close),
    lastPrice: formatFixed(day.close),
    lastQty: '0',
    openPrice: formatFixed(day.open),
    highPrice: formatFixed(day.high),
    lowPrice: formatFixed(day.low),
    volume: '0',
    quoteVolume: '0',
    openTime,
    closeTime: horizonMs,
    firstId: 0,
    lastId: 0,
    count: 0,
  };
}

/** GET /fapi/v1/ticker/price for one symbol; undefined without a mark yet. */
export function tickerPriceJson(symbol: string, path: MarkPath, horizonMs: number) {
  const price = priceAt(path, horizonMs);
  return price === undefined ? undefined : { symbol, price: formatFixed(price), time: horizonMs };
}

/**
 * The synthetic book's size at `level` (0: the best price): 1,000 steps at the top growing by 1,000 steps a
 * level, so a deeper book holds more (BTCUSDT, step 0.001: 1, 2, 3 BTC...). Only a shape for clients that
 * read a book (ccxt watchOrderBook, a bot's spread check): orders never fill against it, they fill at the mark.
 */
function sizeAt(market: Market, level: number): Quantity {
  return times(market.stepSize, 1000 * (level + 1));
}

/**
 * GET /fapi/v1/depth: `limit` levels each side around the mark, one tick apart. The best bid is the mark
 * rounded down to the tick, the best ask the next tick up: a one-tick spread containing the mark, every
 * price tick-aligned (PRICE_FILTER). Bids that would reach zero are left out.
 */
export function depthJson(market: Market, mark: Price, limit: number, lastUpdateId: number, timeMs: number) {
  const tick = market.tickSize;
  const bestBid = roundToStep(mark, tick, 'floor');
  const bids: [string, string][] = [];
  const asks: [string, string][] = [];
  for (let level = 0; level < limit; level++) {
    const bid = sub(bestBid, times(tick, level));
    if (isPositive(bid)) bids.push([formatFixed(bid), formatFixed(sizeAt(market, level))]);
    asks.push([formatFixed(add(bestBid, times(tick, level + 1))), formatFixed(sizeAt(market, level))]);
  }
  return { lastUpdateId, E: timeMs, T: timeMs, bids, asks };
}

/** GET /fapi/v1/ticker/bookTicker for one symbol: the top of the synthetic book (depthJson's first levels). */
export function bookTickerJson(market: Market, mark: Price, lastUpdateId: number, timeMs: number) {
  const { bids, asks } = depthJson(market, mark, 1, lastUpdateId, timeMs);
  return { symbol: market.symbol, bidPrice: bids[0]?.[0] ?? '0', bidQty: bids[0]?.[1] ?? '0', askPrice: asks[0]![0], askQty: asks[0]![1], time: timeMs, lastUpdateId };
}

/** One row of GET /fapi/v1/fundingRate. */
export interface FundingRow {
  readonly symbol: string;
  readonly fundingTime: number;
  readonly fundingRate: Rate;
  readonly markPrice: Price | undefined;
}

export function fundingRateJson(row: FundingRow) {
  return { symbol: row.symbol, fundingTime: row.fundingTime, fundingRate: formatFixed(row.fundingRate), markPrice: row.markPrice !== undefined ? formatFixed(row.markPrice) : '' };
}
