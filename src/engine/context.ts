// The working context of one apply(): the state every transition mutates (in place), the events and
// transfers it appends, what a refusal would put back, and the small helpers they share (ledger moves, the
// checks that name a field).
import { isPositive, zero, formatFixed, type Money, type Price, type Quantity } from '../domain/fixed.ts';
import type { Leg, Market, PositionSide } from '../exchanges/rules.ts';
import { reject, type Rejection } from './codes.ts';
import { MissingBracketsError } from '../exchanges/schedules.ts';
import { balanceOf, crossAccount, isolatedAccount, transfer, transferSigned, type BalanceUndo, type LedgerAccountId, type PendingTransfer, type TransferReason } from './ledger.ts';
import { marketOf, profileFor, settingsOf, type EngineState, type OrderState, type UserState } from './state.ts';
import type { EventBody } from './events.ts';
import { finishOrder, type OrderRecord, type Trade } from './history.ts';

export interface Ctx {
  readonly state: EngineState;
  readonly events: EventBody[];
  readonly transfers: PendingTransfer[];
  readonly op: number;
  /** A trader's own command, which may still be refused after it ran: the balance cells it moves are recorded. */
  readonly undo?: BalanceUndo | undefined;
  /** Orders that finished during the command and trades it made: kept in the state only when it is accepted. */
  readonly finished: OrderRecord[];
  readonly trades: Trade[];
}

export function move(ctx: Ctx, from: LedgerAccountId, to: LedgerAccountId, amount: Money, asset: string, reason: TransferReason): void {
  transfer(ctx.state.balances, ctx.transfers, { from, to, amount, asset, reason, op: ctx.op }, ctx.undo);
}

/** A signed move: positive from `a` to `b`, negative from `b` to `a`. */
export function moveSigned(ctx: Ctx, a: LedgerAccountId, b: LedgerAccountId, signedAmount: Money, asset: string, reason: TransferReason): void {
  transferSigned(ctx.state.balances, ctx.transfers, a, b, signedAmount, asset, reason, ctx.op, ctx.undo);
}

export function bal(ctx: Ctx, asset: string, account: LedgerAccountId): Money {
  return balanceOf(ctx.state.balances, asset, account);
}

/** The validation ladder's first rung for a symbol: a market of the configured venue. */
export function marketRejection(ctx: Ctx, symbol: string, field = 'symbol'): Rejection | undefined {
  if (marketOf(ctx.state, symbol)) return undefined;
  return reject('MALFORMED', field, `${symbol} is not a market of ${ctx.state.config.exchange}`);
}

/**
 * An order (resting ones too: they fill later, in a mark step) needs a market whose maintenance margin
 * can be computed; a venue symbol without a bundled tier table and without a `markets` entry giving one
 * is refused here, naming the symbol.
 */
export function maintenanceTableRejection(ctx: Ctx, market: Market, markPrice: Price): Rejection | undefined {
  const probe: Leg = {
    symbol: market.symbol,
    positionSide: 'BOTH',
    side: 1,
    size: market.stepSize,
    entryPrice: markPrice,
    markPrice,
    marginMode: 'cross',
    leverage: 1,
    isolatedWallet: zero(),
    market,
  };
  try {
    profileFor(ctx.state).maintenanceMargin(probe, ctx.state.config.fees);
    return undefined;
  } catch (error) {
    // the venue module signals a missing table by throwing (a programmer-facing error there); here it is
    // an expected refusal of the command
    if (error instanceof MissingBracketsError) return reject('MALFORMED', 'symbol', error.message);
    throw error;
  }
}

export function markRejection(ctx: Ctx, symbol: string): Rejection | undefined {
  if (ctx.state.marks[symbol]) return undefined;
  return reject('NO_MARK_PRICE', 'symbol', `${symbol} has no mark price yet: send a mark first`);
}

export function notPositive(amount: Money | Quantity | Price, field: string): Rejection | undefined {
  if (isPositive(amount)) return undefined;
  return reject('QUANTITY_NOT_POSITIVE', field, `must be above zero, got ${formatFixed(amount)}`);
}

export function walletAccountOf(ctx: Ctx, user: UserState, symbol: string, positionSide: PositionSide): LedgerAccountId {
  return settingsOf(ctx.state, user, symbol).marginMode === 'isolated' ? isolatedAccount(user.id, symbol, positionSide) : crossAccount(user.id);
}

export function hasOrders(user: UserState, symbol?: string): boolean {
  return user.orders.some((o) => symbol === undefined || o.symbol === symbol);
}

export function hasPosition(user: UserState, symbol?: string): boolean {
  return Object.values(user.positions).some((p) => symbol === undefined || p.symbol === symbol);
}

export function removeOrder(ctx: Ctx, user: UserState, order: OrderState, type: 'orderCanceled' | 'orderExpired', reason: string): void {
  user.orders = user.orders.filter((o) => o.orderId !== order.orderId);
  finishOrder(ctx, user.id, order, type === 'orderCanceled' ? 'CANCELED' : 'EXPIRED');
  ctx.events.push({ type, op: ctx.op, account: user.id, orderId: order.orderId, clientOrderId: order.clientOrderId, symbol: order.symbol, reason });
}
