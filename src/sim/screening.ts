// Screening glue around the float64 kernel (./kernel.ts): the kernel decides whether anything could happen
// inside a bar; runs of bars where nothing can are walked here without the engine (their closes reach it
// lazily, before the next exact step, through ReplayRun.sync). Events and balances are identical to an
// exact-only run (screening.test.ts).
import { BINANCE_FUNDING_INTERVAL_MS } from '../domain/funding.ts';
import { mayTrigger, mmF, primeCaches, scanBar, SCAN_OUT, type FloatAccount } from './kernel.ts';
import type { ReplayRun } from './run.ts';
import type { StepColumns, Timeline } from './timeline.ts';

/**
 * The screening kernel's tight loop: from step `from`, walk every bar where nothing can happen (no
 * funding instant, no strategy decision, no trigger within the band), keeping only the float marks and
 * the equity statistics, and return the first step that needs the engine. No allocation, no engine.
 * The caller decides whether the run may be screened at all (`quiet`: screening on, a screenable
 * strategy with nothing pending).
 */
export function scanQuiet(run: ReplayRun, steps: Timeline, symbolOfSeries: Int32Array, from: number, quiet: boolean, hasFunding: boolean): number {
  if (!quiet) return from;
  run.refreshFloat();
  const account = run.floatAccount;
  if (account.legs.length > 0) primeCaches(account, run.marksF);
  if (!hasFunding && !run.recordCurve && isAligned(steps) && prepareAligned(run, steps, symbolOfSeries)) return scanAligned(run, steps, symbolOfSeries, from);
  return scanSteps(run, steps, symbolOfSeries, from, hasFunding);
}

/** Any timeline: each step looks up its series, bar and time. */
function scanSteps(run: ReplayRun, steps: Timeline, symbolOfSeries: Int32Array, from: number, hasFunding: boolean): number {
  const account = run.floatAccount;
  const cash = run.floatCash;
  const marksF = run.marksF;
  const hasLegs = account.legs.length > 0;
  const interval = BINANCE_FUNDING_INTERVAL_MS;
  const nextFunding = hasFunding ? Math.floor(run.lastTime / interval) * interval + interval : Infinity;
  // the statistics live in locals through the loop and are written back once
  let { minEquity, peak, maxDrawdown, lastTime } = run;
  const drawdown = run.tracksDrawdown;
  const recordCurve = run.recordCurve;
  const { seriesOf, seriesList, index, time } = steps;
  const length = steps.length;
  let s = from;
  for (; s < length; s++) {
    const a = seriesOf[s]!;
    const series = seriesList[a]!;
    const i = index[s]!;
    const stepTime = time[s]!;
    if (series.noTrading[i]) continue;
    const k = symbolOfSeries[a]!;
    if (k < 0) continue;
    if (stepTime >= nextFunding) break;
    const previousF = marksF[k]!;
    const lowF = series.lowF[i]!;
    const highF = series.highF[i]!;
    if (Number.isNaN(previousF)) break;
    const lo = previousF < lowF ? previousF : lowF;
    const hi = previousF > highF ? previousF : highF;
    const closeF = series.closeF[i]!;
    let worst = cash;
    let atClose = cash;
    if (hasLegs) {
      if (scanBar(account, cash, marksF, k, lowF, highF, closeF, lo, hi)) break;
      worst = SCAN_OUT[0]!;
      atClose = SCAN_OUT[1]!;
    } else if (account.triggers.length > 0 && mayTrigger(account, marksF, k, lo, hi)) break;
    lastTime = stepTime;
    run.lastSeries[k] = series;
    run.lastIndex[k] = i;
    marksF[k] = closeF;
    if (worst < minEquity) minEquity = worst;
    if (drawdown && atClose > peak) peak = atClose;
    if (drawdown && peak > 0 && (peak - worst) / peak > maxDrawdown) maxDrawdown = (peak - worst) / peak;
    if (recordCurve) {
      run.times.push(stepTime);
      run.equity.push(atClose);
    }
  }
  run.minEquity = minEquity;
  run.peak = peak;
  run.maxDrawdown = maxDrawdown;
  run.lastTime = lastTime;
  return s;
}


/** Step columns already checked by isAligned (the columns are shared by every path of a batch). */
const alignedChecked = new WeakMap<StepColumns['index'], { readonly seriesOf: StepColumns['seriesOf']; readonly n: number; readonly aligned: boolean }>();

/**
 * The timeline steps through its n series hour by hour (step s is bar (s - a) / n of series a = s mod n),
 * as a Monte Carlo path's does (./timeline.ts alignedColumns). Checked once per set of step columns.
 */
