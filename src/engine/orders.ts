// Orders: placement (with every check a venue makes before accepting one), cancel, and what a resting
// order does when a mark reaches it (triggers and fills, or expires when the account cannot take it).
import {
  add,
  divideBy,
  gt,
  gte,
  isMultipleOf,
  isNegative,
  isPositive,
  isZero,
  lt,
  lte,
  max,
  min,
  sub,
  zero,
  formatFixed,
  type Money,
  type Price,
  type Quantity,
} from '../domain/fixed.ts';
import { maxNotionalAtLeverage } from '../domain/tiers.ts';
import { tradeFee } from '../exchanges/fees.ts';
import { legNotional, unrealizedPnl, type PositionSide } from '../exchanges/rules.ts';
import { reject, type Rejection } from './codes.ts';
import type { Command } from './commands.ts';
import { crossAccount, isolatedAccount } from './ledger.ts';
import { marketOf, positionKey, settingsOf, userOf, userOrBlank, type OrderSide, type OrderState, type UserState } from './state.ts';
import { type Ctx, bal, marketRejection, maintenanceTableRejection, markRejection, notPositive, removeOrder } from './context.ts';
import { poolFigures } from './figures.ts';
import { split, executeFill } from './fills.ts';
import { finishOrder } from './history.ts';

type OrderCommand = Extract<Command, { op: 'order' }>;
/** An order's identity kept through a modify: its id and placement time. */
type Identity = { readonly orderId: number; readonly time: number };

/**
 * Places an order. The ladder first: the order's own fields (market, mark, maintenance table, position
 * side, quantity, price, stop), then the account's rules (checkOrder); only an accepted order takes an id,
 * creates the account and trades or rests.
 */
export function placeOrder(ctx: Ctx, c: OrderCommand, identity?: Identity): Rejection | undefined {
  const fields = orderFieldsRejection(ctx, c);
  if (fields) return fields;
  const markPrice = ctx.state.marks[c.symbol]!;
  const seen = userOrBlank(ctx.state, c.account);
  const positionSide: PositionSide = c.positionSide ?? (seen.positionMode === 'hedge' ? ('' as PositionSide) : 'BOTH');
  const conditional = c.type === 'stop_market' || c.type === 'take_profit_market';
  const clientOrderId = c.clientOrderId ?? `pg-${identity?.orderId ?? ctx.state.nextOrderId}`;
  if (seen.orders.some((o) => o.clientOrderId === clientOrderId)) return reject('DUPLICATE_CLIENT_ORDER_ID', 'clientOrderId', `${clientOrderId} is already an open order`);

  const base = {
    orderId: identity?.orderId ?? ctx.state.nextOrderId,
    clientOrderId,
    symbol: c.symbol,
    side: c.side,
    type: c.type,
    quantity: c.quantity ?? zero<'Quantity'>(),
    ...(c.price !== undefined ? { price: c.price } : {}),
    ...(c.stopPrice !== undefined ? { stopPrice: c.stopPrice } : {}),
    timeInForce: c.timeInForce,
    reduceOnly: c.reduceOnly,
    closePosition: c.closePosition,
    positionSide,
    reserved: zero<'Money'>(),
    time: identity?.time ?? ctx.state.time,
  };
  const limit = c.price;
  const marketable = c.type === 'limit' && (c.side === 'buy' ? gte(limit!, markPrice) : lte(limit!, markPrice));
  // what the order does once accepted: rest (conditional, or a limit away from the mark), trade now at
  // the mark as a taker (market, marketable limit), or expire (IOC/FOK limit away from the mark)
  let outcome: { rest: Money } | { trade: Quantity } | 'expire';
  if (conditional) {
    // conditional orders reserve nothing until they trigger; they are checked then
    if (!c.closePosition) {
      const checked = checkOrder(ctx, seen, base, markPrice, 'taker');
      if ('rejection' in checked) return checked.rejection;
    }
    outcome = { rest: zero<'Money'>() };
  } else if (c.type === 'market' || marketable) {
    if (c.type === 'limit' && c.timeInForce === 'GTX') {
      return reject('POST_ONLY_REJECTED', 'price', `${formatFixed(limit!)} would trade at once against the mark ${formatFixed(markPrice)}`);
    }
    const checked = checkOrder(ctx, seen, base, markPrice, 'taker');
    if ('rejection' in checked) return checked.rejection;
    outcome = { trade: checked.quantity };
  } else if (c.timeInForce === 'IOC' || c.timeInForce === 'FOK') {
    outcome = 'expire';
  } else {
    const reserved = requiredMargin(ctx, seen, base, limit!, 'maker');
    const checked = checkOrder(ctx, seen, base, limit!, 'maker');
    if ('rejection' in checked) return checked.rejection;
    outcome = { rest: reserved };
  }

  const user = userOf(ctx.state, c.account);
  if (!identity) ctx.state.nextOrderId += 1;
  if (outcome === 'expire') {
    finishOrder(ctx, user.id, base, 'EXPIRED');
    ctx.events.push({ type: 'orderExpired', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol, reason: `${c.timeInForce} limit not marketable at the mark` });
  } else if ('trade' in outcome) {
    // a market order, or a marketable limit, trades at the best price available, the mark, as a taker
    executeFill(ctx, user, c.symbol, positionSide, c.side, outcome.trade, markPrice, false, base.orderId);
    finishFilled(ctx, user.id, base, outcome.trade, markPrice);
  } else {
    user.orders.push({ ...base, reserved: outcome.rest });
    ctx.events.push({ type: 'orderPlaced', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol });
  }
  return undefined;
}

