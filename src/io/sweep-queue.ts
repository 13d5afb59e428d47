// A sweep on many machines: its units become jobs on a BullMQ queue in Redis, run by any number of
// `perpguard worker --redis URL` processes (runWorker below). The job id is the plan's id and the unit's
// key, so adding a sweep again (after an interruption) adds nothing twice, and jobs another run already
// finished are collected instead of run. BullMQ retries a job that threw, and a job whose worker died
// (its lock runs out) is "stalled" and handed to another worker. Results are the units' raw per-path
// columns, merged by path (../sim/sweep.ts), so they equal the local run's whichever worker ran what.
// bullmq and ioredis load when a sweep goes to Redis (~0.3 s of CPU, measured 2026-12-03): the CLI's other
// commands start without them
import type { Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { InputError } from '../schema/input-error.ts';
import type { SweepPlan, Unit, UnitResult } from '../sim/sweep.ts';
import { bundledReturnsModel } from './returns.ts';
import { planId } from './sweep-store.ts';
import { modelDigest, runUnit } from './sweep-units.ts';

export const DEFAULT_QUEUE = 'perpguard-sweep';

interface JobData {
  readonly plan: SweepPlan;
  readonly unit: Unit;
}

/** The URL without its password, for messages (secrets are never printed). */
export function redactedUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(an unparsable URL)';
  }
}

/** A connection that answers, or an InputError naming `flag`: a URL that is not redis:// or a server that does not answer. */
export async function connectRedis(url: string, flag = '--redis', timeoutMs = 3000): Promise<Redis> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // a value with an @ may hold a password: not repeated
    throw new InputError(flag, `must be a URL such as redis://127.0.0.1:6379, got ${url.includes('@') ? 'something else' : `"${url}"`}`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') throw new InputError(flag, `must be a redis:// or rediss:// URL, got ${parsed.protocol}`);
  // BullMQ's workers block on the connection: no per-request retry limit (BullMQ requires null)
  const { Redis } = await import('ioredis');
  const redis = new Redis(url, { maxRetriesPerRequest: null, connectTimeout: timeoutMs, lazyConnect: true, retryStrategy: () => null });
  let lastError: Error | undefined;
  redis.on('error', (error: Error) => (lastError = error)); // reported below, once
  try {
    await Promise.race([redis.connect().then(() => redis.ping()), new Promise((_, reject) => setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs).unref())]);
  } catch (error) {
    redis.disconnect();
    // ioredis's own error (ECONNREFUSED ...) says more than the "Connection is closed" that follows it
    throw new InputError(flag, `no Redis answers at ${redactedUrl(url)} (${(lastError ?? (error as Error)).message.split('\n')[0]})`);
  }
  // from here on, reconnect as usual (a Redis restart during a long sweep)
  redis.options.retryStrategy = (times: number) => Math.min(times * 200, 2000);
  return redis;
}

export interface QueueRunOptions {
  readonly queue: string;
  /** Results already kept (--out): not queued again. */
  readonly have: ReadonlySet<string>;
  /**
   * Results are kept elsewhere (--out): a job is removed from Redis once its result is taken. Otherwise
   * finished jobs stay 7 days (a few kB each), so running the sweep again collects instead of recomputing.
   */
  readonly removeTaken?: boolean;
  readonly onResult: (result: UnitResult) => void;
  /** A line for the user (no worker connected yet). */
  readonly notice: (line: string) => void;
}

