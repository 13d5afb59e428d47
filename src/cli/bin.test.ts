// bin/perpguard.mjs: runs the precompiled CLI (dist/perpguard-cli.mjs, ../io/bundles.mjs) when it is fresh,
// builds it when it is missing or stale, and falls back to the TypeScript sources through tsx when it cannot
// be built. Then the commands that find files from their own module's location (the bundled data, the
// default spec, uplot's assets for --html, the Monte Carlo worker bundle) run from the real bundle (calc
// through it: main.test.ts's pipe tests).
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
  it('study --html: the bundled crash data, the default spec, uplot inlined from node_modules', async () => {
    const html = join(mkdtempSync(join(tmpdir(), 'perpguard-bin-')), 'study.html');
    const r = await perpguard(['study', '--json', '--html', html]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '');
    // the default spec's five crash windows, each read from data/
    const windows = (JSON.parse(r.stdout) as { window: { id: string } }[]).map((w) => w.window.id);
    assert.deepEqual(windows, ['2020-03-12', '2021-05-19', '2022-05-12', '2022-11-08', '2024-08-05']);
    assert.match(readFileSync(html, 'utf8'), /uPlot/);
  });

  it('montecarlo on two workers: the returns model from data/ and the worker bundle from dist/', async () => {
    const r = await perpguard(['montecarlo', '--paths', '40', '--hours', '48', '--workers', '2', '--modes', 'cross', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, '', 'no notice of running on one thread');
    const json = JSON.parse(r.stdout) as { paths: number; workers: number };
    assert.equal(json.paths, 40);
    assert.equal(json.workers, 2);
  });

});
