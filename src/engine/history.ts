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
import { appended, findNewest, list, type Kept } from './kept.ts';
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
  /** The limit price (undefined: none, a market or stop order). */
  readonly price: Price | undefined;
  readonly stopPrice: Price | undefined;
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
  /** Finished orders, oldest first (by the time they finished): read them with keptOrders(). */
  readonly orders: Kept<OrderRecord>;
  /** Trades, oldest first (by id): read them with keptTrades(). */
  readonly trades: Kept<Trade>;
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
  const executed = fill ? { quantity: fill.quantity, quote: legNotional({ size: fill.quantity, market: fill.market }, fill.price), price: fill.price } : undefined;
  ctx.finished.push(recordOf(account, order, status, ctx.state.time, executed, liquidation));
}

/** Records a trade (the next trade id); returns it. */
export function recordTrade(ctx: Ctx, trade: Omit<Trade, 'id' | 'time' | 'quoteQty' | 'buyer' | 'commissionAsset'>, market: Market): Trade {
  // every field written out (no spread): one object shape for every trade, built on the hot path of a fill
  const t: Trade = {
    id: ctx.state.nextTradeId,
    account: trade.account,
    orderId: trade.orderId,
    symbol: trade.symbol,
    side: trade.side,
    positionSide: trade.positionSide,
    price: trade.price,
    qty: trade.qty,
    quoteQty: legNotional({ size: trade.qty, market }, trade.price),
    realizedPnl: trade.realizedPnl,
    commission: trade.commission,
    commissionAsset: market.settleAsset,
    maker: trade.maker,
    buyer: trade.side === 'buy',
    time: ctx.state.time,
  };
  ctx.state.nextTradeId += 1;
  ctx.trades.push(t);
  return t;
}

function recordOf(
  account: string,
  order: Omit<OrderState, 'reserved'>,
  status: OrderStatus,
  updateTime: number,
  executed?: { readonly quantity: Quantity; readonly quote: Money; readonly price: Price },
  liquidation = false,
): OrderRecord {
  return {
    account,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    side: order.side,
    type: order.type,
    quantity: order.quantity,
    price: order.price,
    stopPrice: order.stopPrice,
    timeInForce: order.timeInForce,
    reduceOnly: order.reduceOnly,
    closePosition: order.closePosition,
    positionSide: order.positionSide,
    time: order.time,
    updateTime,
    status,
    executedQty: executed?.quantity ?? zero(),
    cumQuote: executed?.quote ?? zero(),
    avgPrice: executed?.price ?? zero(),
    liquidation,
  };
}

/** An open order as a record: NEW, nothing executed (this engine fills an order whole, and then it is history). */
export function openOrderRecord(account: string, order: OrderState): OrderRecord {
  return recordOf(account, order, 'NEW', order.time);
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
  const transfers = ctx.transfers.map((t): Transfer => ({ seq: seq++, from: t.from, to: t.to, asset: t.asset, amount: t.amount, reason: t.reason, op: t.op, time }));
  state.nextTransferId = seq;
  if (ctx.finished.length > 0 || ctx.trades.length > 0) keep(state, ctx.finished, ctx.trades);
  return { events: ctx.events as EngineEvent[], transfers };
}

/**
 * Appends to each account's history, copy on write (Kept): a state that apply() returned earlier never
 * changes. The `history` record itself is the state's own (cloneState copies it; a state mutated in
 * place owns it), so only the accounts that traded are replaced.
 */
function keep(state: EngineState, finished: readonly OrderRecord[], trades: readonly Trade[]): void {
  const accounts = new Set<string>();
  for (const o of finished) accounts.add(o.account);
  for (const t of trades) accounts.add(t.account);
  for (const account of accounts) {
    const before = state.history[account];
    state.history[account] = {
      orders: appended(before?.orders, ofAccount(finished, account), ORDERS_KEPT),
      trades: appended(before?.trades, ofAccount(trades, account), TRADES_KEPT),
    };
  }
}

