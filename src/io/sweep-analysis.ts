// The dashboard's sweep (#/sweep), run on the analysis thread (./analysis-task.ts): `perpguard sweep`'s plan
// and units, every unit run here in turn by the same function as the CLI's local run and `perpguard worker`
// (./sweep-units.ts), the figures and verdicts by the same view (../views/sweep.ts), so the answer is
// `perpguard sweep --json` on the same input (its `run` block aside: timings and where it ran).
import { planUnits, sweepFigures, type SweepPlan } from '../sim/sweep.ts';
import { toJsonText } from '../views/json-text.ts';
import { sweepPlanView, type SweepVerdictLimits } from '../views/sweep.ts';
import type { MonteCarloTask } from './analysis-task.ts';
import { monteCarloPathOptions } from './montecarlo-task.ts';
import { bundledReturnsModel } from './returns.ts';
import { memoryStore } from './sweep-store.ts';
import { modelDigest, runUnit } from './sweep-units.ts';

/** The Monte Carlo's parameters (one batch per cell), the grid and the trader's limits. */
export interface SweepTask extends Omit<MonteCarloTask, 'kind'> {
  readonly kind: 'sweep';
  readonly leverages: readonly number[];
  /** As decimal texts ("0.25"), as the CLI's plan holds them. */
  readonly allocations: readonly string[];
  /** Bundled crash window ids, in time order. */
  readonly crashWindows: readonly string[];
  readonly limits: SweepVerdictLimits;
}

/** The CLI's default --chunk: the figures do not depend on it (a path's outcome depends on its index only), the units do. */
const CHUNK_PATHS = 50;

export function runSweepTask(task: SweepTask) {
  const model = bundledReturnsModel();
  const plan: SweepPlan = {
    spec: task.spec,
    leverages: task.leverages,
    allocations: task.allocations,
    modes: task.modes,
    paths: task.paths,
    chunkPaths: CHUNK_PATHS,
    pathOptions: monteCarloPathOptions({ generator: task.generator, hours: task.hours, blockHours: task.blockHours, crashProbability: task.crashProbability }),
    seed: task.seed,
    crashWindows: task.crashWindows,
    modelDigest: modelDigest(model),
  };
  const store = memoryStore();
  const units = planUnits(plan);
  const started = performance.now();
  for (const unit of units) store.add(runUnit(plan, unit, model));
  const seconds = (performance.now() - started) / 1000;
  const view = sweepPlanView(plan, task.limits, sweepFigures(plan, store.results));
  // the spec run (the account's positions as legs, or the example), so a reader can run the CLI on the same one
  return { spec: task.spec, json: JSON.parse(toJsonText({ ...view, run: { units: units.length, ranUnits: units.length, seconds, on: 'local' } })) as unknown };
}
