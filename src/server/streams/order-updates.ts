// Which ORDER_TRADE_UPDATE and ALGO_UPDATE messages one accepted command sends to one account, in the
// engine's event order, and what each says. The engine reports orders by events (orderPlaced,
// orderCanceled, orderExpired, fill, liquidation); the records and trades behind them are the account's
// kept history (../../engine/history.ts). The command's own records are found by the id counters it
// started from: an order id or trade id at or above them was made by this command.
import { add, notional, zero, type Money } from '../../domain/fixed.ts';
import type { EngineEvent } from '../../engine/events.ts';
import { keptOrders, keptTrades, openOrderRecord, type OrderRecord, type Trade } from '../../engine/history.ts';
import type { EngineState } from '../../engine/state.ts';
import { algoUpdate, isConditional, orderTradeUpdate, type Execution, type UserStreamMessage } from './user-events.ts';

/** The engine's id counters before the command (state.nextOrderId, state.nextTradeId). */
export interface Counters {
  readonly nextOrderId: number;
  readonly nextTradeId: number;
}

/** The counters to keep before apply(): what the command then makes is at or above them. */
export function countersOf(state: EngineState): Counters {
  return { nextOrderId: state.nextOrderId, nextTradeId: state.nextTradeId };
}

/** What the command made and finished for one account: its trades and the records it finished. */
export interface CommandRecords {
  readonly trades: readonly Trade[];
  /** Records finished by this command, by order id (an order finishes once). */
  readonly finished: ReadonlyMap<number, OrderRecord>;
}

/**
 * The account's trades of this command (ids from the counter on, the newest kept) and the orders it
 * finished: the kept records at the end of the history that carry the command's time. An earlier command
 * at the same time can have finished records there too; only those the command's events name are read.
 */
export function commandRecords(state: EngineState, account: string, before: Counters): CommandRecords {
  const allTrades = keptTrades(state, account);
  let first = allTrades.length;
  while (first > 0 && allTrades[first - 1]!.id >= before.nextTradeId) first -= 1;
  const orders = keptOrders(state, account);
  const finished = new Map<number, OrderRecord>();
  for (let i = orders.length - 1; i >= 0 && orders[i]!.updateTime === state.time; i--) {
    if (!finished.has(orders[i]!.orderId)) finished.set(orders[i]!.orderId, orders[i]!);
  }
  return { trades: allTrades.slice(first), finished };
}

/** Binance's b and a: the notional of the account's open limit buy and sell orders on the symbol. */
function bookNotional(state: EngineState, account: string, symbol: string): { bidNotional: Money; askNotional: Money } {
  let bidNotional = zero<'Money'>();
  let askNotional = zero<'Money'>();
  for (const o of state.users[account]?.orders ?? []) {
    if (o.symbol !== symbol || o.price === undefined || o.type !== 'limit') continue;
    const value = notional(o.quantity, o.price, 'halfEven');
    if (o.side === 'buy') bidNotional = add(bidNotional, value);
    else askNotional = add(askNotional, value);
  }
  return { bidNotional, askNotional };
}

/**
 * The order messages of one command for one account, in the order of the engine's events:
 * - a resting order placed: NEW (a stop or take-profit: ALGO_UPDATE NEW, ccxt places them as algo orders);
 *   modified (same id): AMENDMENT;
 * - a cancel: CANCELED (ALGO_UPDATE CANCELED); an IOC/FOK limit that cannot trade: NEW then EXPIRED;
 * - a market or marketable order: NEW then TRADE (FILLED); a reduce-only order capped at the position:
 *   TRADE with PARTIALLY_FILLED, then EXPIRED, as Binance expires the rest;
 * - a resting limit reached by the mark: TRADE; a stop or take-profit triggered: ALGO_UPDATE TRIGGERING,
 *   the market order's NEW, ALGO_UPDATE TRIGGERED, its TRADE, ALGO_UPDATE FINISHED; triggered but refused
 *   by the margin check: ALGO_UPDATE REJECTED (a plain limit: EXPIRED);
 * - a liquidation's close: NEW with client id autoclose-… (Binance: "c shows as autoclose-XXX, X shows as
 *   NEW"), then CALCULATED (the liquidation execution) with the trade, type MARKET.
 */
