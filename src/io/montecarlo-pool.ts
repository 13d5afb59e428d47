// Runs Monte Carlo batches on worker threads (piscina), in chunks of paths, and puts the outcomes back in
// path order, so the result is the same on 1 or N workers (tested in montecarlo-pool.test.ts).
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
  if (options.workers <= 1) {
    const out: PathOutcome[] = [];
    for (const [from, to] of chunks) {
      out.push(...runTask({ ...task, fromPath: from, toPath: to }));
      options.onProgress?.(to - from);
    }
    return out;
  }
  const pool = new Piscina({ filename: fileURLToPath(new URL('./montecarlo-worker.mjs', import.meta.url)), maxThreads: options.workers, minThreads: options.workers });
  try {
    const results = await Promise.all(
      chunks.map(async ([from, to]) => {
        const out = (await pool.run({ ...task, fromPath: from, toPath: to })) as PathOutcome[];
        options.onProgress?.(to - from);
        return out;
      }),
    );
    return results.flat();
  } finally {
    await pool.destroy();
  }
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