function isAligned(steps: Timeline): boolean {
  const n = steps.seriesList.length;
  const known = alignedChecked.get(steps.index);
  if (known !== undefined && known.seriesOf === steps.seriesOf && known.n === n) return known.aligned;
  const { seriesOf, index, length } = steps;
  let aligned = n > 0 && length === index.length && length === seriesOf.length && length % n === 0;
  for (let s = 0, a = 0, h = 0; aligned && s < length; s++) {
    if (seriesOf[s] !== a || index[s] !== h) aligned = false;
    if (++a === n) {
      a = 0;
      h++;
    }
  }
  alignedChecked.set(steps.index, { seriesOf: steps.seriesOf, n, aligned });
  return aligned;
}

/**
 * What scanAligned reads and keeps per series a, set by prepareAligned before each scan (module scratch,
 * grown on demand: the scan allocates nothing). Integers at SERIES_INT[a * 8 + ...]: KIND, where its low
 * column starts in PRICES (its high and close columns stand TO_HIGH and TO_CLOSE further), its symbol's
 * leg (-1: none); numbers at SERIES_FLOAT[a * 8 + ...]: the leg's constants, and the symbol's mark and the
 * leg's caches (written back to the run and the account after the scan). The loop thus reads every bar
 * from one array and keeps its state in two: the per-step object and column lookups of the general loop,
 * each with its own checks, were most of the scan's cost.
 */
const STRIDE = 8;
const KIND = 0; // 0: a series no leg trades (skipped), 1: a traded symbol without legs, else LONG | ISOLATED bits
const LEG_BIT = 2;
const LONG_BIT = 4;
const ISOLATED_BIT = 8;
const LOW = 1;
const LEG = 2;
const SLOPE = 0;
const INTERCEPT = 1;
const BUCKET = 2;
const MARK = 3;
const MARK_UPNL = 4;
const MARK_MM = 5;
const MAX_PRICE = 6;
let SERIES_INT = new Int32Array(0);
let SERIES_FLOAT = new Float64Array(0);
let PRICES: Float64Array<ArrayBufferLike> = new Float64Array(0);
/** Where a series' high and close columns stand in PRICES from its low column. */
let TO_HIGH = 0;
let TO_CLOSE = 0;
/** Typed views over whole buffers, by buffer (a Monte Carlo batch writes every path into one). */
const wholeViews = new WeakMap<ArrayBufferLike, Float64Array<ArrayBufferLike>>();

/**
 * Whether scanAligned applies, and if so its scratch set: every series' price columns are views of one
 * buffer covering the timeline's hours, the series share one no-trading column, each symbol has at most
 * one series and its legs take scanBar's single-leg path (./kernel.ts: one linear leg, no resting order),
 * and every traded symbol has a mark. Otherwise the general loop runs (same results, slower).
 */
