// The JSON of an order and of a trade as Binance's REST API returns them (GET /fapi/v1/order, openOrders,
// allOrders; GET /fapi/v1/userTrades; COIN-M's /dapi/v1 forms for inverse markets): Binance's field
// names, upper-case enums, numbers as decimal strings. `perpguard run --json` prints them and the
// paper-trading server serves them. Values are exact: every digit the engine holds, trailing zeros
// trimmed ("0.25", not Binance's padded "0.25000000"); clients parse them as numbers.
import { formatFixed } from '../domain/fixed.ts';
import { keptOrders, keptTrades, openOrdersOf, type OrderRecord, type Trade } from '../engine/history.ts';
import { marketOf, type EngineState, type OrderType } from '../engine/state.ts';
import type { Market } from '../exchanges/rules.ts';

type ContractKind = Market['kind'];

const TYPES: Record<OrderType, string> = { market: 'MARKET', limit: 'LIMIT', stop_market: 'STOP_MARKET', take_profit_market: 'TAKE_PROFIT_MARKET' };
const side = (s: 'buy' | 'sell'): 'BUY' | 'SELL' => (s === 'buy' ? 'BUY' : 'SELL');
/** COIN-M names the pair beside the symbol: BTCUSD_PERP trades the pair BTCUSD. */
const pairOf = (symbol: string): string => symbol.split('_')[0]!;

/**
 * An order as Binance reports it. Inverse markets report `cumBase` (the coin value traded) and `pair`
 * instead of `cumQuote`, as COIN-M does. `price` and `stopPrice` are "0" when the order has none, as
 * Binance prints them; `workingType` is MARK_PRICE because the engine triggers stops on the mark.
 */
export interface BinanceOrderJson {
  readonly orderId: number;
  readonly symbol: string;
  /** COIN-M only. */
  readonly pair?: string;
  readonly status: OrderRecord['status'];
  readonly clientOrderId: string;
  readonly price: string;
  readonly avgPrice: string;
  readonly origQty: string;
  readonly executedQty: string;
  /** USDⓈ-M: quote traded. */
  readonly cumQuote?: string;
  /** COIN-M: coin value traded. */
  readonly cumBase?: string;
  readonly timeInForce: string;
  readonly type: string;
  readonly origType: string;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly side: 'BUY' | 'SELL';
  readonly positionSide: string;
  readonly stopPrice: string;
  readonly workingType: 'MARK_PRICE';
  readonly priceProtect: boolean;
  readonly priceMatch: 'NONE';
  readonly selfTradePreventionMode: 'NONE';
  readonly goodTillDate: number;
  readonly time: number;
  readonly updateTime: number;
}

export interface BinanceTradeJson {
  readonly id: number;
  readonly orderId: number;
  readonly symbol: string;
  /** COIN-M only. */
  readonly pair?: string;
  readonly marginAsset?: string;
  readonly side: 'BUY' | 'SELL';
  readonly positionSide: string;
  readonly price: string;
  readonly qty: string;
  /** USDⓈ-M: qty x price. */
  readonly quoteQty?: string;
  /** COIN-M: the coin value. */
  readonly baseQty?: string;
  readonly realizedPnl: string;
  readonly commission: string;
  readonly commissionAsset: string;
  readonly maker: boolean;
  readonly buyer: boolean;
  readonly time: number;
}

export function orderJson(o: OrderRecord, kind: ContractKind): BinanceOrderJson {
  return {
    orderId: o.orderId,
    symbol: o.symbol,
    ...(kind === 'inverse' ? { pair: pairOf(o.symbol) } : {}),
    status: o.status,
    clientOrderId: o.clientOrderId,
    price: o.price !== undefined ? formatFixed(o.price) : '0',
    avgPrice: formatFixed(o.avgPrice),
    origQty: formatFixed(o.quantity),
    executedQty: formatFixed(o.executedQty),
    ...(kind === 'inverse' ? { cumBase: formatFixed(o.cumQuote) } : { cumQuote: formatFixed(o.cumQuote) }),
    timeInForce: o.timeInForce,
    type: TYPES[o.type],
    origType: TYPES[o.type],
    reduceOnly: o.reduceOnly,
    closePosition: o.closePosition,
    side: side(o.side),
    positionSide: o.positionSide,
    stopPrice: o.stopPrice !== undefined ? formatFixed(o.stopPrice) : '0',
    workingType: 'MARK_PRICE' as const,
    priceProtect: false,
    priceMatch: 'NONE' as const,
    selfTradePreventionMode: 'NONE' as const,
    goodTillDate: 0,
    time: o.time,
    updateTime: o.updateTime,
  };
}

/**
 * A trade as Binance's userTrades reports it. Linear: `quoteQty` = qty x price. Inverse (COIN-M):
 * `baseQty`, the coin value, with `marginAsset` and `pair`.
 */
export function tradeJson(t: Trade, kind: ContractKind): BinanceTradeJson {
  return {
    id: t.id,
    orderId: t.orderId,
    symbol: t.symbol,
    ...(kind === 'inverse' ? { pair: pairOf(t.symbol), marginAsset: t.commissionAsset } : {}),
    side: side(t.side),
    positionSide: t.positionSide,
    price: formatFixed(t.price),
    qty: formatFixed(t.qty),
    ...(kind === 'inverse' ? { baseQty: formatFixed(t.quoteQty) } : { quoteQty: formatFixed(t.quoteQty) }),
    realizedPnl: formatFixed(t.realizedPnl),
    commission: formatFixed(t.commission),
    commissionAsset: t.commissionAsset,
    maker: t.maker,
    buyer: t.buyer,
    time: t.time,
  };
}

/**
 * An account's open orders, and every order and trade it keeps (all symbols, all times, oldest first),
 * in Binance's shapes: what `perpguard run --json` prints beside the state.
 */
export function accountOrdersJson(state: EngineState, account: string) {
  const kind = (symbol: string): ContractKind => marketOf(state, symbol)?.kind ?? 'linear';
  return {
    openOrders: openOrdersOf(state, account).map((o) => orderJson(o, kind(o.symbol))),
    // all of them, not one query's page: the kept finished orders (up to 1,000) and the open ones
    orders: [...openOrdersOf(state, account), ...keptOrders(state, account)]
      .sort((a, b) => a.orderId - b.orderId)
      .map((o) => orderJson(o, kind(o.symbol))),
    trades: keptTrades(state, account).map((t) => tradeJson(t, kind(t.symbol))),
  };
}
