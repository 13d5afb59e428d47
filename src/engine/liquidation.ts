// Liquidation: partial (cut down to the bracket floor) and full (close at the bankruptcy price) for an
// isolated position or a whole cross account.
import {
  add,
  gt,
  isNegative,
  isPositive,
  max,
  min,
  roundToStep,
  sub,
  zero,
  quantityOf,
  contractsOf,
  type Money,
  type Quantity,
} from '../domain/fixed.ts';
import { contractSize, legNotional, unrealizedPnl, type Leg } from '../exchanges/rules.ts';
import { crossAccount, INSURANCE, isolatedAccount, MARKET, type LedgerAccountId } from './ledger.ts';
import {
  legOf,
  marketOf,
  positionKey,
  profileFor,
  settingsOf,
  snapshotOf,
  type OrderState,
  type PositionState,
  type UserState,
} from './state.ts';
import { type Ctx, move, moveSigned, bal, walletAccountOf, removeOrder } from './context.ts';
import { crossFigures } from './figures.ts';
import { closePart, recordLiquidationFill } from './fills.ts';
import { coverDeficit } from './insurance.ts';

export function cancelOrders(ctx: Ctx, user: UserState, keep: (o: OrderState) => boolean, reason: string): void {
  for (const order of [...user.orders]) if (!keep(order)) removeOrder(ctx, user, order, 'orderCanceled', reason);
}

/**
 * Partial liquidation by bracket (Binance: "attempt to reduce the user's margin limit with one large
 * Immediate or Cancel order without fully liquidating"): a position above the first bracket is cut at the
 * mark down to the floor of its bracket, paying the clearance fee on what is cut, until the scope is margin
 * compliant or the position is in the first bracket. Returns true when the scope became compliant.
 */
export function partialLiquidation(ctx: Ctx, user: UserState, scopeCompliant: () => boolean, positions: () => PositionState[]): boolean {
  const profile = profileFor(ctx.state);
  for (let step = 0; step < 32; step++) {
    let cut = false;
    for (const position of positions().sort((a, b) => (a.symbol < b.symbol ? -1 : 1))) {
      const leg = legOf(ctx.state, user, position);
      // OKX position tiers go by size (market.sizeTiers, floors in the leg's size unit): cut to the tier's floor size
      const bySize = leg.market.brackets === undefined ? leg.market.sizeTiers : undefined;
      const table = leg.market.brackets ?? bySize;
      if (!table || leg.maintenance) continue;
      const value = legNotional(leg, leg.markPrice);
      const current = profile.maintenanceMargin(leg, ctx.state.config.fees).segment.bracket ?? 1;
      if (current <= 1) continue;
      const floor = table.brackets[current - 1]!.floor;
      // quantity to cut so the remaining notional is at the floor of the bracket (rounded up to the step)
      const keepQty = roundToStep(bySize ? (floor as unknown as Quantity) : perQuantityOf(floor, leg), leg.market.stepSize, 'floor');
      const cutQty = sub(position.size, keepQty);
      // a cut that would close everything is the full liquidation's job (it settles the wallet to zero)
      if (!isPositive(cutQty) || !isPositive(keepQty) || !(bySize ? gt(position.size, keepQty) : gt(value, floor))) continue;
      const asset = leg.market.settleAsset;
      const wallet = walletAccountOf(ctx, user, position.symbol, position.positionSide);
      const feeDue = profile.liquidationFee(leg, cutQty, leg.markPrice, ctx.state.config.fees);
      // The cut keeps the isolated margin in the position's wallet. Releasing it in proportion (what a
      // user's close does) paid margin out to the cross wallet from a position at or below maintenance;
      // when the rest was then liquidated, the insurance fund and ADL covered the deficit that left
      // behind (found by the workload simulation; regression in workload.test.ts).
      const pnl = closePart(ctx, user, position, cutQty, leg.markPrice, false);
      recordLiquidationFill(ctx, user, position, cutQty, leg.markPrice, pnl);
      const fee = min(feeDue, max(zero<'Money'>(), bal(ctx, asset, wallet)));
      move(ctx, wallet, INSURANCE, fee, asset, 'clearanceFee');
      ctx.events.push({ type: 'partialLiquidation', op: ctx.op, account: user.id, symbol: position.symbol, positionSide: position.positionSide, quantity: cutQty, markPrice: leg.markPrice, liquidationFee: fee, realizedPnl: pnl });
      cut = true;
      if (scopeCompliant()) return true;
    }
    if (!cut) return false;
  }
  return false;
}

/** Quantity whose notional at the leg's mark is `value` (linear: value / mark; inverse: value x mark / CS). */
export function perQuantityOf(value: Money, leg: Leg): Quantity {
  if (leg.market.kind === 'linear') return quantityOf(value, leg.markPrice, 'floor');
  return contractsOf(value, leg.markPrice, contractSize(leg.market), 'floor');
}

