// `npm run build` and npm's `prepare` step (run by `npm ci` and `npm install`): bundles the Monte Carlo
// worker into dist/montecarlo-worker.mjs, precompiled JavaScript, so worker threads start without tsx,
// and keeps the returns model in dist/returns-model.v8. Both are rebuilt on first use when missing or
// older than their sources (src/io/montecarlo-bundle.ts and src/io/returns.ts say why); this script only
// does it ahead of time.
//   node --import tsx scripts/build-worker.mjs [--if-possible]
// --if-possible (the prepare step): a failure is a notice, not a failed install, since the pool can build
// the bundle later or run without it.
import { buildWorkerBundle } from '../src/io/montecarlo-bundle.ts';
import { bundledReturnsModel, MODEL_COPY } from '../src/io/returns.ts';
import { buildWebBundle, WEB_BUNDLE_DIR } from '../src/io/web-bundle.ts';

const started = performance.now();
try {
  const path = await buildWorkerBundle();
  console.log(`built ${path} in ${Math.round(performance.now() - started)} ms`);
  await buildWebBundle();
  console.log(`built the dashboard in ${WEB_BUNDLE_DIR}`);
  bundledReturnsModel();
  console.log(`kept the returns model in ${MODEL_COPY}`);
} catch (error) {
  if (!process.argv.includes('--if-possible')) throw error;
  console.log(`perpguard: the bundles were not built (${error.message.split('\n')[0]}); they are built on first use`);
}
