// One linear leg in float-held integers: its units prepared once per account, its margin term at a mark
// and its single-leg liquidation (or bankruptcy) solve, bit-identical to ../solver.ts's solveSingleLeg.
//
// Units. A leg's size is the integer sizeUnits at 10^-sizeDecimals, its prices integers at
// 10^-priceDecimals, a segment's rate an integer at its own 10^-rateDecimals; every amount of money is a
// pair (./money-pair.ts) at 10^-15. The UPNL (size x price digits) and the MM (size x price x rate digits)
// then need no rounding at 18 decimals when those digits are at most 15 (the reference's floor and ceil
// are no-ops on them): they are exact integer products at their own scale, checked below 2^52 (lemma 1 of
// ./exact-float.ts), then split into pairs. A segment with more digits refuses, and the bigints take over.
//
// A segment's row is prepared the first time a solve or an MM visits it (most visit two or three of a
// table's ten or twenty), and kept in the rows object, which the caller's prepared account owns.
//
// Solve (linear, one leg; ../solver.ts has the derivation): in notional space n = Q x P the equation in
// segment s is  f(n) = (side - rate_s) n + N_s,  N_s = pool - side Q EP - constant_s,  root P = -N_s /
// ((side - rate_s) Q). The segment holding the root is found by the signs of f at the segment's floor and
// cap, in floats with the decision bound of ./exact-float.ts: f(end) = ((side - rate) end - constant) +
// base, the first term prepared per row (the end's approximation 3 roundings, the slope's division 1,
// their product 1, the constant's whole + fraction / 10^15 2, the difference 1: at most 7), base 2
// roundings, the sum 1. N_s (a pair) and (side - rate_s) Q (an integer) are exact, and
// ./price-division.ts turns their quotient into the exact rounded price.
import * as fixed from '../fixed.ts';
import type { MarginSegment } from '../solver.ts';
import * as exact from './exact-float.ts';
import * as pairs from './money-pair.ts';
import * as division from './price-division.ts';

// tsx runs these modules as CommonJS, where every read of an imported binding is a getter call (a
// fifth of the kernel's time when measured): the hot paths read module-local copies taken at load.
const { toScaled } = fixed;
const { DECISION_BOUND, EXACT_LIMIT, POW10, RAW_DIGITS, approx, ceilUnitsAt, decimalsOf, unitsAt } = exact;
const { MONEY_DECIMALS, MONEY_UNIT, WHOLE_LIMIT, pairOfRaw, splitInto } = pairs;
const { DigitsMemo, chunkDigits, divideScaled } = division;
type DigitsMemo = division.DigitsMemo;

export interface LegScale {
  readonly side: 1 | -1;
  readonly sizeUnits: number;
  readonly sizeDecimals: number;
  readonly priceDecimals: number;
}

// A row of a schedule: the fields of segment s sit at data[s x STRIDE + field], in one array per
// schedule (one allocation; the rows of a table are read together).
/** Cap in notional units (10^-(size + price decimals)), rounded up; Infinity when open. */
const CAP = 0;
/** rate x 10^rateDecimals (the segment's own rate decimals). */
const RATE = 1;
/** The constant (MM = rate x notional + constant) as a pair. */
const CONSTANT_WHOLE = 2;
const CONSTANT_FRACTION = 3;
/** side x 10^rateDecimals - RATE: (side - rate) at 10^-rateDecimals. */
const SLOPE = 4;
/** SLOPE x sizeUnits, exact, or NaN when it does not fit a double. */
const DENOMINATOR = 5;
/**
 * (side - rate) x floor - constant and (side - rate) x cap - constant in money, floats for the decisions
 * (cap NaN when open), and |(side - rate) x end| + |constant| for their bounds.
 */
const FLOOR_TERM = 6;
const CAP_TERM = 7;
const FLOOR_MAGNITUDE = 13;
const CAP_MAGNITUDE = 14;
/** Decimal shift of the solve's quotient: price raw = N (10^-15 units) x 10^shift / DENOMINATOR. */
const QUOTIENT_SHIFT = 8;
/** 10^(size + price + rate decimals) and 10^(15 - that): an MM product to a pair. */
const MM_DIVISOR = 9;
const MM_FRACTION_SCALE = 10;
/** 0 until the row is prepared, then READY or REFUSED (too many digits for the pairs: bigints take over). */
const STATE = 11;
/** Digits per long-division step for |DENOMINATOR| (./price-division.ts chunkDigits). */
const CHUNK = 12;
/** 1 / |DENOMINATOR|, rounded (./price-division.ts corrects the quotients it gives). */
const INVERSE_DENOMINATOR = 15;
const STRIDE = 16;
const READY = 1;
const REFUSED = 2;

