// Leverage calibration, part 1: how large an adverse move is possible within the horizon, at a confidence,
// from history (`perpguard advise leverage`; the rule and the whole method are in ./leverage.ts):
//   - the empirical quantile of the worst adverse excursion over every rolling window of the horizon
//     (long: 1 - min low / open of the window's first bar; short: max high / open - 1), and
//   - a volatility-scaled estimate: EWMA (lambda 0.94) of log returns per hour x sqrt(horizon) x the normal
//     quantile of the confidence, turned into a price move (long 1 - e^-x, short e^x - 1);
//   the design move is the larger of the two (float is fine here: these are statistics of returns).
import type { Rate } from '../domain/fixed.ts';
import { InputError } from '../schema/input-error.ts';
import type { CandleSeries } from '../sim/data.ts';
import { empiricalQuantile, ewmaVolatility, normalQuantile, rateOfNumber } from './statistics.ts';

const HOUR = 3_600_000;
export type Side = 'long' | 'short';

// ------------------------------------------------------------------------------------------ the move

/**
 * The worst adverse excursion of every rolling window of `horizonHours` in the series (windows that span
 * a gap in the data are left out): long 1 - min(low) / open, short max(high) / open - 1, as fractions >= 0.
 * Every series must have one bar duration that divides the horizon.
 */
export function adverseExcursions(series: readonly CandleSeries[], horizonHours: number, side: Side): Float64Array {
  const out: number[] = [];
  const long = side === 'long';
  for (const s of series) {
    const n = s.time.length;
    if (n === 0) continue;
    const bar = barDuration(s);
    const k = windowBars(bar, horizonHours, s.source);
    const extremes = long ? s.lowF : s.highF;
    // contiguous runs of bars; in each, the window extreme by a monotonic deque (O(n) for any horizon)
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && s.time[end]! - s.time[end - 1]! === bar) end++;
      const deque: number[] = [];
      let head = 0;
      for (let j = start; j < end; j++) {
        const x = extremes[j]!;
        while (deque.length > head && (long ? extremes[deque[deque.length - 1]!]! >= x : extremes[deque[deque.length - 1]!]! <= x)) deque.pop();
        deque.push(j);
        const i = j - k + 1; // the window [i, j]
        if (i < start) continue;
        while (deque[head]! < i) head++;
        const extreme = extremes[deque[head]!]!;
        const open = s.openF[i]!;
        out.push(long ? 1 - extreme / open : extreme / open - 1);
      }
      start = end;
    }
  }
  return Float64Array.from(out);
}

function barDuration(s: CandleSeries): number {
  const bar = s.durationMs[0]!;
  if (s.durationMs.some((d) => d !== bar)) throw new InputError('--data', `${s.source} mixes bar durations (spliced data); give plain hourly or daily bars`);
  return bar;
}

function windowBars(barMs: number, horizonHours: number, source: string): number {
  const horizonMs = horizonHours * HOUR;
  if (horizonMs % barMs !== 0) throw new InputError('--horizon', `${horizonHours} h is not a whole number of ${barMs / HOUR} h bars of ${source}`);
  return horizonMs / barMs;
}

/**
 * Log returns close to close between consecutive bars (none across a gap), in time order over all the
 * series, and the bar length in hours (every series must have the same).
 */
export function logReturns(series: readonly CandleSeries[]): { returns: Float64Array; barHours: number } {
  const ordered = [...series].filter((s) => s.time.length > 0).sort((a, b) => a.time[0]! - b.time[0]!);
  if (ordered.length === 0) throw new InputError('--data', 'no bars');
  const bar = barDuration(ordered[0]!);
  const out: number[] = [];
  for (const s of ordered) {
    if (barDuration(s) !== bar) throw new InputError('--data', `${s.source} has ${barDuration(s) / HOUR} h bars, ${ordered[0]!.source} ${bar / HOUR} h: give one timeframe`);
    for (let i = 1; i < s.time.length; i++) {
      if (s.time[i]! - s.time[i - 1]! !== bar) continue;
      out.push(Math.log(s.closeF[i]! / s.closeF[i - 1]!));
    }
  }
  return { returns: Float64Array.from(out), barHours: bar / HOUR };
}

export interface MoveEstimate {
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  readonly historical: {
    /** The empirical quantile of the worst adverse excursion (fraction of the price). */
    readonly move: number;
    readonly windows: number;
    /** The worst excursion of all windows. */
    readonly worst: number;
  };
  readonly volatility: {
    readonly lambda: number;
    /** EWMA volatility of log returns per hour, after the last bar. */
    readonly hourly: number;
    readonly z: number;
    /** z x hourly x sqrt(horizon), as a price move. */
    readonly move: number;
  };
  /** The larger of the two: the move the leverage is calibrated against. */
  readonly move: number;
  readonly basis: 'history' | 'volatility';
}

export function estimateMove(input: { series: readonly CandleSeries[]; horizonHours: number; confidence: number; side: Side; lambda?: number }): MoveEstimate {
  const { horizonHours, confidence, side } = input;
  const lambda = input.lambda ?? 0.94;
  if (!Number.isInteger(horizonHours) || horizonHours < 1) throw new InputError('--horizon', `must be a whole number of hours >= 1, got ${horizonHours}`);
  if (!(confidence > 0.5 && confidence < 1)) throw new InputError('--confidence', `must be a probability between 0.5 and 1 (e.g. 0.99), got ${confidence}`);
  const excursions = adverseExcursions(input.series, horizonHours, side);
  if (excursions.length === 0) throw new InputError('--horizon', `${horizonHours} h is longer than every stretch of the data`);
  const { returns, barHours } = logReturns(input.series);
  const hourly = ewmaVolatility(returns, lambda) / Math.sqrt(barHours);
  const z = normalQuantile(confidence);
  const x = z * hourly * Math.sqrt(horizonHours);
  const volMove = side === 'long' ? 1 - Math.exp(-x) : Math.exp(x) - 1;
  const histMove = empiricalQuantile(excursions, confidence);
  let worst = 0;
  for (const e of excursions) worst = Math.max(worst, e);
  return {
    side,
    horizonHours,
    confidence,
    historical: { move: histMove, windows: excursions.length, worst },
    volatility: { lambda, hourly, z, move: volMove },
    move: Math.max(histMove, volMove),
    basis: histMove >= volMove ? 'history' : 'volatility',
  };
}


/** Rounds a float move up to 8 decimals: the exact calibration runs against at least that move. */
export function moveRate(move: number): Rate {
  return rateOfNumber(move, 8, 'ceil');
}
