// Where a position is liquidated, isolated next to cross, and how the cross price moves with the rest of
// the account. Pure: the command lives in ../cli/advise-liquidation.ts.
//
// - Isolated: the position alone with isolated margin = its initial margin at entry (notional at entry /
//   leverage, what opening it assigns). Static: it moves only when margin is added or removed.
// - Cross: the position in cross with the account's wallet and its other cross positions at their marks
//   (a leg that is isolated in the snapshot is switched to cross and its isolated wallet returns to the
//   cross wallet). Dynamic: it moves whenever another position's mark or the wallet moves, which the
//   sensitivity tables show.
// - Blast radius: the uniform move of every mark (all symbols by the same %) at which the cross account
//   reaches its maintenance margin, solved exactly for linear contracts (the margin equation is piecewise
//   linear in the move factor k: split at every bracket boundary and solve each piece, as
//   ../domain/solver.ts does for one symbol) and by bisection on the exact liquidation predicate otherwise.
import {
  add,
  divRound,
  fromInt,
  fromScaled,
  gt,
  gte,
  isNegative,
  isPositive,
  lt,
  lte,
  ratio,
  scale,
  sub,
  toScaled,
  zero,
  SCALE,
  type Money,
  type Price,
  type Rate,
} from '../domain/fixed.ts';
import type { MarginSegment } from '../domain/solver.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { legNotional, type AccountSnapshot, type ExchangeProfile, type Leg } from '../exchanges/rules.ts';

const ONE: Rate = fromInt(1);

/** A price moved by a signed fraction: p x (1 + move), half-even to the 18th decimal. */
export function movedPrice(p: Price, move: Rate): Price {
  return scale(p, add(ONE, move), 'halfEven');
}

/** The account with the marks of the selected legs moved by `move` (a signed fraction). */
export function withMarksMoved(account: AccountSnapshot, move: Rate, selected: (leg: Leg, index: number) => boolean = () => true): AccountSnapshot {
  return { ...account, legs: account.legs.map((leg, i) => (selected(leg, i) ? { ...leg, markPrice: movedPrice(leg.markPrice, move) } : leg)) };
}

/** The leg as an isolated position holding its initial margin at entry (notional at entry / leverage). */
export function isolatedAtInitialMargin(profile: ExchangeProfile, leg: Leg): Leg {
  const isolated: Leg = { ...leg, marginMode: 'isolated', isolatedWallet: zero() };
  return { ...isolated, isolatedWallet: profile.initialMargin(isolated, leg.entryPrice) };
}

/**
 * The account with every leg of `index`'s symbol in cross: isolated wallets of those legs go back to the
 * cross wallet (what closing and reopening in cross would do). Leg order is kept, so `index` still names it.
 */
export function crossVersion(account: AccountSnapshot, index: number): AccountSnapshot {
  const symbol = account.legs[index]!.symbol;
  let wallet = account.crossWallet;
  const legs = account.legs.map((leg) => {
    if (leg.symbol !== symbol || leg.marginMode === 'cross') return leg;
    wallet = add(wallet, leg.isolatedWallet);
    return { ...leg, marginMode: 'cross' as const, isolatedWallet: zero<'Money'>() };
  });
  return { ...account, crossWallet: wallet, legs };
}

/** The account with every leg in cross, isolated wallets returned to the cross wallet. */
export function allCross(account: AccountSnapshot): AccountSnapshot {
  let wallet = account.crossWallet;
  const legs = account.legs.map((leg) => {
    if (leg.marginMode === 'cross') return leg;
    wallet = add(wallet, leg.isolatedWallet);
    return { ...leg, marginMode: 'cross' as const, isolatedWallet: zero<'Money'>() };
  });
  return { ...account, crossWallet: wallet, legs };
}

/** (price / mark - 1): the signed move of the mark that reaches `price`, rounded toward zero. */
export function moveTo(price: Price, mark: Price): Rate {
  return sub(ratio(price, mark, lt(price, mark) ? 'ceil' : 'floor'), ONE);
}

// ------------------------------------------------------------------------------------ the blast radius

export type Direction = 'down' | 'up';

export interface IsolatedOnTheWay {
  readonly index: number;
  readonly symbol: string;
  /** The uniform move at which this isolated leg reaches its own liquidation price. */
  readonly move: Rate;
  /** Its isolated wallet: what its liquidation takes. */
  readonly margin: Money;
}

