// Runs Monte Carlo batches on worker threads (piscina) and on this thread, in small chunks of paths taken
// from one queue, and puts the outcomes back in path order, so the result is the same on 1 or N workers
// (tested in montecarlo-pool.test.ts). This thread computes too: it has its modules and the returns model
// ready while the workers are still starting (about a second each), so with N workers it starts N - 1
// threads and works as the N-th.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Piscina } from 'piscina';
import type { PathOutcome } from '../sim/montecarlo.ts';
import type { BatchTask } from './montecarlo-task.ts';
import { runTask } from './montecarlo-task.ts';

export interface PoolOptions {
  readonly workers: number;
  readonly chunkPaths: number;
  readonly onProgress?: (pathsDone: number) => void;
}

export async function runPaths(task: Omit<BatchTask, 'fromPath' | 'toPath'>, paths: number, options: PoolOptions): Promise<PathOutcome[]> {
  const chunks: [number, number][] = [];
  for (let from = 0; from < paths; from += options.chunkPaths) chunks.push([from, Math.min(paths, from + options.chunkPaths)]);
  const results: PathOutcome[][] = new Array(chunks.length);
  let next = 0;
  const runHere = (c: number) => {
    const [from, to] = chunks[c]!;
    results[c] = runTask({ ...task, fromPath: from, toPath: to });
    options.onProgress?.(to - from);
  };
  if (options.workers <= 1) {
    for (let c = 0; c < chunks.length; c++) runHere(c);
    return results.flat();
  }
  const pool = new Piscina({
    filename: fileURLToPath(new URL('./montecarlo-worker.mjs', import.meta.url)),
    maxThreads: options.workers - 1,
    minThreads: options.workers - 1,
    // two tasks in flight per worker, so a worker never waits for this (busy) thread to hand it the next
    concurrentTasksPerWorker: 2,
  });
  try {
    const feed = async () => {
      while (next < chunks.length) {
        const c = next++;
        const [from, to] = chunks[c]!;
        results[c] = (await pool.run({ ...task, fromPath: from, toPath: to })) as PathOutcome[];
        options.onProgress?.(to - from);
      }
    };
    const feeders = Array.from({ length: 2 * (options.workers - 1) }, feed);
    while (next < chunks.length) {
      runHere(next++);
      // let the pool's messages through between chunks
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(feeders);
    return results.flat();
  } finally {
    await pool.destroy();
  }
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
