// perpguard sweep's throughput: cells (leverage x allocation x mode) x paths x hours per second, on this
// machine's threads (--workers 2) and on 2 `perpguard worker` processes through Redis, and the queue's
// overhead as the ratio of the two. Each run is the CLI in its own process; its time is the one the sweep
// reports itself (--json run.seconds: from the plan to the last result, the CLI's start-up left out).
// Local and queue runs alternate, round by round, each round with a fresh seed (the same work for both,
// and nothing for the queue to find already done). Crash windows are left out (--crashes none): the
// figure is the Monte Carlo's; a crash window costs a fixed ~0.1 s of replay per cell on top.
// The two worker processes are started afresh for each queue run and timed from when both say "ready"
// (connected, returns model loaded), so that they start as cold as the local run's threads: kept warm over
// the rounds, their compiled code made the queue look up to 3x faster than the local run.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { connectRedis } from '../src/io/sweep-queue.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const REDIS_URL = process.env['PERPGUARD_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ROUNDS = 5;
// 2 leverages x 2 allocations x 3 modes = 12 cells, 400 paths x 168 h each
const GRID = { leverages: '3,20', allocations: '0.3,1', modes: 'isolated,cross,mixed', paths: 400, hours: 168 };
const CELLS = 2 * 2 * 3;

export interface SweepBench {
  /** cells x paths x hours per second, per round. */
  readonly localRates: number[];
  readonly queueRates: number[];
  /** Per round: queue seconds / local seconds. */
  readonly overheadRatios: number[];
  readonly cellPathHours: number;
}

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
export const spread = (xs: readonly number[]) => ({ min: Math.min(...xs), median: median(xs), max: Math.max(...xs) });

async function runSweep(seed: number, extra: readonly string[]): Promise<number> {
  const args = ['bin/perpguard.mjs', 'sweep', '--spec', 'examples/max-exposure.yaml', '--leverage', GRID.leverages, '--allocation', GRID.allocations, '--modes', GRID.modes];
  args.push('--paths', String(GRID.paths), '--hours', String(GRID.hours), '--crashes', 'none', '--seed', String(seed), '--json', ...extra);
  const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 << 20 });
  return (JSON.parse(stdout) as { run: { seconds: number } }).run.seconds;
}

export async function sweepBench(): Promise<SweepBench | { skip: string }> {
  let redisProblem: string | undefined;
  try {
    (await connectRedis(REDIS_URL, 'redis', 2000)).disconnect();
  } catch (error) {
    redisProblem = `Redis at ${REDIS_URL} is not reachable (${(error as Error).message}); scripts/ensure-redis.sh starts one`;
  }
  if (redisProblem) return { skip: redisProblem };
  const queue = `perpguard-bench-${process.pid}`;
  let workers: ChildProcess[] = [];
  const stopWorkers = async () => {
    for (const w of workers) w.kill('SIGTERM');
    await Promise.all(workers.map((w) => new Promise((resolve) => (w.exitCode !== null ? resolve(null) : w.once('exit', resolve)))));
    workers = [];
  };
  const startWorkers = async () => {
    workers = [0, 1].map(() => spawn(process.execPath, ['bin/perpguard.mjs', 'worker', '--redis', REDIS_URL, '--queue', queue], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] }));
    await Promise.all(
      workers.map(
        (w) =>
          new Promise<void>((resolve, reject) => {
            let text = '';
            w.stderr!.on('data', (chunk: Buffer) => {
              text += chunk.toString();
              if (text.includes('perpguard worker: ready')) resolve();
            });
            w.once('exit', () => reject(new Error(`a worker stopped before it was ready: ${text}`)));
          }),
      ),
    );
  };
  const queueRun = async (seed: number, extra: readonly string[] = []) => {
    await startWorkers();
    try {
      return await runSweep(seed, ['--redis', REDIS_URL, '--queue', queue, ...extra]);
    } finally {
      await stopWorkers();
    }
  };
  const cellPathHours = CELLS * GRID.paths * GRID.hours;
  const localRates: number[] = [];
  const queueRates: number[] = [];
  const overheadRatios: number[] = [];
  try {
    // a warm-up of each, so neither pays the first start of the worker bundle or the workers' model load
    await runSweep(1, ['--workers', '2', '--paths', '20']);
    await queueRun(1, ['--paths', '20']);
    for (let round = 0; round < ROUNDS; round++) {
      const seed = 1000 + round;
      const order = round % 2 === 0 ? ['local', 'queue'] : ['queue', 'local'];
      const seconds: Record<string, number> = {};
      for (const which of order) seconds[which] = which === 'local' ? await runSweep(seed, ['--workers', '2']) : await queueRun(seed);
      localRates.push(cellPathHours / seconds['local']!);
      queueRates.push(cellPathHours / seconds['queue']!);
      overheadRatios.push(seconds['queue']! / seconds['local']!);
    }
  } finally {
    await stopWorkers();
    const redis = await connectRedis(REDIS_URL);
    const q = new Queue(queue, { connection: redis });
    await q.obliterate({ force: true });
    await q.close();
    redis.disconnect();
  }
  return { localRates, queueRates, overheadRatios, cellPathHours };
}