function prepareAligned(run: ReplayRun, steps: Timeline, symbolOfSeries: Int32Array): boolean {
  const account = run.floatAccount;
  const { legs, singleLeg } = account;
  if (account.triggers.length > 0) return false;
  for (let j = 0; j < legs.length; j++) {
    const k = legs[j]!.symbolIndex;
    if (k < 0 || k >= singleLeg.length || singleLeg[k] !== j) return false;
  }
  const list = steps.seriesList;
  const n = list.length;
  const hours = steps.length / n;
  const buffer = list[0]!.lowF.buffer;
  let toHigh: number | undefined;
  let toClose = 0;
  if (SERIES_INT.length < STRIDE * n) {
    SERIES_INT = new Int32Array(STRIDE * n);
    SERIES_FLOAT = new Float64Array(STRIDE * n);
  }
  for (let a = 0; a < n; a++) {
    const series = list[a]!;
    const at = a * STRIDE;
    SERIES_INT[at + KIND] = 0;
    if (series.noTrading !== list[0]!.noTrading) return false;
    const k = symbolOfSeries[a]!;
    if (k < 0) continue;
    for (let b = 0; b < a; b++) if (symbolOfSeries[b] === k) return false;
    const mark = run.marksF[k]!;
    if (Number.isNaN(mark)) return false;
    const { lowF, highF, closeF } = series;
    if (lowF.buffer !== buffer || highF.buffer !== buffer || closeF.buffer !== buffer) return false;
    if (lowF.length < hours || highF.length < hours || closeF.length < hours) return false;
    // one offset per series: the high and close columns stand at the same distance from the low one in
    // every series (as generatePath lays them out), so one index reads all three
    const low = lowF.byteOffset / 8;
    if (toHigh === undefined) {
      toHigh = highF.byteOffset / 8 - low;
      toClose = closeF.byteOffset / 8 - low;
    } else if (highF.byteOffset / 8 - low !== toHigh || closeF.byteOffset / 8 - low !== toClose) return false;
    SERIES_INT[at + LOW] = low;
    SERIES_FLOAT[at + MARK] = mark;
    const j = k < singleLeg.length ? singleLeg[k]! : -1;
    SERIES_INT[at + LEG] = j;
    SERIES_INT[at + KIND] = 1;
    if (j < 0) continue;
    const leg = legs[j]!;
    SERIES_INT[at + KIND] = LEG_BIT | (leg.side > 0 ? LONG_BIT : 0) | (leg.isolated ? ISOLATED_BIT : 0);
    SERIES_FLOAT[at + SLOPE] = leg.upnlSlope;
    SERIES_FLOAT[at + INTERCEPT] = leg.upnlIntercept;
    SERIES_FLOAT[at + BUCKET] = leg.bucket;
    SERIES_FLOAT[at + MARK_UPNL] = account.markUpnl[j]!;
    SERIES_FLOAT[at + MARK_MM] = account.markMm[j]!;
    SERIES_FLOAT[at + MAX_PRICE] = account.maxPrice[j]!;
  }
  let whole = wholeViews.get(buffer);
  if (whole === undefined) {
    whole = new Float64Array(buffer, 0, Math.floor(buffer.byteLength / 8));
    wholeViews.set(buffer, whole);
  }
  PRICES = whole;
  TO_HIGH = toHigh ?? 0;
  TO_CLOSE = toClose;
  return true;
}

/**
 * An equity above which a bar's worst point cannot set a new maximum drawdown: peak x (1 - drawdown), raised
 * by a margin (1e-9 of the peak, far above the float error of the drawdown's own division), so the scan
 * skips that division on most bars and still divides, as recordEquity does, wherever it could matter
 * (the division is then the same one, so the drawdown is the same to the last bit). No peak above 0
 * yet: no bound (the division is guarded by the peak anyway).
 */
function drawdownGuard(peak: number, maxDrawdown: number): number {
  return peak > 0 ? peak * (1 - maxDrawdown) + 1e-9 * peak * (1 + maxDrawdown) : Infinity;
}

/**
 * scanSteps for an aligned timeline without funding or equity curve, on what prepareAligned set up (a
 * Monte Carlo path of a hold portfolio): hour by hour, series by series, and scanBar's single-leg path
 * (./kernel.ts scanSingle) written out with the account's sums in locals: the same float operations in the
 * same order, so the same decisions and statistics.
 */