/** Nearly always all of them (a trader's command, one scope's liquidation); a mark may fill several accounts. */
function ofAccount<T extends { readonly account: string }>(items: readonly T[], account: string): readonly T[] {
  return items.every((x) => x.account === account) ? items : items.filter((x) => x.account === account);
}

/** The finished orders an account keeps, oldest first: the newest ORDERS_KEPT. */
export function keptOrders(state: EngineState, account: string): readonly OrderRecord[] {
  return list(state.history[account]?.orders, ORDERS_KEPT);
}

/** The trades an account keeps, oldest first: the newest TRADES_KEPT. */
export function keptTrades(state: EngineState, account: string): readonly Trade[] {
  return list(state.history[account]?.trades, TRADES_KEPT);
}

// ---------------------------------------------------------------------------------- queries

/** Binance's default and largest page (allOrders, userTrades: "Default 500; max 1000"). */
export const DEFAULT_LIMIT = 500;
export const MAX_LIMIT = 1000;
/** Binance's query window: without startTime and endTime, the last 7 days up to the state's time. */
export const WINDOW_MS = 7 * 86_400_000;

export interface OrderQuery {
  readonly symbol?: string;
  /** Orders with this id or a later one, the first `limit` of them (Binance: "orders >= that orderId"). */
  readonly orderId?: number;
  /** Placement time window (epoch ms, inclusive). */
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

export interface TradeQuery {
  readonly symbol?: string;
  readonly orderId?: number;
  /** Trades with this id or a later one, the first `limit` of them. */
  readonly fromId?: number;
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit?: number;
}

/** The account's open orders (NEW), by order id; of one symbol when given. */
export function openOrdersOf(state: EngineState, account: string, symbol?: string): OrderRecord[] {
  const user = state.users[account];
  if (!user) return [];
  return user.orders
    .filter((o) => symbol === undefined || o.symbol === symbol)
    .map((o) => openOrderRecord(account, o))
    .sort((a, b) => a.orderId - b.orderId);
}

/**
 * Binance's allOrders over what is kept: open and finished orders, by order id ascending. With `orderId`,
 * the first `limit` from that id; otherwise the most recent `limit`. Without startTime, endTime and
 * orderId, only orders placed in the last 7 days (to the state's time), as Binance does.
 */
export function ordersOf(state: EngineState, account: string, query: OrderQuery = {}): OrderRecord[] {
  const [from, to] = windowOf(state, query.startTime, query.endTime, query.orderId !== undefined);
  const all = [...openOrdersOf(state, account), ...keptOrders(state, account)].filter(
    (o) => (query.symbol === undefined || o.symbol === query.symbol) && (query.orderId === undefined || o.orderId >= query.orderId) && o.time >= from && o.time <= to,
  );
  return page(all.sort((a, b) => a.orderId - b.orderId), query.limit, query.orderId !== undefined);
}

/**
 * Binance's userTrades over what is kept, by trade id ascending. With `fromId`, the first `limit` from
 * that id; otherwise the most recent `limit`. Without startTime, endTime and fromId, the last 7 days.
 */
export function tradesOf(state: EngineState, account: string, query: TradeQuery = {}): Trade[] {
  const [from, to] = windowOf(state, query.startTime, query.endTime, query.fromId !== undefined || query.orderId !== undefined);
  const all = keptTrades(state, account).filter(
    (t) =>
      (query.symbol === undefined || t.symbol === query.symbol) &&
      (query.orderId === undefined || t.orderId === query.orderId) &&
      (query.fromId === undefined || t.id >= query.fromId) &&
      t.time >= from &&
      t.time <= to,
  );
  return page(all, query.limit, query.fromId !== undefined);
}

/**
 * One order of a symbol by orderId or clientOrderId (Binance's GET /fapi/v1/order): the open one, else
 * the newest finished one kept (a client id may be reused once its order has finished).
 */
export function orderOf(state: EngineState, account: string, symbol: string, id: { readonly orderId?: number; readonly clientOrderId?: string }): OrderRecord | undefined {
  // a loop and an unnamed predicate: under tsx every named closure costs a defineProperty per call (its
  // keepNames), and this runs once per order placed (the answer's record)
  const { orderId, clientOrderId } = id;
  for (const o of state.users[account]?.orders ?? []) {
    if (o.symbol === symbol && (orderId !== undefined ? o.orderId === orderId : o.clientOrderId === clientOrderId)) return openOrderRecord(account, o);
  }
  return findNewest(state.history[account]?.orders, ORDERS_KEPT, (o) => o.symbol === symbol && (orderId !== undefined ? o.orderId === orderId : o.clientOrderId === clientOrderId));
}

function windowOf(state: EngineState, startTime: number | undefined, endTime: number | undefined, byId: boolean): [number, number] {
  if (startTime === undefined && endTime === undefined) return byId ? [-Infinity, Infinity] : [state.time - WINDOW_MS, Infinity];
  return [startTime ?? -Infinity, endTime ?? Infinity];
}

function page<T>(sorted: T[], limit = DEFAULT_LIMIT, fromStart: boolean): T[] {
  const n = Math.max(1, Math.min(MAX_LIMIT, Math.floor(limit)));
  return fromStart ? sorted.slice(0, n) : sorted.slice(Math.max(0, sorted.length - n));
}

// ---------------------------------------------------------------------------------- invariant

/**
 * What must hold of the kept history (for the fuzz invariants): every finished order's executedQty is the
 * sum of its trades' quantities and its cumQuote their quoteQty (while none of its trades has been dropped
 * by the bound), its status agrees with what it executed, trade and order ids are below the state's
 * counters and increase, and every trade names an order that exists (open or kept) unless dropped.
 */
export function historyProblems(state: EngineState): string[] {
  const problems: string[] = [];
  for (const account of Object.keys(state.history).sort()) {
    const orders = keptOrders(state, account);
    const trades = keptTrades(state, account);
    const oldestTrade = trades[0]?.id ?? Infinity;
    const full = trades.length < TRADES_KEPT;
    const byOrder = new Map<number, { qty: bigint; quote: bigint; first: number }>();
    trades.forEach((t, i) => {
      if (t.id >= state.nextTradeId) problems.push(`${account}: trade ${t.id} is not below nextTradeId ${state.nextTradeId}`);
      if (i > 0 && t.id <= trades[i - 1]!.id) problems.push(`${account}: trade ids do not increase at ${t.id}`);
      const sums = byOrder.get(t.orderId) ?? { qty: 0n, quote: 0n, first: t.id };
      byOrder.set(t.orderId, { qty: sums.qty + (t.qty as unknown as bigint), quote: sums.quote + (t.quoteQty as unknown as bigint), first: sums.first });
    });
    const known = new Set([...orders.map((o) => o.orderId), ...(state.users[account]?.orders ?? []).map((o) => o.orderId)]);
    for (const o of orders) {
      if (o.orderId >= state.nextOrderId) problems.push(`${account}: order ${o.orderId} is not below nextOrderId ${state.nextOrderId}`);
      const executed = o.executedQty as unknown as bigint;
      if (o.status === 'FILLED' && executed === 0n) problems.push(`${account}: order ${o.orderId} is FILLED with nothing executed`);
      if (o.status === 'CANCELED' && executed !== 0n) problems.push(`${account}: order ${o.orderId} is CANCELED after trading`);
      const sums = byOrder.get(o.orderId);
      // an order whose trades may have fallen off the bound cannot be checked against them
      if (!full && (sums === undefined || sums.first === oldestTrade)) continue;
      if ((sums?.qty ?? 0n) !== executed) problems.push(`${account}: order ${o.orderId} executedQty ${executed} but its trades sum to ${sums?.qty ?? 0n}`);
      if ((sums?.quote ?? 0n) !== (o.cumQuote as unknown as bigint)) problems.push(`${account}: order ${o.orderId} cumQuote ${o.cumQuote} but its trades sum to ${sums?.quote ?? 0n}`);
    }
    const droppedOrders = orders.length >= ORDERS_KEPT;
    for (const orderId of byOrder.keys()) {
      if (!known.has(orderId) && !droppedOrders) problems.push(`${account}: trade of order ${orderId}, which is neither open nor kept`);
    }
  }
  return problems;
}
