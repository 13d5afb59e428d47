// The JSON of `perpguard montecarlo`: the run's settings (spec, paths, hours, generator, seed, workers and
// the wall time the CLI measured) and the statistics per margin mode. Pure: the CLI passes the time in.
import type { ModeStatistics } from '../sim/montecarlo.ts';

export interface MonteCarloRun {
  readonly spec: string;
  readonly paths: number;
  readonly hours: number;
  readonly generator: string;
  readonly crashProbability: number;
  readonly seed: number;
  readonly workers: number;
  readonly seconds: number;
}

export function monteCarloJson(run: MonteCarloRun, statistics: readonly ModeStatistics[]) {
  return { ...run, statistics };
}
