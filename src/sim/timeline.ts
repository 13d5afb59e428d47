// The replay's timeline: the bars of every symbol merged into one sequence of steps, in columns (no
// object per bar): which series (by its position in the list given), which bar, when. Built once per set
// of series and reused by the run's context (./context.ts): a Monte Carlo path is replayed under several
// modes, and every path of a batch has the same hours, so their step columns are shared too.
import type { BarSeries } from './data.ts';

/** Which series and which bar each step is, and when. */
export interface StepColumns {
  readonly seriesOf: Uint8Array | Int32Array;
  readonly index: Int32Array;
  readonly time: Float64Array;
}

export interface Timeline extends StepColumns {
  readonly length: number;
  /** The series in the order given; step s is bar index[s] of seriesList[seriesOf[s]]. */
  readonly seriesList: readonly BarSeries[];
}

/**
 * Step columns of aligned series (one shared time column, as in Monte Carlo paths): hour by hour, in
 * the order given, no sort. `reuse` is returned when it already describes the same steps.
 */
export function alignedColumns(series: readonly BarSeries[], reuse: StepColumns | undefined): StepColumns | undefined {
  const first = series[0];
  if (!first || !series.every((s) => s.time === first.time)) return undefined;
  const n = series.length;
  const hours = first.time.length;
  if (reuse && sameShape(reuse, n, hours) && sameTimes(reuse.time, first.time, n)) return reuse;
  const out = { seriesOf: n <= 256 ? new Uint8Array(n * hours) : new Int32Array(n * hours), index: new Int32Array(n * hours), time: new Float64Array(n * hours) };
  let k = 0;
  for (let i = 0; i < hours; i++) {
    for (let a = 0; a < n; a++) {
      out.seriesOf[k] = a;
      out.index[k] = i;
      out.time[k] = first.time[i]!;
      k++;
    }
  }
  return out;
}

/** The columns step through n series per hour for `hours` hours (the first hour is 0..n-1, the next starts at 0). */
function sameShape(columns: StepColumns, n: number, hours: number): boolean {
  return columns.index.length === n * hours && columns.seriesOf[n - 1] === n - 1 && (hours === 1 || columns.seriesOf[n] === 0);
}

/** The reused columns hold these times (every n-th entry is the next hour). */
function sameTimes(steps: Float64Array, times: ArrayLike<number>, n: number): boolean {
  for (let i = 0; i < times.length; i++) if (steps[i * n] !== times[i]) return false;
  return true;
}

/**
 * The timeline of `series`: the aligned columns when given, else every bar in time order, ties in the
 * order the series were given (a merge of the series, each in time order; a stable sort if one is not).
 */
export function buildTimeline(given: readonly BarSeries[], aligned: StepColumns | undefined): Timeline {
  const series = packed(given);
  if (aligned) return { length: aligned.index.length, seriesList: series, ...aligned };
  const total = series.reduce((n, s) => n + s.time.length, 0);
  const out = { seriesOf: new Int32Array(total), index: new Int32Array(total), time: new Float64Array(total) };
  if (series.every(inTimeOrder)) merge(series, out);
  else sortSteps(series, out);
  return { length: total, seriesList: series, ...out };
}

function inTimeOrder(s: BarSeries): boolean {
  for (let i = 1; i < s.time.length; i++) if (s.time[i]! < s.time[i - 1]!) return false;
  return true;
}

/** n-way merge: at each step the series whose next bar is earliest, the first given on a tie. */
function merge(series: readonly BarSeries[], out: StepColumns): void {
  const next = new Int32Array(series.length);
  for (let k = 0; k < out.index.length; k++) {
    let best = -1;
    let bestTime = Infinity;
    for (let a = 0; a < series.length; a++) {
      const i = next[a]!;
      if (i < series[a]!.time.length && series[a]!.time[i]! < bestTime) {
        best = a;
        bestTime = series[a]!.time[i]!;
      }
    }
    out.seriesOf[k] = best;
    out.index[k] = next[best]!++;
    out.time[k] = bestTime;
  }
}

function sortSteps(series: readonly BarSeries[], out: StepColumns): void {
  const order: [number, number, number][] = [];
  series.forEach((s, a) => {
    for (let i = 0; i < s.time.length; i++) order.push([s.time[i]!, a, i]);
  });
  // stable: by time, then by the order the series were given
  order.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  order.forEach(([t, a, i], k) => {
    out.seriesOf[k] = a;
    out.index[k] = i;
    out.time[k] = t;
  });
}

/** The index of the time within `toleranceMs` of `instant` in a sorted column, or -1 (binary search). */
export function indexAt(times: readonly number[], instant: number, toleranceMs: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = times[mid]!;
    if (Math.abs(t - instant) <= toleranceMs) return mid;
    if (t < instant) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

/**
 * The series in an array of one elements kind (packed), whatever built the caller's: a spread or a map()
 * in optimized code may give a holey array, and the screening's loops, compiled for the packed arrays of
 * the first paths, then left their optimized code on every scan (the Monte Carlo bench saw ~20 such
 * deoptimizations per batch of 50 paths once runBatch was optimized, each costing more than the scan).
 */
function packed(series: readonly BarSeries[]): BarSeries[] {
  const out: BarSeries[] = [];
  for (let a = 0; a < series.length; a++) out.push(series[a]!);
  return out;
}