export interface UniformMove {
  readonly direction: Direction;
  /**
   * Signed fraction by which every mark moves when the cross account reaches its maintenance margin
   * (-0.25: every symbol 25 % lower), rounded toward zero; 0 when it is liquidatable already; undefined
   * when no move in this direction liquidates it (or the account has no cross position).
   */
  readonly move: Rate | undefined;
  /** True when solved exactly (linear contracts); false: bisection on the exact predicate to 1e-12. */
  readonly exact: boolean;
  readonly marginBalanceNow: Money;
  /** Margin balance and maintenance margin of the cross account at the move (MB = MM up to rounding). */
  readonly marginBalanceAt: Money | undefined;
  readonly maintenanceAt: Money | undefined;
  /** Margin balance lost to the move itself: MB now - MB at the move. */
  readonly lossFromMove: Money | undefined;
  /**
   * Cross equity lost: the whole margin balance now. A cross liquidation closes every cross position at
   * its bankruptcy price (the engine's model, Binance's liquidation protocol), so what the move leaves
   * (= the maintenance margin) is taken by the liquidation too.
   */
  readonly equityLost: Money | undefined;
  /** Isolated legs whose own liquidation price is reached by a smaller move in this direction. */
  readonly isolatedOnTheWay: readonly IsolatedOnTheWay[];
}

export interface BlastRadius {
  readonly down: UniformMove;
  readonly up: UniformMove;
  /** The direction adverse to the net cross book (net long: down); a flat book: the smaller move. */
  readonly adverse: Direction;
  /** Sum over cross legs of side x notional at the mark: > 0 net long. */
  readonly netNotional: Money;
}

const S = SCALE;
/** Bisection resolution on the move factor: 1e-12 (raw 10^6). */
const BISECTION_TOLERANCE = 10n ** 6n;

/** The blast radius of the account's cross book in both directions. */
export function blastRadius(account: AccountSnapshot, profile: ExchangeProfile = profileOf(account.exchange)): BlastRadius {
  const down = uniformMoveToLiquidation(account, 'down', profile);
  const up = uniformMoveToLiquidation(account, 'up', profile);
  let net = zero<'Money'>();
  for (const leg of account.legs) {
    if (leg.marginMode !== 'cross') continue;
    const n = legNotional(leg, leg.markPrice);
    net = leg.side === 1 ? add(net, n) : sub(net, n);
  }
  let adverse: Direction;
  if (isPositive(net)) adverse = 'down';
  else if (isNegative(net)) adverse = 'up';
  else if (down.move === undefined) adverse = 'up';
  else if (up.move === undefined) adverse = 'down';
  else adverse = gt(sub(zero(), down.move), up.move) ? 'up' : 'down';
  return { down, up, adverse, netNotional: net };
}

/**
 * The uniform move of all marks, in one direction, at which the cross account is liquidated.
 * `method`: 'auto' solves exactly where it can (linear contracts); 'bisection' forces the bisection (tests).
 */
export function uniformMoveToLiquidation(
  account: AccountSnapshot,
  direction: Direction,
  profile: ExchangeProfile = profileOf(account.exchange),
  method: 'auto' | 'bisection' = 'auto',
): UniformMove {
  const cross = account.legs.flatMap((leg, i) => (leg.marginMode === 'cross' ? [i] : []));
  const first = cross[0];
  const marginBalanceNow = first === undefined ? account.crossWallet : profile.marginBalance(account, first);
  const none = (exact: boolean): UniformMove => ({
    direction,
    move: undefined,
    exact,
    marginBalanceNow,
    marginBalanceAt: undefined,
    maintenanceAt: undefined,
    lossFromMove: undefined,
    equityLost: undefined,
    isolatedOnTheWay: isolatedOnTheWay(account, profile, direction, undefined),
  });
  if (first === undefined) return none(true);
  const exact =
    method === 'auto' && profile.rules.maintenanceUsesBankruptcyPrice !== true && cross.every((i) => account.legs[i]!.market.kind === 'linear');
  let factor: bigint | undefined;
  if (profile.isLiquidatable(account, first)) factor = S;
  else factor = exact ? solveLinear(account, cross, direction, profile) : bisect(account, first, direction, profile);
  if (factor === undefined) return none(exact);
  const move = sub(fromScaled<'Rate'>(factor), ONE);
  const moved = withMarksMoved(account, move);
  const marginBalanceAt = profile.marginBalance(moved, first);
  return {
    direction,
    move,
    exact,
    marginBalanceNow,
    marginBalanceAt,
    maintenanceAt: profile.scopeMaintenance(moved, first),
    lossFromMove: sub(marginBalanceNow, marginBalanceAt),
    equityLost: marginBalanceNow,
    isolatedOnTheWay: isolatedOnTheWay(account, profile, direction, move),
  };
}

