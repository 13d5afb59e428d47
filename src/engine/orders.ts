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
import { fail, Rejected } from './codes.ts';
import type { Command } from './commands.ts';
import { crossAccount, isolatedAccount } from './ledger.ts';
import { marketOf, positionKey, settingsOf, userOf, type OrderSide, type OrderState, type UserState } from './state.ts';
import { type Ctx, bal, requireMarket, requireMaintenanceTable, requireMark, positive, removeOrder } from './context.ts';
import { crossFigures } from './figures.ts';
import { split, executeFill } from './fills.ts';

type OrderCommand = Extract<Command, { op: 'order' }>;

export function placeOrder(ctx: Ctx, c: OrderCommand): void {
  const market = requireMarket(ctx, c.symbol);
  const markPrice = requireMark(ctx, c.symbol);
  requireMaintenanceTable(ctx, market, markPrice);
  const user = userOf(ctx.state, c.account);
  const hedge = user.positionMode === 'hedge';
  const positionSide: PositionSide = c.positionSide ?? (hedge ? ('' as PositionSide) : 'BOTH');
  if (hedge && positionSide !== 'LONG' && positionSide !== 'SHORT') {
    fail('POSITION_SIDE_MISMATCH', 'positionSide', 'hedge mode needs LONG or SHORT');
  }
  if (!hedge && positionSide !== 'BOTH') fail('POSITION_SIDE_MISMATCH', 'positionSide', `one-way mode takes BOTH, got ${positionSide}`);
  const conditional = c.type === 'stop_market' || c.type === 'take_profit_market';
  if (c.closePosition && !conditional) fail('MALFORMED', 'closePosition', 'only stop_market and take_profit_market orders can close the position');
  if (!c.closePosition) {
    if (c.quantity === undefined) fail('MALFORMED', 'quantity', 'is required');
    positive(c.quantity, 'quantity');
    if (!isMultipleOf(c.quantity, market.stepSize)) fail('PRECISION', 'quantity', `${formatFixed(c.quantity)} is not a multiple of the step ${formatFixed(market.stepSize)}`);
  }
  if (c.type === 'limit') {
    if (c.price === undefined) fail('MALFORMED', 'price', 'a limit order needs a price');
    positive(c.price, 'price');
    if (!isMultipleOf(c.price, market.tickSize)) fail('PRICE_TICK', 'price', `${formatFixed(c.price)} is not a multiple of the tick ${formatFixed(market.tickSize)}`);
  }
  if (conditional) {
    if (c.stopPrice === undefined) fail('MALFORMED', 'stopPrice', `a ${c.type} order needs a stopPrice`);
    positive(c.stopPrice, 'stopPrice');
    if (!isMultipleOf(c.stopPrice, market.tickSize)) fail('PRICE_TICK', 'stopPrice', `${formatFixed(c.stopPrice)} is not a multiple of the tick ${formatFixed(market.tickSize)}`);
    if (triggered(c.type, c.side, c.stopPrice, markPrice)) {
      fail('WOULD_TRIGGER_IMMEDIATELY', 'stopPrice', `${formatFixed(c.stopPrice)} is already reached at the mark ${formatFixed(markPrice)}`);
    }
  }
  const clientOrderId = c.clientOrderId ?? `pg-${ctx.state.nextOrderId}`;
  if (user.orders.some((o) => o.clientOrderId === clientOrderId)) fail('DUPLICATE_CLIENT_ORDER_ID', 'clientOrderId', `${clientOrderId} is already an open order`);

  const base = {
    orderId: ctx.state.nextOrderId,
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
    time: ctx.state.time,
  };
  ctx.state.nextOrderId += 1;

  if (conditional) {
    // conditional orders reserve nothing until they trigger; they are checked then
    if (!c.closePosition) checkOrder(ctx, user, base, markPrice, 'taker');
    user.orders.push(base);
    ctx.events.push({ type: 'orderPlaced', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol });
    return;
  }
  if (c.type === 'market') {
    const qty = checkOrder(ctx, user, base, markPrice, 'taker');
    executeFill(ctx, user, c.symbol, positionSide, c.side, qty, markPrice, false, base.orderId);
    return;
  }
  // limit
  const limit = c.price!;
  const marketable = c.side === 'buy' ? gte(limit, markPrice) : lte(limit, markPrice);
  if (marketable) {
    if (c.timeInForce === 'GTX') fail('POST_ONLY_REJECTED', 'price', `${formatFixed(limit)} would trade at once against the mark ${formatFixed(markPrice)}`);
    const qty = checkOrder(ctx, user, base, markPrice, 'taker');
    // a marketable limit trades at the best price available, the mark, as a taker
    executeFill(ctx, user, c.symbol, positionSide, c.side, qty, markPrice, false, base.orderId);
    return;
  }
  if (c.timeInForce === 'IOC' || c.timeInForce === 'FOK') {
    ctx.events.push({ type: 'orderExpired', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol, reason: `${c.timeInForce} limit not marketable at the mark` });
    return;
  }
  const reserved = requiredMargin(ctx, user, base, limit, 'maker');
  checkOrder(ctx, user, base, limit, 'maker');
  user.orders.push({ ...base, reserved });
  ctx.events.push({ type: 'orderPlaced', op: ctx.op, account: user.id, orderId: base.orderId, clientOrderId, symbol: c.symbol });
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
 * position-side rules, max position at the leverage (-2027) and margin (-2019).
 */
export function checkOrder(ctx: Ctx, user: UserState, order: Omit<OrderState, 'reserved'>, price: Price, liquidity: 'maker' | 'taker'): Quantity {
  const market = marketOf(ctx.state, order.symbol)!;
  const settings = settingsOf(ctx.state, user, order.symbol);
  const position = user.positions[positionKey(order.symbol, order.positionSide)];
  let quantity = order.quantity;
  if (order.closePosition) {
    if (!position) fail('REDUCE_ONLY_REJECTED', 'closePosition', `there is no ${order.symbol} position to close`);
    quantity = position.size;
  }
  const { closeQty, openQty } = split(user, order, quantity);
  if (order.reduceOnly || order.closePosition) {
    if (!position || isZero(closeQty)) fail('REDUCE_ONLY_REJECTED', 'reduceOnly', `it would not reduce a ${order.symbol} position`);
    quantity = min(quantity, position.size);
  } else if (order.positionSide !== 'BOTH' && isPositive(closeQty)) {
    if (!position || gt(closeQty, position.size)) {
      fail('REDUCE_ONLY_REJECTED', 'quantity', `${order.side} ${formatFixed(closeQty)} on ${order.positionSide} is more than the ${formatFixed(position?.size ?? zero())} held`);
    }
  }
  if (isPositive(openQty) && !order.reduceOnly && !order.closePosition) {
    const after = add(position && position.side === (order.side === 'buy' ? 1 : -1) ? position.size : zero<'Quantity'>(), openQty);
    const cap = market.brackets ? maxNotionalAtLeverage(market.brackets, settings.leverage) : undefined;
    const value = legNotional({ size: after, market }, price);
    if (cap !== undefined && gt(value, cap)) {
      fail('MAX_LEVERAGE_RATIO', 'quantity', `the position would be ${formatFixed(value)} notional, above the ${formatFixed(cap)} allowed at ${settings.leverage}x`);
    }
    const required = requiredMargin(ctx, user, { ...order, quantity }, price, liquidity);
    const f = crossFigures(ctx.state, user, market.settleAsset);
    // isolated margin is moved out of the cross wallet itself, so the wallet (not unrealized profit) must hold it
    const room = settings.marginMode === 'isolated' ? min(f.available, sub(f.wallet, f.pending)) : f.available;
    if (gt(required, room)) {
      fail('MARGIN_INSUFFICIENT', 'quantity', `needs ${formatFixed(required)} ${market.settleAsset} of margin and fee, ${formatFixed(max(zero<'Money'>(), room))} is available`);
    }
  }
  return quantity;
}

export function cancel(ctx: Ctx, account: string, symbol: string, clientOrderId: string | undefined, orderId: number | undefined): void {
  const user = ctx.state.users[account];
  const order = user?.orders.find((o) => o.symbol === symbol && (o.clientOrderId === clientOrderId || o.orderId === orderId));
  if (!user || !order) fail('UNKNOWN_ORDER', clientOrderId !== undefined ? 'clientOrderId' : 'orderId', `no open ${symbol} order ${clientOrderId ?? orderId}`);
  removeOrder(ctx, user, order, 'orderCanceled', 'canceled by the user');
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
  try {
    const quantity = checkOrder(ctx, user, order, fillPrice, maker ? 'maker' : 'taker');
    refuseBeyondBankruptcy(ctx, user, order, quantity, fillPrice);
    executeFill(ctx, user, order.symbol, order.positionSide, order.side, quantity, fillPrice, maker, order.orderId);
  } catch (error) {
    if (!(error instanceof Rejected)) throw error;
    ctx.events.push({
      type: 'orderExpired',
      op: ctx.op,
      account: user.id,
      orderId: order.orderId,
      clientOrderId: order.clientOrderId,
      symbol: order.symbol,
      reason: `triggered but refused: ${error.rejection.message}`,
    });
  }
}

/**
 * A triggered order whose close would leave the wallet behind it negative (an isolated position closed
 * in full, or the last cross position of the asset, at a price past its bankruptcy price) expires: the
 * position is the liquidation's, which closes it at the bankruptcy price and has the insurance fund pay
 * the deficit. Only a liquidation beyond the bankruptcy price draws on the insurance fund.
 */
export function refuseBeyondBankruptcy(ctx: Ctx, user: UserState, order: OrderState, quantity: Quantity, price: Price): void {
  const { position, closeQty } = split(user, order, quantity);
  if (!position || !isPositive(closeQty) || lt(closeQty, position.size)) return;
  const market = marketOf(ctx.state, order.symbol)!;
  const isolated = settingsOf(ctx.state, user, order.symbol).marginMode === 'isolated';
  const pnl = unrealizedPnl({ side: position.side, size: closeQty, entryPrice: position.entryPrice, market }, price);
  if (isolated) {
    const held = bal(ctx, market.settleAsset, isolatedAccount(user.id, order.symbol, order.positionSide));
    if (isNegative(add(held, pnl))) fail('MARGIN_INSUFFICIENT', 'stopPrice', `closing at ${formatFixed(price)} is past the bankruptcy price of the isolated position: it is left to the liquidation`);
    return;
  }
  const others = Object.values(user.positions).some(
    (p) => p !== position && settingsOf(ctx.state, user, p.symbol).marginMode === 'cross' && marketOf(ctx.state, p.symbol)!.settleAsset === market.settleAsset,
  );
  if (!others && isNegative(add(bal(ctx, market.settleAsset, crossAccount(user.id)), pnl))) {
    fail('MARGIN_INSUFFICIENT', 'stopPrice', `closing at ${formatFixed(price)} is past the bankruptcy price of the cross account: it is left to the liquidation`);
  }
}
