// An amount of money as two float-held integers: whole units and the fraction at 10^-15.
//
// One double holds ~15.9 digits: enough for a product of a size and a price, not for an account's
// wallet and margins on one common scale once the smallest of them needs 11 decimals (a 0.0001-tick coin
// against a 300,000 USDT wallet is 3e16 units). So every amount of the pools is a pair
//   value = whole + fraction / 10^15,   whole an integer below 2^52 in magnitude, 0 <= fraction < 10^15,
// and additions carry between the limbs. Each limb stays an exact integer (exact-float.ts, lemma 1):
// a sum of two fractions is below 2 x 10^15 < 2^53, and wholes are checked against 2^52.
import * as exact from './exact-float.ts';

// tsx runs these modules as CommonJS, where every read of an imported binding is a getter call (a
// fifth of the kernel's time when measured): the hot paths read module-local copies taken at load.
const { POW10N, RAW_DIGITS } = exact;

/**
 * The fraction's decimals: the most a pair can hold (two fractions must add below 2^53), fixed so that no
 * account has to be scanned for its scale. Amounts with more decimals send their leg to the bigints.
 */
export const MONEY_DECIMALS = 15;
export const MONEY_UNIT = 10 ** MONEY_DECIMALS;

/** Wholes are kept below this, so a whole plus a carry or a divisor stays exact. */
export const WHOLE_LIMIT = 2 ** 52;

/**
 * Writes integer x at 10^-d (|x| < 2^52, d <= 15; divisor = 10^d, fractionScale = 10^(15 - d)) as a
 * pair into out[at], out[at + 1]. Returns false when x is out of range. Floor division with one correction: the float
 * quotient of integers below 2^52 is within one of the true one (exact-float.ts).
 */
export function splitInto(x: number, divisor: number, fractionScale: number, out: Float64Array, at: number): boolean {
  if (!(Math.abs(x) < WHOLE_LIMIT)) return false;
  let whole = Math.floor(x / divisor);
  let rest = x - whole * divisor;
  if (rest < 0) {
    whole -= 1;
    rest += divisor;
  } else if (rest >= divisor) {
    whole += 1;
    rest -= divisor;
  }
  out[at] = whole;
  out[at + 1] = rest * fractionScale;
  return true;
}

/** The fraction limb normalised into [0, unit) after one addition or subtraction, carrying into the whole. */
export function carry(whole: number, fraction: number, unit: number, out: Float64Array, at: number): void {
  if (fraction >= unit) {
    out[at] = whole + 1;
    out[at + 1] = fraction - unit;
  } else if (fraction < 0) {
    out[at] = whole - 1;
    out[at + 1] = fraction + unit;
  } else {
    out[at] = whole;
    out[at + 1] = fraction;
  }
}

/**
 * Writes a raw fixed-point amount (value x 10^18) as a pair into out[at], out[at + 1];
 * false when it has more decimals or its whole part is past WHOLE_LIMIT. Bigint work: for preparation.
 */
export function pairOfRaw(raw: bigint, out: Float64Array, at: number): boolean {
  if (raw === 0n) {
    out[at] = 0;
    out[at + 1] = 0;
    return true;
  }
  const one = POW10N[RAW_DIGITS]!;
  let whole = raw / one; // truncates toward zero
  let rest = raw - whole * one;
  if (rest === 0n) {
    // a whole amount (most constants and wallets)
    const w = Number(whole);
    out[at] = w;
    out[at + 1] = 0;
    return Math.abs(w) < WHOLE_LIMIT;
  }
  if (rest < 0n) {
    whole -= 1n;
    rest += one;
  }
  const unit = POW10N[RAW_DIGITS - MONEY_DECIMALS]!;
  if (rest % unit !== 0n) return false;
  const w = Number(whole);
  if (!(Math.abs(w) < WHOLE_LIMIT)) return false;
  out[at] = w;
  out[at + 1] = Number(rest / unit);
  return true;
}
