// GET /perpguard/v1/sweep: `perpguard sweep` on the account's positions or a bundled example, on the analysis
// thread: spec, leverage and allocation (the CLI's axis texts: "2,5,10", "2..50", "2..50:6"), modes, paths,
// hours, generator, blockHours, crashProbability, seed, crashes (all, none or window ids), maxRuin, probable.
// The CLI's defaults, except paths and hours (20 x 168 h, to fit the cap). Capped for a shared venue: at most
// MAX_SWEEP_CELLS cells (each replays the crash windows too) and MAX_PATH_HOURS cell-path-hours (cells x paths x
// hours), like the Monte Carlo route's path-hours: at both caps, three modes and the five windows, about 4 s of
// the analysis thread on this 2-core machine.
import type { EngineState } from '../../engine/state.ts';
import type { SweepTask } from '../../io/analysis-task.ts';
import { ALLOCATION_AXIS, LEVERAGE_AXIS, parseAxis, parseCrashWindows, type AxisBounds } from '../../io/grid-axis.ts';
import { InputError } from '../../schema/input-error.ts';
import { specMargins } from '../../sim/sweep-grid.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type Reader, type ParamMap } from '../binance/params.ts';
import { MAX_HOURS, MAX_PATH_HOURS, MAX_PATHS, modes, probability, specParam, whole } from './analysis-params.ts';
import { monteCarloSymbols } from './montecarlo-request.ts';
import { accountSpec } from './study-request.ts';

/** Cells per request: 5 leverages x 6 allocations. */
export const MAX_SWEEP_CELLS = 30;
/** The legs `perpguard sweep` takes at most. */
const MAX_LEGS = 30;

function axis(r: Reader, name: string, fallback: string, bounds: AxisBounds): number[] {
  try {
    return parseAxis(name, r.string(name) ?? fallback, bounds);
  } catch (error) {
    if (error instanceof InputError) r.refuse(binanceError('INVALID_PARAMETER', [name], error.message));
    throw error;
  }
}

/** all, none, or window ids, read as `perpguard sweep --crashes` reads them (../../io/grid-axis.ts). */
function crashes(r: Reader): string[] {
  try {
    return parseCrashWindows('crashes', r.string('crashes') ?? 'all');
  } catch (error) {
    if (error instanceof InputError) r.refuse(binanceError('INVALID_PARAMETER', ['crashes'], error.message));
    throw error;
  }
}

export function sweepRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): SweepTask => {
    const spec = specParam(r, accountSpec(state, account));
    monteCarloSymbols(r, spec);
    if (spec.legs.length > MAX_LEGS) r.refuse(binanceError('INVALID_PARAMETER', ['spec'], `spec: a sweep takes at most ${MAX_LEGS} legs, got ${spec.legs.length}`));
    try {
      specMargins(spec);
    } catch (error) {
      if (error instanceof InputError) r.refuse(binanceError('INVALID_PARAMETER', ['spec'], `spec: ${error.message}`));
      throw error;
    }
    const leverages = axis(r, 'leverage', '2..50:6', LEVERAGE_AXIS);
    const allocations = axis(r, 'allocation', '0.1..1:4', ALLOCATION_AXIS).map(String);
    const cells = leverages.length * allocations.length;
    if (cells > MAX_SWEEP_CELLS) {
      r.refuse(binanceError('INVALID_PARAMETER', ['leverage'], `leverage: ${leverages.length} leverages x ${allocations.length} allocations is ${cells} cells, over the dashboard's ${MAX_SWEEP_CELLS}; run perpguard sweep for more`));
    }
    const paths = whole(r, 'paths', 1, MAX_PATHS, 20);
    const hours = whole(r, 'hours', 2, MAX_HOURS, 168);
    if (cells * paths * hours > MAX_PATH_HOURS) {
      r.refuse(binanceError('INVALID_PARAMETER', ['paths'], `paths: ${cells} cells x ${paths} paths x ${hours} h is over the dashboard's ${MAX_PATH_HOURS.toLocaleString('en-US')} cell-path-hours; run perpguard sweep for more`));
    }
    const generator = r.oneOf('generator', ['bootstrap', 'gbm'] as const) ?? 'bootstrap';
    const blockHours = whole(r, 'blockHours', 1, MAX_HOURS, 24);
    const crashProbability = probability(r, 'crashProbability', 0.2);
    const seed = whole(r, 'seed', 0, 2 ** 31 - 1, 42);
    const limits = { maxRuin: probability(r, 'maxRuin', 0.01), probable: probability(r, 'probable', 0.05) };
    return { kind: 'sweep', spec, leverages, allocations, modes: modes(r), paths, hours, generator, blockHours, crashProbability, seed, crashWindows: crashes(r), limits };
  });
}
