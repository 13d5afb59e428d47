// Monte Carlo price paths. Every path is a pure function of (model, seed, path index): the generator of
// path p is seeded from (seed, p), so any range of paths can run on any worker or machine and the union is
// the same as one sequential run.
//
// Generators:
// - block bootstrap: blocks of consecutive hours drawn jointly for all assets from the aligned hourly
//   history, each hour bringing every asset's whole bar shape (gap, close, high and low relative to the
//   open). Joint draws keep the cross-asset correlation; blocks keep volatility clustering; real wicks stay.
// - gbm: geometric Brownian motion calibrated to the history (hourly drift, volatility and the correlation
//   matrix, via its Cholesky factor); the wicks of a bar come from the Brownian bridge's expected range.
// - crash injection (either generator): with a given probability a path gets a real crash spliced in at a
//   random hour: the crash window's BTC minute bars aggregated to hours, other assets moved by their beta
//   to BTC.
// Float64 is the nature of the generated prices; they are then quantized to each market's tick as whole
// tick counts, so the exact engine and the screening kernel read the very same prices.
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { fromScaled, type Price } from '../domain/fixed.ts';
import type { BarSeries, CandleSeries } from './data.ts';

/** Bar shapes of aligned hourly history: for hour k and asset a, log(open/prev close), log(close/open), log(high/open), log(low/open). */
export interface ReturnsModel {
  readonly symbols: readonly string[];
  readonly hours: number;
  readonly gap: readonly Float64Array[];
  readonly body: readonly Float64Array[];
  readonly up: readonly Float64Array[];
  readonly down: readonly Float64Array[];
  /** The same shapes as ratios (exp of the logs), so a bootstrap path multiplies instead of exponentiating. */
  readonly gapRatio: readonly Float64Array[];
  readonly bodyRatio: readonly Float64Array[];
  readonly upRatio: readonly Float64Array[];
  readonly downRatio: readonly Float64Array[];
  /** Hourly log-return drift and volatility per asset, the correlation matrix's Cholesky factor. */
  readonly drift: Float64Array;
  readonly volatility: Float64Array;
  readonly cholesky: readonly Float64Array[];
  /** Beta of each asset's hourly return to the first asset's (BTC). */
  readonly beta: Float64Array;
  /** Last close of each asset: the paths start there. */
  readonly start: Float64Array;
  /** Crash shapes (hourly bars of the crash windows, first asset only): body, up, down per hour. */
  readonly crashes: readonly { readonly id: string; readonly body: Float64Array; readonly up: Float64Array; readonly down: Float64Array }[];
}

/** Builds the model from hourly series with identical timestamps (flat no-trading bars excluded). */
export function returnsModel(hourly: readonly CandleSeries[], crashes: readonly { id: string; series: CandleSeries }[] = []): ReturnsModel {
  const n = hourly.length;
  const base = hourly[0]!;
  for (const s of hourly) if (s.time.length !== base.time.length || s.time.some((t, i) => t !== base.time[i])) throw new RangeError(`${s.symbol} is not aligned with ${base.symbol}`);
  const keep: number[] = [];
  for (let k = 1; k < base.time.length; k++) {
    if (base.time[k]! - base.time[k - 1]! !== 3_600_000) continue;
    if (hourly.some((s) => s.noTrading[k] || s.noTrading[k - 1])) continue;
    keep.push(k);
  }
  const column = (f: (s: CandleSeries, k: number) => number) => hourly.map((s) => Float64Array.from(keep, (k) => f(s, k)));
  const gap = column((s, k) => Math.log(s.openF[k]! / s.closeF[k - 1]!));
  const body = column((s, k) => Math.log(s.closeF[k]! / s.openF[k]!));
  const up = column((s, k) => Math.log(s.highF[k]! / s.openF[k]!));
  const down = column((s, k) => Math.log(s.lowF[k]! / s.openF[k]!));
  const total = hourly.map((_, a) => Float64Array.from(keep, (_k, j) => gap[a]![j]! + body[a]![j]!));
  const mean = Float64Array.from(total, (r) => r.reduce((x, y) => x + y, 0) / r.length);
  const cov = (a: number, b: number) => {
    let sum = 0;
    for (let j = 0; j < keep.length; j++) sum += (total[a]![j]! - mean[a]!) * (total[b]![j]! - mean[b]!);
    return sum / (keep.length - 1);
  };
  const volatility = Float64Array.from(hourly, (_, a) => Math.sqrt(cov(a, a)));
  const corr = hourly.map((_, a) => Float64Array.from(hourly, (_b, b) => cov(a, b) / (volatility[a]! * volatility[b]!)));
  const beta = Float64Array.from(hourly, (_, a) => cov(a, 0) / cov(0, 0));
  return {
    symbols: hourly.map((s) => s.symbol),
    hours: keep.length,
    gap,
    body,
    up,
    down,
    gapRatio: gap.map((a) => a.map(Math.exp)),
    bodyRatio: body.map((a) => a.map(Math.exp)),
    upRatio: up.map((a) => a.map(Math.exp)),
    downRatio: down.map((a) => a.map(Math.exp)),
    // Ito: the drift of log returns is mean; the path uses it directly
    drift: mean,
    volatility,
    cholesky: cholesky(corr),
    beta,
    start: Float64Array.from(hourly, (s) => s.closeF[s.closeF.length - 1]!),
    crashes: crashes.map(({ id, series }) => hourlyShape(id, series)),
  };
}

