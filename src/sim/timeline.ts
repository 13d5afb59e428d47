// The replay's timeline: the bars of every symbol merged into one sequence of steps, in columns (no
// object per bar): which series, which bar, when. Built once per set of series and reused (a Monte Carlo
// run replays the same series under several modes).
import type { BarSeries } from './data.ts';

export interface Timeline {
  readonly length: number;
  readonly series: readonly BarSeries[];
  readonly index: Int32Array;
  readonly time: Float64Array;
}

const timelines = new WeakMap<readonly BarSeries[], Timeline>();

export function timeline(series: readonly BarSeries[]): Timeline {
  const cached = timelines.get(series);
  if (cached) return cached;
  const total = series.reduce((n, s) => n + s.time.length, 0);
  const out = { length: total, series: new Array<BarSeries>(total), index: new Int32Array(total), time: new Float64Array(total) };
  const first = series[0];
  if (first && series.every((s) => s.time === first.time)) {
    // aligned series (Monte Carlo paths share one time column): hour by hour, in the order given; no sort
    let k = 0;
    for (let i = 0; i < first.time.length; i++) {
      for (const s of series) {
        out.series[k] = s;
        out.index[k] = i;
        out.time[k] = first.time[i]!;
        k++;
      }
    }
  } else {
    const order: [number, number, number][] = [];
    series.forEach((s, a) => {
      for (let i = 0; i < s.time.length; i++) order.push([s.time[i]!, a, i]);
    });
    // stable: by time, then by the order the series were given
    order.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    order.forEach(([t, a, i], k) => {
      out.series[k] = series[a]!;
      out.index[k] = i;
      out.time[k] = t;
    });
  }
  timelines.set(series, out);
  return out;
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
