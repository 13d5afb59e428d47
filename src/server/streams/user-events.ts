// The messages of Binance USDⓈ-M's user data stream, one builder per event type, from the engine's own
// records: ORDER_TRADE_UPDATE, ALGO_UPDATE, ACCOUNT_UPDATE, MARGIN_CALL, ACCOUNT_CONFIG_UPDATE and
// listenKeyExpired. Field names, value kinds and enums are Binance's ("User Data Streams", developers.binance.com
// /docs/derivatives/usds-margined-futures/user-data-streams/...); what ccxt.pro and the `binance` package read
// of them is ../shared/reference/binance-api-clients.md §4. Numbers are decimal strings holding every digit the
// engine holds, trailing zeros trimmed (as the REST views print them, ../../views/orders.ts); ids and times
// (epoch ms) are JSON numbers. Pure: which events a command produces, and in which order, is ./user-stream.ts.
import { formatFixed, type Money, type Price, type Quantity } from '../../domain/fixed.ts';
import type { OrderRecord, OrderStatus, Trade } from '../../engine/history.ts';
import type { OrderType } from '../../engine/state.ts';

/** Binance's order type names, as REST prints them (../../views/orders.ts uses the same). */
export const ORDER_TYPES: Record<OrderType, 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'TAKE_PROFIT_MARKET'> = {
  market: 'MARKET',
  limit: 'LIMIT',
  stop_market: 'STOP_MARKET',
  take_profit_market: 'TAKE_PROFIT_MARKET',
};

/** Stop and take-profit orders: ccxt places them through /fapi/v1/algoOrder, so they live as algo orders. */
export const isConditional = (type: OrderType): boolean => type === 'stop_market' || type === 'take_profit_market';

/**
 * Binance's execution types. CALCULATED is a liquidation's execution; AMENDMENT (an order modified) never
 * happens here (the engine has no order amendment).
 */
export type ExecutionType = 'NEW' | 'CANCELED' | 'CALCULATED' | 'EXPIRED' | 'TRADE' | 'AMENDMENT';

/** The `o` object of ORDER_TRADE_UPDATE (USDⓈ-M "Event: Order Update"). */
export interface OrderUpdateBody {
  readonly s: string;
  readonly c: string;
  readonly S: 'BUY' | 'SELL';
  readonly o: string;
  readonly f: string;
  readonly q: string;
  readonly p: string;
  readonly ap: string;
  readonly sp: string;
  readonly x: ExecutionType;
  readonly X: OrderStatus;
  readonly i: number;
  readonly l: string;
  readonly z: string;
  readonly L: string;
  /** Commission asset and amount: only on an execution that traded ("will not push if no commission"). */
  readonly N?: string;
  readonly n?: string;
  readonly T: number;
  readonly t: number;
  readonly b: string;
  readonly a: string;
  readonly m: boolean;
  readonly R: boolean;
  readonly wt: 'MARK_PRICE';
  readonly ot: string;
  readonly ps: string;
  readonly cp: boolean;
  readonly rp: string;
  readonly pP: boolean;
  readonly si: number;
  readonly ss: number;
  readonly V: 'NONE';
  readonly pm: 'NONE';
  readonly gtd: number;
}

export interface OrderTradeUpdate {
  readonly e: 'ORDER_TRADE_UPDATE';
  readonly E: number;
  readonly T: number;
  readonly o: OrderUpdateBody;
}

/** What one ORDER_TRADE_UPDATE reports beyond the order record: the execution and, for a trade, the trade. */
export interface Execution {
  readonly x: ExecutionType;
  /** The status this message reports (a trade of an order that then expires reports PARTIALLY_FILLED). */
  readonly X: OrderStatus;
  readonly trade?: Trade;
  /** Shown as the order's type: a triggered stop trades as MARKET, its `ot` keeps STOP_MARKET. */
  readonly shownType?: string;
  /** Shown as `ot` (default: the record's type). */
  readonly originalType?: string;
  /** The account's open buy and sell order notional on the symbol after the command (Binance's b and a). */
  readonly bidNotional: Money;
  readonly askNotional: Money;
}

const side = (s: 'buy' | 'sell'): 'BUY' | 'SELL' => (s === 'buy' ? 'BUY' : 'SELL');
const orZero = (x: Price | undefined): string => (x === undefined ? '0' : formatFixed(x));

/**
 * One ORDER_TRADE_UPDATE. A NEW message shows nothing executed (z "0", ap "0"); the others show the
 * record's executed quantity and average price (z, ap: an order trades once here, at one price, so the
 * record after the command is the order at that message); a TRADE or CALCULATED message also shows its
 * trade (l, L, t, N, n, rp, m).
 */
