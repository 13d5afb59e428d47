// Moving margin into and out of an isolated position (Binance's add/reduce position margin).
import { add, gt, max, min, sub, zero, formatFixed, type Money } from '../domain/fixed.ts';
import { unrealizedPnl, type PositionSide } from '../exchanges/rules.ts';
import { reject, type Rejection } from './codes.ts';
import { crossAccount, isolatedAccount } from './ledger.ts';
import { legOf, marketOf, positionKey, profileFor, settingsOf } from './state.ts';
import { type Ctx, move, bal, marketRejection, notPositive } from './context.ts';
import { poolFigures } from './figures.ts';

export function adjustMargin(ctx: Ctx, op: 'addMargin' | 'reduceMargin', account: string, symbol: string, amount: Money, positionSide: PositionSide | undefined): Rejection | undefined {
  const rejection = marketRejection(ctx, symbol) ?? notPositive(amount, 'amount');
  if (rejection) return rejection;
  const market = marketOf(ctx.state, symbol)!;
  const user = ctx.state.users[account];
  const settings = user ? settingsOf(ctx.state, user, symbol) : undefined;
  if (!user || settings?.marginMode !== 'isolated') return reject('ADD_MARGIN_ISOLATED_ONLY', 'symbol', `${symbol} is not in isolated margin mode`);
  const side: PositionSide = positionSide ?? (user.positionMode === 'hedge' ? ('' as PositionSide) : 'BOTH');
  const position = user.positions[positionKey(symbol, side)];
  if (!position) return reject('NO_POSITION_FOR_MARGIN', 'symbol', `there is no ${symbol} ${side || '(positionSide needed in hedge mode)'} position`);
  const asset = market.settleAsset;
  const bucket = isolatedAccount(user.id, symbol, side);
  if (op === 'addMargin') {
    const f = poolFigures(ctx.state, user, asset);
    // Binance: max(0, min(crossWalletBalance - open-order IM - cross MM, available)); with cross positions,
    // also strictly less than what would take the cross margin balance to maintenance (as withdrawable)
    const addable = f.withdrawable;
    if (gt(amount, addable)) return reject('CROSS_BALANCE_INSUFFICIENT', 'amount', `${formatFixed(amount)} is more than the ${formatFixed(addable)} ${asset} that can be added`);
    move(ctx, crossAccount(user.id), bucket, amount, asset, 'addMargin');
  } else {
    const profile = profileFor(ctx.state);
    const leg = legOf(ctx.state, user, position);
    const held = bal(ctx, asset, bucket);
    // max removable = min(isolated wallet - MM, isolated wallet + UPNL - IM at mark) (FAQ 360038447311)
    const removable = max(
      zero<'Money'>(),
      min(sub(held, profile.maintenanceMargin(leg, ctx.state.config.fees).amount), sub(add(held, unrealizedPnl(leg, leg.markPrice)), profile.initialMargin(leg))),
    );
    if (gt(amount, removable)) return reject('ISOLATED_BALANCE_INSUFFICIENT', 'amount', `${formatFixed(amount)} is more than the ${formatFixed(removable)} ${asset} that can be removed`);
    move(ctx, bucket, crossAccount(user.id), amount, asset, 'reduceMargin');
  }
  ctx.events.push({ type: 'settings', op: ctx.op, account, what: `${op} ${formatFixed(amount)} ${symbol}` });
  return undefined;
}
