// Orders, conditional (algo) orders and trades in Binance's REST shapes, from the engine's history
// (src/engine/history.ts). The plain order and trade shapes are src/views/orders.ts's (the ones
// `perpguard run --json` prints); this module adds what the endpoints differ in: the POST response
// (cumQty, no `time`; ACK or RESULT), the split between /fapi/v1/order and the Algo API, and the algo
// order shape (Binance "New Algo Order" / "Query Algo Order" response fields, and the ones ccxt reads:
// ../shared/reference/binance-api-clients.md §1 "algo order").
import { formatFixed, zero, type Fixed } from '../../domain/fixed.ts';
import { keptOrders, orderOf, ordersOf, openOrdersOf, tradesOf, type OrderQuery, type OrderRecord, type TradeQuery } from '../../engine/history.ts';
import { marketOf, type EngineState } from '../../engine/state.ts';
import { orderJson, tradeJson, type BinanceOrderJson, type BinanceTradeJson } from '../../views/orders.ts';
import { binanceError, type BinanceError } from './errors.ts';
import type { RespType } from './order-request.ts';

/** Conditional orders live in Binance's Algo API; the others in /fapi/v1/order. */
export const isAlgo = (o: Pick<OrderRecord, 'type'>): boolean => o.type === 'stop_market' || o.type === 'take_profit_market';

const kindOf = (state: EngineState, symbol: string) => marketOf(state, symbol)?.kind ?? 'linear';

/** Binance's order types, upper case (the view's names, ../../views/orders.ts). */
const ORDER_TYPES: Record<OrderRecord['type'], string> = { market: 'MARKET', limit: 'LIMIT', stop_market: 'STOP_MARKET', take_profit_market: 'TAKE_PROFIT_MARKET' };

/** formatFixed, with zero (an ACK's executed figures, a market order's price) answered without the bigint division. */
const decimalText = <U extends string>(x: Fixed<U>): string => ((x as unknown as bigint) === 0n ? '0' : formatFixed(x));

/**
 * The POST /fapi/v1/order response. RESULT: the order as it ended up (a market order FILLED with its
 * avgPrice, executedQty and cumQuote). ACK: the order as accepted, before it traded (NEW, nothing
 * executed), as Binance acknowledges it. Binance's response has `cumQty` and no `time`.
 * A linear market's is built in one object literal, field for field the view's orderJson
 * (../../views/orders.ts; the test compares the two) without `time`: every placement answers with it,
 * and copying the record, the view's object and then its rest (three copies, seven decimal formats)
 * cost more than the HMAC check per order (bench/orders.ts). COIN-M's takes the view's way.
 */
export function newOrderResponse(record: OrderRecord, respType: RespType, kind: 'linear' | 'inverse' = 'linear'): Omit<BinanceOrderJson, 'time'> & { cumQty: string } {
  if (kind === 'inverse') return viewResponse(record, respType, kind);
  const result = respType === 'RESULT';
  const executedQty = result ? decimalText(record.executedQty) : '0';
  const type = ORDER_TYPES[record.type];
  return {
    orderId: record.orderId,
    symbol: record.symbol,
    status: result ? record.status : 'NEW',
    clientOrderId: record.clientOrderId,
    price: record.price !== undefined ? decimalText(record.price) : '0',
    avgPrice: result ? decimalText(record.avgPrice) : '0',
    origQty: decimalText(record.quantity),
    executedQty,
    cumQuote: result ? decimalText(record.cumQuote) : '0',
    timeInForce: record.timeInForce,
    type,
    origType: type,
    reduceOnly: record.reduceOnly,
    closePosition: record.closePosition,
    side: record.side === 'buy' ? 'BUY' : 'SELL',
    positionSide: record.positionSide,
    stopPrice: record.stopPrice !== undefined ? decimalText(record.stopPrice) : '0',
    workingType: 'MARK_PRICE',
    priceProtect: false,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'NONE',
    goodTillDate: 0,
    updateTime: result ? record.updateTime : record.time,
    cumQty: executedQty,
  };
}

/** A JSON string literal: the text between quotes when JSON escapes none of it (every symbol and client id the requests allow), else JSON.stringify's. */
const PLAIN_JSON_TEXT = /^[\x20\x21\x23-\x5b\x5d-\x7e]*$/;
const jsonText = (text: string): string => (PLAIN_JSON_TEXT.test(text) ? `"${text}"` : JSON.stringify(text));
/** A JSON number as JSON.stringify writes it (a non-finite one is null). */
const jsonNumber = (x: number): string => (Number.isFinite(x) ? String(x) : 'null');

/**
 * JSON.stringify(newOrderResponse(record, respType, kind)), the same text (the test compares the two), written
 * field by field for a linear market: every placement answers with it, and the generic stringify of the
 * 24-field object cost ~3x this (bench/orders.ts); the decimals are digits, "-" and "." only.
 */