/** The rungs of an order that read only the command, the market and the account's position mode. */
function orderFieldsRejection(ctx: Ctx, c: OrderCommand): Rejection | undefined {
  const known = marketRejection(ctx, c.symbol) ?? markRejection(ctx, c.symbol);
  if (known) return known;
  const market = marketOf(ctx.state, c.symbol)!;
  const markPrice = ctx.state.marks[c.symbol]!;
  const table = maintenanceTableRejection(ctx, market, markPrice);
  if (table) return table;
  const hedge = userOrBlank(ctx.state, c.account).positionMode === 'hedge';
  const positionSide: PositionSide = c.positionSide ?? (hedge ? ('' as PositionSide) : 'BOTH');
  if (hedge && positionSide !== 'LONG' && positionSide !== 'SHORT') {
    return reject('POSITION_SIDE_MISMATCH', 'positionSide', 'hedge mode needs LONG or SHORT');
  }
  if (!hedge && positionSide !== 'BOTH') return reject('POSITION_SIDE_MISMATCH', 'positionSide', `one-way mode takes BOTH, got ${positionSide}`);
  const conditional = c.type === 'stop_market' || c.type === 'take_profit_market';
  if (c.closePosition && !conditional) return reject('MALFORMED', 'closePosition', 'only stop_market and take_profit_market orders can close the position');
  if (!c.closePosition) {
    if (c.quantity === undefined) return reject('MALFORMED', 'quantity', 'is required');
    const quantity = notPositive(c.quantity, 'quantity');
    if (quantity) return quantity;
    if (!isMultipleOf(c.quantity, market.stepSize)) return reject('PRECISION', 'quantity', `${formatFixed(c.quantity)} is not a multiple of the step ${formatFixed(market.stepSize)}`);
  }
  if (c.type === 'limit') {
    if (c.price === undefined) return reject('MALFORMED', 'price', 'a limit order needs a price');
    const price = notPositive(c.price, 'price');
    if (price) return price;
    if (!isMultipleOf(c.price, market.tickSize)) return reject('PRICE_TICK', 'price', `${formatFixed(c.price)} is not a multiple of the tick ${formatFixed(market.tickSize)}`);
  }
  if (conditional) {
    if (c.stopPrice === undefined) return reject('MALFORMED', 'stopPrice', `a ${c.type} order needs a stopPrice`);
    const stop = notPositive(c.stopPrice, 'stopPrice');
    if (stop) return stop;
    if (!isMultipleOf(c.stopPrice, market.tickSize)) return reject('PRICE_TICK', 'stopPrice', `${formatFixed(c.stopPrice)} is not a multiple of the tick ${formatFixed(market.tickSize)}`);
    if (triggered(c.type, c.side, c.stopPrice, markPrice)) {
      return reject('WOULD_TRIGGER_IMMEDIATELY', 'stopPrice', `${formatFixed(c.stopPrice)} is already reached at the mark ${formatFixed(markPrice)}`);
    }
  }
  return undefined;
}

