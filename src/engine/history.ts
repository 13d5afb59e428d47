// What a server reports about the past: every order as Binance reports it (status, executed quantity,
// average price, cumulative quote, update time), the trades, and the ids and times that make a log
// replayable. During a command the transitions collect finished orders and trades in the Ctx
// (ctx.finished, ctx.trades); commit() adds them to the state once apply() has accepted the command, so a
// refused command leaves no trace. The history is bounded per account (ORDERS_KEPT, TRADES_KEPT).
import { zero, type Money, type Price, type Quantity } from '../domain/fixed.ts';
import { legNotional, type Market, type PositionSide } from '../exchanges/rules.ts';
import type { Ctx } from './context.ts';
import type { EngineEvent } from './events.ts';
import type { Transfer } from './ledger.ts';
import { type EngineState, type OrderSide, type OrderState, type OrderType, type TimeInForce } from './state.ts';

/**
 * Binance's order statuses. An order rests as NEW; it ends FILLED (all of it traded), CANCELED (by its
 * owner, or by a liquidation of its margin scope) or EXPIRED (IOC/FOK not marketable; a triggered order
 * the account could not take; a reduce-only order whose part beyond the position was dropped, with the
 * part that traded in executedQty). PARTIALLY_FILLED is an open order that has traded part of its
 * quantity: this engine never leaves one (a fill takes the whole order at one price, or the capped
 * reduce-only remainder expires at once), so it is part of the type for the server's sake only.
 */
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';

/** An order and what became of it (Binance GET /fapi/v1/order's fields, exact values). */
export interface OrderRecord {
  readonly account: string;
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  /** origQty: 0 for a closePosition order (it closes whatever the position holds when it triggers). */
  readonly quantity: Quantity;
  readonly price?: Price;
  readonly stopPrice?: Price;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly positionSide: PositionSide;
  /** Placement time (epoch ms). */
  readonly time: number;
  /** Time of the last change: placement, the fill, the cancel or the expiry. */
  readonly updateTime: number;
  readonly status: OrderStatus;
  readonly executedQty: Quantity;
  /**
   * Linear: Σ qty × price in the quote asset (Binance cumQuote). Inverse: Σ contracts × contract size /
   * price in the coin (Binance COIN-M cumBase), half-even at the 18th decimal like every coin value.
   */
  readonly cumQuote: Money;
  /**
   * The average fill price, 0 when nothing traded. Every order here trades once, at one price, so this is
   * that price exactly (no rounding); Binance prints it as a decimal string, the view prints every digit.
   */
  readonly avgPrice: Price;
  /** True for the orders a liquidation places (client id `autoclose-…`, as Binance names them). */
  readonly liquidation: boolean;
}

/** One trade of an account (Binance GET /fapi/v1/userTrades's fields, exact values). */
export interface Trade {
  readonly id: number;
  readonly account: string;
  readonly orderId: number;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly positionSide: PositionSide;
  readonly price: Price;
  readonly qty: Quantity;
  /** Linear: qty × price (quoteQty). Inverse: the coin value qty × contract size / price (COIN-M baseQty). */
  readonly quoteQty: Money;
  /** PnL this trade realized (the ledger's realizedPnl transfer), 0 for an opening trade. */
  readonly realizedPnl: Money;
  /** The fee the ledger took (negative: a maker rebate paid); 0 for liquidation trades (their clearance fee goes to the insurance fund). */
  readonly commission: Money;
  readonly commissionAsset: string;
  readonly maker: boolean;
  readonly buyer: boolean;
  readonly time: number;
}

export interface AccountHistory {
  /** Finished orders, oldest first (by the time they finished). */
  readonly orders: readonly OrderRecord[];
  /** Trades, oldest first (by id). */
  readonly trades: readonly Trade[];
}

/**
 * How much history an account keeps: its newest 1,000 finished orders and 1,000 trades. 1,000 is the
 * most Binance's allOrders and userTrades return in one call (their `limit` maximum), so a client's one
 * query (and a page by fromId / orderId from anything kept) is answered in full, while memory per account
 * stays fixed however long the process runs. Older entries are dropped, oldest first; open orders are not
 * history and are always kept.
 */
export const ORDERS_KEPT = 1000;
export const TRADES_KEPT = 1000;

