// The figures of a cross margin scope (wallet, uPnL, IM, MM, pending order margin, what can be withdrawn):
// read by the checks of withdrawals, margin moves, leverage and orders, by risk and by the liquidation.
// Its own module so that risk -> liquidation -> figures has no cycle.
// Two ways to the same figures: crossFigures sums the account's legs now (the reference, and what a
// liquidation reads while it cuts positions); poolFigures reads the sums kept per symbol (./exposure.ts),
// so a check costs O(1) in the account's positions. Both end in figuresOf: same inputs, same bigints.
import { add, max, min, sub, zero, fromScaled, type Money } from '../domain/fixed.ts';
import { unrealizedPnl, type AccountSnapshot } from '../exchanges/rules.ts';
import { crossAccount, balanceOf } from './ledger.ts';
import { marketOf, profileFor, snapshotOf, type EngineState, type UserState } from './state.ts';
import { crossSums } from './exposure.ts';

/** The smallest amount the ledger holds (1e-18): "above maintenance" is at least this much above it. */
const ULP = fromScaled<'Money'>(1n);

/** Cross-account figures of one settlement asset (Binance USD-M account endpoint semantics), from scratch. */
export function crossFigures(state: EngineState, user: UserState, asset: string) {
  const profile = profileFor(state);
  const snapshot: AccountSnapshot = snapshotOf(state, user, asset);
  let upnl = zero<'Money'>();
  let im = zero<'Money'>();
  let mm = zero<'Money'>();
  let crossLegs = 0;
  for (const leg of snapshot.legs) {
    if (leg.marginMode !== 'cross') continue;
    crossLegs += 1;
    upnl = add(upnl, unrealizedPnl(leg, leg.markPrice));
    im = add(im, profile.initialMargin(leg));
    mm = add(mm, profile.maintenanceMargin(leg, snapshot.fees).amount);
  }
  return { snapshot, ...figuresOf(snapshot.crossWallet, upnl, im, mm, pendingOf(state, user, asset), crossLegs) };
}

/** The same figures from the kept sums: valid whenever they are current (between transitions). */
export function poolFigures(state: EngineState, user: UserState, asset: string) {
  const sums = crossSums(state, user.id, asset);
  return figuresOf(balanceOf(state.balances, asset, crossAccount(user.id)), sums.upnl, sums.im, sums.mm, pendingOf(state, user, asset), sums.legs);
}

/** Margin reserved by the account's resting orders of the asset's markets. */
function pendingOf(state: EngineState, user: UserState, asset: string): Money {
  let pending = zero<'Money'>();
  for (const o of user.orders) if (marketOf(state, o.symbol)?.settleAsset === asset) pending = add(pending, o.reserved);
  return pending;
}

function figuresOf(wallet: Money, upnl: Money, im: Money, mm: Money, pending: Money, crossLegs: number) {
  const marginBalance = add(wallet, upnl);
  const available = sub(sub(marginBalance, im), pending);
  // max withdrawal: crossWalletBalance - open-order IM - cross MM, and not more than the available balance
  // ("How to Adjust Margin Balance in Cross/Isolated Margin Mode", FAQ 360038447311)
  let withdrawable = max(zero<'Money'>(), min(sub(sub(wallet, pending), mm), available));
  // ...and never so much that the margin balance would end at or below maintenance (Binance's two bounds
  // ensure it only while IM > MM; a table with MMR above 1/leverage, or IM at entry, breaks that)
  if (crossLegs > 0) withdrawable = max(zero<'Money'>(), min(withdrawable, sub(sub(marginBalance, mm), ULP)));
  return { wallet, upnl, im, mm, pending, marginBalance, available, withdrawable, crossLegs };
}