export function newOrderResponseJson(record: OrderRecord, respType: RespType, kind: 'linear' | 'inverse' = 'linear'): string {
  if (kind === 'inverse') return JSON.stringify(viewResponse(record, respType, kind));
  const result = respType === 'RESULT';
  const executedQty = result ? decimalText(record.executedQty) : '0';
  const type = jsonText(ORDER_TYPES[record.type]);
  return (
    `{"orderId":${jsonNumber(record.orderId)},"symbol":${jsonText(record.symbol)},"status":${jsonText(result ? record.status : 'NEW')},"clientOrderId":${jsonText(record.clientOrderId)}` +
    `,"price":"${record.price !== undefined ? decimalText(record.price) : '0'}","avgPrice":"${result ? decimalText(record.avgPrice) : '0'}","origQty":"${decimalText(record.quantity)}"` +
    `,"executedQty":"${executedQty}","cumQuote":"${result ? decimalText(record.cumQuote) : '0'}","timeInForce":${jsonText(record.timeInForce)},"type":${type},"origType":${type}` +
    `,"reduceOnly":${record.reduceOnly === true},"closePosition":${record.closePosition === true},"side":"${record.side === 'buy' ? 'BUY' : 'SELL'}","positionSide":${jsonText(record.positionSide)}` +
    `,"stopPrice":"${record.stopPrice !== undefined ? decimalText(record.stopPrice) : '0'}","workingType":"MARK_PRICE","priceProtect":false,"priceMatch":"NONE","selfTradePreventionMode":"NONE","goodTillDate":0` +
    `,"updateTime":${jsonNumber(result ? record.updateTime : record.time)},"cumQty":"${executedQty}"}`
  );
}

/** The POST response through the view's orderJson: the ACK form of the record, its JSON without `time`, cumQty. */
export function viewResponse(record: OrderRecord, respType: RespType, kind: 'linear' | 'inverse'): Omit<BinanceOrderJson, 'time'> & { cumQty: string } {
  const shown: OrderRecord = respType === 'RESULT' ? record : { ...record, status: 'NEW', executedQty: zero(), cumQuote: zero(), avgPrice: zero(), updateTime: record.time };
  const { time: _time, ...json } = orderJson(shown, kind);
  return { ...json, cumQty: formatFixed(shown.executedQty) };
}

/** The order an accepted command placed (its id was the state's nextOrderId before the command). */
export function placedOrder(state: EngineState, account: string, symbol: string, orderId: number): OrderRecord | undefined {
  return orderOf(state, account, symbol, { orderId });
}

/** GET /fapi/v1/order: one non-conditional order, or -2013 "Order does not exist." */
export function queryOrderJson(state: EngineState, account: string, symbol: string, id: { orderId?: number; clientOrderId?: string }): BinanceOrderJson | BinanceError {
  const found = orderOf(state, account, symbol, id);
  if (!found || isAlgo(found)) return binanceError('NO_SUCH_ORDER', [], `${id.orderId !== undefined ? `orderId: ${id.orderId}` : `origClientOrderId: ${id.clientOrderId}`} is not an order of ${symbol} kept for this account`);
  return orderJson(found, kindOf(state, symbol));
}

/** GET /fapi/v1/openOrder: one open non-conditional order, or -2013 when it is not open (any more). */
export function openOrderJson(state: EngineState, account: string, symbol: string, id: { orderId?: number; clientOrderId?: string }): BinanceOrderJson | BinanceError {
  const found = openOrdersOf(state, account, symbol).find((o) => !isAlgo(o) && (id.orderId !== undefined ? o.orderId === id.orderId : o.clientOrderId === id.clientOrderId));
  if (!found) return binanceError('NO_SUCH_ORDER', [], `${id.orderId !== undefined ? `orderId: ${id.orderId}` : `origClientOrderId: ${id.clientOrderId}`} is not an open order of ${symbol}`);
  return orderJson(found, kindOf(state, symbol));
}

/** GET /fapi/v1/openOrders: the open non-conditional orders, of one symbol when given. */
export function openOrdersJson(state: EngineState, account: string, symbol?: string): BinanceOrderJson[] {
  return openOrdersOf(state, account, symbol)
    .filter((o) => !isAlgo(o))
    .map((o) => orderJson(o, kindOf(state, o.symbol)));
}

/** GET /fapi/v1/allOrders: Binance's allOrders over what is kept (history.ts ordersOf), no conditional orders. */
export function allOrdersJson(state: EngineState, account: string, query: OrderQuery): BinanceOrderJson[] {
  return ordersOf(state, account, query)
    .filter((o) => !isAlgo(o))
    .map((o) => orderJson(o, kindOf(state, o.symbol)));
}

/** GET /fapi/v1/userTrades. */
export function userTradesJson(state: EngineState, account: string, query: TradeQuery): BinanceTradeJson[] {
  return tradesOf(state, account, query).map((t) => tradeJson(t, kindOf(state, t.symbol)));
}

// ------------------------------------------------------------------------------------------ algo orders

const ALGO_STATUS: Record<OrderRecord['status'], string> = {
  NEW: 'NEW',
  PARTIALLY_FILLED: 'TRIGGERED',
  // triggered and traded: the algo order is done, its order filled
  FILLED: 'FINISHED',
  CANCELED: 'CANCELED',
  // triggered, and the account could not take the order (or a reduce-only part was dropped)
  EXPIRED: 'EXPIRED',
};