/** A schedule (segments of notional) prepared for one leg's side and units, row by row on first use. */
export class SegmentRows {
  readonly count: number;
  /** The rows (see STRIDE); empty until the first row is asked for. */
  data: Float64Array;
  /** Each row's last result digits and their bigint (./price-division.ts DigitsMemo). */
  readonly memos: DigitsMemo[] = [];

  constructor(
    private readonly segments: readonly MarginSegment[],
    private readonly leg: LegScale,
  ) {
    this.count = segments.length;
    this.data = EMPTY_ROWS;
  }

  /** Prepares row s (bigint work, once); false when it is refused. */
  ready(s: number): boolean {
    if (this.data.length === 0) this.data = new Float64Array(this.count * STRIDE);
    const at = s * STRIDE;
    const state = this.data[at + STATE]!;
    if (state !== 0) return state === READY;
    const ok = this.prepare(s, at);
    this.memos[s] = new DigitsMemo();
    this.data[at + STATE] = ok ? READY : REFUSED;
    return ok;
  }

  private prepare(s: number, at: number): boolean {
    const seg = this.segments[s]!;
    const leg = this.leg;
    const row = this.data;
    const rateRaw = toScaled(seg.rate);
    const rateDecimals = decimalsOf(rateRaw);
    const notionalDecimals = leg.sizeDecimals + leg.priceDecimals;
    const maintenanceDecimals = notionalDecimals + rateDecimals;
    const rate = unitsAt(rateRaw, rateDecimals);
    if (maintenanceDecimals > MONEY_DECIMALS || Number.isNaN(rate)) return false;
    if (!pairOfRaw(toScaled(seg.constant), row, at + CONSTANT_WHOLE)) return false;
    const slope = leg.side * POW10[rateDecimals]! - rate;
    const denominator = slope * leg.sizeUnits;
    row[at + RATE] = rate;
    row[at + SLOPE] = slope;
    row[at + DENOMINATOR] = Math.abs(denominator) < EXACT_LIMIT ? denominator : NaN;
    row[at + CHUNK] = Math.abs(denominator) < EXACT_LIMIT ? chunkDigits(Math.abs(denominator)) : 0;
    row[at + INVERSE_DENOMINATOR] = 1 / Math.abs(denominator);
    row[at + QUOTIENT_SHIFT] = RAW_DIGITS + rateDecimals + leg.sizeDecimals - MONEY_DECIMALS;
    row[at + MM_DIVISOR] = POW10[maintenanceDecimals]!;
    row[at + MM_FRACTION_SCALE] = POW10[MONEY_DECIMALS - maintenanceDecimals]!;
    row[at + CAP] = seg.cap === undefined ? Infinity : ceilUnitsAt(toScaled(seg.cap), notionalDecimals);
    const slopeMoney = slope / POW10[rateDecimals]!;
    const constant = row[at + CONSTANT_WHOLE]! + row[at + CONSTANT_FRACTION]! / MONEY_UNIT;
    const atFloor = slopeMoney * approx(toScaled(seg.floor));
    const atCap = seg.cap === undefined ? NaN : slopeMoney * approx(toScaled(seg.cap));
    row[at + FLOOR_TERM] = atFloor - constant;
    row[at + CAP_TERM] = atCap - constant;
    row[at + FLOOR_MAGNITUDE] = Math.abs(atFloor) + Math.abs(constant);
    row[at + CAP_MAGNITUDE] = Math.abs(atCap) + Math.abs(constant);
    return true;
  }
}

const EMPTY_ROWS = new Float64Array(0);

/** Why a fast step gave up: the caller redoes that solve (or the account) with bigints. */
export const UNDECIDED = null;

/**
 * MM of the leg at a notional (in notional units) under `rows`, as a pair into out[at], out[at + 1];
 * false when not exact. The segment is the first whose cap is above the notional, else the last
 * (rules.ts evaluateSchedule): n < cap is n < ceil(cap) for a whole n.
 */
