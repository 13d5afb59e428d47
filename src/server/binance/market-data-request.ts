// The parameters of Binance's market-data endpoints with Binance's refusals: klines and markPriceKlines
// (symbol, interval, startTime, endTime, limit 1..1500, default 500), depth (symbol, limit one of
// 5/10/20/50/100/500/1000, default 500), fundingRate (optional symbol, startTime, endTime, limit 1..1000,
// default 100). Sources: Binance's "Kline/Candlestick Data", "Order Book" and "Get Funding Rate History"
// pages; -1120 is Binance's answer to an interval it does not list.
import type { EngineState } from '../../engine/state.ts';
import { isKlineInterval } from '../streams/candles.ts';
import { binanceError } from './errors.ts';
import { read, type ParamMap, type Reader } from './params.ts';
import { symbolOf } from './query-request.ts';
import { tradedMarket } from './symbols.ts';

export const KLINES_DEFAULT_LIMIT = 500;
export const KLINES_MAX_LIMIT = 1500;
export const DEPTH_LIMITS = [5, 10, 20, 50, 100, 500, 1000] as const;
export const DEPTH_DEFAULT_LIMIT = 500;
export const FUNDING_DEFAULT_LIMIT = 100;
export const FUNDING_MAX_LIMIT = 1000;

/** startTime and endTime (ms), -1023 when reversed. */
export function timesOf(r: Reader): { startTime: number | undefined; endTime: number | undefined } {
  const startTime = r.integer('startTime');
  const endTime = r.integer('endTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) r.refuse(binanceError('START_AFTER_END', [], `startTime: ${startTime} is after endTime ${endTime}`));
  return { startTime, endTime };
}

/** A limit in 1..max (default `fallback`), -1130 outside. */
export function limitOf(r: Reader, fallback: number, maxLimit: number): number {
  const limit = r.integer('limit') ?? fallback;
  if (limit < 1 || limit > maxLimit) r.refuse(binanceError('INVALID_PARAMETER', ['limit'], `limit: must be 1 to ${maxLimit}, got ${limit}`));
  return limit;
}

/** The time window and limit, the times left out when not sent. */
function windowOf(r: Reader, fallback: number, maxLimit: number) {
  const { startTime, endTime } = timesOf(r);
  return { ...(startTime !== undefined ? { startTime } : {}), ...(endTime !== undefined ? { endTime } : {}), limit: limitOf(r, fallback, maxLimit) };
}

/** GET /fapi/v1/klines and /fapi/v1/markPriceKlines; /fapi/v1/indexPriceKlines names its symbol `pair`. */
export function klinesRequest(params: ParamMap, state: EngineState, symbolName: 'symbol' | 'pair' = 'symbol') {
  return read(params, (r) => {
    const symbol = r.requiredSymbol(symbolName);
    if (!tradedMarket(state, symbol)) r.refuse(binanceError('BAD_SYMBOL', [], `${symbolName}: ${symbol} is not a market of this venue`));
    const interval = r.requiredString('interval');
    if (!isKlineInterval(interval)) r.refuse(binanceError('BAD_INTERVAL', [], `interval: must be one of 1m 3m 5m 15m 30m 1h 2h 4h 6h 8h 12h 1d 3d 1w 1M, got "${interval}"`));
    return { symbol, interval, ...windowOf(r, KLINES_DEFAULT_LIMIT, KLINES_MAX_LIMIT) };
  });
}

/** GET /fapi/v1/depth. */
export function depthRequest(params: ParamMap, state: EngineState) {
  return read(params, (r) => {
    const symbol = symbolOf(r, state, true)!;
    const limit = r.integer('limit') ?? DEPTH_DEFAULT_LIMIT;
    if (!(DEPTH_LIMITS as readonly number[]).includes(limit)) r.refuse(binanceError('INVALID_PARAMETER', ['limit'], `limit: must be one of ${DEPTH_LIMITS.join(', ')}, got ${limit}`));
    return { symbol, limit };
  });
}

/** GET /fapi/v1/fundingRate. */
export function fundingRateRequest(params: ParamMap, state: EngineState) {
  return read(params, (r) => ({ symbol: symbolOf(r, state, false), ...windowOf(r, FUNDING_DEFAULT_LIMIT, FUNDING_MAX_LIMIT) }));
}
