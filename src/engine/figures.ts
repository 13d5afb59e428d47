// The figures of a cross margin scope (wallet, uPnL, IM, MM, pending order margin, what can be withdrawn):
// read by the checks of withdrawals, margin moves, leverage and orders, by risk and by the liquidation.
// Its own module so that risk -> liquidation -> figures has no cycle.
import { add, max, min, sub, zero, fromScaled } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import { marketOf, profileFor, snapshotOf, type EngineState, type UserState } from './state.ts';

/** The smallest amount the ledger holds (1e-18): "above maintenance" is at least this much above it. */
const ULP = fromScaled<'Money'>(1n);

/** Cross-account figures of one settlement asset (Binance USD-M account endpoint semantics). */
export function crossFigures(state: EngineState, user: UserState, asset: string) {
  const profile = profileFor(state);
  const snapshot = snapshotOf(state, user, asset);
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
  let pending = zero<'Money'>();
  for (const o of user.orders) if (marketOf(state, o.symbol)?.settleAsset === asset) pending = add(pending, o.reserved);
  const wallet = snapshot.crossWallet;
  const marginBalance = add(wallet, upnl);
  const available = sub(sub(marginBalance, im), pending);
  // max withdrawal: crossWalletBalance - open-order IM - cross MM, and not more than the available balance
  // ("How to Adjust Margin Balance in Cross/Isolated Margin Mode", FAQ 360038447311)
  let withdrawable = max(zero<'Money'>(), min(sub(sub(wallet, pending), mm), available));
  // ...and never so much that the margin balance would end at or below maintenance (Binance's two bounds
  // ensure it only while IM > MM; a table with MMR above 1/leverage, or IM at entry, breaks that)
  if (crossLegs > 0) withdrawable = max(zero<'Money'>(), min(withdrawable, sub(sub(marginBalance, mm), ULP)));
  return { snapshot, wallet, upnl, im, mm, pending, marginBalance, available, withdrawable };
}
