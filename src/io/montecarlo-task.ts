// One Monte Carlo batch inside a worker thread: plain data in, plain outcomes out.
import { bundledReturnsModel, MC_TICKS } from './returns.ts';
import { runBatch, type PathOutcome } from '../sim/montecarlo.ts';
import type { PathOptions, ReturnsModel } from '../sim/generators.ts';
import type { ModeName, Spec } from '../sim/spec.ts';

export interface BatchTask {
  readonly spec: Spec;
  readonly options: PathOptions;
  readonly modes: ModeName[];
  readonly seed: number;
  readonly fromPath: number;
  readonly toPath: number;
}

/** Runs a batch; the returns model comes from the pool (built once, shared with every worker) or is loaded. */
export function runTask(task: BatchTask, model: ReturnsModel = bundledReturnsModel()): PathOutcome[] {
  return runBatch({ ...task, model }, MC_TICKS);
}