function isolatedOnTheWay(account: AccountSnapshot, profile: ExchangeProfile, direction: Direction, crossMove: Rate | undefined): IsolatedOnTheWay[] {
  const out: IsolatedOnTheWay[] = [];
  const prices = account.legs.some((l) => l.marginMode === 'isolated') ? profile.liquidationPrices(account) : [];
  account.legs.forEach((leg, index) => {
    if (leg.marginMode !== 'isolated') return;
    const lp = prices[index];
    if (lp === undefined) return;
    const move = moveTo(lp, leg.markPrice);
    const rightWay = direction === 'down' ? lte(move, zero()) : gte(move, zero());
    const before = crossMove === undefined || (direction === 'down' ? gte(move, crossMove) : lte(move, crossMove));
    if (rightWay && before) out.push({ index, symbol: leg.symbol, move, margin: leg.isolatedWallet });
  });
  return out;
}

/**
 * Exact solve for linear cross legs. With k the move factor (every mark P_i becomes P_i k), the cross
 * margin balance minus maintenance is, inside a piece where every leg's bracket is fixed,
 *   f(k) = W + sum_i side_i (Q_i P_i k - Q_i EP_i) - sum_i (rate_i Q_i P_i k + constant_i) = A k + B,
 * so each piece has one root -B/A. Pieces are split at every leg's bracket floors (k = floor / (Q_i P_i)).
 * Going down from k = 1 the first liquidation is the largest root below 1; going up, the smallest above.
 * Scales: Q_i P_i and Q_i EP_i at 10^36, A at 10^54, B at 10^36; k raw = -B 10^36 / A.
 */
