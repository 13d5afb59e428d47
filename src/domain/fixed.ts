// Exact decimal fixed point on native bigint, with the unit in the type.
//
// Why bigint fixed point and not a decimal library: ../shared/ECOSYSTEM.md measured bigint fixed point
// at 10-20x the speed of decimal.js / big.js / bignumber.js on this machine, and our own bench
// (`npm run bench`) keeps that ratio honest. Every value carries SCALE_DIGITS = 18 decimals, enough for
// 8-decimal prices times 8-decimal sizes to stay exact, and for coin amounts of inverse contracts.
//
// Why an opaque type and not `bigint & Brand`: a branded bigint still allows `price + quote` (TypeScript
// accepts `+` on any two bigints). `Fixed<U>` is not a bigint to the compiler, so every operator is a
// compile error and all arithmetic goes through the functions below, which only combine matching units
// or convert through a named function (`notional(quantity, price)`). See fixed.type-test.ts.

declare const unitTag: unique symbol;

/** An exact decimal with 18 fixed decimals whose unit is U. At run time it is a bigint. */
export type Fixed<U extends string> = { readonly [unitTag]: U };

/** Quote currency per unit of base (linear) or USD per coin (inverse). */
export type Price = Fixed<'Price'>;
/** Position or order size: base quantity (linear) or number of contracts (inverse). */
export type Quantity = Fixed<'Quantity'>;
/** An amount of the settlement asset: USDT for linear contracts, the coin for inverse ones. */
export type Money = Fixed<'Money'>;
/** An amount of USD of contract face value (inverse contracts: contracts x contract size). */
export type Usd = Fixed<'Usd'>;
/** A dimensionless fraction: 0.004 is 0.4 %. */
export type Rate = Fixed<'Rate'>;

export const SCALE_DIGITS = 18;
export const SCALE = 10n ** 18n;

/**
 * How a result that does not fit 18 decimals (or a coarser step) is rounded.
 * floor/ceil go toward -inf/+inf; down/up toward/away from zero; halfEven is banker's rounding.
 */
export type Rounding = 'floor' | 'ceil' | 'down' | 'up' | 'halfEven' | 'halfUp';

const raw = <U extends string>(x: Fixed<U>): bigint => x as unknown as bigint;
const wrap = <U extends string>(x: bigint): Fixed<U> => x as unknown as Fixed<U>;

/** Integer division n / d (d != 0) rounded as asked. */
export function divRound(n: bigint, d: bigint, rounding: Rounding): bigint {
  if (d === 0n) throw new RangeError('division by zero');
  if (d < 0n) {
    n = -n;
    d = -d;
  }
  const q = n / d; // truncates toward zero
  const r = n - q * d;
  if (r === 0n) return q;
  const negative = n < 0n;
  switch (rounding) {
    case 'down':
      return q;
    case 'up':
      return negative ? q - 1n : q + 1n;
    case 'floor':
      return negative ? q - 1n : q;
    case 'ceil':
      return negative ? q : q + 1n;
    case 'halfUp':
    case 'halfEven': {
      const twice = 2n * (r < 0n ? -r : r);
      const away = negative ? q - 1n : q + 1n;
      if (twice > d) return away;
      if (twice < d) return q;
      if (rounding === 'halfUp') return away;
      return q % 2n === 0n ? q : away;
    }
  }
}

// ---------------------------------------------------------------- parsing and printing

const DECIMAL_RE = /^([+-])?(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d{1,3}))?$/;

/**
 * The largest magnitude an input decimal may have: 1e15 is above any notional, wallet or price a venue
 * handles (the biggest perpetual open interest is ~1e11 USD), so anything larger is a typo or an attack
 * (1e400 made every later multiplication slow and every printed number meaningless).
 */
export const MAX_INPUT_MAGNITUDE = '1e15';

/** At most 15 integer digits (below 1e15) and at most 18 decimals, no exponent: always a valid input decimal. */
const PLAIN_BELOW_MAX = new RegExp(`^-?[0-9]{1,15}(?:\\.[0-9]{1,${SCALE_DIGITS}})?$`);
/** The scaled limits decimalProblem compares with (a handful of spellings: 1e15 and the bracket caps). */
const magnitudeLimits = new Map<string, bigint>();

