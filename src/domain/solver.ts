// The one equation behind every venue's liquidation and bankruptcy price:
//
//   pool + sum_g UPNL_g(P) = sum_g MM_g(P)          (margin balance = maintenance margin)
//
// solved exactly for the mark price P of one symbol, with every other position frozen at its own mark
// (their UPNL and MM are folded into `pool` by the caller). Each leg g of the symbol (one leg in one-way
// mode or isolated; the LONG and SHORT legs together in hedge-mode cross) brings a maintenance schedule:
// segments of notional, each with MM = rate x notional(P) + constant. Binance's bracket gives
// rate = MMR, constant = -cum; OKX adds the taker fee to the rate; Bybit classic evaluates MM at the
// entry value, so rate = 0 and the constant carries it. The bankruptcy price is the same equation with
// an all-zero schedule (margin balance = 0). Derivation: ../shared/reference/exchange-margin.md part 2 §1.2
// (linear) and §2.1 (inverse).
//
// Linear:  notional = Q x P,  UPNL = side x Q x (P - EP)        -> f is linear in P inside a segment
// Inverse: notional = F / P (coin, F = contracts x contract size in USD),
//          UPNL = side x F x (1/EP - 1/P)                         -> f is linear in 1/P inside a segment
//
// The segment is chosen AT the solution ("the bracket at the liquidation price", Binance COIN-M FAQ
// ceccfcfb4e3a45e3b48b0b1bb1a8ae46): a root is accepted only if it lies inside the segments used to find it.
import {
  fromScaled,
  SCALE,
  divRound,
  toScaled,
  type Money,
  type Price,
  type Quantity,
  type Rate,
  type Usd,
} from './fixed.ts';

export interface MarginSegment {
  /** Notional range [floor, cap) of the segment, in the settlement asset; cap undefined = no upper end. */
  readonly floor: Money;
  readonly cap: Money | undefined;
  /** MM = rate x notional(P) + constant inside the segment. */
  readonly rate: Rate;
  readonly constant: Money;
  /** The bracket number this segment came from, for reports. */
  readonly bracket?: number;
}

export type ContractKind = 'linear' | 'inverse';

export interface SolverLeg {
  readonly side: 1 | -1;
  readonly size: Quantity;
  readonly entryPrice: Price;
  readonly kind: ContractKind;
  /** Inverse only: USD face value of one contract. */
  readonly contractSizeUsd?: Usd;
  /** Ordered by floor, contiguous from 0, the last one open-ended (or capped: it then extends). */
  readonly segments: readonly MarginSegment[];
}

const S = SCALE;

/** Raw (10^18-scaled) notional of a leg at a raw price. */
function notionalRaw(leg: SolverLeg, p: bigint): bigint {
  if (leg.kind === 'linear') return (toScaled(leg.size) * p) / S;
  if (p <= 0n) return 0n;
  return (faceRaw(leg) * S) / p;
}

function faceRaw(leg: SolverLeg): bigint {
  if (leg.contractSizeUsd === undefined) throw new Error('inverse leg without contractSizeUsd');
  return (toScaled(leg.size) * toScaled(leg.contractSizeUsd)) / S;
}

function segmentIndexAt(segments: readonly MarginSegment[], notional: bigint): number {
  for (let i = 0; i < segments.length; i++) {
    const cap = segments[i]!.cap;
    if (cap === undefined || notional < toScaled(cap)) return i;
  }
  return segments.length - 1;
}

/**
 * Solves margin balance = maintenance margin for the mark price of the legs' symbol.
 * Returns the root nearest to `reference` (the current mark), rounded toward the reference so a displayed
 * liquidation price is reached no later than the true one; undefined when no positive price solves it
 * (the position cannot be liquidated, e.g. a long whose margin covers its whole value).
 */
export function solveMarginEquation(pool: Money, legs: readonly SolverLeg[], reference: Price): Price | undefined {
  if (legs.length === 0) return undefined;
  if (legs.length === 1) return solveSingleLeg(toScaled(pool), legs[0]!, toScaled(reference));
  return solveGeneral(toScaled(pool), legs, toScaled(reference));
}

