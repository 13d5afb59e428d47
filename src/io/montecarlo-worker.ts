// The Monte Carlo worker thread: plain data in (a batch task; the returns model once, as the pool's
// workerData), plain outcomes out. Run as precompiled JavaScript (./montecarlo-bundle.ts says why).
import { workerData } from 'node:worker_threads';
import type { ReturnsModel } from '../sim/generators.ts';
import type { PathOutcome } from '../sim/montecarlo.ts';
import { runTask, type BatchTask } from './montecarlo-task.ts';

const model = (workerData as { model: ReturnsModel }).model;

export default function run(task: BatchTask): PathOutcome[] {
  return runTask(task, model);
}