function scanAligned(run: ReplayRun, steps: Timeline, symbolOfSeries: Int32Array, from: number): number {
  const account = run.floatAccount;
  const cash = run.floatCash;
  const wallet = account.wallet;
  const threshold = account.flagLevel;
  const { legs, sums } = account;
  const hasLegs = legs.length > 0;
  const prices = PRICES;
  const toHigh = TO_HIGH | 0;
  const toClose = TO_CLOSE | 0;
  const ints = SERIES_INT;
  const floats = SERIES_FLOAT;
  let sum0 = sums[0]!;
  let sum1 = sums[1]!;
  let sum2 = sums[2]!;
  let { minEquity, peak, maxDrawdown } = run;
  let guard = drawdownGuard(peak, maxDrawdown);
  // an outcome that reads no drawdown (the Monte Carlo's) tracks only the minimum: the peak and the guard
  // were a good part of this loop's time
  const drawdown = run.tracksDrawdown;
  const { seriesList } = steps;
  const noTrading = seriesList[0]!.noTrading;
  const n = seriesList.length;
  // whole (isAligned: length = n x hours): an integer bound keeps the loop's counter compare integral
  const hours = (steps.length / n) | 0;
  let h = Math.floor(from / n);
  let a = from - h * n;
  scan: for (; h < hours; h++, a = 0) {
    if (noTrading[h]) continue;
    for (; a < n; a++) {
      const at = a << 3; // a x STRIDE
      const kind = ints[at + KIND]!;
      if (kind === 0) continue;
      const previousF = floats[at + MARK]!;
      const bar = ints[at + LOW]! + h;
      const lowF = prices[bar]!;
      const highF = prices[bar + toHigh]!;
      const closeF = prices[bar + toClose]!;
      // (no mark is NaN after prepareAligned, unless a close was: the general loop stops there too)
      if (Number.isNaN(previousF)) break scan;
      const lo = previousF < lowF ? previousF : lowF;
      const hi = previousF > highF ? previousF : highF;
      let worst = cash;
      let atClose = cash;
      if ((kind & LEG_BIT) !== 0) {
        const slope = floats[at + SLOPE]!;
        const intercept = floats[at + INTERCEPT]!;
        const isolated = (kind & ISOLATED_BIT) !== 0;
        const pEquity = (kind & LONG_BIT) !== 0 ? lowF : highF;
        const pRisk = (kind & LONG_BIT) !== 0 ? lo : hi;
        const uEquity = slope * pEquity + intercept;
        const uRisk = pRisk === pEquity ? uEquity : slope * pRisk + intercept;
        let bound = floats[at + MARK_MM]!;
        if (hi > floats[at + MAX_PRICE]!) {
          const m = mmF(legs[ints[at + LEG]!]!, hi);
          if (!isolated) sum2 = sum2 + m - bound;
          bound = m;
          floats[at + MARK_MM] = m;
          floats[at + MAX_PRICE] = hi;
        }
        const markU = floats[at + MARK_UPNL]!;
        if (isolated) {
          const b = floats[at + BUCKET]! + uRisk;
          if (b <= 0 || bound >= threshold * b) break scan;
        } else {
          const mb = wallet + sum1 - markU + uRisk;
          if (mb <= 0 || sum2 >= threshold * mb) break scan;
        }
        const uClose = slope * closeF + intercept;
        const others = cash + sum0 - markU;
        worst = others + uEquity;
        atClose = others + uClose;
        sum0 = sum0 + uClose - markU;
        if (!isolated) sum1 = sum1 + uClose - markU;
        floats[at + MARK_UPNL] = uClose;
      } else if (hasLegs) {
        // scanBar on a symbol without legs: the rest of the account at its marks
        worst = cash + sum0 + 0;
        atClose = worst;
      }
      floats[at + MARK] = closeF;
      if (worst < minEquity) minEquity = worst;
      if (!drawdown) continue;
      if (atClose > peak) {
        peak = atClose;
        guard = drawdownGuard(peak, maxDrawdown);
      }
      if (worst < guard && peak > 0 && (peak - worst) / peak > maxDrawdown) {
        maxDrawdown = (peak - worst) / peak;
        guard = drawdownGuard(peak, maxDrawdown);
      }
    }
  }
  const end = h * n + a;
  sums[0] = sum0;
  sums[1] = sum1;
  sums[2] = sum2;
  run.minEquity = minEquity;
  run.peak = peak;
  run.maxDrawdown = maxDrawdown;
  settleAligned(run, steps, symbolOfSeries, from, end);
  return end;
}

/**
 * After scanAligned walked steps [from, end): the marks and leg caches back to the run and the account,
 * and each symbol's latest bar (and the run's last time) as the general loop records them step by step:
 * a series' last step before `end` in an hour that is not a no-trading one.
 */
function settleAligned(run: ReplayRun, steps: Timeline, symbolOfSeries: Int32Array, from: number, end: number): void {
  const account = run.floatAccount;
  const { seriesList, time } = steps;
  const noTrading = seriesList[0]!.noTrading;
  const n = seriesList.length;
  const endHour = Math.floor(end / n);
  let last = -1;
  for (let b = 0; b < n; b++) {
    const at = b * STRIDE;
    const k = symbolOfSeries[b]!;
    if (SERIES_INT[at + KIND] === 0 || k < 0) continue;
    run.marksF[k] = SERIES_FLOAT[at + MARK]!;
    const j = SERIES_INT[at + LEG]!;
    if ((SERIES_INT[at + KIND]! & LEG_BIT) !== 0) {
      account.markUpnl[j] = SERIES_FLOAT[at + MARK_UPNL]!;
      account.markMm[j] = SERIES_FLOAT[at + MARK_MM]!;
      account.maxPrice[j] = SERIES_FLOAT[at + MAX_PRICE]!;
    }
    let h = b < end - endHour * n ? endHour : endHour - 1;
    while (h >= 0 && h * n + b >= from && noTrading[h]) h--;
    if (h < 0 || h * n + b < from) continue;
    run.lastIndex[k] = h;
    if (run.lastSeries[k] !== seriesList[b]) run.lastSeries[k] = seriesList[b];
    if (h * n + b > last) last = h * n + b;
  }
  if (last >= 0) run.lastTime = time[last]!;
}
