// Funding settlements: one payment per position of the symbol, at most once per symbol and funding time.
import type { Rate } from '../domain/fixed.ts';
import { fundingPayment } from '../exchanges/fees.ts';
import { reject, type Rejection } from './codes.ts';
import { marketOf } from './state.ts';
import { FUNDING } from './ledger.ts';
import { type Ctx, marketRejection, markRejection, moveSigned, walletAccountOf } from './context.ts';
import { exposedUsers, SIDES } from './exposure.ts';
import { positionKey } from './state.ts';
import { checkRisk } from './risk.ts';

/**
 * Settles one funding of `symbol` at `fundingTime` (the command's time when not given). A funding is
 * applied at most once per symbol and funding time: one at the same or an earlier time than the last
 * one of the symbol is refused (a replayed or duplicated funding line would otherwise charge twice).
 */
export function funding(ctx: Ctx, symbol: string, fundingRate: Rate, fundingTime = ctx.state.time): Rejection | undefined {
  const rejection = marketRejection(ctx, symbol) ?? markRejection(ctx, symbol);
  if (rejection) return rejection;
  const market = marketOf(ctx.state, symbol)!;
  const markPrice = ctx.state.marks[symbol]!;
  if (!Number.isSafeInteger(fundingTime) || fundingTime < 0) return reject('MALFORMED', 'time', `must be a whole number of milliseconds since 1970, got ${fundingTime}`);
  const last = ctx.state.fundingTimes[symbol];
  if (last !== undefined && fundingTime <= last) {
    return reject('MALFORMED', 'time', `${symbol} funding at ${fundingTime} is not after its last funding at ${last} (a funding is applied once per time; give each its "time")`);
  }
  ctx.state.fundingTimes[symbol] = fundingTime;
  // only the users exposed to the symbol can hold a position in it; BOTH, LONG, SHORT is their sorted order
  const users = exposedUsers(ctx.state, symbol);
  for (const id of users) {
    const user = ctx.state.users[id]!;
    for (const side of SIDES) {
      const position = user.positions[positionKey(symbol, side)];
      if (!position) continue;
      const payment = fundingPayment({ side: position.side, size: position.size, market }, markPrice, fundingRate);
      // isolated funding is settled into the position's own wallet (it moves the liquidation price),
      // cross funding into the cross wallet (Bybit states it, reference part 2 §4 and §6.1 example 3)
      const wallet = walletAccountOf(ctx, user, symbol, position.positionSide);
      moveSigned(ctx, wallet, FUNDING, payment, market.settleAsset, 'funding');
      ctx.events.push({ type: 'funding', op: ctx.op, account: user.id, symbol, positionSide: position.positionSide, rate: fundingRate, payment });
    }
  }
  checkRisk(ctx, users, symbol);
  return undefined;
}
