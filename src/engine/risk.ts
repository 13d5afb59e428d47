// Margin scopes at risk: the check that refuses a voluntary command leaving a scope at or below
// maintenance, and checkRisk, which after a mark or a funding (or any voluntary command) issues margin
// calls and hands scopes at or below maintenance to the liquidation.
import { add, gte, isNegative, lte, ratio, sub, zero, formatFixed } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import { reject, type Rejection, type RejectionKey } from './codes.ts';
import { crossAccount } from './ledger.ts';
import { legOf, profileFor, settingsOf, settleAssets } from './state.ts';
import { type Ctx, bal } from './context.ts';
import { crossFigures } from './figures.ts';
import { liquidateIsolated, liquidateCross } from './liquidation.ts';
import { coverDeficit } from './insurance.ts';

/**
 * Refuses the command when any margin scope of the account is at or below maintenance after it: each
 * isolated position (bucket + uPnL > MM) and the cross account of each asset (MB > MM with cross
 * positions; a wallet that is not negative without them). Nothing is liquidated here. The one rung of
 * the ladder that runs after the mutation: it reads the command's result on the working copy, which
 * apply() drops when this refuses.
 */
export function scopeRejection(ctx: Ctx, account: string, key: RejectionKey, field: string): Rejection | undefined {
  const { state } = ctx;
  const user = state.users[account];
  if (!user) return undefined;
  const profile = profileFor(state);
  for (const p of Object.keys(user.positions).sort()) {
    const position = user.positions[p]!;
    if (settingsOf(state, user, position.symbol).marginMode !== 'isolated') continue;
    const leg = legOf(state, user, position);
    const balance = add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice));
    const mm = profile.maintenanceMargin(leg, state.config.fees).amount;
    if (lte(balance, mm)) {
      return reject(key, field, `it would leave the isolated ${position.symbol} ${position.positionSide} position at or below maintenance (margin balance ${formatFixed(balance)}, MM ${formatFixed(mm)})`);
    }
  }
  for (const asset of settleAssets(state)) {
    const f = crossFigures(state, user, asset);
    if (f.snapshot.legs.some((l) => l.marginMode === 'cross')) {
      if (lte(f.marginBalance, f.mm)) return reject(key, field, `it would leave the cross ${asset} account at or below maintenance (margin balance ${formatFixed(f.marginBalance)}, MM ${formatFixed(f.mm)})`);
    } else if (isNegative(f.wallet)) {
      return reject(key, field, `it would leave the cross ${asset} wallet at ${formatFixed(f.wallet)}`);
    }
  }
  return undefined;
}

/** Margin calls and liquidations for every user, after anything that moves prices or balances. */
export function checkRisk(ctx: Ctx): void {
  const { state } = ctx;
  const profile = profileFor(state);
  for (const id of Object.keys(state.users).sort()) {
    const user = state.users[id]!;
    for (const asset of settleAssets(state)) {
      // isolated positions, each alone
      for (const key of Object.keys(user.positions).sort()) {
        const position = user.positions[key];
        if (!position || settingsOf(state, user, position.symbol).marginMode !== 'isolated') continue;
        const leg = legOf(state, user, position);
        if (leg.market.settleAsset !== asset) continue;
        const balance = add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice));
        const mm = profile.maintenanceMargin(leg, state.config.fees).amount;
        if (lte(balance, mm)) {
          liquidateIsolated(ctx, user, position);
          continue;
        }
        const ratioNow = ratio(mm, balance, 'ceil');
        const calling = gte(ratioNow, state.config.marginCallRatio);
        if (calling && !position.marginCall) {
          ctx.events.push({ type: 'marginCall', op: ctx.op, account: user.id, scope: `${position.symbol}/${position.positionSide} isolated`, marginRatio: ratioNow });
        }
        position.marginCall = calling;
      }
      // the cross account as a whole
      const f = crossFigures(state, user, asset);
      const crossLegs = f.snapshot.legs.filter((l) => l.marginMode === 'cross');
      if (crossLegs.length === 0) {
        user.crossMarginCall = false;
        const wallet = bal(ctx, asset, crossAccount(user.id));
        // a flat account never keeps a debt: the insurance fund balances it back to zero
        if (isNegative(wallet)) coverDeficit(ctx, user.id, crossAccount(user.id), sub(zero(), wallet), asset);
        continue;
      }
      if (lte(f.marginBalance, f.mm)) {
        liquidateCross(ctx, user, asset);
        continue;
      }
      const ratioNow = ratio(f.mm, f.marginBalance, 'ceil');
      const calling = gte(ratioNow, state.config.marginCallRatio);
      if (calling && !user.crossMarginCall) ctx.events.push({ type: 'marginCall', op: ctx.op, account: user.id, scope: 'cross', marginRatio: ratioNow });
      user.crossMarginCall = calling;
    }
  }
}
