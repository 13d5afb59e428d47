// Margin scopes at risk: the check that refuses a voluntary command leaving a scope at or below
// maintenance, and checkRisk, which after a mark or a funding (or any voluntary command) issues margin
// calls and hands scopes at or below maintenance to the liquidation.
// Both look only at the scopes the command can have changed: the isolated positions of its symbol and the
// cross pools of its users (read from the kept sums, ./exposure.ts, so O(1) in the account's positions).
// Every other scope was consistent after the previous command and is unchanged, so looking at it again
// would change nothing; users on the `recheck` list (after a build of the derived data, or after a
// liquidation, whose margin-call flags the next check settles) get every scope looked at, as before.
import { add, gte, isNegative, lte, ratio, sub, zero, formatFixed } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import { reject, type Rejection, type RejectionKey } from './codes.ts';
import { crossAccount } from './ledger.ts';
import { legOf, positionKey, profileFor, settingsOf, settleAssets, type UserState } from './state.ts';
import { type Ctx, bal } from './context.ts';
import { poolFigures } from './figures.ts';
import { derivedOf, refreshExposure, SIDES, symbolsOf } from './exposure.ts';
import { liquidateIsolated, liquidateCross } from './liquidation.ts';
import { coverDeficit } from './insurance.ts';

/**
 * The position keys a check looks at, in sorted order: every position of the user (`symbol` 'all'), those
 * of one symbol, or none (an account-wide command that moves only the cross wallet).
 */
function keysOf(user: UserState, symbol: string | 'all' | undefined): string[] {
  if (symbol === 'all') return Object.keys(user.positions).sort();
  if (symbol === undefined) return [];
  const keys: string[] = [];
  for (const side of SIDES) {
    const key = positionKey(symbol, side);
    if (user.positions[key] !== undefined) keys.push(key);
  }
  return keys;
}

/**
 * Refuses the command when a margin scope of the account it can change is at or below maintenance after
 * it: each isolated position of its symbol (bucket + uPnL > MM) and the cross account of each asset
 * (MB > MM with cross positions; a wallet that is not negative without them). Nothing is liquidated here.
 * The one rung of the ladder that runs after the mutation: it reads the command's result, which apply()
 * rolls back when this refuses.
 */
export function scopeRejection(ctx: Ctx, account: string, symbol: string | undefined, key: RejectionKey, field: string): Rejection | undefined {
  const { state } = ctx;
  const user = state.users[account];
  if (!user) return undefined;
  const profile = profileFor(state);
  for (const p of keysOf(user, derivedOf(state).recheck.has(account) ? 'all' : symbol)) {
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
    const f = poolFigures(state, user, asset);
    if (f.crossLegs > 0) {
      if (lte(f.marginBalance, f.mm)) return reject(key, field, `it would leave the cross ${asset} account at or below maintenance (margin balance ${formatFixed(f.marginBalance)}, MM ${formatFixed(f.mm)})`);
    } else if (isNegative(f.wallet)) {
      return reject(key, field, `it would leave the cross ${asset} wallet at ${formatFixed(f.wallet)}`);
    }
  }
  return undefined;
}

/**
 * Margin calls and liquidations after anything that moves prices or balances: for `users` (sorted), the
 * isolated positions of `symbol` and every cross pool; for users on the recheck list, every scope.
 */
export function checkRisk(ctx: Ctx, users: readonly string[], symbol: string | undefined): void {
  const { recheck } = derivedOf(ctx.state);
  // nothing to recheck (most marks): no copy of the list
  if (recheck.size === 0) {
    for (const id of users) {
      const user = ctx.state.users[id];
      if (user) checkUser(ctx, user, symbol);
    }
    return;
  }
  const full = new Set(recheck);
  recheck.clear();
  const ids = [...new Set([...users, ...full])].sort();
  for (const id of ids) {
    const user = ctx.state.users[id];
    if (user) checkUser(ctx, user, full.has(id) ? 'all' : symbol);
  }
}

function checkUser(ctx: Ctx, user: UserState, symbol: string | 'all' | undefined): void {
  const { state } = ctx;
  const profile = profileFor(state);
  const keys = keysOf(user, symbol);
  for (const asset of settleAssets(state)) {
    // isolated positions, each alone
    for (const key of keys) {
      const position = user.positions[key];
      if (!position || settingsOf(state, user, position.symbol).marginMode !== 'isolated') continue;
      const leg = legOf(state, user, position);
      if (leg.market.settleAsset !== asset) continue;
      const balance = add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice));
      const mm = profile.maintenanceMargin(leg, state.config.fees).amount;
      if (lte(balance, mm)) {
        liquidated(ctx, user, () => liquidateIsolated(ctx, user, position));
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
    const f = poolFigures(state, user, asset);
    if (f.crossLegs === 0) {
      user.crossMarginCall = false;
      const wallet = bal(ctx, asset, crossAccount(user.id));
      // a flat account never keeps a debt: the insurance fund balances it back to zero
      if (isNegative(wallet)) coverDeficit(ctx, user.id, crossAccount(user.id), sub(zero(), wallet), asset);
      continue;
    }
    if (lte(f.marginBalance, f.mm)) {
      liquidated(ctx, user, () => liquidateCross(ctx, user, asset));
      continue;
    }
    const ratioNow = ratio(f.mm, f.marginBalance, 'ceil');
    const calling = gte(ratioNow, state.config.marginCallRatio);
    if (calling && !user.crossMarginCall) ctx.events.push({ type: 'marginCall', op: ctx.op, account: user.id, scope: 'cross', marginRatio: ratioNow });
    user.crossMarginCall = calling;
  }
}

/**
 * Runs a liquidation of the user, then brings the derived data of every symbol it may have touched (its
 * positions and orders before it) up to date, and puts the user on the recheck list: the liquidation
 * leaves the margin-call flags of what it cut to the next check.
 */
function liquidated(ctx: Ctx, user: UserState, liquidation: () => void): void {
  const symbols = symbolsOf(user);
  liquidation();
  for (const symbol of symbols) refreshExposure(ctx.state, user.id, symbol);
  derivedOf(ctx.state).recheck.add(user.id);
}