export function maintenanceInto(rows: SegmentRows, notionalUnits: number, out: Float64Array, at: number): boolean {
  let s = rows.count - 1;
  for (let j = 0; j < rows.count; j++) {
    if (rows.data[j * STRIDE + STATE] !== READY && !rows.ready(j)) return false;
    if (notionalUnits < rows.data[j * STRIDE + CAP]!) {
      s = j;
      break;
    }
  }
  if (!rows.ready(s)) return false;
  const row = rows.data;
  const o = s * STRIDE;
  // a product of non-negative integers: exact when the computed value is below 2^52 (lemma 1)
  if (!splitInto(notionalUnits * row[o + RATE]!, row[o + MM_DIVISOR]!, row[o + MM_FRACTION_SCALE]!, out, at)) return false;
  const whole = out[at]! + row[o + CONSTANT_WHOLE]!;
  const fraction = out[at + 1]! + row[o + CONSTANT_FRACTION]!;
  out[at] = fraction >= MONEY_UNIT ? whole + 1 : whole;
  out[at + 1] = fraction >= MONEY_UNIT ? fraction - MONEY_UNIT : fraction;
  return true;
}

/**
 * The single-leg root of pool + UPNL(P) = MM(P) for a linear leg: the raw price rounded toward
 * `reference`, undefined when no positive price solves it, UNDECIDED when a decision or an integer step
 * could not be made exactly in doubles. base = pool - side x Q x EP as a pair, |baseWhole| < 2^52;
 * referenceApprox: the reference (raw) as a float within one rounding.
 */
export function solveLinearLeg(
  rows: SegmentRows,
  baseWhole: number,
  baseFraction: number,
  reference: bigint,
  referenceApprox: number,
): bigint | undefined | typeof UNDECIDED {
  const unit = MONEY_UNIT;
  // base in money as a float (two roundings); the decisions add it to each end's prepared term
  const baseApprox = baseWhole + baseFraction / unit;
  const baseMagnitude = Math.abs(baseApprox);
  for (let s = 0; s < rows.count; s++) {
    let row = rows.data;
    if (row[s * STRIDE + STATE] !== READY) {
      if (!rows.ready(s)) return UNDECIDED;
      row = rows.data;
    }
    const o = s * STRIDE;
    const slope = row[o + SLOPE]!;
    if (slope === 0) continue;
    // f(end) = ((side - rate) end - constant) + base: the sign, with the decision bound
    const atFloor = row[o + FLOOR_TERM]! + baseApprox;
    if (!(Math.abs(atFloor) > DECISION_BOUND * (row[o + FLOOR_MAGNITUDE]! + baseMagnitude))) return UNDECIDED;
    let inside: boolean;
    if (row[o + CAP] === Infinity) {
      inside = atFloor > 0 !== slope > 0; // open segment: the root lies at or beyond its floor
    } else {
      const atCap = row[o + CAP_TERM]! + baseApprox;
      if (!(Math.abs(atCap) > DECISION_BOUND * (row[o + CAP_MAGNITUDE]! + baseMagnitude))) return UNDECIDED;
      inside = atCap > 0 !== atFloor > 0;
    }
    if (!inside) continue;
    // N_s = base - constant_s, exact as a pair
    let whole = baseWhole - row[o + CONSTANT_WHOLE]!;
    let fraction = baseFraction - row[o + CONSTANT_FRACTION]!;
    if (fraction < 0) {
      whole -= 1;
      fraction += unit;
    }
    if (!(Math.abs(whole) < WHOLE_LIMIT)) return UNDECIDED;
    let den = row[o + DENOMINATOR]!;
    if (Number.isNaN(den)) return UNDECIDED;
    // P = -N / ((side - rate) Q): the reference makes the denominator positive, so the numerator is
    // N when the denominator was negative and -N otherwise
    if (den < 0) den = -den;
    else if (fraction > 0) {
      whole = -whole - 1;
      fraction = unit - fraction;
    } else whole = -whole;
    if (den === 0 || whole < 0 || (whole === 0 && fraction === 0)) return undefined; // no positive root
    const raw = divideScaled(whole, fraction, MONEY_DECIMALS, row[o + QUOTIENT_SHIFT]!, den, row[o + INVERSE_DENOMINATOR]!, row[o + CHUNK]!, reference, referenceApprox, rows.memos[s]!);
    if (raw === null) return UNDECIDED;
    return raw > 0n ? raw : undefined;
  }
  return undefined;
}
