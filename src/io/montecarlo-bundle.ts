// The Monte Carlo worker as precompiled JavaScript: src/io/montecarlo-worker.ts and everything it
// imports, bundled by esbuild into one ES module in dist/ (git-ignored).
//
// Why: a worker thread that starts from the TypeScript sources must register tsx's loader and compile
// every module again in that thread, about 2 s per worker, a third of a 10,000-path run on two cores.
// The bundle starts in about a tenth of a second.
// When it is built: by `npm ci` / `npm install` (the `prepare` script, scripts/build-worker.mjs), so a
// user never runs a build step; and again on first use whenever it is missing or older than any source
// file or the lock file, so a developer editing src/ never runs stale code in the workers. If it cannot be
// built (esbuild missing or failing), the pool runs every path on the calling thread and says so.
import { mkdirSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const WORKER_ENTRY = join(ROOT, 'src/io/montecarlo-worker.ts');
export const WORKER_BUNDLE = join(ROOT, 'dist/montecarlo-worker.mjs');

/** The newest modification time of the sources the bundle is built from (src/**, package-lock.json). */
export function newestSourceMs(dir = join(ROOT, 'src'), newest = statSync(join(ROOT, 'package-lock.json')).mtimeMs): number {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSourceMs(path, newest);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The bundle exists and is at least as new as every source it is built from. */
export function bundleIsFresh(): boolean {
  let built: number;
  try {
    built = statSync(WORKER_BUNDLE).mtimeMs;
  } catch {
    return false;
  }
  return built >= newestSourceMs();
}

/**
 * Bundles the worker with esbuild. Written to a temporary file and renamed, so a process starting a pool
 * meanwhile (two test files, two CLI runs) reads either the old bundle or the whole new one.
 */
export async function buildWorkerBundle(): Promise<string> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [WORKER_ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  });
  const code = result.outputFiles[0]!.contents;
  mkdirSync(dirname(WORKER_BUNDLE), { recursive: true });
  const temporary = `${WORKER_BUNDLE}.${process.pid}.tmp`;
  writeFileSync(temporary, code);
  renameSync(temporary, WORKER_BUNDLE);
  return WORKER_BUNDLE;
}

/** The path of a fresh worker bundle (built now if missing or stale), or the reason there is none. */
export async function freshWorkerBundle(): Promise<{ path: string } | { problem: string }> {
  if (bundleIsFresh()) return { path: WORKER_BUNDLE };
  try {
    return { path: await buildWorkerBundle() };
  } catch (error) {
    return { problem: (error as Error).message.split('\n')[0]! };
  }
}