function cholesky(m: readonly Float64Array[]): Float64Array[] {
  const n = m.length;
  const l = m.map(() => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = m[i]![j]!;
      for (let k = 0; k < j; k++) sum -= l[i]![k]! * l[j]![k]!;
      l[i]![j] = i === j ? Math.sqrt(Math.max(sum, 1e-12)) : sum / l[j]![j]!;
    }
  }
  return l;
}

/** A crash window's minute bars aggregated into hours, as shapes relative to each hour's open. */
function hourlyShape(id: string, s: CandleSeries) {
  const body: number[] = [];
  const up: number[] = [];
  const down: number[] = [];
  for (let start = 0; start < s.time.length; start += 60) {
    const end = Math.min(s.time.length, start + 60);
    let hi = -Infinity;
    let lo = Infinity;
    for (let i = start; i < end; i++) {
      hi = Math.max(hi, s.highF[i]!);
      lo = Math.min(lo, s.lowF[i]!);
    }
    const open = s.openF[start]!;
    body.push(Math.log(s.closeF[end - 1]! / open));
    up.push(Math.log(hi / open));
    down.push(Math.log(lo / open));
  }
  return { id, body: Float64Array.from(body), up: Float64Array.from(up), down: Float64Array.from(down) };
}

export type GeneratorKind = 'bootstrap' | 'gbm';

export interface PathOptions {
  readonly generator: GeneratorKind;
  readonly hours: number;
  /** Bootstrap block length in hours. */
  readonly blockHours: number;
  /** Probability that a path gets one real crash spliced in. */
  readonly crashProbability: number;
  /** Tick size per asset (quantization). */
  readonly ticks: readonly number[];
  /** Epoch ms of the first bar. */
  readonly startMs: number;
}

/** Bootstrap path options from decimal tick sizes (the advisor's Monte Carlo runs). */
export function bootstrapOptions(o: { hours: number; blockHours?: number | undefined; crashProbability: number; tickTexts: readonly string[]; startMs: number }): PathOptions {
  return {
    generator: 'bootstrap',
    hours: o.hours,
    blockHours: Math.max(1, Math.min(o.blockHours ?? 24, o.hours)),
    crashProbability: o.crashProbability,
    ticks: o.tickTexts.map((t) => Number(t)),
    startMs: o.startMs,
  };
}