export interface BinanceAlgoOrderJson {
  readonly algoId: number;
  readonly clientAlgoId: string;
  readonly algoType: 'CONDITIONAL';
  readonly orderType: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly positionSide: string;
  readonly timeInForce: string;
  readonly quantity: string;
  readonly algoStatus: string;
  readonly triggerPrice: string;
  readonly price: string;
  readonly icebergQuantity: null;
  readonly selfTradePreventionMode: 'NONE';
  readonly workingType: 'MARK_PRICE';
  readonly priceMatch: 'NONE';
  readonly closePosition: boolean;
  readonly priceProtect: false;
  readonly reduceOnly: boolean;
  readonly createTime: number;
  readonly updateTime: number;
  /** When it triggered (0: not yet). */
  readonly triggerTime: number;
  readonly goodTillDate: 0;
  /** The order it became once triggered, and that order's average price ("" before). */
  readonly actualOrderId: string;
  readonly actualPrice: string;
}

/**
 * A conditional order as Binance's Algo API reports it. The engine keeps one id for the conditional order
 * and the market order it becomes, so algoId and actualOrderId are the same number once triggered.
 */
export function algoOrderJson(o: OrderRecord): BinanceAlgoOrderJson {
  const triggered = o.status === 'FILLED' || o.status === 'EXPIRED' || o.status === 'PARTIALLY_FILLED';
  const type = o.type === 'stop_market' ? 'STOP_MARKET' : 'TAKE_PROFIT_MARKET';
  return {
    algoId: o.orderId,
    clientAlgoId: o.clientOrderId,
    algoType: 'CONDITIONAL',
    orderType: type,
    symbol: o.symbol,
    side: o.side === 'buy' ? 'BUY' : 'SELL',
    positionSide: o.positionSide,
    timeInForce: o.timeInForce,
    quantity: formatFixed(o.quantity),
    algoStatus: ALGO_STATUS[o.status],
    triggerPrice: o.stopPrice !== undefined ? formatFixed(o.stopPrice) : '0',
    price: '0',
    icebergQuantity: null,
    selfTradePreventionMode: 'NONE',
    workingType: 'MARK_PRICE',
    priceMatch: 'NONE',
    closePosition: o.closePosition,
    priceProtect: false,
    reduceOnly: o.reduceOnly,
    createTime: o.time,
    updateTime: o.updateTime,
    triggerTime: triggered ? o.updateTime : 0,
    goodTillDate: 0,
    actualOrderId: triggered ? String(o.orderId) : '',
    actualPrice: o.status === 'FILLED' ? formatFixed(o.avgPrice) : '',
  };
}

/** The POST /fapi/v1/algoOrder response: the algo order as accepted (ACK) or as it is now (RESULT). */
export function newAlgoOrderResponse(record: OrderRecord, respType: RespType): BinanceAlgoOrderJson {
  return algoOrderJson(respType === 'RESULT' ? record : { ...record, status: 'NEW', updateTime: record.time });
}

/** GET /fapi/v1/algoOrder: one conditional order by algoId or clientAlgoId (of `symbol` when given), or -2013. */
export function queryAlgoOrderJson(state: EngineState, account: string, id: { symbol?: string; algoId?: number; clientAlgoId?: string }): BinanceAlgoOrderJson | BinanceError {
  const matches = (o: OrderRecord) => isAlgo(o) && (id.symbol === undefined || o.symbol === id.symbol) && (id.algoId !== undefined ? o.orderId === id.algoId : o.clientOrderId === id.clientAlgoId);
  const open = openOrdersOf(state, account).find(matches);
  const found = open ?? [...keptOrders(state, account)].reverse().find(matches);
  if (!found) return binanceError('NO_SUCH_ORDER', [], `${id.algoId !== undefined ? `algoId: ${id.algoId}` : `clientAlgoId: ${id.clientAlgoId}`} is not a conditional order kept for this account`);
  return algoOrderJson(found);
}

/** GET /fapi/v1/openAlgoOrders. */
export function openAlgoOrdersJson(state: EngineState, account: string, symbol?: string): BinanceAlgoOrderJson[] {
  return openOrdersOf(state, account, symbol).filter(isAlgo).map(algoOrderJson);
}

/** GET /fapi/v1/allAlgoOrders: the kept conditional orders of a symbol (same paging rules as allOrders). */
export function allAlgoOrdersJson(state: EngineState, account: string, query: OrderQuery): BinanceAlgoOrderJson[] {
  return ordersOf(state, account, query).filter(isAlgo).map(algoOrderJson);
}

/** DELETE /fapi/v1/algoOrder's answer (Binance "Cancel Algo Order" response). */
export function algoCanceledJson(record: Pick<OrderRecord, 'orderId' | 'clientOrderId'>) {
  return { algoId: record.orderId, clientAlgoId: record.clientOrderId, code: '200', msg: 'success' };
}

/** DELETE /fapi/v1/allOpenOrders's and DELETE /fapi/v1/algoOpenOrders's answer. */
export const ALL_CANCELED = { code: 200, msg: 'The operation of cancel all open order is done.' } as const;
