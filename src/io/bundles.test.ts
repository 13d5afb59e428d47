// ./bundles.mjs: when a bundle is fresh, that a stale or missing one is built (atomically, into any folder),
// that a failed build is a reason and not a throw, and that every module's import.meta.url inside a bundle is
// its own source file's URL (paths found from a module's location resolve as they do from src/).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BUNDLES, freshBundle, isFresh, newestSourceMs, ROOT } from './bundles.mjs';

/** A tiny source tree: src/a/where.ts reports its own URL, src/main.ts imports it. */
function fixture(): { entry: string; output: string; where: string } {
  const dir = mkdtempSync(join(tmpdir(), 'perpguard-bundles-'));
  mkdirSync(join(dir, 'src/a'), { recursive: true });
  const where = join(dir, 'src/a/where.ts');
  // spelled in pieces: the test runner bundles this file with the same rewrite of import.meta.url
  const metaUrl = ['import', 'meta', 'url'].join('.');
  writeFileSync(where, `export const here: string = ${metaUrl};\n`);
  writeFileSync(join(dir, 'src/main.ts'), `import { here } from './a/where.ts';\nexport const mainUrl: string = ${metaUrl};\nexport { here };\n`);
  return { entry: join(dir, 'src/main.ts'), output: join(dir, 'dist/out.mjs'), where };
}

describe('bundles', () => {
  it('fresh means present and at least as new as the newest source', () => {
    const { output } = fixture();
    assert.equal(isFresh(output, 0), false, 'missing');
    mkdirSync(join(output, '..'), { recursive: true });
    writeFileSync(output, 'export {};\n');
    const builtMs = statSync(output).mtimeMs;
    assert.equal(isFresh(output, builtMs), true);
    assert.equal(isFresh(output, builtMs + 1), false);
    assert.equal(isFresh(output, () => builtMs - 1), true);
  });

  it('the newest source counts src/ (tests aside) and package-lock.json', () => {
    const newest = newestSourceMs();
    assert.ok(newest >= statSync(join(ROOT, 'package-lock.json')).mtimeMs);
    assert.ok(newest >= statSync(join(ROOT, 'src/cli/main.ts')).mtimeMs);
    assert.ok(newest >= statSync(join(ROOT, 'src/io/bundles.mjs')).mtimeMs);
  });

  it('a missing bundle is built; inside it import.meta.url is each module\'s own source URL', async () => {
    const { entry, output, where } = fixture();
    const result = await freshBundle({ entry, output, packagesExternal: true }, 0);
    assert.deepEqual(result, { path: output });
    assert.deepEqual(readdirSync(join(output, '..')), ['out.mjs'], 'no temporary file left behind');
    const built = (await import(pathToFileURL(output).href)) as { here: string; mainUrl: string };
    assert.equal(built.here, pathToFileURL(where).href);
    assert.equal(built.mainUrl, pathToFileURL(entry).href);
  });

  it('a fresh bundle is used as it is; a stale one is built again', async () => {
    const { entry, output } = fixture();
    mkdirSync(join(output, '..'), { recursive: true });
    writeFileSync(output, 'export const stale = true;\n');
    const builtMs = statSync(output).mtimeMs;
    assert.deepEqual(await freshBundle({ entry, output, packagesExternal: true }, builtMs), { path: output });
    assert.equal(readFileSync(output, 'utf8'), 'export const stale = true;\n');
    utimesSync(output, new Date(2000, 0, 1), new Date(2000, 0, 1));
    assert.deepEqual(await freshBundle({ entry, output, packagesExternal: true }, builtMs), { path: output });
    assert.doesNotMatch(readFileSync(output, 'utf8'), /stale/);
    assert.ok(statSync(output).mtimeMs >= builtMs);
  });

  it('a build that fails is a reason naming the error, not a throw', async () => {
    const { entry, output } = fixture();
    writeFileSync(entry, 'export const broken = ;\n');
    const result = await freshBundle({ entry, output, packagesExternal: true }, 0);
    assert.ok('problem' in result);
    assert.match(result.problem, /Build failed with 1 error.*main\.ts.*Unexpected/);
  });

  it('the two bundles of the package: the worker with its packages inside, the CLI with them in node_modules', () => {
    assert.equal(BUNDLES.worker.output, join(ROOT, 'dist/montecarlo-worker.mjs'));
    assert.equal(BUNDLES.worker.packagesExternal, false);
    assert.equal(BUNDLES.cli.entry, join(ROOT, 'src/cli/main.ts'));
    assert.equal(BUNDLES.cli.output, join(ROOT, 'dist/perpguard-cli.mjs'));
    assert.equal(BUNDLES.cli.packagesExternal, true);
  });
});