/** splitmix32-style mixing of (seed, path) into a generator seed. */
export function pathSeed(seed: number, path: number): number {
  let h = (seed ^ Math.imul(path + 1, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) | 0;
}

/** Standard normal by Box-Muller from two uniforms. */
function normal(rng: ReturnType<typeof xoroshiro128plus>): number {
  const u = 1 - uniformFloat64(rng);
  const v = uniformFloat64(rng);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/**
 * Math.round(x) for x >= 0, without its data-dependent branch: V8 compiles Math.round to a compare and
 * jump on the fraction, which a random path mispredicts about every other time (generating a path took
 * ~125 us, ~55 us of it in those mispredictions). Exact for every finite x >= 0: floor(x) is exact, and
 * x - floor(x) is exact too (x < 1: it is x; x >= 1: floor(x) >= x / 2, Sterbenz), so the fraction is
 * doubled exactly and floor(2 x frac) is 1 exactly when frac >= 0.5, as Math.round rounds halves up.
 * (floor(x + 0.5) is not: x + 0.5 rounds when x is one ulp below a half.) generators.test.ts compares it
 * with Math.round.
 */
export function roundTicks(x: number): number {
  const whole = Math.floor(x);
  return whole + Math.floor((x - whole) * 2);
}

/** Whole-tick prices of one path, per asset: open/high/low/close as tick counts. */
export interface PathTicks {
  /** Whole ticks x tick, in float64: the screening kernel reads them, and the exact price of a bar is
   *  round(value / tick) whole ticks (recovered exactly: the float error is far below half a tick). */
  readonly openF: Float64Array[];
  readonly highF: Float64Array[];
  readonly lowF: Float64Array[];
  readonly closeF: Float64Array[];
  readonly crashAt: number;
}

let scratchBuffers: { n: number; hours: number; body: Float64Array[]; gap: Float64Array[]; up: Float64Array[]; down: Float64Array[] } | undefined;

function scratch(n: number, hours: number) {
  if (!scratchBuffers || scratchBuffers.n !== n || scratchBuffers.hours !== hours) {
    const make = () => Array.from({ length: n }, () => new Float64Array(hours));
    scratchBuffers = { n, hours, body: make(), gap: make(), up: make(), down: make() };
  }
  return scratchBuffers;
}

/**
 * `buffer`: where to write the path's columns (4 x assets x hours numbers), owned by a caller that lets the
 * path go before it asks for the next one (a Monte Carlo batch); default a new one. Each fresh buffer is a
 * 69 KB off-heap store per path at 720 h, and their allocation and collection showed in the profile.
 */
export function generatePath(model: ReturnsModel, options: PathOptions, seed: number, path: number, buffer?: Float64Array): PathTicks {
  const rng = xoroshiro128plus(pathSeed(seed, path));
  const n = model.symbols.length;
  const hours = options.hours;
  // per asset and hour, the bar's shape as price ratios: open / previous close, close / open, high / open,
  // low / open (scratch buffers reused from path to path: they do not outlive this call)
  const { body, gap, up, down } = scratch(n, hours);
  for (const g of gap) g.fill(1);
  if (options.generator === 'bootstrap') {
    for (let h = 0; h < hours; ) {
      const from = Math.floor(uniformFloat64(rng) * (model.hours - options.blockHours));
      const take = Math.min(options.blockHours, hours - h);
      // element by element: a block is short (a day), and subarray() + set() allocated a view per copy
      for (let a = 0; a < n; a++) {
        const gapFrom = model.gapRatio[a]!;
        const bodyFrom = model.bodyRatio[a]!;
        const upFrom = model.upRatio[a]!;
        const downFrom = model.downRatio[a]!;
        const gapTo = gap[a]!;
        const bodyTo = body[a]!;
        const upTo = up[a]!;
        const downTo = down[a]!;
        for (let j = 0; j < take; j++) {
          gapTo[h + j] = gapFrom[from + j]!;
          bodyTo[h + j] = bodyFrom[from + j]!;
          upTo[h + j] = upFrom[from + j]!;
          downTo[h + j] = downFrom[from + j]!;
        }
      }
      h += take;
    }
  } else {
    const z = new Float64Array(n);
    for (let h = 0; h < hours; h++) {
      for (let a = 0; a < n; a++) z[a] = normal(rng);
      for (let a = 0; a < n; a++) {
        let e = 0;
        for (let b = 0; b <= a; b++) e += model.cholesky[a]![b]! * z[b]!;
        const r = model.drift[a]! + model.volatility[a]! * e;
        body[a]![h] = Math.exp(r);
        // expected excursion of a Brownian bridge over the hour beyond the body, ~0.4 sigma each way
        const wickUp = Math.abs(normal(rng)) * 0.4 * model.volatility[a]!;
        const wickDown = Math.abs(normal(rng)) * 0.4 * model.volatility[a]!;
        up[a]![h] = Math.exp(Math.max(0, r) + wickUp);
        down[a]![h] = Math.exp(Math.min(0, r) - wickDown);
      }
    }
  }
  // the first bar opens at the last close (a gap of 1): a path starts from today's prices, where the
  // portfolio is opened, and every path opens the same way (./opening.ts remembers that opening)
  for (const g of gap) g[0] = 1;
  let crashAt = -1;
  if (model.crashes.length > 0 && uniformFloat64(rng) < options.crashProbability) {
    const crash = model.crashes[Math.floor(uniformFloat64(rng) * model.crashes.length)]!;
    crashAt = Math.floor(uniformFloat64(rng) * Math.max(1, hours - crash.body.length));
    for (let j = 0; j < crash.body.length && crashAt + j < hours; j++) {
      for (let a = 0; a < n; a++) {
        const beta = model.beta[a]!;
        gap[a]![crashAt + j] = 1;
        body[a]![crashAt + j] = Math.exp(beta * crash.body[j]!);
        up[a]![crashAt + j] = Math.exp(Math.max(0, beta * (beta >= 0 ? crash.up[j]! : crash.down[j]!)));
        down[a]![crashAt + j] = Math.exp(Math.min(0, beta * (beta >= 0 ? crash.down[j]! : crash.up[j]!)));
      }
    }
  }
  const out: PathTicks = { openF: [], highF: [], lowF: [], closeF: [], crashAt };
  // one buffer for the path's 4 x n columns: each typed array of this size has its own off-heap backing
  // store, and allocating and collecting twelve of them per path cost more than filling them
  // (every element is written below, so a reused buffer needs no clearing)
  const columns = buffer !== undefined && buffer.length === 4 * n * hours ? buffer : new Float64Array(4 * n * hours);
  for (let a = 0; a < n; a++) {
    const tick = options.ticks[a]!;
    const base = 4 * a * hours;
    const oF = columns.subarray(base, base + hours);
    const hiF = columns.subarray(base + hours, base + 2 * hours);
    const loF = columns.subarray(base + 2 * hours, base + 3 * hours);
    const cF = columns.subarray(base + 3 * hours, base + 4 * hours);
    const g = gap[a]!;
    const bd = body[a]!;
    const u = up[a]!;
    const dn = down[a]!;
    let previous = model.start[a]!;
    for (let h = 0; h < hours; h++) {
      const openTicks = (previous * g[h]!) / tick;
      const ot = Math.max(1, roundTicks(openTicks));
      const ct = Math.max(1, roundTicks(openTicks * bd[h]!));
      const ht = Math.max(ot, ct, roundTicks(openTicks * u[h]!));
      const lt = Math.max(1, Math.min(ot, ct, roundTicks(openTicks * dn[h]!)));
      // the float copies are the same whole ticks times the tick, so screening and the engine agree
      oF[h] = ot * tick;
      cF[h] = ct * tick;
      hiF[h] = ht * tick;
      loF[h] = lt * tick;
      previous = ct * tick;
    }
    out.openF.push(oF);
    out.highF.push(hiF);
    out.lowF.push(loF);
    out.closeF.push(cF);
  }
  return out;
}

/** Exact prices from whole tick counts, built only when the engine asks (most bars never need one). */
function tickColumn(prices: Float64Array, tick: number, tickScaled: bigint) {
  return {
    length: prices.length,
    at(i: number): Price | undefined {
      const p = prices[i];
      return p === undefined ? undefined : fromScaled<'Price'>(BigInt(Math.round(p / tick)) * tickScaled);
    },
  };
}

/** The path as bar series the replay reads; `tickTexts` are the markets' tick sizes as exact decimals. */
const timeColumns = new Map<string, Float64Array>();
const noTradingColumns = new Map<number, Uint8Array>();

export function pathSeries(model: ReturnsModel, options: PathOptions, path: PathTicks, tickScaled: readonly bigint[]): BarSeries[] {
  const key = `${options.startMs}|${options.hours}`;
  let time = timeColumns.get(key);
  if (!time) {
    time = Float64Array.from({ length: options.hours }, (_, h) => options.startMs + h * 3_600_000);
    timeColumns.set(key, time);
  }
  let noTrading = noTradingColumns.get(options.hours);
  if (!noTrading) {
    noTrading = new Uint8Array(options.hours);
    noTradingColumns.set(options.hours, noTrading);
  }
  const times = time;
  const flags = noTrading;
  return model.symbols.map((symbol, a) => {
    return {
      symbol,
      time: times,
      open: tickColumn(path.openF[a]!, options.ticks[a]!, tickScaled[a]!),
      high: tickColumn(path.highF[a]!, options.ticks[a]!, tickScaled[a]!),
      low: tickColumn(path.lowF[a]!, options.ticks[a]!, tickScaled[a]!),
      close: tickColumn(path.closeF[a]!, options.ticks[a]!, tickScaled[a]!),
      openF: path.openF[a]!,
      highF: path.highF[a]!,
      lowF: path.lowF[a]!,
      closeF: path.closeF[a]!,
      noTrading: flags,
    };
  });
}


