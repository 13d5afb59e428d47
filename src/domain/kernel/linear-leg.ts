// One linear leg in float-held integers: its units prepared once per account, its margin term at a mark
// and its single-leg liquidation (or bankruptcy) solve, bit-identical to ../solver.ts's solveSingleLeg.
//
// Units. A leg's size is the integer sizeUnits at 10^-sizeDecimals, its prices integers at
// 10^-priceDecimals; every amount of money of the account is a pair (./money-pair.ts) at
// 10^-moneyDecimals, chosen (./prepared-account.ts) so that the wallet, the schedule constants, the UPNL
// (size x price digits) and the MM (size x price x rate digits) are all whole numbers at that scale.
// Then UPNL and MM need no rounding at 18 decimals (the reference's floor and ceil are no-ops on them):
// they are exact integer products at their own scale, checked below 2^52 (lemma 1 of ./exact-float.ts),
// then split into pairs.
//
// Solve (linear, one leg; ../solver.ts has the derivation): in notional space n = Q x P the equation in
// segment s is  f(n) = (side - rate_s) n + N_s,  N_s = pool - side Q EP - constant_s,  root P = -N_s /
// ((side - rate_s) Q). The segment holding the root is found by the signs of f at the segment's floor and
// cap, in floats with the decision bound of ./exact-float.ts (each term at most 5 roundings: the floor's
// approximation 2, the slope's division 1, their product 1; N_s's whole + fraction / 10^d 2, the sum 1);
// N_s (a pair) and (side - rate_s) Q (an integer) are exact, and ./price-division.ts turns their quotient
// into the exact rounded price.
import * as fixed from '../fixed.ts';
import type { MarginSegment } from '../solver.ts';
import * as exact from './exact-float.ts';
import * as pairs from './money-pair.ts';
import * as division from './price-division.ts';

// tsx runs these modules as CommonJS, where every read of an imported binding is a getter call (a
// fifth of the kernel's time when measured): the hot paths read module-local copies taken at load.
const { toScaled } = fixed;
const { DECISION_BOUND, EXACT_LIMIT, POW10, RAW_DIGITS, approx, ceilUnitsAt, unitsAt } = exact;
const { WHOLE_LIMIT, pairOfRaw, splitInto } = pairs;
const { divideScaled } = division;

export interface LegScale {
  readonly side: 1 | -1;
  readonly sizeUnits: number;
  readonly sizeDecimals: number;
  readonly priceDecimals: number;
}

/** A schedule (segments of notional) prepared for one leg's side and units. */
export class SegmentRows {
  readonly count: number;
  /** Cap of each segment in notional units (10^-(size + price decimals)), rounded up; Infinity when open. */
  readonly capUnits: Float64Array;
  /** rate x 10^rateDecimals. */
  readonly rateUnits: Float64Array;
  /** The segment's constant (MM = rate x notional + constant) as pairs: [whole, fraction] per segment. */
  readonly constant: Float64Array;
  /** side x 10^rateDecimals - rateUnits: (side - rate) at 10^-rateDecimals. */
  readonly slopeUnits: Float64Array;
  /** slopeUnits x sizeUnits, exact, or NaN when it does not fit a double. */
  readonly denominator: Float64Array;
  /** (side - rate) x floor and x cap in money, floats for the decisions; cap NaN when open. */
  readonly slopeAtFloor: Float64Array;
  readonly slopeAtCap: Float64Array;
  /** Decimal shift of the solve's quotient: price raw = N (money units) x 10^shift / denominator. */
  readonly quotientShift: number;
  /** 10^(size + price + rate decimals) and 10^(money decimals - that): an MM product to a pair. */
  readonly maintenanceDivisor: number;
  readonly maintenanceFractionScale: number;

  private constructor(count: number, quotientShift: number, maintenanceDecimals: number, moneyDecimals: number) {
    this.count = count;
    this.quotientShift = quotientShift;
    this.maintenanceDivisor = POW10[maintenanceDecimals]!;
    this.maintenanceFractionScale = POW10[moneyDecimals - maintenanceDecimals]!;
    this.capUnits = new Float64Array(count);
    this.rateUnits = new Float64Array(count);
    this.constant = new Float64Array(2 * count);
    this.slopeUnits = new Float64Array(count);
    this.denominator = new Float64Array(count);
    this.slopeAtFloor = new Float64Array(count);
    this.slopeAtCap = new Float64Array(count);
  }