/**
 * The reason a string is not a decimal number perpguard accepts as input, or undefined when it is one:
 * plain decimal syntax, at most 18 decimals (no silent rounding), magnitude at most `maxMagnitude`
 * (1e15 by default; bracket table caps pass a larger one).
 */
export function decimalProblem(text: unknown, maxMagnitude: string = MAX_INPUT_MAGNITUDE): string | undefined {
  // the common case without a bigint in sight: plain digits below 1e15 (what formatFixed and every client
  // print for a price or a size); checked on each order twice (its parameters, then the logged command)
  if (maxMagnitude === MAX_INPUT_MAGNITUDE && typeof text === 'string' && PLAIN_BELOW_MAX.test(text)) return undefined;
  const problem = exactProblem(text);
  if (problem !== undefined) return problem;
  const value = scaledOf(text as string);
  let limit = magnitudeLimits.get(maxMagnitude);
  if (limit === undefined) magnitudeLimits.set(maxMagnitude, (limit = scaledOf(maxMagnitude)));
  if (value > limit || value < -limit) return `must be at most ${maxMagnitude} in magnitude, got "${text as string}"`;
  return undefined;
}

/** Syntax and precision only: what parseFixed itself refuses. */
function exactProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return `must be a decimal string such as "123.45", got ${describe(text)}`;
  const m = DECIMAL_RE.exec(text.trim());
  if (!m) return `must be a decimal string such as "123.45" or "1e-4", got "${text}"`;
  const frac = (m[3] ?? '').replace(/0+$/, '');
  if (frac.length - Number(m[4] ?? '0') > SCALE_DIGITS) {
    return `has more than ${SCALE_DIGITS} decimals ("${text}"); perpguard keeps ${SCALE_DIGITS} and does not round input`;
  }
  return undefined;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'number') return `the JSON number ${value} (write it as a string so it stays exact)`;
  return typeof value;
}

/** The value x 10^18 of a string exactProblem accepted (exact: at most 18 decimals). */
function scaledOf(text: string): bigint {
  const m = DECIMAL_RE.exec(text.trim())!;
  const sign = m[1] === '-' ? -1n : 1n;
  const frac = m[3] ?? '';
  const digits = BigInt(m[2]! + frac);
  // value = digits x 10^(exponent - frac.length); scaled by 10^18; the digits cut off are zeros
  const power = SCALE_DIGITS + Number(m[4] ?? '0') - frac.length;
  return sign * (power >= 0 ? digits * 10n ** BigInt(power) : digits / 10n ** BigInt(-power));
}

/**
 * Parses a decimal string exactly. More than 18 significant decimals is refused, not rounded (README's
 * rounding table): a value perpguard cannot hold exactly must not change silently on reading. Throws
 * RangeError with the reason; callers name the field. No magnitude bound here (bracket caps and other
 * internal tables are large); input schemas add it through decimalProblem.
 */
export function parseFixed<U extends string>(text: string): Fixed<U> {
  const problem = exactProblem(text);
  if (problem !== undefined) throw new RangeError(problem);
  return wrap(scaledOf(text));
}

/** Exact decimal string, trailing zeros trimmed ("1.5", "-0.004", "0"). */
export function formatFixed<U extends string>(x: Fixed<U>): string {
  const v = raw(x);
  const negative = v < 0n;
  const abs = negative ? -v : v;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(SCALE_DIGITS, '0').replace(/0+$/, '');
  return (negative ? '-' : '') + whole.toString() + (frac ? '.' + frac : '');
}

/** Decimal string with exactly `decimals` digits after the point, rounded as asked. */
export function formatFixedTo<U extends string>(x: Fixed<U>, decimals: number, rounding: Rounding): string {
  const step = 10n ** BigInt(SCALE_DIGITS - decimals);
  const units = divRound(raw(x), step, rounding);
  const negative = units < 0n;
  const abs = negative ? -units : units;
  const base = 10n ** BigInt(decimals);
  const whole = abs / base;
  const frac = decimals > 0 ? '.' + (abs % base).toString().padStart(decimals, '0') : '';
  return (negative && abs !== 0n ? '-' : '') + whole.toString() + frac;
}

