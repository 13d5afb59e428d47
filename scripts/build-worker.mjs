// `npm run build` and npm's `prepare` step (run by `npm ci` and `npm install`): bundles the Monte Carlo
// worker into dist/montecarlo-worker.mjs, the dashboard's analysis worker into dist/analysis-worker.mjs and the CLI into dist/perpguard-cli.mjs, precompiled JavaScript, so
// worker threads and `perpguard` start without tsx, the dashboard into dist/web (src/io/web-bundle.ts), and
// keeps the returns model in dist/returns-model.v8.
// All are rebuilt on first use when missing or older than their sources (src/io/bundles.mjs and
// src/io/returns.ts say why); this script only does it ahead of time.
//   node --import tsx scripts/build-worker.mjs [--if-possible]
// --if-possible (the prepare step): a failure is a notice, not a failed install, since the bundles can be
// built later, and the pool and the CLI can run without them.
import { BUNDLES, buildBundle } from '../src/io/bundles.mjs';
import { bundledReturnsModel, MODEL_COPY } from '../src/io/returns.ts';
import { buildWebBundle, WEB_BUNDLE_DIR } from '../src/io/web-bundle.ts';

try {
  for (const bundle of [BUNDLES.worker, BUNDLES.analysis, BUNDLES.cli]) {
    const started = performance.now();
    const path = await buildBundle(bundle);
    console.log(`built ${path} in ${Math.round(performance.now() - started)} ms`);
  }
  await buildWebBundle();
  console.log(`built the dashboard in ${WEB_BUNDLE_DIR}`);
  bundledReturnsModel();
  console.log(`kept the returns model in ${MODEL_COPY}`);
} catch (error) {
  if (!process.argv.includes('--if-possible')) throw error;
  console.log(`perpguard: the bundles were not built (${error.message.split('\n')[0]}); they are built on first use`);
}