// -------------------------------------------------------------------------------------------------
// One leg: work in notional space, where f is linear inside each segment, so the segment containing the
// root is found with comparisons only and one division gives the price.
//
// Linear:  f(n) = (side - rate) n + K,  K = pool - side Q EP - c;     P = n / Q
// Inverse: f(n) = K - (side + rate) n,  K = pool + side F/EP - c;     P = F / n
//
// Everything is scaled by S; products of two scaled values are scaled by S^2 and kept so (exact).
// With base = pool - side Q EP (linear) or pool + side F/EP (inverse), at S^2 scale, f inside segment s is
//   f(n) = slope_s n + base - c_s S
// so f at the segment's ends is a per-segment constant plus base. A solve computes those constants for
// each segment it visits (prepareSegment; it stops at the first segment holding the root) and tests the
// segment with two comparisons against -base. This bigint solver is the reference and the last layer of
// the exact kernel (./kernel/), which keeps its own prepared rows in the caller's prepared account;
// nothing is cached here.

/** A segment of a schedule prepared for one contract kind and side. All values raw bigints. */
interface PreparedSegment {
  /** f(n) = slope x n + base - constantS2 inside the segment; slope at S scale. */
  readonly slope: bigint;
  /** The segment's constant at S^2 scale. */
  readonly constantS2: bigint;
  /** f(floor) - base (S^2 scale). */
  readonly atFloorLessBase: bigint;
  /** f(cap) - base (S^2 scale); undefined for the open-ended segment. */
  readonly atCapLessBase: bigint | undefined;
}

function prepareSegment(seg: MarginSegment, kind: ContractKind, side: 1 | -1): PreparedSegment {
  const sideS = side === 1 ? S : -S;
  const rate = toScaled(seg.rate);
  const slope = kind === 'linear' ? sideS - rate : -(sideS + rate);
  const constantS2 = toScaled(seg.constant) * S;
  return {
    slope,
    constantS2,
    atFloorLessBase: slope * toScaled(seg.floor) - constantS2,
    atCapLessBase: seg.cap === undefined ? undefined : slope * toScaled(seg.cap) - constantS2,
  };
}

/** The sign of (a - b), without allocating the difference. */
function signOfDifference(a: bigint, b: bigint): -1 | 0 | 1 {
  return a > b ? 1 : a < b ? -1 : 0;
}

function solveSingleLeg(pool: bigint, leg: SolverLeg, reference: bigint): Price | undefined {
  const q = toScaled(leg.size);
  const linear = leg.kind === 'linear';
  const face = linear ? 0n : faceRaw(leg);
  // S^2 scale; the inverse term is floored (an error below 1e-36)
  const entryTerm = linear ? q * toScaled(leg.entryPrice) : (face * S * S) / toScaled(leg.entryPrice);
  const poolS2 = pool * S;
  const base = linear === (leg.side === 1) ? poolS2 - entryTerm : poolS2 + entryTerm;
  const minusBase = -base;
  for (const segment of leg.segments) {
    const seg = prepareSegment(segment, leg.kind, leg.side);
    if (seg.slope === 0n) continue;
    // root n* = -k / slope with k = base - constantS2: check it lies in [floor, cap] with sign tests of f
    // at the ends, where sign(f(end)) = sign(end value less base - (-base))
    const atFloor = signOfDifference(seg.atFloorLessBase, minusBase);
    const inside =
      seg.atCapLessBase === undefined
        ? atFloor === 0 || atFloor > 0 !== seg.slope > 0n // open segment: root at or beyond floor
        : atFloor === 0 || signOfDifference(seg.atCapLessBase, minusBase) !== atFloor;
    if (!inside) continue;
    const k = base - seg.constantS2;
    // n* = -k/slope (S-scaled);  linear P = n*/Q -> P_raw = -k*S / (slope*q);  inverse P = F/n* -> P_raw = F*S*slope/(-k)
    let num: bigint;
    let den: bigint;
    if (linear) {
      num = -k * S;
      den = seg.slope * q;
    } else {
      num = face * seg.slope * S;
      den = -k;
    }
    if (den === 0n) return undefined;
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num <= 0n) return undefined; // root at a non-positive price: no liquidation
    // num, den > 0, so the truncated quotient is the floor. Round toward the reference (the mark): up when
    // the root lies below it, down when above; one division instead of divRound's second one.
    const floor = num / den;
    const rounded = floor < reference && floor * den !== num ? floor + 1n : floor;
    return rounded > 0n ? fromScaled<'Price'>(rounded) : undefined;
  }
  return undefined;
}

