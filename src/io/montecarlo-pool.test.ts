// The same Monte Carlo outcomes on 1 worker and on 2 worker threads; the workers run the precompiled
// bundle, rebuilt when it is older than the sources.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSpec } from '../sim/spec.ts';
import { bundleIsFresh, freshWorkerBundle, WORKER_BUNDLE } from './montecarlo-bundle.ts';
import { runPaths, workerExecArgv } from './montecarlo-pool.ts';

describe('Monte Carlo on worker threads', () => {
  it('1 worker and 2 workers give identical outcomes, in path order, through the worker bundle', async () => {
    const spec = parseSpec({ wallet: '10000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: '50000' }, leverage: 20, marginMode: 'cross' }, { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 20, marginMode: 'isolated' }] });
    const task = { spec, options: { generator: 'bootstrap' as const, hours: 240, blockHours: 24, crashProbability: 0.3, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) }, modes: ['isolated' as const, 'cross' as const], seed: 99 };
    const notices: string[] = [];
    const one = await runPaths(task, 30, { workers: 1, chunkPaths: 7 });
    const two = await runPaths(task, 30, { workers: 2, chunkPaths: 7, notice: (line) => notices.push(line) });
    assert.deepEqual(notices, []);
    assert.equal(one.length, 60);
    assert.deepEqual(two, one);
    assert.deepEqual(one.map((o) => o.path), [...Array(30).keys()].flatMap((p) => [p, p]));
    assert.ok(one.some((o) => o.liquidated) && one.some((o) => !o.liquidated));
  });

  it('workers do not inherit tsx\'s loader (the bundle needs none; registering it costs ~2 s per thread)', () => {
    const tsxCli = '/p/node_modules/tsx/dist/loader.mjs';
    assert.deepEqual(
      workerExecArgv(['--import', 'tsx', '--max-old-space-size=512', '--import=tsx/esm', '--import', tsxCli, '--require', '/p/node_modules/tsx/dist/preflight.cjs', '--import', './other.mjs', '--cpu-prof']),
      ['--max-old-space-size=512', '--import', './other.mjs', '--cpu-prof'],
    );
  });

  it('node started with a V8 flag a worker refuses (--max-semi-space-size) still runs the pool (it crashed with ERR_WORKER_INVALID_EXEC_ARGV)', () => {
    const code = `
      import { parseSpec } from './src/sim/spec.ts';
      import { runPaths } from './src/io/montecarlo-pool.ts';
      const spec = parseSpec({ wallet: '10000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: '20000' }, leverage: 10 }] });
      const task = { spec, options: { generator: 'bootstrap', hours: 48, blockHours: 24, crashProbability: 0, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) }, modes: ['cross'], seed: 7 };
      const notices = [];
      const out = await runPaths(task, 6, { workers: 2, chunkPaths: 2, notice: (l) => notices.push(l) });
      console.log(JSON.stringify({ outcomes: out.length, notices }));`;
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const out = execFileSync(process.execPath, ['--max-semi-space-size=32', '--import', 'tsx', '--input-type=module', '-e', code], { cwd: root, encoding: 'utf8' });
    assert.deepEqual(JSON.parse(out), { outcomes: 6, notices: [] });
  });

  it('a bundle older than the sources is stale and is rebuilt before use', async () => {
    assert.ok('path' in (await freshWorkerBundle()));
    assert.equal(bundleIsFresh(), true);
    utimesSync(WORKER_BUNDLE, new Date(2000, 0, 1), new Date(2000, 0, 1));
    assert.equal(bundleIsFresh(), false);
    const rebuilt = await freshWorkerBundle();
    assert.deepEqual(rebuilt, { path: WORKER_BUNDLE });
    assert.ok(statSync(WORKER_BUNDLE).mtimeMs > new Date(2001, 0, 1).getTime());
    assert.equal(bundleIsFresh(), true);
  });
});
