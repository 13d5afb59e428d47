// Offsetting positions under cross and isolated margin: the margin each way, where each leg is
// liquidated, and what one leg's liquidation does to the others. Pure: the command lives in
// ../cli/advise-hedge.ts.
//
// - All isolated: every leg holds its initial margin at entry as its isolated wallet. The margins add up
//   and the losses do not offset: the losing leg is liquidated on its own while the winning leg's profit
//   sits in another wallet.
// - All cross: the same initial and maintenance margins add up, but the margin balance is the wallet
//   plus the sum of all PnL, so a loss on one leg is carried by the gain on the other.
// - Hedge mode (one symbol, LONG and SHORT legs): both legs need margin (the venue charges each leg), in
//   cross they are solved together and share one liquidation price; in one-way mode the same exposure is
//   the net position, whose margin is shown next to it.
// - The domino, per leg (in the all-cross account): when the leg's symbol reaches the leg's cross
//   liquidation price the whole cross account is liquidated and every cross leg is closed with it. And:
//   if the leg lost what an isolated position would have risked (its initial margin: the mark at its
//   isolated bankruptcy price) and were closed there, does the cross account survive, and where are the
//   others liquidated then? When the cross liquidation price comes first, the account is gone before that.
import {
  abs,
  add,
  isZero,
  eq,
  gt,
  isPositive,
  lt,
  max,
  sub,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { unrealizedPnl, type AccountSnapshot, type ExchangeProfile, type Leg } from '../exchanges/rules.ts';
import { allCross, blastRadius, isolatedAtInitialMargin, moveTo, type BlastRadius } from './liquidation.ts';

export interface OtherAfterLoss {
  readonly index: number;
  readonly label: string;
  readonly liquidationPriceBefore: Price | undefined;
  readonly liquidationPriceAfter: Price | undefined;
}

export interface Domino {
  /** The other cross legs closed with this one when its cross liquidation price is reached (all of them). */
  readonly closedAtCrossLiquidation: readonly string[];
  /** The mark at which the leg has lost its initial margin (its isolated bankruptcy price). */
  readonly isolatedLossPrice: Price | undefined;
  /** The cross account reaches its maintenance margin before the leg has lost its initial margin. */
  readonly crossFirst: boolean;
  /** The cross account after the leg is closed at its isolated bankruptcy price (undefined if crossFirst or no such price). */
  readonly afterLoss:
    | {
        readonly realizedPnl: Money;
        readonly wallet: Money;
        readonly marginBalance: Money;
        readonly maintenanceMargin: Money;
        readonly liquidatable: boolean;
        readonly others: readonly OtherAfterLoss[];
      }
    | undefined;
  /** The other legs liquidated with it in that scenario: all of them when crossFirst or liquidatable after. */
  readonly goesWith: readonly string[];
}

export interface HedgeLegAdvice {
  readonly index: number;
  readonly label: string;
  readonly leg: Leg;
  readonly notional: Money;
  readonly initialMargin: Money;
  readonly maintenanceMargin: Money;
  readonly unrealizedPnl: Money;
  readonly isolated: { readonly margin: Money; readonly liquidationPrice: Price | undefined; readonly move: Rate | undefined };
  readonly cross: { readonly liquidationPrice: Price | undefined; readonly move: Rate | undefined };
  readonly domino: Domino;
}

export interface FirstLiquidation {
  /** The smallest uniform move in the direction that liquidates an isolated leg; undefined: none does. */
  readonly move: Rate | undefined;
  readonly legs: readonly string[];
}

export interface HedgePair {
  readonly symbol: string;
  readonly initialMargin: Money;
  readonly maintenanceMargin: Money;
  /** The LONG and SHORT legs' shared cross liquidation price. */
  readonly crossLiquidationPrice: Price | undefined;
  /** The one-way equivalent: the net position (undefined when the legs cancel). */
  readonly net: { readonly side: 1 | -1; readonly size: Quantity; readonly initialMargin: Money; readonly maintenanceMargin: Money } | undefined;
}

export interface HedgeAdvice {
  readonly settleAsset: string;
  /** Cross wallet plus the snapshot's isolated wallets: the capital both versions start from. */
  readonly totalWallet: Money;
  readonly legs: readonly HedgeLegAdvice[];
  readonly isolated: {
    /** Sum of the legs' initial margin at the mark (the same as in cross). */
    readonly initialMargin: Money;
    /** Sum of the isolated wallets (each leg's initial margin at entry): the margin locked in the positions. */
    readonly assignedMargin: Money;
    readonly maintenanceMargin: Money;
    /** Sum of the legs' isolated margin balances (margin + own PnL). */
    readonly marginBalance: Money;
    /** The wallet left outside the positions (total - sum of isolated margins): never at risk. */
    readonly freeWallet: Money;
    readonly down: FirstLiquidation;
    readonly up: FirstLiquidation;
  };
  readonly cross: {
    readonly initialMargin: Money;
    readonly maintenanceMargin: Money;
    /** Wallet + sum of all PnL: the losses offset. */
    readonly marginBalance: Money;
    readonly unrealizedPnl: Money;
    readonly marginRatio: Rate | undefined;
    readonly availableBalance: Money;
    readonly blastRadius: BlastRadius;
  };
  readonly pairs: readonly HedgePair[];
  readonly warnings: readonly string[];
}

export function legLabel(leg: Leg): string {
  return `${leg.symbol} ${leg.side === 1 ? 'long' : 'short'}`;
}

export function hedgeAdvice(account: AccountSnapshot): HedgeAdvice {
  const profile = profileOf(account.exchange);
  const warnings: string[] = [];
  const cross = allCross(account);
  const report = profile.evaluate(cross);
  const crossPrices = report.legs.map((l) => l.liquidationPrice);
  const isolatedLegs = account.legs.map((leg) => isolatedAtInitialMargin(profile, leg));
  const isolatedAccount: AccountSnapshot = { ...account, crossWallet: zero(), legs: isolatedLegs };
  const isolatedPrices = profile.liquidationPrices(isolatedAccount);
  const isolatedBankruptcy = profile.bankruptcyPrices(isolatedAccount);
  const labels = account.legs.map(legLabel);
  const legs: HedgeLegAdvice[] = account.legs.map((_, i) => {
    const leg = cross.legs[i]!;
    const r = report.legs[i]!;
    const iso = isolatedPrices[i];
    const crossLp = crossPrices[i];
    return {
      index: i,
      label: labels[i]!,
      leg,
      notional: r.notional,
      initialMargin: r.initialMargin,
      maintenanceMargin: r.maintenanceMargin,
      unrealizedPnl: r.unrealizedPnl,
      isolated: { margin: isolatedLegs[i]!.isolatedWallet, liquidationPrice: iso, move: iso === undefined ? undefined : moveTo(iso, leg.markPrice) },
      cross: { liquidationPrice: crossLp, move: crossLp === undefined ? undefined : moveTo(crossLp, leg.markPrice) },
      domino: domino(profile, cross, i, crossPrices, isolatedBankruptcy[i], labels),
    };
  });
  const assigned = sumOf(isolatedLegs.map((l) => l.isolatedWallet));
  const isolatedMb = sumOf(isolatedLegs.map((l) => add(l.isolatedWallet, unrealizedPnl(l, l.markPrice))));
  if (gt(assigned, cross.crossWallet)) warnings.push('the wallet does not cover the initial margins of all legs');
  return {
    settleAsset: report.settleAsset,
    totalWallet: cross.crossWallet,
    legs,
    isolated: {
      initialMargin: report.initialMargin,
      assignedMargin: assigned,
      maintenanceMargin: report.legs.reduce((t, l) => add(t, l.maintenanceMargin), zero<'Money'>()),
      marginBalance: isolatedMb,
      freeWallet: max(zero(), sub(cross.crossWallet, assigned)),
      down: firstIsolated(legs, 'down'),
      up: firstIsolated(legs, 'up'),
    },
    cross: {
      initialMargin: report.initialMargin,
      maintenanceMargin: report.maintenanceMargin,
      marginBalance: report.marginBalance,
      unrealizedPnl: sub(report.marginBalance, report.crossWallet),
      marginRatio: report.marginRatio,
      availableBalance: report.availableBalance,
      blastRadius: blastRadius(cross, profile),
    },
    pairs: hedgePairs(profile, cross, crossPrices),
    warnings,
  };
}

function sumOf(values: readonly Money[]): Money {
  return values.reduce((t, v) => add(t, v), zero<'Money'>());
}

function firstIsolated(legs: readonly HedgeLegAdvice[], direction: 'down' | 'up'): FirstLiquidation {
  let best: Rate | undefined;
  for (const l of legs) {
    const m = l.isolated.move;
    if (m === undefined || (direction === 'down' ? gt(m, zero()) : lt(m, zero()))) continue;
    if (best === undefined || (direction === 'down' ? gt(m, best) : lt(m, best))) best = m;
  }
  const found = best;
  if (found === undefined) return { move: undefined, legs: [] };
  return { move: found, legs: legs.filter((l) => l.isolated.move !== undefined && eq(l.isolated.move, found)).map((l) => l.label) };
}

function domino(
  profile: ExchangeProfile,
  cross: AccountSnapshot,
  i: number,
  crossPrices: readonly (Price | undefined)[],
  isolatedLossPrice: Price | undefined,
  labels: readonly string[],
): Domino {
  const leg = cross.legs[i]!;
  const others = cross.legs.flatMap((_, j) => (j === i ? [] : [j]));
  const closedAtCrossLiquidation = others.map((j) => labels[j]!);
  if (isolatedLossPrice === undefined) {
    return { closedAtCrossLiquidation, isolatedLossPrice, crossFirst: false, afterLoss: undefined, goesWith: [] };
  }
  // every leg of the symbol at the loss price. The cross margin balance less maintenance is concave in
  // the symbol's price P (linear contracts) or in 1/P (inverse): PnL is linear in it and maintenance is
  // convex (bracket rates rise with the notional). Moving from the mark to the loss price is monotone in
  // both, so the balance stays above maintenance all the way when it does at both ends: the account is
  // liquidated on the way exactly when it is liquidatable at the loss price.
  const atLoss = cross.legs.map((l) => (l.symbol === leg.symbol ? { ...l, markPrice: isolatedLossPrice } : l));
  const crossFirst = profile.isLiquidatable({ ...cross, legs: atLoss }, i);
  if (crossFirst) {
    return { closedAtCrossLiquidation, isolatedLossPrice, crossFirst, afterLoss: undefined, goesWith: closedAtCrossLiquidation };
  }
  // the leg closed at the loss price, its PnL realized into the wallet
  const realizedPnl = unrealizedPnl(atLoss[i]!, isolatedLossPrice);
  const rest: AccountSnapshot = { ...cross, crossWallet: add(cross.crossWallet, realizedPnl), legs: atLoss.filter((_, j) => j !== i) };
  const restIndex = (j: number): number => (j < i ? j : j - 1);
  const after = rest.legs.length > 0 ? profile.liquidationPrices(rest) : [];
  const liquidatable = rest.legs.length > 0 && profile.isLiquidatable(rest, 0);
  const marginBalance = rest.legs.length > 0 ? profile.marginBalance(rest, 0) : rest.crossWallet;
  const maintenanceMargin = rest.legs.length > 0 ? profile.scopeMaintenance(rest, 0) : zero<'Money'>();
  return {
    closedAtCrossLiquidation,
    isolatedLossPrice,
    crossFirst: false,
    afterLoss: {
      realizedPnl,
      wallet: rest.crossWallet,
      marginBalance,
      maintenanceMargin,
      liquidatable,
      others: others.map((j) => ({
        index: j,
        label: labels[j]!,
        liquidationPriceBefore: crossPrices[j],
        liquidationPriceAfter: after[restIndex(j)],
      })),
    },
    goesWith: liquidatable ? closedAtCrossLiquidation : [],
  };
}

function hedgePairs(profile: ExchangeProfile, cross: AccountSnapshot, crossPrices: readonly (Price | undefined)[]): HedgePair[] {
  if (cross.positionMode !== 'hedge') return [];
  const pairs: HedgePair[] = [];
  const symbols = [...new Set(cross.legs.map((l) => l.symbol))];
  for (const symbol of symbols) {
    const li = cross.legs.findIndex((l) => l.symbol === symbol && l.side === 1);
    const si = cross.legs.findIndex((l) => l.symbol === symbol && l.side === -1);
    if (li < 0 || si < 0) continue;
    const long = cross.legs[li]!;
    const short = cross.legs[si]!;
    const mmOf = (l: Leg): Money => profile.maintenanceMargin(l, cross.fees).amount;
    const diff = sub(long.size, short.size);
    let net: HedgePair['net'];
    if (!isZero(diff)) {
      const bigger = isPositive(diff) ? long : short;
      const size: Quantity = abs(diff);
      const netLeg: Leg = { ...bigger, positionSide: 'BOTH', size };
      net = { side: bigger.side, size, initialMargin: profile.initialMargin(netLeg), maintenanceMargin: mmOf(netLeg) };
    }
    pairs.push({
      symbol,
      initialMargin: add(profile.initialMargin(long), profile.initialMargin(short)),
      maintenanceMargin: add(mmOf(long), mmOf(short)),
      crossLiquidationPrice: crossPrices[li],
      net,
    });
  }
  return pairs;
}