// -------------------------------------------------------------------------------------------------
// Several legs (hedge-mode cross): split the price axis at every leg's segment boundaries; inside each
// interval every leg's segment is fixed and f is linear in P (or 1/P), so solve and keep roots that fall
// inside their interval. Pick the root nearest the reference price.
function solveGeneral(pool: bigint, legs: readonly SolverLeg[], reference: bigint): Price | undefined {
  const kind = legs[0]!.kind;
  if (legs.some((l) => l.kind !== kind)) throw new Error('legs of one symbol must share a contract kind');
  const breaks = new Set<bigint>();
  for (const leg of legs) {
    for (const seg of leg.segments) {
      const floor = toScaled(seg.floor);
      if (floor <= 0n) continue;
      // price at which this leg's notional equals the floor
      const p = kind === 'linear' ? (floor * S) / toScaled(leg.size) : (faceRaw(leg) * S) / floor;
      if (p > 0n) breaks.add(p);
    }
  }
  const points = [0n, ...[...breaks].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))];
  let best: { num: bigint; den: bigint; value: bigint } | undefined;
  for (let i = 0; i < points.length; i++) {
    const lo = points[i]!;
    const hi = points[i + 1];
    const probe = hi === undefined ? lo * 2n + S : (lo + hi) / 2n;
    if (probe <= 0n) continue;
    // f = A*P + B (linear) or f = B - A*X (inverse, X = 1/P); all at S^2 scale
    let a = 0n;
    let b = pool * S;
    for (const leg of legs) {
      const seg = leg.segments[segmentIndexAt(leg.segments, notionalRaw(leg, probe))]!;
      const side = BigInt(leg.side);
      const rate = toScaled(seg.rate);
      b -= toScaled(seg.constant) * S;
      if (kind === 'linear') {
        const q = toScaled(leg.size);
        a += (side * S - rate) * q; // S^2 per unit of P (S-scaled P gives S^3 -> divide later)
        b -= side * q * toScaled(leg.entryPrice);
      } else {
        const face = faceRaw(leg);
        a += face * (side * S + rate); // S^2
        b += (side * face * S * S) / toScaled(leg.entryPrice);
      }
    }
    let num: bigint;
    let den: bigint;
    if (kind === 'linear') {
      // A*P/S + B = 0 (P S-scaled) -> P = -B*S/A
      num = -b * S;
      den = a;
    } else {
      // B - A*X = 0 -> P = 1/X = A/B (S-scaled: A*S/B)
      num = a * S;
      den = b;
    }
    if (den === 0n) continue;
    if (den < 0n) {
      num = -num;
      den = -den;
    }
    if (num <= 0n) continue;
    const value = num / den;
    if (value < lo || (hi !== undefined && value > hi)) continue;
    const distance = value > reference ? value - reference : reference - value;
    const bestDistance = best === undefined ? undefined : best.value > reference ? best.value - reference : reference - best.value;
    if (bestDistance === undefined || distance < bestDistance) best = { num, den, value };
  }
  if (best === undefined) return undefined;
  const rounded = divRound(best.num, best.den, best.value < reference ? 'ceil' : 'floor');
  return rounded > 0n ? fromScaled<'Price'>(rounded) : undefined;
}