export function liquidateIsolated(ctx: Ctx, user: UserState, position: PositionState): void {
  const { state } = ctx;
  const profile = profileFor(state);
  const symbol = position.symbol;
  const positionSide = position.positionSide;
  cancelOrders(ctx, user, (o) => !(o.symbol === symbol && o.positionSide === positionSide), 'liquidation of the isolated position');
  const key = positionKey(symbol, positionSide);
  const compliant = () => {
    const p = user.positions[key];
    if (!p) return true;
    const leg = legOf(state, user, p);
    return gt(add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice)), profile.maintenanceMargin(leg, state.config.fees).amount);
  };
  if (partialLiquidation(ctx, user, compliant, () => (user.positions[key] ? [user.positions[key]!] : []))) return;
  const remaining = user.positions[key];
  if (!remaining) return;
  const leg = legOf(state, user, remaining);
  const snapshot = { exchange: state.config.exchange, positionMode: user.positionMode, crossWallet: zero<'Money'>(), legs: [leg], fees: state.config.fees };
  const bankruptcy = profile.bankruptcyPrice(snapshot, 0);
  const asset = leg.market.settleAsset;
  const bucket = isolatedAccount(user.id, symbol, positionSide);
  const marginLost = max(zero<'Money'>(), bal(ctx, asset, bucket));
  const outcome = closeAtBankruptcy(ctx, user, [remaining], bucket, asset);
  ctx.events.push({
    type: 'liquidation',
    op: ctx.op,
    account: user.id,
    symbol,
    positionSide,
    marginMode: 'isolated',
    side: leg.side,
    quantity: leg.size,
    markPrice: leg.markPrice,
    bankruptcyPrice: bankruptcy,
    marginLost,
    ...outcome,
    reason: 'isolated margin balance fell to the maintenance margin',
  });
}

export function liquidateCross(ctx: Ctx, user: UserState, asset: string): void {
  const { state } = ctx;
  const crossSymbols = (p: { symbol: string }) => settingsOf(state, user, p.symbol).marginMode === 'cross' && marketOf(state, p.symbol)?.settleAsset === asset;
  // "During liquidation, a user's all open orders are immediately canceled" (liquidation protocols FAQ)
  cancelOrders(ctx, user, (o) => !crossSymbols(o), 'liquidation of the cross account');
  const crossPositions = () => Object.values(user.positions).filter(crossSymbols);
  const compliant = () => {
    const f = crossFigures(state, user, asset);
    return crossPositions().length === 0 || gt(f.marginBalance, f.mm);
  };
  if (partialLiquidation(ctx, user, compliant, crossPositions)) return;
  const positions = crossPositions().sort((a, b) => (positionKey(a.symbol, a.positionSide) < positionKey(b.symbol, b.positionSide) ? -1 : 1));
  if (positions.length === 0) return;
  const snapshot = snapshotOf(state, user, asset);
  const profile = profileFor(state);
  const legs = positions.map((p) => legOf(state, user, p));
  const bankruptcies = legs.map((leg) => profile.bankruptcyPrice(snapshot, snapshot.legs.findIndex((l) => l.symbol === leg.symbol && l.positionSide === leg.positionSide)));
  const wallet = crossAccount(user.id);
  // the whole cross wallet is lost: its realized losses go to the market, the rest to the insurance fund
  const marginLost = max(zero<'Money'>(), bal(ctx, asset, wallet));
  const outcome = closeAtBankruptcy(ctx, user, positions, wallet, asset);
  legs.forEach((leg, i) => {
    ctx.events.push({
      type: 'liquidation',
      op: ctx.op,
      account: user.id,
      symbol: leg.symbol,
      positionSide: leg.positionSide,
      marginMode: 'cross',
      side: leg.side,
      quantity: leg.size,
      markPrice: leg.markPrice,
      bankruptcyPrice: bankruptcies[i],
      // the account-level figures are reported once, on the first position of the cross liquidation
      marginLost: i === 0 ? marginLost : zero(),
      clearanceFee: i === 0 ? outcome.clearanceFee : zero(),
      insuranceCover: i === 0 ? outcome.insuranceCover : zero(),
      adl: i === 0 ? outcome.adl : zero(),
      reason: i === 0 ? 'cross margin balance fell to the maintenance margin' : `closed with the cross account (${legs[0]!.symbol} ${legs[0]!.positionSide})`,
    });
  });
}

/**
 * Closes positions "at the bankruptcy price": the wallet behind them ends at exactly zero. Each position's
 * PnL is first realized at the mark against the market; what is left in the wallet is the clearance fee
 * that goes to the insurance fund; a deficit is covered by the insurance fund, and what it cannot cover is
 * auto-deleveraged against the counterparty book.
 */
export function closeAtBankruptcy(ctx: Ctx, user: UserState, positions: PositionState[], wallet: LedgerAccountId, asset: string) {
  for (const position of positions) {
    const leg = legOf(ctx.state, user, position);
    const pnl = unrealizedPnl(leg, leg.markPrice);
    moveSigned(ctx, MARKET, wallet, pnl, asset, 'realizedPnl');
    position.realizedPnl = add(position.realizedPnl, pnl);
    recordLiquidationFill(ctx, user, position, position.size, leg.markPrice, pnl);
    delete user.positions[positionKey(position.symbol, position.positionSide)];
  }
  const left = bal(ctx, asset, wallet);
  let clearanceFee = zero<'Money'>();
  let insuranceCover = zero<'Money'>();
  let adl = zero<'Money'>();
  if (isPositive(left)) {
    clearanceFee = left;
    move(ctx, wallet, INSURANCE, left, asset, 'clearanceFee');
  } else if (isNegative(left)) {
    const covered = coverDeficit(ctx, user.id, wallet, sub(zero(), left), asset, positions);
    insuranceCover = covered.insurance;
    adl = covered.adl;
  }
  return { clearanceFee, insuranceCover, adl };
}
