// Screening glue around the float64 kernel (./kernel.ts): the kernel decides whether anything could happen
// inside a bar; runs of bars where nothing can are walked here without the engine (their closes reach it
// lazily, before the next exact step, through ReplayRun.sync). Events and balances are identical to an
// exact-only run (screening.test.ts).
import { BINANCE_FUNDING_INTERVAL_MS } from '../domain/funding.ts';
import { mayTrigger, primeCaches, scanBar, SCAN_OUT } from './kernel.ts';
import type { ReplayRun } from './run.ts';
import type { Timeline } from './timeline.ts';

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
  const cash = run.floatCash;
  const marksF = run.marksF;
  const hasLegs = account.legs.length > 0;
  if (hasLegs) primeCaches(account, marksF);
  const interval = BINANCE_FUNDING_INTERVAL_MS;
  const nextFunding = hasFunding ? Math.floor(run.lastTime / interval) * interval + interval : Infinity;
  // the statistics live in locals through the loop and are written back once
  let { minEquity, peak, maxDrawdown, lastTime } = run;
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
    if (atClose > peak) peak = atClose;
    if (peak > 0 && (peak - worst) / peak > maxDrawdown) maxDrawdown = (peak - worst) / peak;
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