function solveLinear(account: AccountSnapshot, cross: readonly number[], direction: Direction, profile: ExchangeProfile): bigint | undefined {
  const legs = cross.map((i) => {
    const leg = account.legs[i]!;
    const segments: readonly MarginSegment[] = profile.rules.maintenanceSchedule(leg, account.fees, {});
    return {
      side: BigInt(leg.side),
      qp: toScaled(leg.size) * toScaled(leg.markPrice),
      qe: toScaled(leg.size) * toScaled(leg.entryPrice),
      segments,
    };
  });
  const breaks = new Set<bigint>();
  for (const leg of legs) {
    for (const seg of leg.segments) {
      const floor = toScaled(seg.floor);
      if (floor > 0n) breaks.add((floor * S * S) / leg.qp);
    }
  }
  const points = [0n, ...[...breaks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
  let best: { num: bigint; den: bigint; value: bigint } | undefined;
  for (let p = 0; p < points.length; p++) {
    const lo = points[p]!;
    const hi = points[p + 1];
    const probe = hi === undefined ? lo * 2n + S : (lo + hi) / 2n;
    if (probe <= 0n) continue;
    let a = 0n; // 10^54
    let b = toScaled(account.crossWallet) * S; // 10^36
    for (const leg of legs) {
      const notionalRaw = (leg.qp * probe) / (S * S); // 10^18
      const seg = segmentAt(leg.segments, notionalRaw);
      a += (leg.side * S - toScaled(seg.rate)) * leg.qp;
      b -= leg.side * leg.qe + toScaled(seg.constant) * S;
    }
    if (a === 0n) continue;
    let num = -b * S * S;
    let den = a;
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num <= 0n) continue;
    const value = num / den;
    if (value < lo || (hi !== undefined && value > hi)) continue;
    const wanted = direction === 'down' ? value < S : value >= S;
    if (!wanted) continue;
    const better = best === undefined || (direction === 'down' ? value > best.value : value < best.value);
    if (better) best = { num, den, value };
  }
  if (best === undefined) return undefined;
  // toward k = 1 (the current marks): the printed move is reached no later than the true one
  return divRound(best.num, best.den, direction === 'down' ? 'ceil' : 'floor');
}

function segmentAt(segments: readonly MarginSegment[], notionalRaw: bigint): MarginSegment {
  for (const seg of segments) if (seg.cap === undefined || notionalRaw < toScaled(seg.cap)) return seg;
  return segments[segments.length - 1]!;
}

/** Bisection on the exact predicate (inverse contracts, fees to close at the bankruptcy price). */
function bisect(account: AccountSnapshot, first: number, direction: Direction, profile: ExchangeProfile): bigint | undefined {
  const liquidatable = (k: bigint): boolean => profile.isLiquidatable(withMarksMoved(account, sub(fromScaled<'Rate'>(k), ONE)), first);
  let safe = S;
  let gone: bigint;
  if (direction === 'down') {
    gone = 10n ** 9n; // every mark at 1e-9 of itself
    if (!liquidatable(gone)) return undefined;
  } else {
    gone = 2n * S;
    while (!liquidatable(gone)) {
      gone *= 2n;
      if (gone > 10n ** 6n * S) return undefined;
    }
  }
  while ((safe > gone ? safe - gone : gone - safe) > BISECTION_TOLERANCE) {
    const mid = (safe + gone) / 2n;
    if (liquidatable(mid)) gone = mid;
    else safe = mid;
  }
  return safe;
}

// ------------------------------------------------------------------------------------ the advice

export interface SensitivityRow {
  /** The signed fraction applied: to the other symbols' marks, or to the cross wallet. */
  readonly change: Rate;
  readonly liquidationPrice: Price | undefined;
  /** True when the cross account is already at or past its maintenance margin with this change. */
  readonly liquidatableNow: boolean;
}

export interface LiquidationAdvice {
  readonly index: number;
  /** The leg as the cross figures see it (cross, at its mark). */
  readonly leg: Leg;
  readonly isolated: {
    /** Isolated margin = initial margin at entry. */
    readonly margin: Money;
    readonly liquidationPrice: Price | undefined;
    readonly bankruptcyPrice: Price | undefined;
  };
  /** When the snapshot holds the leg isolated with its own margin: the liquidation price with that margin. */
  readonly assigned: { readonly margin: Money; readonly liquidationPrice: Price | undefined } | undefined;
  readonly cross: {
    readonly wallet: Money;
    readonly liquidationPrice: Price | undefined;
    readonly bankruptcyPrice: Price | undefined;
    /** Cross legs of other symbols, whose marks move the cross price. */
    readonly otherCrossLegs: number;
  };
  readonly otherMoves: readonly SensitivityRow[];
  readonly walletChanges: readonly SensitivityRow[];
  /** The blast radius of the cross account with this leg in cross. */
  readonly blastRadius: BlastRadius;
}

export const DEFAULT_OTHER_MOVES: readonly string[] = ['-30', '-20', '-10', '-5', '0', '5', '10'];
export const DEFAULT_WALLET_CHANGES: readonly string[] = ['-50', '-25', '25', '50'];

export interface LiquidationOptions {
  /** Signed fractions by which the other symbols' marks move (-0.3 = 30 % lower). */
  readonly otherMoves: readonly Rate[];
  /** Signed fractions by which the cross wallet changes. */
  readonly walletChanges: readonly Rate[];
}

/** Isolated and cross liquidation prices of leg `index`, the cross price's sensitivities and the blast radius. */
export function liquidationAdvice(account: AccountSnapshot, index: number, options: LiquidationOptions): LiquidationAdvice {
  const profile = profileOf(account.exchange);
  const original = account.legs[index];
  if (original === undefined) throw new RangeError(`no position ${index}`);
  const isolatedLeg = isolatedAtInitialMargin(profile, original);
  const alone: AccountSnapshot = { ...account, crossWallet: zero(), legs: [isolatedLeg] };
  const crossAccount = crossVersion(account, index);
  const symbol = original.symbol;
  const row = (moved: AccountSnapshot, change: Rate): SensitivityRow => ({
    change,
    liquidationPrice: profile.liquidationPrice(moved, index),
    liquidatableNow: profile.isLiquidatable(moved, index),
  });
  return {
    index,
    leg: crossAccount.legs[index]!,
    isolated: {
      margin: isolatedLeg.isolatedWallet,
      liquidationPrice: profile.liquidationPrice(alone, 0),
      bankruptcyPrice: profile.bankruptcyPrice(alone, 0),
    },
    assigned:
      original.marginMode === 'isolated'
        ? { margin: original.isolatedWallet, liquidationPrice: profile.liquidationPrice({ ...account, legs: [original] }, 0) }
        : undefined,
    cross: {
      wallet: crossAccount.crossWallet,
      liquidationPrice: profile.liquidationPrice(crossAccount, index),
      bankruptcyPrice: profile.bankruptcyPrice(crossAccount, index),
      otherCrossLegs: crossAccount.legs.filter((l) => l.marginMode === 'cross' && l.symbol !== symbol).length,
    },
    otherMoves: options.otherMoves.map((m) =>
      row(withMarksMoved(crossAccount, m, (leg) => leg.symbol !== symbol), m),
    ),
    walletChanges: options.walletChanges.map((w) => row({ ...crossAccount, crossWallet: scale(crossAccount.crossWallet, add(ONE, w), 'floor') }, w)),
    blastRadius: blastRadius(crossAccount, profile),
  };
}
