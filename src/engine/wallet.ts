// Deposits and withdrawals: money in and out of an account's cross wallet.
import { gt, formatFixed, type Money } from '../domain/fixed.ts';
import { reject, type Rejection } from './codes.ts';
import { crossAccount, EXTERNAL } from './ledger.ts';
import { settleAssets, userOf } from './state.ts';
import { type Ctx, move, notPositive } from './context.ts';
import { poolFigures } from './figures.ts';

export function deposit(ctx: Ctx, account: string, asset: string, amount: Money): Rejection | undefined {
  const rejection = notPositive(amount, 'amount');
  if (rejection) return rejection;
  if (!settleAssets(ctx.state).includes(asset)) {
    return reject('MALFORMED', 'asset', `${asset} is not a margin asset on ${ctx.state.config.exchange} (${settleAssets(ctx.state).join(', ')})`);
  }
  const user = userOf(ctx.state, account);
  move(ctx, EXTERNAL, crossAccount(user.id), amount, asset, 'deposit');
  ctx.events.push({ type: 'deposit', op: ctx.op, account, asset, amount });
  return undefined;
}

export function withdraw(ctx: Ctx, account: string, asset: string, amount: Money): Rejection | undefined {
  const rejection = notPositive(amount, 'amount');
  if (rejection) return rejection;
  const user = ctx.state.users[account];
  if (!user) return reject('CROSS_BALANCE_INSUFFICIENT', 'account', `${account} has no balance`);
  const f = poolFigures(ctx.state, user, asset);
  if (gt(amount, f.withdrawable)) {
    return reject('CROSS_BALANCE_INSUFFICIENT', 'amount', `${formatFixed(amount)} ${asset} is more than the ${formatFixed(f.withdrawable)} ${asset} that can be withdrawn`);
  }
  move(ctx, crossAccount(user.id), EXTERNAL, amount, asset, 'withdrawal');
  ctx.events.push({ type: 'withdrawal', op: ctx.op, account, asset, amount });
  return undefined;
}
