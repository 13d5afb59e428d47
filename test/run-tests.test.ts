// scripts/run-tests.mjs: the test files run as esbuild bundles (no tsx loader in the test process, each
// module's import.meta.url still its own source's, failures reported at the .ts line), through tsx with
// PERPGUARD_TEST_TSX=1, and through tsx when bundling fails (a file esbuild cannot resolve), saying so;
// the bundles of a stopped run are removed by the next; the longest files start first.
// The fixtures live in a temporary folder of dist/ (inside the package, so tsx and esbuild resolve from
// node_modules), which is the runner's working directory.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { keepTimes, longestFirst, sourceOf } from '../scripts/test-times.mjs';
import { GROUP_MS, groupFiles, groupSource, SHORT_MS } from '../scripts/test-groups.mjs';

const runner = fileURLToPath(new URL('../scripts/run-tests.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../dist/', import.meta.url));
mkdirSync(dist, { recursive: true });
const folder = mkdtempSync(join(dist, 'run-tests-test-'));
after(() => rmSync(folder, { recursive: true, force: true }));

// spelled in pieces: this file is itself bundled with import.meta.url rewritten
const META_URL = ['import', 'meta', 'url'].join('.');
// reports how it ran; line 6 fails when FAIL is set, to see where a failure is reported
writeFileSync(
  join(folder, 'probe.test.ts'),
  `import { it } from 'node:test';
const loader: string = process.execArgv.includes('tsx') ? 'tsx' : 'bundle';
it('probe', () => {
  console.log(\`PROBE \${loader} \${${META_URL}}\`);
  const fail: boolean = process.env['FAIL'] === '1';
  if (fail) throw new Error('planted failure');
});
`,
);
// esbuild cannot resolve ./missing.ts; tsx never tries, since the import never runs
writeFileSync(join(folder, 'unresolved.test.ts'), "import { it } from 'node:test';\nexport async function never(): Promise<unknown> { return import('./missing.ts'); }\nit('unresolved', () => {});\n");

async function runTests(files: string[], env: Record<string, string> = {}): Promise<{ code: number; out: string }> {
  // without NODE_TEST_CONTEXT, which tells a node --test inside a test file to run nothing, nor this run's choice
  const { NODE_TEST_CONTEXT: _context, PERPGUARD_TEST_TSX: _tsx, ...outer } = process.env;
  try {
    const r = await promisify(execFile)(process.execPath, [runner, ...files], { cwd: folder, env: { ...outer, ...env } });
    return { code: 0, out: r.stdout + r.stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, out: e.stdout + e.stderr };
  }
}

const probeUrl = `file://${join(folder, 'probe.test.ts')}`;

describe('scripts/run-tests.mjs', () => {
  it('runs the bundled JavaScript without tsx, each module\'s URL its source file\'s, and removes its bundles', async () => {
    // and those of a run stopped before it could (its process is gone)
    const gone = spawnSync(process.execPath, ['-e', '0']).pid!;
    mkdirSync(join(folder, `dist/tests-${gone}`), { recursive: true });
    const r = await runTests(['probe.test.ts']);
    assert.equal(r.code, 0, r.out);
    assert.ok(r.out.includes(`PROBE bundle ${probeUrl}`), r.out);
    assert.deepEqual(readdirSync(join(folder, 'dist')), ['test-times.json'], 'the bundles removed, the times kept');
    const times = JSON.parse(readFileSync(join(folder, 'dist/test-times.json'), 'utf8')) as Record<string, number>;
    assert.deepEqual(Object.keys(times), ['probe.test.ts']);
    assert.ok(times['probe.test.ts']! > 0);
  });

  it('a failure is reported at the TypeScript line, and fails the run', async () => {
    const r = await runTests(['probe.test.ts'], { FAIL: '1' });
    assert.equal(r.code, 1);
    assert.match(r.out, /planted failure/);
    assert.ok(r.out.includes(`${join(folder, 'probe.test.ts')}:6:`), r.out);
  });

  it('PERPGUARD_TEST_TSX=1 runs the sources through tsx', async () => {
    const r = await runTests(['probe.test.ts'], { PERPGUARD_TEST_TSX: '1' });
    assert.equal(r.code, 0, r.out);
    assert.ok(r.out.includes(`PROBE tsx ${probeUrl}`), r.out);
  });

  it('when bundling fails, every file runs through tsx, and the run says why', async () => {
    const r = await runTests(['probe.test.ts', 'unresolved.test.ts']);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /perpguard: the tests run through tsx \(bundling them failed: .*missing\.ts/);
    assert.ok(r.out.includes(`PROBE tsx ${probeUrl}`), r.out);
  });
});