export function triggered(type: OrderState['type'], side: OrderSide, stopPrice: Price, markPrice: Price): boolean {
  if (type === 'stop_market') return side === 'buy' ? gte(markPrice, stopPrice) : lte(markPrice, stopPrice);
  if (type === 'take_profit_market') return side === 'buy' ? lte(markPrice, stopPrice) : gte(markPrice, stopPrice);
  return false;
}

/** Margin an order needs from the cross wallet: initial margin of its opening part plus its fee. */
export function requiredMargin(ctx: Ctx, user: UserState, order: Omit<OrderState, 'reserved'>, price: Price, liquidity: 'maker' | 'taker'): Money {
  const market = marketOf(ctx.state, order.symbol)!;
  const settings = settingsOf(ctx.state, user, order.symbol);
  const { openQty } = split(user, order, order.quantity);
  const im = divideBy(legNotional({ size: openQty, market }, price), settings.leverage, 'ceil');
  const fee = tradeFee(market, order.quantity, price, liquidity === 'maker' ? ctx.state.config.fees.maker : ctx.state.config.fees.taker);
  // a rebate (negative fee) is paid after the fill: it does not count toward the margin the order needs
  return add(im, max(zero<'Money'>(), fee));
}

/**
 * Checks an order against the account rules and returns the quantity to trade: reduce-only caps,
 * position-side rules, max position at the leverage (-2027) and margin (-2019). Reads only.
 */
export function checkOrder(
  ctx: Ctx,
  user: UserState,
  order: Omit<OrderState, 'reserved'>,
  price: Price,
  liquidity: 'maker' | 'taker',
): { readonly quantity: Quantity } | { readonly rejection: Rejection } {
  const market = marketOf(ctx.state, order.symbol)!;
  const settings = settingsOf(ctx.state, user, order.symbol);
  const position = user.positions[positionKey(order.symbol, order.positionSide)];
  let quantity = order.quantity;
  if (order.closePosition) {
    if (!position) return { rejection: reject('REDUCE_ONLY_REJECTED', 'closePosition', `there is no ${order.symbol} position to close`) };
    quantity = position.size;
  }
  const { closeQty, openQty } = split(user, order, quantity);
  if (order.reduceOnly || order.closePosition) {
    if (!position || isZero(closeQty)) return { rejection: reject('REDUCE_ONLY_REJECTED', 'reduceOnly', `it would not reduce a ${order.symbol} position`) };
    quantity = min(quantity, position.size);
  } else if (order.positionSide !== 'BOTH' && isPositive(closeQty)) {
    if (!position || gt(closeQty, position.size)) {
      const detail = `${order.side} ${formatFixed(closeQty)} on ${order.positionSide} is more than the ${formatFixed(position?.size ?? zero())} held`;
      return { rejection: reject('REDUCE_ONLY_REJECTED', 'quantity', detail) };
    }
  }
  if (isPositive(openQty) && !order.reduceOnly && !order.closePosition) {
    const after = add(position && position.side === (order.side === 'buy' ? 1 : -1) ? position.size : zero<'Quantity'>(), openQty);
    const cap = market.brackets ? maxNotionalAtLeverage(market.brackets, settings.leverage) : undefined;
    const value = legNotional({ size: after, market }, price);
    if (cap !== undefined && gt(value, cap)) {
      const detail = `the position would be ${formatFixed(value)} notional, above the ${formatFixed(cap)} allowed at ${settings.leverage}x`;
      return { rejection: reject('MAX_LEVERAGE_RATIO', 'quantity', detail) };
    }
    const required = requiredMargin(ctx, user, { ...order, quantity }, price, liquidity);
    const f = poolFigures(ctx.state, user, market.settleAsset);
    // isolated margin is moved out of the cross wallet itself, so the wallet (not unrealized profit) must hold it
    const room = settings.marginMode === 'isolated' ? min(f.available, sub(f.wallet, f.pending)) : f.available;
    if (gt(required, room)) {
      const detail = `needs ${formatFixed(required)} ${market.settleAsset} of margin and fee, ${formatFixed(max(zero<'Money'>(), room))} is available`;
      return { rejection: reject('MARGIN_INSUFFICIENT', 'quantity', detail) };
    }
  }
  return { quantity };
}