export function fromInt<U extends string>(n: number | bigint): Fixed<U> {
  if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
  return wrap(BigInt(n) * SCALE);
}

/** The raw scaled bigint (value x 10^18), for serialization and for kernels that need it. */
export const toScaled = raw;
/** Builds a value from its raw scaled bigint (value x 10^18). */
export const fromScaled = wrap;

/** Float64 approximation, ONLY for charts, screening kernels and benchmarks; never for money. */
export function toApproxNumber<U extends string>(x: Fixed<U>): number {
  return Number(raw(x)) / 1e18;
}

// ---------------------------------------------------------------- same-unit arithmetic

export function zero<U extends string>(): Fixed<U> {
  return wrap(0n);
}
export function add<U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): Fixed<U> {
  return wrap(raw(a) + raw(b));
}
export function sub<U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): Fixed<U> {
  return wrap(raw(a) - raw(b));
}
export function neg<U extends string>(a: Fixed<U>): Fixed<U> {
  return wrap(-raw(a));
}
export function abs<U extends string>(a: Fixed<U>): Fixed<U> {
  const v = raw(a);
  return wrap(v < 0n ? -v : v);
}
export function sum<U extends string>(values: readonly Fixed<U>[]): Fixed<U> {
  let total = 0n;
  for (const v of values) total += raw(v);
  return wrap(total);
}
export function cmp<U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): -1 | 0 | 1 {
  const x = raw(a);
  const y = raw(b);
  return x < y ? -1 : x > y ? 1 : 0;
}
export const eq = <U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): boolean => raw(a) === raw(b);
export const lt = <U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): boolean => raw(a) < raw(b);
export const lte = <U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): boolean => raw(a) <= raw(b);
export const gt = <U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): boolean => raw(a) > raw(b);
export const gte = <U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): boolean => raw(a) >= raw(b);
export const isZero = <U extends string>(a: Fixed<U>): boolean => raw(a) === 0n;
export const isNegative = <U extends string>(a: Fixed<U>): boolean => raw(a) < 0n;
export const isPositive = <U extends string>(a: Fixed<U>): boolean => raw(a) > 0n;
export const signOf = <U extends string>(a: Fixed<U>): -1 | 0 | 1 => {
  const v = raw(a);
  return v < 0n ? -1 : v > 0n ? 1 : 0;
};
export function min<U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): Fixed<U> {
  return raw(a) <= raw(b) ? a : b;
}
export function max<U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>): Fixed<U> {
  return raw(a) >= raw(b) ? a : b;
}
/** a x k for a whole number k (exact). */
export function times<U extends string>(a: Fixed<U>, k: number | bigint): Fixed<U> {
  return wrap(raw(a) * BigInt(k));
}
/** a / k for a whole number k, rounded as asked. */
export function divideBy<U extends string>(a: Fixed<U>, k: number | bigint, rounding: Rounding): Fixed<U> {
  if (typeof k === 'number' && !Number.isInteger(k)) {
    // a decimal divisor (fractional leverage: Bybit and OKX allow 0.01 steps), exactly as n / 10^d
    const [n, d] = decimalOfNumber(k);
    return wrap(divRound(raw(a) * 10n ** d, n, rounding));
  }
  return wrap(divRound(raw(a), BigInt(k), rounding));
}
/** A finite JS number with a short decimal form (12.34) as the exact pair [1234n, 2n]. */
function decimalOfNumber(k: number): [bigint, bigint] {
  const match = /^(-?\d+)\.(\d{1,18})$/.exec(String(k));
  if (!match) throw new RangeError(`not a decimal of at most 18 places: ${k}`);
  return [BigInt(match[1]! + match[2]!), BigInt(match[2]!.length)];
}
/** a scaled by a dimensionless rate (a x r), rounded as asked. */
export function scale<U extends string>(a: Fixed<U>, r: Rate, rounding: Rounding): Fixed<U> {
  return wrap(divRound(raw(a) * raw(r), SCALE, rounding));
}
/** a / b of two amounts of the same unit: a dimensionless rate, rounded as asked. */
export function ratio<U extends string>(a: Fixed<U>, b: Fixed<NoInfer<U>>, rounding: Rounding): Rate {
  return wrap(divRound(raw(a) * SCALE, raw(b), rounding));
}
/** a / r for a dimensionless rate r (a / (1 - fee), say), rounded as asked. */
export function divideByRate<U extends string>(a: Fixed<U>, r: Rate, rounding: Rounding): Fixed<U> {
  return wrap(divRound(raw(a) * SCALE, raw(r), rounding));
}
/** Rounds to a multiple of `step` (a tick or a lot step), in the direction asked. */
export function roundToStep<U extends string>(a: Fixed<U>, step: Fixed<NoInfer<U>>, rounding: Rounding): Fixed<U> {
  const s = raw(step);
  if (s <= 0n) throw new RangeError('step must be positive');
  return wrap(divRound(raw(a), s, rounding) * s);
}
export function isMultipleOf<U extends string>(a: Fixed<U>, step: Fixed<NoInfer<U>>): boolean {
  const s = raw(step);
  return s > 0n && raw(a) % s === 0n;
}

