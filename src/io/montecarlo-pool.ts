// Runs Monte Carlo batches on worker threads (piscina) and on this thread, in small chunks of paths taken
// from one queue, and puts the outcomes back in path order, so the result is the same on 1 or N workers
// (tested in montecarlo-pool.test.ts). The workers run the precompiled bundle (./montecarlo-bundle.ts)
// and get the returns model once, built here, as workerData: they read no file and compile nothing. This
// thread computes too, so with N workers it starts N - 1 threads and works as the N-th.
import { availableParallelism } from 'node:os';
import { Piscina } from 'piscina';
import type { ReturnsModel } from '../sim/generators.ts';
import type { PathOutcome } from '../sim/montecarlo.ts';
import { freshWorkerBundle } from './montecarlo-bundle.ts';
import type { BatchTask } from './montecarlo-task.ts';
import { runTask } from './montecarlo-task.ts';
import { bundledReturnsModel } from './returns.ts';

export interface PoolOptions {
  readonly workers: number;
  readonly chunkPaths: number;
  readonly onProgress?: (pathsDone: number) => void;
  /** The returns model; default the bundled one. */
  readonly model?: ReturnsModel;
  /** Where a one-line notice goes (no worker bundle: running on this thread only); default stderr. */
  readonly notice?: (line: string) => void;
}

export async function runPaths(task: Omit<BatchTask, 'fromPath' | 'toPath'>, paths: number, options: PoolOptions): Promise<PathOutcome[]> {
  const tasks: BatchTask[] = [];
  for (let from = 0; from < paths; from += options.chunkPaths) tasks.push({ ...task, fromPath: from, toPath: Math.min(paths, from + options.chunkPaths) });
  return (await runBatches(tasks, options)).flat();
}

/**
 * Runs batches (any specs, any path ranges) on the pool and on this thread, and returns their outcomes in
 * the order given. `hereFirst`: other work that only this thread runs, while the pool starts on the
 * batches (perpguard sweep's crash windows, which read files). `onBatch` sees each batch as it finishes.
 */
export async function runBatches(tasks: readonly BatchTask[], options: PoolOptions & { hereFirst?: readonly (() => void)[]; onBatch?: (index: number, outcomes: PathOutcome[]) => void }): Promise<PathOutcome[][]> {
  const results: PathOutcome[][] = new Array(tasks.length);
  const model = options.model ?? bundledReturnsModel();
  const done = (c: number, outcomes: PathOutcome[]) => {
    results[c] = outcomes;
    options.onBatch?.(c, outcomes);
    options.onProgress?.(tasks[c]!.toPath - tasks[c]!.fromPath);
  };
  let next = 0;
  const runHere = (c: number) => done(c, runTask(tasks[c]!, model));
  const bundle = options.workers > 1 && tasks.length > 1 ? await freshWorkerBundle() : undefined;
  if (bundle && 'problem' in bundle) (options.notice ?? ((line) => process.stderr.write(`${line}\n`)))(`perpguard: no worker bundle (${bundle.problem}); running on one thread`);
  if (!bundle || 'problem' in bundle) {
    for (const work of options.hereFirst ?? []) work();
    for (let c = 0; c < tasks.length; c++) runHere(c);
    return results;
  }
  const pool = startPool(bundle.path, model, options.workers - 1);
  try {
    const feed = async () => {
      while (next < tasks.length) {
        const c = next++;
        done(c, (await pool.run(tasks[c])) as PathOutcome[]);
      }
    };
    const feeders = Array.from({ length: 2 * (options.workers - 1) }, feed);
    const here = [...(options.hereFirst ?? [])];
    while (here.length > 0 || next < tasks.length) {
      if (here.length > 0) here.shift()!();
      else runHere(next++);
      // let the pool's messages through between chunks
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(feeders);
    return results;
  } finally {
    await pool.destroy();
  }
}

/**
 * The worker threads, with this process's flags where a worker accepts them: a V8 flag such as
 * --max-semi-space-size (or --max-old-space-size) given to node is refused in a worker's execArgv
 * (ERR_WORKER_INVALID_EXEC_ARGV), and then the workers start without this process's flags.
 */
function startPool(filename: string, model: ReturnsModel, threads: number): Piscina {
  const start = (execArgv: string[]) =>
    new Piscina({
      filename,
      workerData: { model },
      execArgv,
      maxThreads: threads,
      minThreads: threads,
      // two tasks in flight per worker, so a worker never waits for this (busy) thread to hand it the next
      concurrentTasksPerWorker: 2,
    });
  try {
    return start(workerExecArgv(process.execArgv));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
    return start([]);
  }
}

/**
 * This process's flags without tsx's loader: a worker thread inherits `--import tsx` (npm start, the tests,
 * the bench) and would spend its ~2 s registering it, for a bundle that needs no loader.
 */
export function workerExecArgv(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const flag = execArgv[i]!;
    const loader = /^--(import|loader|experimental-loader|require)$/.test(flag) ? execArgv[i + 1] : /^--(import|loader|experimental-loader|require)=(.*)$/.exec(flag)?.[2];
    if (loader !== undefined && /(^|[/\\])tsx([/\\]|$)/.test(loader)) {
      if (!flag.includes('=')) i++;
      continue;
    }
    out.push(flag);
  }
  return out;
}

export function defaultWorkers(): number {
  return Math.max(1, availableParallelism());
}