export function orderTradeUpdate(order: OrderRecord, execution: Execution, eventTimeMs: number, transactionTimeMs: number): OrderTradeUpdate {
  const trade = execution.x === 'TRADE' || execution.x === 'CALCULATED' ? execution.trade : undefined;
  const traded = trade !== undefined;
  const cumulative = execution.x !== 'NEW';
  const type = ORDER_TYPES[order.type];
  return {
    e: 'ORDER_TRADE_UPDATE',
    E: eventTimeMs,
    T: transactionTimeMs,
    o: {
      s: order.symbol,
      c: order.clientOrderId,
      S: side(order.side),
      o: execution.shownType ?? type,
      f: order.timeInForce,
      q: formatFixed(order.quantity),
      p: orZero(order.price),
      ap: cumulative ? formatFixed(order.avgPrice) : '0',
      sp: orZero(order.stopPrice),
      x: execution.x,
      X: execution.X,
      i: order.orderId,
      l: traded ? formatFixed(trade.qty) : '0',
      z: cumulative ? formatFixed(order.executedQty) : '0',
      L: traded ? formatFixed(trade.price) : '0',
      ...(traded ? { N: trade.commissionAsset, n: formatFixed(trade.commission) } : {}),
      T: transactionTimeMs,
      t: traded ? trade.id : 0,
      b: formatFixed(execution.bidNotional),
      a: formatFixed(execution.askNotional),
      m: traded ? trade.maker : false,
      R: order.reduceOnly,
      // the engine triggers stops on the mark (REST's workingType says the same, ../../views/orders.ts)
      wt: 'MARK_PRICE',
      ot: execution.originalType ?? type,
      ps: order.positionSide,
      cp: order.closePosition,
      rp: traded ? formatFixed(trade.realizedPnl) : '0',
      pP: false,
      si: 0,
      ss: 0,
      V: 'NONE',
      pm: 'NONE',
      gtd: 0,
    },
  };
}

/** Binance's algo statuses ("Event: Algo Order Update"). */
export type AlgoStatus = 'NEW' | 'CANCELED' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'REJECTED' | 'EXPIRED';

export interface AlgoUpdate {
  readonly e: 'ALGO_UPDATE';
  readonly E: number;
  readonly T: number;
  readonly o: {
    readonly caid: string;
    readonly aid: number;
    readonly at: 'CONDITIONAL';
    readonly o: string;
    readonly s: string;
    readonly S: 'BUY' | 'SELL';
    readonly ps: string;
    readonly f: string;
    readonly q: string;
    readonly X: AlgoStatus;
    /** The order the trigger placed in the matching engine ("" before it triggered). */
    readonly ai: string;
    readonly ap: string;
    readonly aq: string;
    readonly act: string;
    readonly tp: string;
    readonly p: string;
    readonly V: 'NONE';
    readonly wt: 'MARK_PRICE';
    readonly pm: 'NONE';
    readonly cp: boolean;
    readonly pP: boolean;
    readonly R: boolean;
    readonly tt: number;
    readonly gtd: number;
    readonly rm: string;
  };
}

/**
 * One ALGO_UPDATE of a conditional order. The engine keeps one id for the conditional order and the
 * market order its trigger places, so `aid` and `ai` are the same number: ccxt files both under one order.
 */
export function algoUpdate(
  order: OrderRecord,
  status: AlgoStatus,
  eventTimeMs: number,
  transactionTimeMs: number,
  detail: { readonly triggered?: boolean; readonly reason?: string } = {},
): AlgoUpdate {
  const inMatching = detail.triggered === true;
  const finished = status === 'FINISHED';
  return {
    e: 'ALGO_UPDATE',
    E: eventTimeMs,
    T: transactionTimeMs,
    o: {
      caid: order.clientOrderId,
      aid: order.orderId,
      at: 'CONDITIONAL',
      o: ORDER_TYPES[order.type],
      s: order.symbol,
      S: side(order.side),
      ps: order.positionSide,
      f: order.timeInForce,
      q: formatFixed(order.quantity),
      X: status,
      ai: inMatching ? String(order.orderId) : '',
      ap: finished ? formatFixed(order.avgPrice) : '0',
      aq: finished ? formatFixed(order.executedQty) : '0',
      act: inMatching ? 'MARKET' : '0',
      tp: orZero(order.stopPrice),
      p: orZero(order.price),
      V: 'NONE',
      wt: 'MARK_PRICE',
      pm: 'NONE',
      cp: order.closePosition,
      pP: false,
      R: order.reduceOnly,
      tt: inMatching ? transactionTimeMs : 0,
      gtd: 0,
      rm: detail.reason ?? '',
    },
  };
}

