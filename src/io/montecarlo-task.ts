// One Monte Carlo batch, as the pool hands it to a thread: plain data in, plain outcomes out.
import { BatchCarry, runBatch, type PathOutcome } from '../sim/montecarlo.ts';
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

/** The first bar of every generated path (a fixed date: the same seed gives the same paths, in the CLI and the dashboard). */
export const MC_START_MS = Date.UTC(2026, 0, 21);

/** The path options of `perpguard montecarlo` and the dashboard's Monte Carlo: one definition, so both run the same paths. */
export function monteCarloPathOptions(o: { generator: PathOptions['generator']; hours: number; blockHours: number; crashProbability: number }): PathOptions {
  return { generator: o.generator, hours: o.hours, blockHours: o.blockHours, crashProbability: o.crashProbability, ticks: [0.1, 0.01, 0.01], startMs: MC_START_MS };
}

/**
 * What this thread's last batch left for the next one of the same Monte Carlo (../sim/montecarlo.ts
 * BatchCarry): a thread runs its batches one after another, so one carry per thread.
 */
const threadCarry = new BatchCarry();

/** Runs a batch with the returns model the pool built once and gave every thread. */
export function runTask(task: BatchTask, model: ReturnsModel): PathOutcome[] {
  return runBatch({ ...task, model }, MC_TICKS, undefined, undefined, threadCarry);
}
