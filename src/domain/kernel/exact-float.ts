// Integers held exactly in float64, and the two facts every fast path of the kernel rests on.
//
// (1) Exactness lemma. Let x and y be integers held exactly in doubles, and r = fl(x op y) for op in
//     {+, -, x}. If |r| < 2^53 then r = x op y exactly. Why: the true result v is an integer; if
//     |v| < 2^53 it is representable, so rounding returns it; if |v| >= 2^53 then |r| >= 2^53, because
//     rounding is monotone and 2^53 is representable. So one comparison of the computed result against
//     EXACT_LIMIT proves the operation exact; every integer step of the kernel is followed by that check
//     (or covered by a bound checked once, see sumIsExact), and a failed check sends the whole computation
//     to the bigint path (../solver.ts), which stays the reference.
//
// (2) Decision bound. A sign decided from float approximations (which segment holds the root) uses the
//     standard model fl(a op b) = (a op b)(1 + d), |d| <= u = 2^-53. A term computed from exact inputs
//     through at most k roundings is within about k u of it, relatively; the sum t1 + t2 of two terms of
//     at most 7 roundings each, plus the sum's own rounding, is within 8u (|t1| + |t2|) (1 + 8u) of the
//     true value, and the computed magnitudes |t1~| + |t2~| (what the code has) are within 8u of the
//     true ones, so the error is below 16u (|t1~| + |t2~|) = 2^-49 (|t1~| + |t2~|). When |result|
//     exceeds that bound its sign is the true sign; otherwise the decision is uncertain and the solve
//     goes to the bigint path. A root exactly on a bracket floor always lands there.

/** Integers of magnitude below this are held exactly in a double. */
export const EXACT_LIMIT = 2 ** 53;

/** Relative bound of a decision computed as in (2): |error| <= DECISION_BOUND x (|t1| + |t2|). */
export const DECISION_BOUND = 2 ** -49;

/** 10^k as doubles, exact for k <= 22. */
export const POW10: readonly number[] = Array.from({ length: 23 }, (_, k) => 10 ** k);

/** 1 / 10^k as doubles (rounded), for quotients corrected afterwards (./price-division.ts). */
export const INVERSE_POW10: readonly number[] = POW10.map((p) => 1 / p);

/** 10^k as bigints, k <= 40. */
export const POW10N: readonly bigint[] = Array.from({ length: 41 }, (_, k) => 10n ** BigInt(k));

/** The 18 of the fixed-point scale (fixed.ts): a raw value is the decimal x 10^18. */
export const RAW_DIGITS = 18;

// Conversions from raw fixed-point bigints. Raw values below 2^53 (decimals below 0.009: rates, ticks)
// convert exactly with Number() and are handled in floats: x / 10^k of an exact x < 2^53 and an exact
// power k <= 22 is correctly rounded, and when the true quotient is not whole its distance to a whole
// number (at least 10^-k) exceeds the rounding error (below 2^-53 x 2^53 / 10^k), so Number.isInteger
// tells exactly. Whole amounts (sizes, prices, caps, constants) take one bigint remainder.

const ONE = POW10N[18]!;
const SMALL = 2n ** 53n;

/**
 * The fewest decimals d (0..18) such that a raw fixed-point value is an integer at 10^-d, i.e. divisible
 * by 10^(18 - d). Used when an account is prepared, not per solve.
 */
export function decimalsOf(raw: bigint): number {
  if (raw === 0n) return 0;
  if (raw < SMALL && raw > -SMALL) {
    const x = Number(raw);
    for (let d = 0; d < RAW_DIGITS; d++) if (Number.isInteger(x / POW10[RAW_DIGITS - d]!)) return d;
    return RAW_DIGITS;
  }
  for (let d = 0; d < RAW_DIGITS; d++) if (raw % POW10N[RAW_DIGITS - d]! === 0n) return d;
  return RAW_DIGITS;
}

/**
 * The integer a raw fixed-point value is at 10^-decimals, when it is one and fits a double exactly;
 * NaN otherwise (the caller falls back). Number() of a bigint rounds to nearest, so a result below
 * EXACT_LIMIT in magnitude is the exact integer.
 */
export function unitsAt(raw: bigint, decimals: number): number {
  if (raw === 0n) return 0;
  if (raw < SMALL && raw > -SMALL) {
    const units = Number(raw) / POW10[RAW_DIGITS - decimals]!;
    return Number.isInteger(units) ? units : NaN;
  }
  const divisor = POW10N[RAW_DIGITS - decimals]!;
  if (raw % divisor !== 0n) return NaN;
  const units = Number(raw / divisor);
  return units < EXACT_LIMIT && units > -EXACT_LIMIT ? units : NaN;
}

/** The smallest integer >= raw / 10^(18 - decimals), as a double (exact below EXACT_LIMIT, else >= it). */
export function ceilUnitsAt(raw: bigint, decimals: number): number {
  if (raw % ONE === 0n) return Number(raw / ONE) * POW10[decimals]!; // a whole cap: one rounding at most, above 2^53
  const divisor = POW10N[RAW_DIGITS - decimals]!;
  const q = raw / divisor; // truncates toward zero
  return Number(q * divisor < raw ? q + 1n : q);
}

/** A float approximation of a raw fixed-point value: three roundings (Number(), the inexact 1e-18, the product). */
export function approx(raw: bigint): number {
  return Number(raw) * 1e-18;
}
