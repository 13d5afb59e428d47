// The last step of a fast solve: the exact price as the bigint the reference solver returns.
//
// The root is a quotient N / den: N an amount of money as a pair (./money-pair.ts: whole units and a
// fraction of `fractionDigits` decimals), den an integer, and the price is wanted at the fixed-point
// scale as floor(N_units x 10^shift / den), N_units = whole x 10^fractionDigits + fraction, then rounded
// toward the reference price as ../solver.ts rounds. A price at 18 decimals has 20 to 25 digits, more than
// a double holds, so the quotient comes out of schoolbook long division a chunk of digits at a time
// (the digits of N_units x 10^shift are: the whole's, the fraction's, then `shift` zeros) into two limbs
// (lo: the last 15 digits, hi: every digit before them, below 2^53 or the solve goes to bigints),
// assembled into one bigint at the end: two conversions, one multiplication and one addition.
//
// Why each step is exact: a quotient x / den of integers with x + den < 2^53 is computed as x times the
// rounded 1/den (a multiplication is a fifth of a division's latency): two roundings, a relative error
// below 2.1 x 2^-53 of a value below 2^52, so less than one; its floor q is within one of the true
// quotient, q x den <= x + den is an exact product, the remainder x - q x den is exact, and one
// correction makes 0 <= remainder < den. A chunk multiplies a remainder below den by 10^chunk, chosen so
// that den x 10^chunk <= 2^52, and adds chunk digits below 10^chunk: x + den < 2^53. Digits are cut
// from the fraction the same way, with 1/10^k.
import * as exact from './exact-float.ts';

// tsx runs these modules as CommonJS, where every read of an imported binding is a getter call (a
// fifth of the kernel's time when measured): the hot paths read module-local copies taken at load.
const { EXACT_LIMIT, INVERSE_POW10, POW10, POW10N } = exact;

const CHUNK_LIMIT = 2 ** 52;

/**
 * The last digits a solve produced and the bigint made of them. Making the bigint (two conversions, a
 * product, a sum: allocations) costs more than the whole long division, and a risk loop re-solving an
 * unchanged account gets the same digits: then the same bigint is returned (bigints are immutable
 * values, so sharing one is invisible). The digits themselves are computed on every call. One memo per
 * schedule row, owned by the caller's prepared account.
 */
export class DigitsMemo {
  hi = NaN;
  lo = NaN;
  loDigits = -1;
  value = 0n;
}
const ROUNDING_MARGIN = 2 ** -50;

/** Largest chunk of digits (at most 15) with den x 10^chunk <= 2^52; rows keep it per denominator. */
export function chunkDigits(den: number): number {
  let chunk = 0;
  while (chunk < 15 && den * POW10[chunk + 1]! <= CHUNK_LIMIT) chunk++;
  return chunk;
}

/**
 * floor((whole x 10^fractionDigits + fraction) x 10^shift / den) rounded up when it lies below
 * `reference` and is not exact, as a raw fixed-point bigint; null when a step would not be exact in
 * doubles (the caller then solves with bigints). Requires whole >= 0, 0 <= fraction < 10^fractionDigits,
 * a positive value, 0 < den < 2^52, inverseDen = 1 / den, chunk = chunkDigits(den). `referenceApprox`: the
 * reference as a float within one rounding; `memo`: the row's last digits (see DigitsMemo).
 */
export function divideScaled(
  whole: number,
  fraction: number,
  fractionDigits: number,
  shift: number,
  den: number,
  inverseDen: number,
  chunk: number,
  reference: bigint,
  referenceApprox: number,
  memo: DigitsMemo,
): bigint | null {
  if (!(whole + den < EXACT_LIMIT)) return null;
  let remaining = fractionDigits + shift;
  if (chunk === 0 && remaining > 0) return null;
  let q = Math.floor(whole * inverseDen);
  let r = whole - q * den;
  if (r < 0) {
    q -= 1;
    r += den;
  } else if (r >= den) {
    q += 1;
    r -= den;
  }
  let pending = fraction;
  let pendingDigits = fractionDigits;
  // the last (up to 15) digits of the quotient go to lo, every digit before them to hi
  const loDigits = remaining < 15 ? remaining : 15;
  let toHi = remaining - loDigits;
  let hi = q;
  let lo = 0;
  while (remaining > 0) {
    const step = remaining < chunk ? remaining : chunk;
    remaining -= step;
    // the next `step` digits of the fraction followed by zeros
    let digits: number;
    if (pendingDigits >= step) {
      const unit = POW10[pendingDigits - step]!;
      digits = Math.floor(pending * INVERSE_POW10[pendingDigits - step]!);
      let rest = pending - digits * unit;
      if (rest < 0) {
        digits -= 1;
        rest += unit;
      } else if (rest >= unit) {
        digits += 1;
        rest -= unit;
      }
      pending = rest;
      pendingDigits -= step;
    } else {
      digits = pending * POW10[step - pendingDigits]!;
      pending = 0;
      pendingDigits = 0;
    }
    const x = r * POW10[step]! + digits;
    let d = Math.floor(x * inverseDen);
    r = x - d * den;
    if (r < 0) {
      d -= 1;
      r += den;
    } else if (r >= den) {
      d += 1;
      r -= den;
    }
    if (toHi === 0) {
      lo = lo * POW10[step]! + d; // below 10^15: lo holds at most 15 digits
      continue;
    }
    // the chunk's leading digits go to hi, the rest (if the chunk straddles the limbs) to lo
    const toLo = step > toHi ? step - toHi : 0;
    const unit = POW10[toLo]!;
    let head = Math.floor(d * INVERSE_POW10[toLo]!);
    let tail = d - head * unit;
    if (tail < 0) {
      head -= 1;
      tail += unit;
    } else if (tail >= unit) {
      head += 1;
      tail -= unit;
    }
    // exactness lemma (exact-float.ts): a computed result below 2^53 is the exact one
    hi = hi * POW10[step - toLo]! + head;
    if (!(hi < EXACT_LIMIT)) return null;
    toHi -= step - toLo;
    lo = tail;
  }
  // Round up when inexact and below the reference. The float quotient hi x 10^lo digits + lo is within
  // 3u of the exact floor F and referenceApprox within u of the reference R, so a float comparison
  // with a margin of 2^-50 = 8u decides F < R; inside the margin the bigints decide.
  let up = false;
  if (r !== 0) {
    const approx = loDigits === 0 ? hi : hi * POW10[loDigits]! + lo;
    if (approx < referenceApprox * (1 - ROUNDING_MARGIN)) up = true;
    else if (!(approx > referenceApprox * (1 + ROUNDING_MARGIN))) {
      const floor = loDigits === 0 ? BigInt(hi) : BigInt(hi) * POW10N[loDigits]! + BigInt(lo);
      return floor < reference ? floor + 1n : floor;
    }
  }
  // lo + 1 <= 10^15 and hi + 1 <= 2^53 stay exact
  if (up) {
    if (loDigits === 0) hi += 1;
    else lo += 1;
  }
  if (memo.hi === hi && memo.lo === lo && memo.loDigits === loDigits) return memo.value;
  const value = loDigits === 0 ? BigInt(hi) : BigInt(hi) * POW10N[loDigits]! + BigInt(lo);
  memo.hi = hi;
  memo.lo = lo;
  memo.loDigits = loDigits;
  memo.value = value;
  return value;
}