// ---------------------------------------------------------------------------------- during a command

/** The record of an order finishing now: `fill` is what it traded (none for a cancel or a plain expiry). */
export function finishOrder(
  ctx: Ctx,
  account: string,
  order: Omit<OrderState, 'reserved'>,
  status: Exclude<OrderStatus, 'NEW' | 'PARTIALLY_FILLED'>,
  fill?: { readonly quantity: Quantity; readonly price: Price; readonly market: Market },
  liquidation = false,
): void {
  ctx.finished.push({
    ...recordOf(account, order, status, ctx.state.time),
    ...(fill ? { executedQty: fill.quantity, cumQuote: legNotional({ size: fill.quantity, market: fill.market }, fill.price), avgPrice: fill.price } : {}),
    liquidation,
  });
}

/** Records a trade (the next trade id); returns it. */
export function recordTrade(ctx: Ctx, trade: Omit<Trade, 'id' | 'time' | 'quoteQty' | 'buyer' | 'commissionAsset'>, market: Market): Trade {
  const t: Trade = {
    id: ctx.state.nextTradeId,
    ...trade,
    quoteQty: legNotional({ size: trade.qty, market }, trade.price),
    commissionAsset: market.settleAsset,
    buyer: trade.side === 'buy',
    time: ctx.state.time,
  };
  ctx.state.nextTradeId += 1;
  ctx.trades.push(t);
  return t;
}

function recordOf(account: string, order: Omit<OrderState, 'reserved'>, status: OrderStatus, updateTime: number): OrderRecord {
  const { orderId, clientOrderId, symbol, side, type, quantity, price, stopPrice, timeInForce, reduceOnly, closePosition, positionSide, time } = order;
  return {
    account,
    orderId,
    clientOrderId,
    symbol,
    side,
    type,
    quantity,
    ...(price !== undefined ? { price } : {}),
    ...(stopPrice !== undefined ? { stopPrice } : {}),
    timeInForce,
    reduceOnly,
    closePosition,
    positionSide,
    time,
    updateTime,
    status,
    executedQty: zero(),
    cumQuote: zero(),
    avgPrice: zero(),
    liquidation: false,
  };
}

// ---------------------------------------------------------------------------------- commit

/**
 * The accepted command's effects on the log: every event and transfer stamped with the command's time,
 * transfers numbered from the state's counter, finished orders and trades kept. Called once, from
 * apply()'s accepted branch, on the state apply() returns.
 */
export function commit(state: EngineState, ctx: Ctx): { events: EngineEvent[]; transfers: Transfer[] } {
  const time = state.time;
  // the events are this command's own fresh objects: stamping them in place saves a copy of each
  for (const e of ctx.events) (e as { time?: number }).time = time;
  let seq = state.nextTransferId;
  const transfers = ctx.transfers.map((t): Transfer => ({ seq: seq++, ...t, time }));
  state.nextTransferId = seq;
  if (ctx.finished.length > 0 || ctx.trades.length > 0) keep(state, ctx.finished, ctx.trades);
  return { events: ctx.events as EngineEvent[], transfers };
}

/**
 * Appends to each account's history. Copy on write per account (new arrays, the old ones untouched, so a
 * state that apply() returned earlier and that shares them never changes); the copy costs O(kept) for an
 * account that traded, nothing for the others. The `history` record itself is the state's own (cloneState
 * copies it; a state mutated in place owns it), so only the accounts that traded are replaced.
 */
function keep(state: EngineState, finished: readonly OrderRecord[], trades: readonly Trade[]): void {
  const accounts = new Set([...finished.map((o) => o.account), ...trades.map((t) => t.account)]);
  for (const account of accounts) {
    const before = state.history[account] ?? { orders: [], trades: [] };
    state.history[account] = {
      orders: bounded(before.orders, finished.filter((o) => o.account === account), ORDERS_KEPT),
      trades: bounded(before.trades, trades.filter((t) => t.account === account), TRADES_KEPT),
    };
  }
}

function bounded<T>(old: readonly T[], added: readonly T[], limit: number): readonly T[] {
  if (added.length === 0) return old;
  const all = old.concat(added);
  return all.length > limit ? all.slice(all.length - limit) : all;
}