export function orderMessages(state: EngineState, account: string, events: readonly EngineEvent[], before: Counters, eventTimeMs: number): UserStreamMessage[] {
  const T = state.time;
  const records = commandRecords(state, account, before);
  const out: UserStreamMessage[] = [];
  const done = new Set<number>();
  const update = (order: OrderRecord, execution: Omit<Execution, 'bidNotional' | 'askNotional'>) =>
    out.push(orderTradeUpdate(order, { ...execution, ...bookNotional(state, account, order.symbol) }, eventTimeMs, T));
  const tradeOf = (orderId: number) => records.trades.find((t) => t.orderId === orderId);
  const placedNow = (orderId: number) => orderId >= before.nextOrderId;

  for (const e of events) {
    if (!('account' in e) || e.account !== account) continue;
    switch (e.type) {
      case 'orderPlaced': {
        const open = state.users[account]?.orders.find((o) => o.orderId === e.orderId);
        if (!open) break;
        const order = openOrderRecord(account, open);
        if (isConditional(order.type)) out.push(algoUpdate(order, 'NEW', eventTimeMs, T));
        // an id from before the command: a resting order modified in place (PUT /fapi/v1/order keeps the id),
        // which Binance reports as an AMENDMENT of the order, still NEW
        else update(order, placedNow(order.orderId) ? { x: 'NEW', X: 'NEW' } : { x: 'AMENDMENT', X: 'NEW' });
        break;
      }
      case 'orderCanceled':
      case 'orderExpired': {
        const order = records.finished.get(e.orderId);
        if (!order || done.has(order.orderId)) break;
        done.add(order.orderId);
        if (isConditional(order.type)) {
          out.push(algoUpdate(order, e.type === 'orderCanceled' ? 'CANCELED' : 'REJECTED', eventTimeMs, T, { reason: e.type === 'orderExpired' ? e.reason : '' }));
          break;
        }
        if (placedNow(order.orderId)) update(order, { x: 'NEW', X: 'NEW' });
        const status = e.type === 'orderCanceled' ? 'CANCELED' : 'EXPIRED';
        update(order, { x: status, X: status });
        break;
      }
      case 'fill': {
        if (e.orderId === undefined) break;
        const order = records.finished.get(e.orderId);
        const trade = tradeOf(e.orderId);
        if (!order || !trade || done.has(order.orderId)) break;
        done.add(order.orderId);
        fillMessages(order, trade, placedNow(order.orderId), update, out, eventTimeMs, T);
        break;
      }
      case 'liquidation':
      case 'partialLiquidation': {
        for (const order of records.finished.values()) {
          if (!order.liquidation || done.has(order.orderId) || !placedNow(order.orderId)) continue;
          if (order.symbol !== e.symbol || order.positionSide !== e.positionSide) continue;
          const trade = tradeOf(order.orderId);
          if (!trade) continue;
          done.add(order.orderId);
          update(order, { x: 'NEW', X: 'NEW', shownType: 'MARKET', originalType: 'MARKET' });
          update(order, { x: 'CALCULATED', X: 'FILLED', trade, shownType: 'MARKET', originalType: 'MARKET' });
        }
        break;
      }
      default:
        break;
    }
  }
  return out;
}

function fillMessages(
  order: OrderRecord,
  trade: Trade,
  placedNow: boolean,
  update: (order: OrderRecord, execution: Omit<Execution, 'bidNotional' | 'askNotional'>) => void,
  out: UserStreamMessage[],
  eventTimeMs: number,
  T: number,
): void {
  const conditional = isConditional(order.type);
  // a triggered stop trades as a market order; its original type stays in `ot`
  const shownType = conditional ? 'MARKET' : undefined;
  const capped = order.status === 'EXPIRED';
  if (conditional) {
    out.push(algoUpdate(order, 'TRIGGERING', eventTimeMs, T, { triggered: true }));
    update(order, { x: 'NEW', X: 'NEW', shownType });
    out.push(algoUpdate(order, 'TRIGGERED', eventTimeMs, T, { triggered: true }));
  } else if (placedNow) {
    update(order, { x: 'NEW', X: 'NEW' });
  }
  update(order, { x: 'TRADE', X: capped ? 'PARTIALLY_FILLED' : 'FILLED', trade, shownType });
  if (capped) update(order, { x: 'EXPIRED', X: 'EXPIRED', shownType });
  if (conditional) out.push(algoUpdate(order, 'FINISHED', eventTimeMs, T, { triggered: true }));
}
