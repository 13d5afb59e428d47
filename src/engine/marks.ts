// A mark price tick: resting orders react first, then every margin scope is checked.
import type { Price } from '../domain/fixed.ts';
import type { Rejection } from './codes.ts';
import { type Ctx, marketRejection, notPositive } from './context.ts';
import { checkRisk } from './risk.ts';
import { triggerOrder } from './orders.ts';

export function mark(ctx: Ctx, symbol: string, price: Price): Rejection | undefined {
  const rejection = marketRejection(ctx, symbol) ?? notPositive(price, 'price');
  if (rejection) return rejection;
  ctx.state.marks[symbol] = price;
  // resting orders react first (a stop placed to protect a position fires before its liquidation)
  for (const id of Object.keys(ctx.state.users).sort()) {
    const user = ctx.state.users[id]!;
    for (const order of [...user.orders].sort((a, b) => a.orderId - b.orderId)) {
      if (order.symbol !== symbol || !user.orders.includes(order)) continue;
      triggerOrder(ctx, user, order, price);
    }
  }
  checkRisk(ctx);
  return undefined;
}
