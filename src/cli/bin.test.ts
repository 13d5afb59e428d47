// bin/perpguard.mjs: runs the precompiled CLI (dist/perpguard-cli.mjs, ../io/bundles.mjs) when it is fresh,
// builds it when it is missing or stale, and falls back to the TypeScript sources through tsx when it cannot
// be built. Then the commands that find files from their own module's location (the bundled data, the
// default spec, uplot's assets for --html, the Monte Carlo worker bundle) run from the real bundle (calc
// through it: main.test.ts's pipe tests; study's and simulate's files through the same bundled modules).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const bin = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const version = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
// a bundle keeps its packages in node_modules, so it must lie inside the package: temporary folders in dist/
const dist = fileURLToPath(new URL('../../dist/', import.meta.url));
function scratch(): string {
  mkdirSync(dist, { recursive: true });
  return mkdtempSync(join(dist, 'bin-test-'));
}
const FAKE = "export async function main(argv) { console.log('the fake bundle ran', argv.slice(2).join(' ')); return 3; }\n";

async function perpguard(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await promisify(execFile)(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('bin/perpguard.mjs', () => {
  const folders: string[] = [];
  const bundlePath = (): string => join(folders[folders.push(scratch()) - 1]!, 'cli.mjs');
  after(() => {
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });
  it('runs a fresh bundle as it is, without building', async () => {
    const bundle = bundlePath();
    writeFileSync(bundle, FAKE);
    const future = new Date(Date.now() + 3_600_000);
    utimesSync(bundle, future, future);
    const r = await perpguard(['--help'], { PERPGUARD_CLI_BUNDLE: bundle });
    assert.deepEqual(r, { code: 3, stdout: 'the fake bundle ran --help\n', stderr: '' });
  });

  it('builds a stale bundle again before running it', async () => {
    const bundle = bundlePath();
    writeFileSync(bundle, FAKE);
    utimesSync(bundle, new Date(2000, 0, 1), new Date(2000, 0, 1));
    const r = await perpguard(['--version'], { PERPGUARD_CLI_BUNDLE: bundle });
    assert.deepEqual(r, { code: 0, stdout: `${version}\n`, stderr: '' });
    assert.doesNotMatch(readFileSync(bundle, 'utf8'), /the fake bundle/);
    assert.ok(statSync(bundle).mtimeMs > new Date(2001, 0, 1).getTime());
  });

  it('runs from the TypeScript sources through tsx when the bundle cannot be built, and says so', async () => {
    const dir = scratch();
    folders.push(dir);
    writeFileSync(join(dir, 'a-file'), '');
    const r = await perpguard(['--version'], { PERPGUARD_CLI_BUNDLE: join(dir, 'a-file', 'cli.mjs') });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${version}\n`);
    assert.match(r.stderr, /^perpguard: running from the TypeScript sources, slower to start \(no precompiled CLI: .*EEXIST/);
  });
});

describe('the commands that find files by their module\'s location, from the real bundle', () => {
  // one run covers them all: the default spec (examples/), the returns model's history and crash windows
  // (data/, stat'ed even when the model's copy in dist/ is used), the worker bundle (dist/) and the report
  // page's script inlined into the HTML (dist/web, built from web/ when stale)
  it('montecarlo --html on two workers: the default spec, data/, the worker bundle, the report page', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'perpguard-bin-')), 'montecarlo.html');
    const r = await perpguard(['montecarlo', '--paths', '40', '--hours', '48', '--workers', '2', '--modes', 'cross', '--html', html, '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no notice of running on one thread');
    const json = JSON.parse(r.stdout) as { spec: string; paths: number; workers: number };
    assert.deepEqual([json.spec, json.paths, json.workers], ['core BTC + speculative ETH + SOL hedge', 40, 2]);
    const page = readFileSync(html, 'utf8');
    assert.match(page, /<script type="application\/json" id="report-data">\{"title":"perpguard Monte Carlo/);
    // the report page's script (a few tens of kB gzipped: Preact, the charts) is inlined whole
    assert.ok(/<script type="module">[\s\S]{100000,}<\/script>/.test(page));
  });
});
