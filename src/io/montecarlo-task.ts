// One Monte Carlo batch, as the pool hands it to a thread: plain data in, plain outcomes out.
import { runBatch, type PathOutcome } from '../sim/montecarlo.ts';
import type { PathOptions, ReturnsModel } from '../sim/generators.ts';
import type { ModeName, Spec } from '../sim/spec.ts';
import { MC_TICKS } from './returns.ts';

export interface BatchTask {
  readonly spec: Spec;
  readonly options: PathOptions;
  readonly modes: ModeName[];
  readonly seed: number;
  readonly fromPath: number;
  readonly toPath: number;
  /** The engine runs its invariants after every command (PERPGUARD_ASSERT=1, read by the CLI). */
  readonly assertInvariants?: boolean;
}

/** Runs a batch with the returns model the pool built once and gave every thread. */
export function runTask(task: BatchTask, model: ReturnsModel): PathOutcome[] {
  return runBatch({ ...task, model }, MC_TICKS);
}
