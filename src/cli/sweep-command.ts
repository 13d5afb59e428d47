// `perpguard sweep` and `perpguard worker` on the command line: their flags, help and examples.
import type { Command } from 'commander';
import { DEFAULT_QUEUE, redactedUrl, runWorker } from '../io/sweep-queue.ts';
import { whole } from './montecarlo.ts';
import { io } from './io.ts';
import { SWEEP_HELP, sweep, type SweepOptions } from './sweep.ts';

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('the leverage x allocation x margin-mode map of a portfolio: P(liquidation) per leg, P(ruin), kept equity and the first crash that liquidates, per cell; on this machine or on workers through Redis')
    .requiredOption('--spec <file>', 'portfolio spec (YAML or JSON); legs sized by notional or margin')
    .option('--leverage <axis>', 'leverages: a list (2,5,10), a range (2..50, 6 values) or a range with a count (2..50:10)', '2..50:6')
    .option('--allocation <axis>', 'shares of the wallet put up as margin: a list, a range (0.1..1, 4 values) or a range with a count', '0.1..1:4')
    .option('--modes <list>', 'comma-separated: isolated,cross,mixed', 'isolated,cross,mixed')
    .option('--paths <n>', 'Monte Carlo paths per cell', '200')
    .option('--hours <n>', 'hours per path', '720')
    .option('--generator <kind>', 'bootstrap or gbm', 'bootstrap')
    .option('--block-hours <n>', 'bootstrap block length', '24')
    .option('--crash-probability <p>', 'probability that a path gets a real crash spliced in', '0.2')
    .option('--seed <n>', 'seed: the same seed gives the same paths, wherever they run', '42')
    .option('--crashes <ids>', 'bundled crash windows replayed per cell: all, none, or ids (2020-03-12,2024-08-05)', 'all')
    .option('--max-ruin <p>', 'your limit on P(ruin): cells at or under it are the safe region', '0.01')
    .option('--probable <p>', 'a liquidation at least this likely is "statistically probable" (the seed\'s rule)', '0.05')
    .option('--chunk <paths>', 'paths per unit of work (a queue job, a resumable step)', '50')
    .option('--workers <n>', 'local worker threads (default: one per core)')
    .option('--redis <url>', 'run the units as BullMQ jobs on this Redis (redis://host:6379), taken by `perpguard worker` processes')
    .option('--queue <name>', 'the queue name on that Redis', DEFAULT_QUEUE)
    .option('--out <file>', 'keep results in this file: an interrupted sweep continues, a finished one is shown without recomputing')
    .option('--html <file>', 'also write an HTML report with a heatmap per mode')
    .option('--json', 'print JSON')
    .addHelpText('after', SWEEP_HELP)
    .action((options: SweepOptions) => sweep(options));

  program
    .command('worker')
    .description('run `perpguard sweep --redis` jobs from a Redis queue, one at a time, until Ctrl-C / SIGTERM; start one per core, on any machine that reaches the Redis')
    .requiredOption('--redis <url>', 'the Redis the sweep was queued on (redis://host:6379)')
    .option('--queue <name>', 'the queue name', DEFAULT_QUEUE)
    .option('--lock-seconds <s>', "how long a job stays this worker's without a heartbeat: a killed worker's job goes to another after about this; keep it above one job's run time", '30')
    .addHelpText('after', '\nExample (runs until Ctrl-C): perpguard worker --redis redis://sweep-host:6379\nA worker runs whatever sweep is queued: the plan travels with each job, the price history is its own copy.\n')
    .action((options: WorkerCliOptions) => worker(options));
}

export interface WorkerCliOptions {
  redis: string;
  queue: string;
  lockSeconds: string;
}

/** `perpguard worker`: takes sweep units from the queue until SIGINT or SIGTERM (then finishes the one in hand). */
export async function worker(options: WorkerCliOptions): Promise<void> {
  const lockSeconds = whole('--lock-seconds', options.lockSeconds, 1, 3600);
  // for the tests that kill a worker mid-job (../io/sweep-queue.ts, WorkerOptions.holdMs); not a user's setting
  const holdMs = whole('PERPGUARD_WORKER_HOLD_MS', process.env['PERPGUARD_WORKER_HOLD_MS'] ?? '0', 0, 60_000);
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await runWorker(options.redis, { queue: options.queue, lockMs: lockSeconds * 1000, holdMs, onReady: () => io().stderr(`perpguard worker: ready, taking the jobs of queue "${options.queue}" at ${redactedUrl(options.redis)} (Ctrl-C stops after the job in hand)\n`), onStart: (unit) => io().stderr(`perpguard worker: ${unit.key} started\n`), onJob: (unit, ms) => io().stderr(`perpguard worker: ${unit.key} done in ${Math.round(ms)} ms\n`) }, stop.signal);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

