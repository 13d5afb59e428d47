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
// Where bundles live, when one is fresh and how one is built is ./bundles.mjs's, shared with the CLI's.
import { BUNDLES, buildBundle, freshBundle, isFresh } from './bundles.mjs';

export { newestSourceMs, ROOT } from './bundles.mjs';
export const WORKER_ENTRY = BUNDLES.worker.entry;
export const WORKER_BUNDLE = BUNDLES.worker.output;

/** The bundle exists and is at least as new as every source it is built from. */
export function bundleIsFresh(): boolean {
  return isFresh(WORKER_BUNDLE);
}

/** Bundles the worker with esbuild (atomically: ./bundles.mjs's buildBundle). */
export function buildWorkerBundle(): Promise<string> {
  return buildBundle(BUNDLES.worker);
}

/** The path of a fresh worker bundle (built now if missing or stale), or the reason there is none. */
export function freshWorkerBundle(): Promise<{ path: string } | { problem: string }> {
  return freshBundle(BUNDLES.worker);
}
