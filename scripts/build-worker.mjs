// `npm run build` and npm's `prepare` step (run by `npm ci` and `npm install`): bundles the Monte Carlo
// worker into dist/montecarlo-worker.mjs, precompiled JavaScript, so worker threads start without tsx.
// The pool rebuilds it on first use when it is missing or older than the sources
// (src/io/montecarlo-bundle.ts says why); this script only does it ahead of time.
//   node --import tsx scripts/build-worker.mjs [--if-possible]
// --if-possible (the prepare step): a failure is a notice, not a failed install, since the pool can build
// the bundle later or run without it.
import { buildWorkerBundle } from '../src/io/montecarlo-bundle.ts';

const started = performance.now();
try {
  const path = await buildWorkerBundle();
  console.log(`built ${path} in ${Math.round(performance.now() - started)} ms`);
} catch (error) {
  if (!process.argv.includes('--if-possible')) throw error;
  console.log(`perpguard: the Monte Carlo worker bundle was not built (${error.message.split('\n')[0]}); it is built on first use`);
}