/** Binance's ACCOUNT_UPDATE reasons (`a.m`) that this engine can cause. */
export type AccountUpdateReason = 'DEPOSIT' | 'WITHDRAW' | 'ORDER' | 'FUNDING_FEE' | 'MARGIN_TRANSFER' | 'MARGIN_TYPE_CHANGE';

export interface BalanceEntry {
  /** Asset. */
  readonly a: string;
  /** Wallet balance: the cross wallet plus the isolated wallets of the asset's positions. */
  readonly wb: string;
  /** Cross wallet balance. */
  readonly cw: string;
  /** Balance change except PnL and commission (deposits, withdrawals). */
  readonly bc: string;
}

export interface PositionEntry {
  readonly s: string;
  /** Signed position amount (negative: short). */
  readonly pa: string;
  readonly ep: string;
  readonly bep: string;
  /** Accumulated realized PnL (pre-fee). */
  readonly cr: string;
  readonly up: string;
  readonly mt: 'cross' | 'isolated';
  readonly iw: string;
  readonly ps: string;
  readonly ma: string;
}

export interface AccountUpdate {
  readonly e: 'ACCOUNT_UPDATE';
  readonly E: number;
  readonly T: number;
  readonly a: { readonly m: AccountUpdateReason; readonly B: readonly BalanceEntry[]; readonly P: readonly PositionEntry[] };
}

export function accountUpdate(reason: AccountUpdateReason, balances: readonly BalanceEntry[], positions: readonly PositionEntry[], eventTimeMs: number, transactionTimeMs: number): AccountUpdate {
  return { e: 'ACCOUNT_UPDATE', E: eventTimeMs, T: transactionTimeMs, a: { m: reason, B: balances, P: positions } };
}

/** One position of MARGIN_CALL's `p` (note the upper-case CROSSED / ISOLATED, unlike ACCOUNT_UPDATE's mt). */
export interface MarginCallPosition {
  readonly s: string;
  readonly ps: string;
  readonly pa: string;
  readonly mt: 'CROSSED' | 'ISOLATED';
  readonly iw: string;
  readonly mp: string;
  readonly up: string;
  readonly mm: string;
}

export interface MarginCall {
  readonly e: 'MARGIN_CALL';
  readonly E: number;
  /** Cross wallet balance: only with a cross margin call. */
  readonly cw?: string;
  readonly p: readonly MarginCallPosition[];
}

export function marginCall(positions: readonly MarginCallPosition[], eventTimeMs: number, crossWallet?: Money): MarginCall {
  return { e: 'MARGIN_CALL', E: eventTimeMs, ...(crossWallet !== undefined ? { cw: formatFixed(crossWallet) } : {}), p: positions };
}

/** A leverage change (Binance's ACCOUNT_CONFIG_UPDATE with `ac`: symbol and leverage). */
export interface AccountConfigUpdate {
  readonly e: 'ACCOUNT_CONFIG_UPDATE';
  readonly E: number;
  readonly T: number;
  readonly ac: { readonly s: string; readonly l: number };
}

export function accountConfigUpdate(symbol: string, leverage: number, eventTimeMs: number, transactionTimeMs: number): AccountConfigUpdate {
  return { e: 'ACCOUNT_CONFIG_UPDATE', E: eventTimeMs, T: transactionTimeMs, ac: { s: symbol, l: leverage } };
}

/**
 * The last message of a stream whose listenKey expired. Binance's current example prints E as a string
 * ("E": "1736996475556"); ccxt and the `binance` package ignore the event's body, so the number form
 * of every other event is kept.
 */
export interface ListenKeyExpired {
  readonly e: 'listenKeyExpired';
  readonly E: number;
  readonly listenKey: string;
}

export function listenKeyExpired(listenKey: string, eventTimeMs: number): ListenKeyExpired {
  return { e: 'listenKeyExpired', E: eventTimeMs, listenKey };
}

export type UserStreamMessage = OrderTradeUpdate | AlgoUpdate | AccountUpdate | MarginCall | AccountConfigUpdate | ListenKeyExpired;

/** The signed amount of a position as Binance prints `pa`. */
export function signedAmount(side: 1 | -1, size: Quantity): string {
  const text = formatFixed(size);
  return side === -1 && text !== '0' ? `-${text}` : text;
}
