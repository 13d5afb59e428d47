// The parameters of Binance's read endpoints, parsed into the engine's history queries
// (src/engine/history.ts OrderQuery/TradeQuery) with Binance's refusals: GET /fapi/v1/order,
// /fapi/v1/allOrders, /fapi/v1/userTrades, /fapi/v1/algoOrder, /fapi/v1/allAlgoOrders, and the endpoints
// that take an optional symbol (openOrders, positionRisk, symbolConfig, leverageBracket, premiumIndex...).
// Rules from each endpoint's page (developers.binance.com/docs/derivatives/usds-margined-futures/trade/
// rest-api): allOrders and userTrades need a symbol, limit is at most 1000, startTime after endTime is
// -1023, userTrades' window is at most 7 days and fromId cannot be sent with a time window.
import { MAX_LIMIT, WINDOW_MS, type OrderQuery, type TradeQuery } from '../../engine/history.ts';
import type { EngineState } from '../../engine/state.ts';
import { binanceError } from './errors.ts';
import { read, type ParamMap, type Reader } from './params.ts';
import { tradedMarket } from './symbols.ts';

/** The symbol parameter (required or not), refused with -1121 unless the venue trades it. */
export function symbolOf(r: Reader, state: EngineState, required: boolean): string | undefined {
  const symbol = required ? r.requiredSymbol() : r.symbol();
  if (symbol !== undefined && !tradedMarket(state, symbol)) r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
  return symbol;
}

/** startTime, endTime (ms) and limit (1..1000) with Binance's checks. */
function windowOf(r: Reader) {
  const startTime = r.integer('startTime');
  const endTime = r.integer('endTime');
  if (startTime !== undefined && endTime !== undefined && startTime > endTime) r.refuse(binanceError('START_AFTER_END', [], `startTime: ${startTime} is after endTime ${endTime}`));
  const limit = r.integer('limit');
  if (limit !== undefined && (limit < 1 || limit > MAX_LIMIT)) r.refuse(binanceError('INVALID_PARAMETER', ['limit'], `limit: must be 1 to ${MAX_LIMIT}, got ${limit}`));
  return { ...(startTime !== undefined ? { startTime } : {}), ...(endTime !== undefined ? { endTime } : {}), ...(limit !== undefined ? { limit } : {}) };
}

/** Endpoints whose only parameter is an optional (or required) symbol. */
export function symbolRequest(params: ParamMap, state: EngineState, required = false) {
  return read(params, (r) => symbolOf(r, state, required));
}

/** GET /fapi/v1/order: symbol, orderId or origClientOrderId. */
export function orderQueryRequest(params: ParamMap, state: EngineState) {
  return read(params, (r) => {
    const symbol = symbolOf(r, state, true)!;
    const orderId = r.integer('orderId');
    const clientOrderId = r.clientId('origClientOrderId');
    if (orderId === undefined && clientOrderId === undefined) r.refuse(binanceError('EITHER_PARAM', ['orderId', 'origClientOrderId'], 'orderId: send orderId or origClientOrderId'));
    return { symbol, id: orderId !== undefined ? { orderId } : { clientOrderId: clientOrderId! } };
  });
}

/** GET /fapi/v1/allOrders: symbol, orderId, startTime, endTime, limit. */
export function allOrdersRequest(params: ParamMap, state: EngineState) {
  return read(params, (r): OrderQuery => {
    const symbol = symbolOf(r, state, true)!;
    const orderId = r.integer('orderId');
    return { symbol, ...(orderId !== undefined ? { orderId } : {}), ...windowOf(r) };
  });
}

/** GET /fapi/v1/userTrades: symbol, orderId, startTime, endTime (at most 7 days apart), fromId, limit. */
export function userTradesRequest(params: ParamMap, state: EngineState) {
  return read(params, (r): TradeQuery => {
    const symbol = symbolOf(r, state, true)!;
    const orderId = r.integer('orderId');
    const fromId = r.integer('fromId');
    const window = windowOf(r);
    if (fromId !== undefined && (window.startTime !== undefined || window.endTime !== undefined)) {
      r.refuse(binanceError('INVALID_PARAMETER', ['fromId'], 'fromId: cannot be sent with startTime or endTime'));
    }
    if (window.startTime !== undefined && window.endTime !== undefined && window.endTime - window.startTime > WINDOW_MS) {
      r.refuse(binanceError('INVALID_PARAMETER', ['endTime'], `endTime: at most 7 days after startTime, got ${window.endTime - window.startTime} ms`));
    }
    return { symbol, ...(orderId !== undefined ? { orderId } : {}), ...(fromId !== undefined ? { fromId } : {}), ...window };
  });
}

/** GET /fapi/v1/algoOrder: algoId or clientAlgoId (a symbol, if sent, must be the order's: the caller checks). */
export function algoQueryRequest(params: ParamMap) {
  return read(params, (r) => {
    const symbol = r.symbol();
    const algoId = r.integer('algoId');
    const clientAlgoId = r.clientId('clientAlgoId');
    if (algoId === undefined && clientAlgoId === undefined) r.refuse(binanceError('EITHER_PARAM', ['algoId', 'clientAlgoId'], 'algoId: send algoId or clientAlgoId'));
    return { ...(symbol !== undefined ? { symbol } : {}), ...(algoId !== undefined ? { algoId } : { clientAlgoId: clientAlgoId! }) };
  });
}

/** GET /fapi/v1/allAlgoOrders: symbol, algoId (as allOrders' orderId), startTime, endTime, limit. */
export function allAlgoOrdersRequest(params: ParamMap, state: EngineState) {
  return read(params, (r): OrderQuery => {
    const symbol = symbolOf(r, state, true)!;
    const algoId = r.integer('algoId');
    // Binance pages this endpoint by `page` too; the kept history is one page of at most 1000
    const page = r.integer('page');
    if (page !== undefined && page !== 1) r.refuse(binanceError('INVALID_PARAMETER', ['page'], `page: the venue keeps one page (1); page through algoId or the time window, got ${page}`));
    return { symbol, ...(algoId !== undefined ? { orderId: algoId } : {}), ...windowOf(r) };
  });
}