export function cancel(ctx: Ctx, account: string, symbol: string, clientOrderId: string | undefined, orderId: number | undefined): Rejection | undefined {
  const user = ctx.state.users[account];
  const order = user?.orders.find((o) => o.symbol === symbol && (o.clientOrderId === clientOrderId || o.orderId === orderId));
  if (!user || !order) return reject('UNKNOWN_ORDER', clientOrderId !== undefined ? 'clientOrderId' : 'orderId', `no open ${symbol} order ${clientOrderId ?? orderId}`);
  removeOrder(ctx, user, order, 'orderCanceled', 'canceled by the user');
  return undefined;
}

/**
 * Modifies a resting limit order (Binance's "Modify Order"): the order leaves the book and comes back with
 * the new price and quantity under the same id, client id and side, through placement's whole ladder
 * (tick, step, margin with its own reservation released, post-only). So a new price across the mark trades
 * at once as a taker, as an amended order that crosses the book does on Binance; a refusal leaves the
 * order as it was (apply rolls the command back).
 */
export function modifyOrder(ctx: Ctx, c: Extract<Command, { op: 'modify' }>): Rejection | undefined {
  const user = ctx.state.users[c.account];
  const order = user?.orders.find((o) => o.symbol === c.symbol && (c.orderId !== undefined ? o.orderId === c.orderId : o.clientOrderId === c.clientOrderId));
  if (!user || !order) return reject('UNKNOWN_ORDER', c.orderId !== undefined ? 'orderId' : 'clientOrderId', `no open ${c.symbol} order ${c.orderId ?? c.clientOrderId}`);
  if (order.type !== 'limit') return reject('MALFORMED', 'orderId', `order ${order.orderId} is a ${order.type} order: only a limit order can be modified`);
  if (order.side !== c.side) return reject('MALFORMED', 'side', `order ${order.orderId} is a ${order.side} order, got ${c.side}`);
  user.orders = user.orders.filter((o) => o !== order);
  return placeOrder(
    ctx,
    {
      op: 'order',
      account: c.account,
      symbol: c.symbol,
      side: order.side,
      type: 'limit',
      quantity: c.quantity,
      price: c.price,
      stopPrice: undefined,
      timeInForce: order.timeInForce,
      reduceOnly: order.reduceOnly,
      closePosition: false,
      positionSide: order.positionSide,
      clientOrderId: order.clientOrderId,
    },
    { orderId: order.orderId, time: order.time },
  );
}