  /** Undefined when a rate or constant is not exact at the chosen scales. */
  static of(segments: readonly MarginSegment[], leg: LegScale, rateDecimals: number, moneyDecimals: number): SegmentRows | undefined {
    const notionalDecimals = leg.sizeDecimals + leg.priceDecimals;
    const shift = RAW_DIGITS + rateDecimals + leg.sizeDecimals - moneyDecimals;
    const rows = new SegmentRows(segments.length, shift, notionalDecimals + rateDecimals, moneyDecimals);
    const oneSide = leg.side * POW10[rateDecimals]!;
    for (let s = 0; s < segments.length; s++) {
      const seg = segments[s]!;
      const rate = unitsAt(toScaled(seg.rate), rateDecimals);
      if (Number.isNaN(rate) || !pairOfRaw(toScaled(seg.constant), moneyDecimals, rows.constant, 2 * s)) return undefined;
      const slope = oneSide - rate;
      const denominator = slope * leg.sizeUnits;
      rows.rateUnits[s] = rate;
      rows.slopeUnits[s] = slope;
      rows.denominator[s] = Math.abs(denominator) < EXACT_LIMIT ? denominator : NaN;
      rows.capUnits[s] = seg.cap === undefined ? Infinity : ceilUnitsAt(toScaled(seg.cap), notionalDecimals);
      const slopeMoney = slope / POW10[rateDecimals]!;
      rows.slopeAtFloor[s] = slopeMoney * approx(toScaled(seg.floor));
      rows.slopeAtCap[s] = seg.cap === undefined ? NaN : slopeMoney * approx(toScaled(seg.cap));
    }
    return rows;
  }
}

/** Why a fast step gave up: the caller redoes that solve (or the account) with bigints. */
export const UNDECIDED = null;

/**
 * MM of the leg at a notional (in notional units) under `rows`, as a pair into out[at], out[at + 1];
 * false when not exact. The segment is the first whose cap is above the notional, else the last
 * (rules.ts evaluateSchedule): n < cap is n < ceil(cap) for a whole n.
 */
export function maintenanceInto(rows: SegmentRows, notionalUnits: number, unit: number, out: Float64Array, at: number): boolean {
  let s = rows.count - 1;
  for (let j = 0; j < rows.count; j++) {
    if (notionalUnits < rows.capUnits[j]!) {
      s = j;
      break;
    }
  }
  // a product of non-negative integers: exact when the computed value is below 2^52 (lemma 1)
  if (!splitInto(notionalUnits * rows.rateUnits[s]!, rows.maintenanceDivisor, rows.maintenanceFractionScale, out, at)) return false;
  const whole = out[at]! + rows.constant[2 * s]!;
  const fraction = out[at + 1]! + rows.constant[2 * s + 1]!;
  out[at] = fraction >= unit ? whole + 1 : whole;
  out[at + 1] = fraction >= unit ? fraction - unit : fraction;
  return true;
}

/**
 * The single-leg root of pool + UPNL(P) = MM(P) for a linear leg: the raw price rounded toward
 * `reference`, undefined when no positive price solves it, UNDECIDED when a decision or an integer step
 * could not be made exactly in doubles. base = pool - side x Q x EP as a pair, |baseWhole| < 2^52.
 */
export function solveLinearLeg(
  rows: SegmentRows,
  baseWhole: number,
  baseFraction: number,
  moneyDecimals: number,
  reference: bigint,
): bigint | undefined | typeof UNDECIDED {
  const unit = POW10[moneyDecimals]!;
  for (let s = 0; s < rows.count; s++) {
    const slope = rows.slopeUnits[s]!;
    if (slope === 0) continue;
    // N_s = base - constant_s, exact as a pair
    let whole = baseWhole - rows.constant[2 * s]!;
    let fraction = baseFraction - rows.constant[2 * s + 1]!;
    if (fraction < 0) {
      whole -= 1;
      fraction += unit;
    }
    if (!(Math.abs(whole) < WHOLE_LIMIT)) return UNDECIDED;
    const rest = whole + fraction / unit;
    const atFloor = rows.slopeAtFloor[s]! + rest;
    if (!(Math.abs(atFloor) > DECISION_BOUND * (Math.abs(rows.slopeAtFloor[s]!) + Math.abs(rest)))) return UNDECIDED;
    let inside: boolean;
    if (rows.capUnits[s] === Infinity) {
      inside = atFloor > 0 !== slope > 0; // open segment: the root lies at or beyond its floor
    } else {
      const atCap = rows.slopeAtCap[s]! + rest;
      if (!(Math.abs(atCap) > DECISION_BOUND * (Math.abs(rows.slopeAtCap[s]!) + Math.abs(rest)))) return UNDECIDED;
      inside = atCap > 0 !== atFloor > 0;
    }
    if (!inside) continue;
    let den = rows.denominator[s]!;
    if (Number.isNaN(den)) return UNDECIDED;
    // P = -N / ((side - rate) Q): the reference makes the denominator positive, so the numerator is
    // N when the denominator was negative and -N otherwise
    if (den < 0) den = -den;
    else if (fraction > 0) {
      whole = -whole - 1;
      fraction = unit - fraction;
    } else whole = -whole;
    if (den === 0 || whole < 0 || (whole === 0 && fraction === 0)) return undefined; // no positive root
    const raw = divideScaled(whole, fraction, moneyDecimals, rows.quotientShift, den, reference);
    if (raw === null) return UNDECIDED;
    return raw > 0n ? raw : undefined;
  }
  return undefined;
}