describe('scripts/test-groups.mjs: short files of the pure core share a process', () => {
  const text = (file: string) => (file.includes('chdir') ? 'process.chdir(root);' : file.includes('env') ? "process.env['X'] = '1';" : "it('x', () => {});");
  it('groups short timed files of the shared folders, in order; long, untimed, elsewhere or process-changing files run alone', () => {
    const times: Record<string, number> = { 'src/domain/long.test.ts': 9000, 'src/domain/a.test.ts': 100, 'src/engine/b.test.ts': 200, 'src/cli/c.test.ts': 50, 'src/sim/chdir.test.ts': 10, 'src/sim/env.test.ts': 10, 'src/views/d.test.ts': 300 };
    const files = ['src/domain/long.test.ts', 'src/domain/a.test.ts', 'src/engine/b.test.ts', 'src/cli/c.test.ts', 'src/sim/untimed.test.ts', 'src/sim/chdir.test.ts', 'src/sim/env.test.ts', 'src/views/d.test.ts'];
    assert.deepEqual(groupFiles(files, times, text), [
      { files: ['src/domain/long.test.ts'] },
      { name: 'group-1', files: ['src/domain/a.test.ts', 'src/engine/b.test.ts', 'src/views/d.test.ts'] },
      { files: ['src/cli/c.test.ts'] },
      { files: ['src/sim/untimed.test.ts'] },
      { files: ['src/sim/chdir.test.ts'] },
      { files: ['src/sim/env.test.ts'] },
    ]);
  });

  it(`a group closes at ${GROUP_MS} ms of recorded time (and a load time per file); a group of one is a file alone`, () => {
    const files = ['src/domain/a.test.ts', 'src/domain/b.test.ts', 'src/domain/c.test.ts', 'src/domain/d.test.ts'];
    const times = Object.fromEntries(files.map((f) => [f, SHORT_MS - 1]));
    const perGroup = Math.floor(GROUP_MS / SHORT_MS);
    assert.equal(perGroup, 3, 'the numbers below assume three short files fill a group');
    assert.deepEqual(groupFiles(files, times, text), [{ name: 'group-1', files: files.slice(0, 3) }, { files: ['src/domain/d.test.ts'] }]);
  });

  it("a group's entry imports each file under a suite named by its path", () => {
    assert.equal(groupSource(['src/a.test.ts'], (f) => `/repo/${f}`), "import { describe } from 'node:test';\ndescribe(\"src/a.test.ts\", async () => { await import(\"/repo/src/a.test.ts\"); });\n");
  });
});

describe('scripts/test-times.mjs: the longest files first', () => {
  it('orders by the kept times, files with none first; a run\'s times are merged into the kept ones', () => {
    const kept = join(folder, 'kept-times.json');
    assert.deepEqual(longestFirst(['a', 'b', 'c'], kept), ['a', 'b', 'c'], 'no times yet: the order given');
    writeFileSync(join(folder, 'run1.json'), JSON.stringify({ a: 10, b: 300 }));
    keepTimes(join(folder, 'run1.json'), kept);
    writeFileSync(join(folder, 'run2.json'), JSON.stringify({ a: 500 }));
    keepTimes(join(folder, 'run2.json'), kept);
    assert.deepEqual(JSON.parse(readFileSync(kept, 'utf8')), { a: 500, b: 300 });
    assert.deepEqual(longestFirst(['a', 'b', 'c'], kept), ['c', 'a', 'b']);
  });

  it('the committed times order a fresh clone\'s files; a file\'s own recorded time wins', () => {
    const baseline = join(folder, 'baseline-times.json');
    writeFileSync(baseline, JSON.stringify({ x: 5, y: 50, z: 1 }));
    const none = join(folder, 'no-times-yet.json');
    assert.deepEqual(longestFirst(['x', 'y', 'z'], none, baseline), ['y', 'x', 'z']);
    writeFileSync(join(folder, 'run3.json'), JSON.stringify({ z: 90 }));
    keepTimes(join(folder, 'run3.json'), none);
    assert.deepEqual(longestFirst(['x', 'y', 'z'], none, baseline), ['z', 'y', 'x']);
  });

  it('a bundled file is timed as its source', () => {
    assert.equal(sourceOf('/repo/dist/tests-123/src/cli/main.test.mjs', '/repo'), 'src/cli/main.test.ts');
    assert.equal(sourceOf('/repo/test/x.test.ts', '/repo'), 'test/x.test.ts');
  });
});