/** Puts the plan's missing units on the queue and returns when every one has a result. */
export async function runOnQueue(url: string, plan: SweepPlan, units: readonly Unit[], options: QueueRunOptions): Promise<void> {
  const { Queue, QueueEvents } = await import('bullmq');
  const connection = await connectRedis(url);
  const queue = new Queue<JobData, UnitResult>(options.queue, { connection });
  const events = new QueueEvents(options.queue, { connection: connection.duplicate() });
  const id = planId(plan);
  const jobId = (unit: Unit) => `${id}.${unit.key}`;
  const pending = new Map(units.filter((u) => !options.have.has(u.key)).map((u) => [jobId(u), u]));
  const removals: Promise<unknown>[] = [];
  try {
    await events.waitUntilReady();
    let failure: Error | undefined;
    let wake = () => {};
    const take = (job: string, value: unknown) => {
      const unit = pending.get(job);
      if (!unit || value === undefined || value === null) return;
      pending.delete(job);
      options.onResult((typeof value === 'string' ? JSON.parse(value) : value) as UnitResult);
      if (options.removeTaken) removals.push(queue.remove(job).catch(() => 0));
      wake();
    };
    events.on('completed', ({ jobId: job, returnvalue }) => take(job, returnvalue));
    events.on('failed', async ({ jobId: job, failedReason }) => {
      if (!pending.has(job)) return;
      const state = await queue.getJobState(job);
      // BullMQ emits 'failed' for every attempt; only the last one (state failed, not waiting/delayed) is final
      if (state === 'failed') {
        failure = new Error(`sweep unit ${pending.get(job)!.key} failed on every attempt: ${failedReason}`);
        wake();
      }
    });
    // jobs of an earlier run of this sweep (same ids) are not added twice; finished ones are collected
    await queue.addBulk(
      [...pending].map(([job, unit]) => ({
        name: unit.kind,
        data: { plan, unit },
        opts: { jobId: job, attempts: 3, backoff: { type: 'fixed', delay: 500 }, removeOnComplete: { age: 7 * 24 * 3600 }, removeOnFail: { age: 7 * 24 * 3600 } },
      })),
    );
    for (const job of [...pending.keys()]) {
      const found = await queue.getJob(job);
      if (found?.finishedOn !== undefined && found.returnvalue) take(job, found.returnvalue);
      else if (found && (await found.isFailed())) await found.retry('failed');
    }
    if (pending.size > 0 && (await queue.getWorkers()).length === 0) options.notice(`perpguard: no worker on queue "${options.queue}" yet; start some with: perpguard worker --redis <url>${options.queue === DEFAULT_QUEUE ? '' : ` --queue ${options.queue}`}`);
    while (pending.size > 0 && !failure) {
      await new Promise<void>((resolve) => {
        wake = resolve;
        // a completion event lost in a reconnect is found by looking at the jobs again now and then
        setTimeout(resolve, 5000).unref();
      });
      if (pending.size > 0 && !failure) {
        for (const job of [...pending.keys()].slice(0, 200)) {
          const found = await queue.getJob(job);
          if (found?.finishedOn !== undefined && found.returnvalue) take(job, found.returnvalue);
        }
      }
    }
    if (failure) throw failure;
  } finally {
    await Promise.all(removals);
    await events.close();
    await queue.close();
    connection.disconnect();
  }
}

export interface WorkerOptions {
  readonly queue: string;
  /** How long a job's lock lasts without renewal: a killed worker's job is handed on after about this. */
  readonly lockMs: number;
  /** Connected, the returns model loaded: taking jobs from now on. */
  readonly onReady?: () => void;
  readonly onStart?: (unit: Unit) => void;
  /**
   * Milliseconds each job is held after it starts, before it runs (0: none). For the tests that kill a worker
   * in the middle of a job: a job runs in milliseconds once the price history is loaded, too fast to catch.
   */
  readonly holdMs?: number;
  readonly onJob?: (unit: Unit, ms: number) => void;
}

/** `perpguard worker`: runs units until `signal` aborts, then finishes the job in hand and returns. */
export async function runWorker(url: string, options: WorkerOptions, signal: AbortSignal): Promise<void> {
  const { Worker } = await import('bullmq');
  const connection = await connectRedis(url);
  const model = bundledReturnsModel();
  const digest = modelDigest(model);
  const worker = new Worker<JobData, UnitResult>(
    options.queue,
    async (job: Job<JobData, UnitResult>) => {
      if (job.data.plan.modelDigest !== digest) {
        throw new Error(`this worker's price history (model ${digest}) is not the sweep's (${job.data.plan.modelDigest}): run the same perpguard version as the machine that queued the sweep`);
      }
      options.onStart?.(job.data.unit);
      if (options.holdMs) await new Promise((resolve) => setTimeout(resolve, options.holdMs));
      const started = performance.now();
      const result = runUnit(job.data.plan, job.data.unit, model);
      options.onJob?.(job.data.unit, performance.now() - started);
      return result;
    },
    {
      connection,
      // a unit is synchronous CPU work: more than one at a time in a process would only take turns
      concurrency: 1,
      lockDuration: options.lockMs,
      // look for stalled jobs (a dead worker's) a few times per lock period
      stalledInterval: Math.max(500, Math.floor(options.lockMs / 2)),
      maxStalledCount: 5,
    },
  );
  worker.on('error', () => {}); // connection trouble: ioredis reconnects
  await worker.waitUntilReady();
  options.onReady?.();
  await new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
  await worker.close();
  connection.disconnect();
}
