// One Monte Carlo batch inside a worker thread: plain data in, plain outcomes out.
import { bundledReturnsModel, MC_TICKS } from './returns.ts';
import { runBatch, type PathOutcome } from '../sim/montecarlo.ts';
import type { PathOptions } from '../sim/generators.ts';
import type { ModeName, Spec } from '../sim/spec.ts';

export interface BatchTask {
  readonly spec: Spec;
  readonly options: PathOptions;
  readonly modes: ModeName[];
  readonly seed: number;
  readonly fromPath: number;
  readonly toPath: number;
}

export function runTask(task: BatchTask): PathOutcome[] {
  return runBatch({ ...task, model: bundledReturnsModel() }, MC_TICKS);
}