// ---------------------------------------------------------------- named unit conversions

/** Linear notional: quantity x price, in the settlement (quote) asset. */
export function notional(quantity: Quantity, price: Price, rounding: Rounding): Money {
  return wrap(divRound(raw(quantity) * raw(price), SCALE, rounding));
}
/** Linear: an amount of money spread over a quantity, as a price distance (money / quantity). */
export function perQuantity(amount: Money, quantity: Quantity, rounding: Rounding): Price {
  return wrap(divRound(raw(amount) * SCALE, raw(quantity), rounding));
}
/** Linear: the quantity whose notional at `price` is `amount` (amount / price). */
export function quantityOf(amount: Money, price: Price, rounding: Rounding): Quantity {
  return wrap(divRound(raw(amount) * SCALE, raw(price), rounding));
}
/** Inverse: the contracts whose coin notional at `price` is `coin` (coin x price / contract size). */
export function contractsOf(coin: Money, price: Price, contractSizeUsd: Usd, rounding: Rounding): Quantity {
  return wrap(divRound(raw(coin) * raw(price), raw(contractSizeUsd), rounding));
}
/** a x part / whole: a share of `a` in the proportion of two amounts of one unit (one rounding). */
export function proportion<U extends string, V extends string>(a: Fixed<U>, part: Fixed<V>, whole: Fixed<NoInfer<V>>, rounding: Rounding): Fixed<U> {
  return wrap(divRound(raw(a) * raw(part), raw(whole), rounding));
}
/** Inverse face value: contracts x contract size in USD. */
export function faceValue(contracts: Quantity, contractSizeUsd: Usd): Usd {
  return wrap((raw(contracts) * raw(contractSizeUsd)) / SCALE);
}
/** Inverse notional in coin: USD face value / price. */
export function coinValue(usd: Usd, price: Price, rounding: Rounding): Money {
  return wrap(divRound(raw(usd) * SCALE, raw(price), rounding));
}
/** Inverse: the price at which a USD face value is worth `coin` coins (usd / coin). */
export function priceOfCoin(usd: Usd, coin: Money, rounding: Rounding): Price {
  return wrap(divRound(raw(usd) * SCALE, raw(coin), rounding));
}
/** Inverse PnL in coin of a long of `face` USD from `entry` to `exit`: face x (1/entry - 1/exit), one rounding. */
export function coinPnl(face: Usd, entry: Price, exit: Price, rounding: Rounding): Money {
  const e = raw(entry);
  const x = raw(exit);
  return wrap(divRound(raw(face) * (x - e) * SCALE, e * x, rounding));
}
/** 1 / leverage as an exact-as-possible rate, rounded as asked. */
export function rateOfLeverage(leverage: number, rounding: Rounding): Rate {
  return divideBy(wrap<'Rate'>(SCALE), leverage, rounding);
}
/** A rate from a decimal string. */
export const rate = (text: string): Rate => parseFixed<'Rate'>(text);
export const price = (text: string): Price => parseFixed<'Price'>(text);
export const quantity = (text: string): Quantity => parseFixed<'Quantity'>(text);
export const money = (text: string): Money => parseFixed<'Money'>(text);
export const usd = (text: string): Usd => parseFixed<'Usd'>(text);
