// Statistics of returns for the advisor: empirical quantiles, EWMA volatility, the normal quantile,
// correlation. Float64 throughout: these describe price history, they are never money. Money and prices
// stay exact (../domain/fixed.ts); a statistic enters the exact math only through rateOfNumber, which rounds
// it once, in the direction named by the caller.
import { fromScaled, type Rate } from '../domain/fixed.ts';

/**
 * The empirical quantile by nearest rank: the smallest sample x such that at least a fraction `p` of the
 * samples are <= x (sorted ascending, index ceil(p x n) - 1). p in (0, 1].
 */
export function empiricalQuantile(samples: ArrayLike<number>, p: number): number {
  const n = samples.length;
  if (n === 0) throw new RangeError('no samples');
  if (!(p > 0 && p <= 1)) throw new RangeError(`quantile level must be in (0, 1], got ${p}`);
  const sorted = Float64Array.from(samples).sort();
  // p x n in float: 0.99 x 100 = 99.00000000000001; the tolerance keeps the rank exact for such products
  const rank = Math.max(1, Math.ceil(p * n - 1e-9));
  return sorted[Math.min(n, rank) - 1]!;
}

/**
 * Exponentially weighted moving variance of returns (RiskMetrics): s2_1 = r_1^2, then
 * s2_t = lambda x s2_(t-1) + (1 - lambda) x r_t^2. Returns the volatility (square root) after the last return.
 */
export function ewmaVolatility(returns: ArrayLike<number>, lambda: number): number {
  if (returns.length === 0) throw new RangeError('no returns');
  if (!(lambda > 0 && lambda < 1)) throw new RangeError(`lambda must be in (0, 1), got ${lambda}`);
  let variance = returns[0]! * returns[0]!;
  for (let i = 1; i < returns.length; i++) variance = lambda * variance + (1 - lambda) * returns[i]! * returns[i]!;
  return Math.sqrt(variance);
}

/**
 * The standard normal quantile (inverse CDF) by P. J. Acklam's rational approximation (relative error
 * below 1.15e-9 on (0, 1)): 0.99 -> 2.3263478740, 0.975 -> 1.9599639845.
 */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`probability must be in (0, 1), got ${p}`);
  const a = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
  const b = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
  const c = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  let x: number;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  } else if (p <= 1 - low) {
    const q = p - 0.5;
    const r = q * q;
    x = ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  return x;
}

/** Pearson correlation of two equally long samples; NaN when either has no variance. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length;
  if (n !== y.length) throw new RangeError(`samples differ in length: ${n} and ${y.length}`);
  if (n < 2) return NaN;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Mean of a sample (NaN when empty). */
export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return x.length ? s / x.length : NaN;
}

/**
 * A float statistic as an exact rate with `decimals` digits, rounded as asked ('ceil' rounds a move up:
 * a larger adverse move is the conservative one). The only door from statistics into the exact math.
 */
export function rateOfNumber(x: number, decimals: number, rounding: 'ceil' | 'floor' | 'round'): Rate {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number: ${x}`);
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 15) throw new RangeError('decimals must be 0..15');
  const scaled = x * 10 ** decimals;
  // float products such as 0.05 x 1e8 = 5000000.000000001 must not round up a whole unit
  const nearest = Math.round(scaled);
  const units = Math.abs(scaled - nearest) < 1e-6 ? nearest : rounding === 'ceil' ? Math.ceil(scaled) : rounding === 'floor' ? Math.floor(scaled) : nearest;
  return fromScaled<'Rate'>(BigInt(units) * 10n ** BigInt(18 - decimals));
}

/**
 * A number as text with exactly `decimals` digits after the point, rounded half away from zero (for the
 * advisor's sentences; the core does not use toFixed).
 */
export function decimalText(x: number, decimals: number): string {
  if (!Number.isFinite(x)) return String(x);
  const units = Math.round(Math.abs(x) * 10 ** decimals);
  const digits = String(units).padStart(decimals + 1, '0');
  const whole = decimals > 0 ? digits.slice(0, -decimals) : digits;
  const frac = decimals > 0 ? '.' + digits.slice(-decimals) : '';
  return (x < 0 && units !== 0 ? '-' : '') + whole + frac;
}

/** A fraction as a percentage for sentences: 0.1234 -> "12.3 %". */
export function percentText(x: number, decimals = 1): string {
  return `${decimalText(x * 100, decimals)} %`;
}
