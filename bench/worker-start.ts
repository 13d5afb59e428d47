// How long a Monte Carlo worker thread takes from its creation to its first result: the precompiled
// bundle (what the pool runs) and, for comparison, the same entry through tsx's loader (what the pool
// ran before: every worker registered tsx and compiled the sources again). Each is one empty batch.
import { Worker } from 'node:worker_threads';
import { Piscina } from 'piscina';
import { freshWorkerBundle, WORKER_ENTRY } from '../src/io/montecarlo-bundle.ts';
import { workerExecArgv } from '../src/io/montecarlo-pool.ts';
import { parseSpec } from '../src/sim/spec.ts';

const EMPTY_MODEL = { symbols: [] };

function emptyTask() {
  const spec = parseSpec({ wallet: '10000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: '1000' }, leverage: 2 }] });
  const options = { generator: 'bootstrap' as const, hours: 2, blockHours: 1, crashProbability: 0, ticks: [0.1], startMs: 0 };
  return { spec, options, modes: ['cross' as const], seed: 1, fromPath: 0, toPath: 0 };
}

async function bundleStartMs(): Promise<number> {
  const bundle = await freshWorkerBundle();
  if ('problem' in bundle) throw new Error(`no worker bundle: ${bundle.problem}`);
  const started = performance.now();
  const pool = new Piscina({ filename: bundle.path, workerData: { model: EMPTY_MODEL }, execArgv: workerExecArgv(process.execArgv), minThreads: 1, maxThreads: 1 });
  await pool.run(emptyTask());
  const ms = performance.now() - started;
  await pool.destroy();
  return ms;
}

async function tsxStartMs(): Promise<number> {
  const started = performance.now();
  const code = `
    import { register } from 'tsx/esm/api';
    import { parentPort } from 'node:worker_threads';
    register();
    const { default: run } = await import(${JSON.stringify(WORKER_ENTRY)});
    parentPort.on('message', (task) => parentPort.postMessage(run(task)));`;
  const worker = new Worker(code, { eval: true, workerData: { model: EMPTY_MODEL }, execArgv: workerExecArgv(process.execArgv), type: 'module' } as ConstructorParameters<typeof Worker>[1]);
  await new Promise((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.postMessage(emptyTask());
  });
  const ms = performance.now() - started;
  await worker.terminate();
  return ms;
}

/** Median of three starts each (wall time: a start is mostly waiting on the module loader). */
export async function workerStartMs(): Promise<{ bundle: number; tsx: number }> {
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[1]!;
  const bundle: number[] = [];
  const tsx: number[] = [];
  for (let i = 0; i < 3; i++) {
    bundle.push(await bundleStartMs());
    tsx.push(await tsxStartMs());
  }
  return { bundle: median(bundle), tsx: median(tsx) };
}