export function triggerOrder(ctx: Ctx, user: UserState, order: OrderState, markPrice: Price): void {
  let fillPrice: Price | undefined;
  let maker = false;
  if (order.type === 'limit') {
    const crossed = order.side === 'buy' ? lte(markPrice, order.price!) : gte(markPrice, order.price!);
    if (!crossed) return;
    fillPrice = order.price!;
    maker = true;
  } else if (triggered(order.type, order.side, order.stopPrice!, markPrice)) {
    fillPrice = markPrice;
  } else {
    return;
  }
  user.orders = user.orders.filter((o) => o.orderId !== order.orderId);
  // the order's reservation is released before the check, so it counts toward its own margin
  const checked = checkOrder(ctx, user, order, fillPrice, maker ? 'maker' : 'taker');
  if ('rejection' in checked) return expireRefused(ctx, user, order, checked.rejection);
  const beyond = beyondBankruptcyRejection(ctx, user, order, checked.quantity, fillPrice);
  if (beyond) return expireRefused(ctx, user, order, beyond);
  executeFill(ctx, user, order.symbol, order.positionSide, order.side, checked.quantity, fillPrice, maker, order.orderId);
  finishFilled(ctx, user.id, order, checked.quantity, fillPrice);
}

/**
 * An order that traded `quantity` at `price` is done: FILLED when that was all of it (a closePosition
 * order closes what is held, whatever its origQty of 0), EXPIRED when reduce-only capped it at the
 * position's size: the rest would have opened the other way, so it is dropped, as Binance expires it.
 */
function finishFilled(ctx: Ctx, account: string, order: Omit<OrderState, 'reserved'>, quantity: Quantity, price: Price): void {
  const all = order.closePosition || !lt(quantity, order.quantity);
  finishOrder(ctx, account, order, all ? 'FILLED' : 'EXPIRED', { quantity, price, market: marketOf(ctx.state, order.symbol)! });
}

/** A triggered order the account cannot take expires (already off the book), naming the refusal. */
function expireRefused(ctx: Ctx, user: UserState, order: OrderState, rejection: Rejection): void {
  finishOrder(ctx, user.id, order, 'EXPIRED');
  ctx.events.push({
    type: 'orderExpired',
    op: ctx.op,
    account: user.id,
    orderId: order.orderId,
    clientOrderId: order.clientOrderId,
    symbol: order.symbol,
    reason: `triggered but refused: ${rejection.message}`,
  });
}

/**
 * A triggered order whose close would leave the wallet behind it negative (an isolated position closed
 * in full, or the last cross position of the asset, at a price past its bankruptcy price) expires: the
 * position is the liquidation's, which closes it at the bankruptcy price and has the insurance fund pay
 * the deficit. Only a liquidation beyond the bankruptcy price draws on the insurance fund.
 */
function beyondBankruptcyRejection(ctx: Ctx, user: UserState, order: OrderState, quantity: Quantity, price: Price): Rejection | undefined {
  const { position, closeQty } = split(user, order, quantity);
  if (!position || !isPositive(closeQty) || lt(closeQty, position.size)) return undefined;
  const market = marketOf(ctx.state, order.symbol)!;
  const isolated = settingsOf(ctx.state, user, order.symbol).marginMode === 'isolated';
  const pnl = unrealizedPnl({ side: position.side, size: closeQty, entryPrice: position.entryPrice, market }, price);
  if (isolated) {
    const held = bal(ctx, market.settleAsset, isolatedAccount(user.id, order.symbol, order.positionSide));
    if (!isNegative(add(held, pnl))) return undefined;
    return reject('MARGIN_INSUFFICIENT', 'stopPrice', `closing at ${formatFixed(price)} is past the bankruptcy price of the isolated position: it is left to the liquidation`);
  }
  const others = Object.values(user.positions).some(
    (p) => p !== position && settingsOf(ctx.state, user, p.symbol).marginMode === 'cross' && marketOf(ctx.state, p.symbol)!.settleAsset === market.settleAsset,
  );
  if (!others && isNegative(add(bal(ctx, market.settleAsset, crossAccount(user.id)), pnl))) {
    return reject('MARGIN_INSUFFICIENT', 'stopPrice', `closing at ${formatFixed(price)} is past the bankruptcy price of the cross account: it is left to the liquidation`);
  }
  return undefined;
}
