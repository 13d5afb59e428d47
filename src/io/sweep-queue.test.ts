// perpguard sweep through a real Redis: the same small sweep run locally, on one `perpguard worker` and on
// three, one of which is killed with SIGKILL in the middle of a job, gives the same figures to the bit. The
// workers are real child processes running the CLI. Redis not reachable: skipped with the reason, except
// under CI=true, where that fails (.ci/run starts one: scripts/ensure-redis.sh).
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { runCli } from '../cli/test-support.ts';
import { connectRedis, runOnQueue } from './sweep-queue.ts';
import { sweepPlan, type SweepOptions } from '../cli/sweep.ts';
import { planUnits } from '../sim/sweep.ts';
import { planId } from './sweep-store.ts';

const REDIS_URL = process.env['PERPGUARD_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
const root = fileURLToPath(new URL('../..', import.meta.url));

async function redisProblem(): Promise<string | undefined> {
  try {
    (await connectRedis(REDIS_URL, 'redis', 2000)).disconnect();
    return undefined;
  } catch (error) {
    return `Redis at ${REDIS_URL} is not reachable (${(error as Error).message}); start redis-server or set PERPGUARD_TEST_REDIS_URL`;
  }
}
const problem = await redisProblem();
if (problem && ci) throw new Error(`CI=true: ${problem}`);

// 2 leverages x 2 allocations x 2 modes x 40 paths x 48 h, one crash window; 10-path jobs so that three
// workers share them and one can be killed while others remain
const SMALL = ['--spec', 'examples/max-exposure.yaml', '--leverage', '3,20', '--allocation', '0.3,1', '--modes', 'isolated,cross', '--paths', '40', '--hours', '48', '--crashes', '2024-08-05', '--chunk', '10', '--seed', '7'];

interface Worker {
  readonly child: ChildProcess;
  readonly log: () => string;
}
const workers: Worker[] = [];
function startWorker(queue: string, holdMs = 0): Worker {
  const env = { ...process.env, PERPGUARD_WORKER_HOLD_MS: String(holdMs) };
  const child = spawn(process.execPath, ['bin/perpguard.mjs', 'worker', '--redis', REDIS_URL, '--queue', queue, '--lock-seconds', '2'], { cwd: root, env, stdio: ['ignore', 'ignore', 'pipe'] });
  let text = '';
  child.stderr!.on('data', (chunk: Buffer) => (text += chunk.toString()));
  const w = { child, log: () => text };
  workers.push(w);
  return w;
}
const exited = (w: Worker) => new Promise<void>((resolve) => (w.child.exitCode !== null || w.child.signalCode !== null ? resolve() : w.child.once('exit', () => resolve())));
async function stopAll(): Promise<void> {
  for (const w of workers.splice(0)) {
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    await exited(w);
  }
}
const queues: string[] = [];
const queueName = (label: string) => {
  const name = `perpguard-test-${process.pid}-${label}`;
  queues.push(name);
  return name;
};
const waitFor = async (check: () => boolean, what: string, timeoutMs = 60_000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('perpguard sweep on workers through Redis', { skip: problem }, () => {
  let local: unknown;
  before(async () => {
    const r = await runCli(['sweep', ...SMALL, '--workers', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    local = (JSON.parse(r.stdout) as { cells: unknown }).cells;
  });
  after(async () => {
    await stopAll();
    const redis = await connectRedis(REDIS_URL);
    for (const name of queues) {
      const q = new Queue(name, { connection: redis });
      await q.obliterate({ force: true });
      await q.close();
    }
    redis.disconnect();
  });

  it('one worker: the same cells as the local run, bit for bit', async () => {
    const queue = queueName('one');
    startWorker(queue);
    const r = await runCli(['sweep', ...SMALL, '--redis', REDIS_URL, '--queue', queue, '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout) as { cells: unknown; run: { on: string; ranUnits: number } };
    assert.deepEqual([json.run.on, json.run.ranUnits], ['redis', 20]); // 4 cells x (1 crash + 4 path jobs)
    assert.deepEqual(json.cells, local);
    // run again: the finished jobs are collected from Redis, none is run twice
    const before = workers[0]!.log().match(/ done in /g)!.length;
    const again = await runCli(['sweep', ...SMALL, '--redis', REDIS_URL, '--queue', queue, '--json']);
    assert.deepEqual((JSON.parse(again.stdout) as { cells: unknown }).cells, local);
    assert.equal(workers[0]!.log().match(/ done in /g)!.length, before);
    await stopAll();
  });

  it('three workers, one killed with SIGKILL mid-job: its job is run again elsewhere, the cells are the same', async () => {
    const queue = queueName('three');
    // each job held 300 ms after it starts: it runs in milliseconds once the price history is loaded, and the
    // worker must be killed while the job is its own
    const three = [startWorker(queue, 300), startWorker(queue, 300), startWorker(queue, 300)];
    // all three connected before the jobs are queued, so that each can take some
    await waitFor(() => three.every((w) => w.log().includes('perpguard worker: ready')), 'three workers to be ready');
    const sweep = runCli(['sweep', ...SMALL, '--redis', REDIS_URL, '--queue', queue, '--json']);
    // kill the worker that started a crash job while it holds it
    let victim: Worker | undefined;
    await waitFor(() => (victim = three.find((w) => /c\d\.crash started/.test(w.log()))) !== undefined, 'a worker to start a crash job');
    const job = /(c\d\.crash) started/.exec(victim!.log())![1]!;
    victim!.child.kill('SIGKILL');
    await exited(victim!);
    assert.equal(victim!.child.signalCode, 'SIGKILL');
    assert.doesNotMatch(victim!.log(), new RegExp(`${job.replace('.', '\\.')} done`), 'killed before the job was done');
    const r = await sweep;
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { cells: unknown }).cells, local);
    // the killed worker's job was finished by a survivor (BullMQ's stalled-job check after the 2 s lock)
    const survivors = three.filter((w) => w !== victim);
    assert.ok(survivors.some((w) => w.log().includes(`${job} done`)), `${job} done by another worker`);
    await stopAll();
  });

  it('with --out, the results go to the file and each job leaves Redis once taken', async () => {
    const queue = queueName('out');
    startWorker(queue);
    const out = join(mkdtempSync(join(tmpdir(), 'perpguard-sweep-queue-')), 'map.jsonl');
    const r = await runCli(['sweep', ...SMALL, '--redis', REDIS_URL, '--queue', queue, '--out', out, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as { cells: unknown }).cells, local);
    assert.equal(readFileSync(out, 'utf8').trim().split('\n').length, 1 + 20);
    const redis = await connectRedis(REDIS_URL);
    const q = new Queue(queue, { connection: redis });
    assert.deepEqual(await q.getJobCounts('completed', 'waiting', 'active', 'failed'), { completed: 0, waiting: 0, active: 0, failed: 0 });
    await q.close();
    redis.disconnect();
    rmSync(dirname(out), { recursive: true, force: true });
    await stopAll();
  });

  it('a job that throws is retried, and after its last attempt the sweep fails naming it: a worker with other price history refuses', async () => {
    const queue = queueName('refused');
    startWorker(queue);
    const options: SweepOptions = { spec: 'examples/max-exposure.yaml', leverage: '3', allocation: '0.3', modes: 'cross', paths: '10', hours: '48', generator: 'bootstrap', blockHours: '24', crashProbability: '0.2', seed: '7', crashes: 'none', chunk: '10', maxRuin: '0.01', probable: '0.05', queue };
    const plan = { ...sweepPlan(options), modelDigest: 'another-version' };
    const units = planUnits(plan);
    await assert.rejects(
      runOnQueue(REDIS_URL, plan, units, { queue, have: new Set(), onResult: () => assert.fail('no result expected'), notice: () => {} }),
      /sweep unit c0\.p0-10 failed on every attempt: this worker's price history \(model [0-9a-f]{16}\) is not the sweep's \(another-version\)/,
    );
    const redis = await connectRedis(REDIS_URL);
    const q = new Queue(queue, { connection: redis });
    const job = await q.getJob(`${planId(plan)}.c0.p0-10`);
    assert.equal(job?.attemptsMade, 3);
    await q.close();
    redis.disconnect();
    await stopAll();
  });
});
