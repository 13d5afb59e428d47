// Runs every *.test.ts under src/ and test/ (or the files given) with node's test runner.
// (Node 20's --test does not expand globs itself; this lists the files so a new test is never missed.)
//
// The test files are first bundled by esbuild, all in one build with their shared modules split into chunks
// (./test-bundles.mjs), and node runs that JavaScript: each test file is its own process, and loading a
// few hundred TypeScript modules through tsx's loader cost each one ~1 s of CPU, a third of the suite.
// With --typecheck (npm test) the type checks (`npm run typecheck`: tsc --noEmit, sources and dashboard) run
// beside the tests, not before them: the ~25 s of one core they take fill the cores the tests leave idle while
// they wait on browsers, servers and Redis; their errors print at the end and fail the run. Source maps point
// failures at the .ts lines.
// PERPGUARD_TEST_TSX=1 runs the sources through tsx's loader instead, as does a failed bundling.
// The longest files start first, by the times of earlier runs (./test-times.mjs).
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { BUNDLES, freshBundle } from '../src/io/bundles.mjs';
import { bundleTests } from './test-bundles.mjs';
import { groupFiles } from './test-groups.mjs';
import { keepTimes, longestFirst, recordedTimes } from './test-times.mjs';

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) find(path, out);
    else if (name.endsWith('.test.ts')) out.push(path);
  }
  return out;
}

function isRunning(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

const typecheck = process.argv.includes('--typecheck');
const only = process.argv.slice(2).filter((arg) => arg !== '--typecheck');
const files = longestFirst(only.length > 0 ? only : [...find('src'), ...find('test')].sort());
if (files.length === 0) {
  console.error('no test files found');
  process.exit(1);
}
// started first: it reads the sources, not the bundles, and needs nothing the tests build
const typeErrors = typecheck ? typeCheck() : Promise.resolve({ status: 0, output: '' });
// the precompiled CLI and worker, fresh before the first test: otherwise the first serve processes and pools,
// started at once by several files, would each find them stale and each build them (bin/perpguard.mjs and
// the pool build them themselves, or run without them, if this fails)
for (const bundle of [BUNDLES.cli, BUNDLES.worker, BUNDLES.analysis]) {
  const fresh = await freshBundle(bundle);
  if ('problem' in fresh) console.log(`perpguard: ${bundle.output} not built (${fresh.problem})`);
}
// bundles left by runs that were stopped (Ctrl-C) before they could remove them
for (const name of existsSync('dist') ? readdirSync('dist') : []) {
  const pid = /^tests-(\d+)$/.exec(name)?.[1];
  if (pid !== undefined && !isRunning(Number(pid))) rmSync(join('dist', name), { recursive: true, force: true });
}
let run = { flags: ['--import', 'tsx'], files };
// one folder per run: two runs at once in one checkout do not share one
const folder = join('dist', `tests-${process.pid}`);
if (process.env['PERPGUARD_TEST_TSX'] !== '1') {
  try {
    // short files of the pure core share a process (./test-groups.mjs says why and which)
    run = { flags: ['--enable-source-maps'], files: await bundleTests(groupFiles(files, recordedTimes()), folder) };
  } catch (error) {
    console.log(`perpguard: the tests run through tsx (bundling them failed: ${String(error.message).split('\n').slice(0, 2).join(' ')})`);
  }
}
// one test file per core (Node 20's default is cores - 1, which is one file at a time on a 2-core machine).
// One more than cores was slower on 2 idle cores (202 s against 192 s for 1,573 tests, back to back, 2026-12-02),
// faster only while other work shared the machine; PERPGUARD_TEST_CONCURRENCY sets another number
const concurrency = Number(process.env['PERPGUARD_TEST_CONCURRENCY'] ?? Math.max(2, availableParallelism()));
mkdirSync(folder, { recursive: true });
const timesOfRun = join(folder, 'times.json');
const timesReporter = fileURLToPath(new URL('./test-times.mjs', import.meta.url));
const reporters = ['--test-reporter=spec', '--test-reporter-destination=stdout', `--test-reporter=${timesReporter}`, `--test-reporter-destination=${timesOfRun}`];
const result = await finished(spawn(process.execPath, [...run.flags, '--test', `--test-concurrency=${concurrency}`, ...reporters, ...run.files], { stdio: 'inherit' }));
try {
  keepTimes(timesOfRun);
} catch {
  // no times (the run was cut short): the next run orders the files as before
}
rmSync(folder, { recursive: true, force: true });
const types = await typeErrors;
if (types.status !== 0) console.log(`\nthe type check failed (npm run typecheck):\n${types.output}`);
process.exit(result.status !== 0 ? (result.status ?? 1) : types.status);

/** Resolves with the child's exit status (1 when killed by a signal). */
function finished(child) {
  return new Promise((resolve) => child.on('exit', (code) => resolve({ status: code ?? 1 })));
}

/** `npm run -s typecheck`, its output kept for the end (interleaved with the tests' it would be lost). */
function typeCheck() {
  const child = spawn(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', '-s', 'typecheck'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return finished(child).then(({ status }) => ({ status, output }));
}
