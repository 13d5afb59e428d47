// A mark price tick: resting orders react first, then the margin scopes the new price moves are checked.
// Only the users exposed to the symbol (./exposure.ts) are visited: a tick costs O(positions and orders on
// that symbol), not O(every user).
import type { Price } from '../domain/fixed.ts';
import type { Rejection } from './codes.ts';
import { type Ctx, marketRejection, notPositive } from './context.ts';
import { exposedUsers, refreshExposure } from './exposure.ts';
import { checkRisk } from './risk.ts';
import { triggerOrder } from './orders.ts';

export function mark(ctx: Ctx, symbol: string, price: Price): Rejection | undefined {
  const rejection = marketRejection(ctx, symbol) ?? notPositive(price, 'price');
  if (rejection) return rejection;
  const { state } = ctx;
  state.marks[symbol] = price;
  const users = exposedUsers(state, symbol);
  // the symbol's terms of every exposed user's cross sums move with its mark
  for (const id of users) refreshExposure(state, id, symbol);
  // resting orders react first (a stop placed to protect a position fires before its liquidation)
  for (const id of users) {
    const user = state.users[id]!;
    for (const order of user.orders.filter((o) => o.symbol === symbol).sort((a, b) => a.orderId - b.orderId)) {
      if (!user.orders.includes(order)) continue;
      triggerOrder(ctx, user, order, price);
      // the next order's margin check reads the sums this fill changed
      refreshExposure(state, id, symbol);
    }
  }
  checkRisk(ctx, users, symbol);
  return undefined;
}
