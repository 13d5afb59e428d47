// The dashboard's analysis thread: the crash study, the Monte Carlo and the mode and leverage advice run on one
// worker thread (../../io/analysis-worker.ts, precompiled), never on the venue's event loop, which keeps
// serving orders, marks and streams meanwhile. One thread: the machine's other core is the venue's, and a
// study is seconds, not minutes (the routes cap paths and hours). Started on the first task, stopped with the
// server. A full queue is refused at once (-1008) rather than left to grow behind a slow task.
import { Piscina } from 'piscina';
import { BUNDLES, freshBundle } from '../../io/bundles.mjs';
import type { AnalysisTask } from '../../io/analysis-task.ts';
import { workerExecArgv } from '../../io/montecarlo-pool.ts';
import { binanceError, type BinanceError } from '../binance/errors.ts';

/** Tasks waiting behind the running one before new ones are refused. */
export const ANALYSIS_QUEUE_MAX = 4;
/** An idle thread stops after this long (a dashboard left open costs no thread). */
const IDLE_MS = 60_000;

export type AnalysisAnswer = { readonly value: unknown } | { readonly problem: string } | BinanceError;

export class AnalysisPool {
  private pool: Promise<Piscina | { problem: string }> | undefined;
  private closed = false;

  private start(): Promise<Piscina | { problem: string }> {
    this.pool ??= freshBundle(BUNDLES.analysis).then((bundle) =>
      'problem' in bundle
        ? bundle
        : new Piscina({ filename: bundle.path, minThreads: 0, maxThreads: 1, idleTimeout: IDLE_MS, maxQueue: ANALYSIS_QUEUE_MAX, execArgv: workerExecArgv(process.execArgv) }),
    );
    return this.pool;
  }

  /** The task's JSON, the problem the task found with its input (a field and a reason), or a refusal. */
  async run(task: AnalysisTask): Promise<AnalysisAnswer> {
    if (this.closed) return binanceError('SERVER_BUSY', [], 'the server is stopping');
    const pool = await this.start();
    // without the bundle the work would run on the event loop: refused instead, with the reason
    if (!(pool instanceof Piscina)) return binanceError('UNKNOWN', [], `no analysis worker: ${pool.problem}`);
    if (pool.queueSize >= ANALYSIS_QUEUE_MAX) return binanceError('SERVER_BUSY', [], `analysis: ${pool.queueSize} tasks are waiting; try again when they are done`);
    const result = (await pool.run(task)) as { problem?: string } | null;
    return result && typeof result === 'object' && typeof result.problem === 'string' ? { problem: result.problem } : { value: result };
  }

  async close(): Promise<void> {
    this.closed = true;
    const pool = await this.pool;
    if (pool instanceof Piscina) await pool.destroy();
  }
}
