#!/usr/bin/env node
// Runs the CLI from its precompiled bundle in dist/ (../src/io/bundles.mjs): fresh, or built now when missing
// or older than the sources. Registering tsx and compiling the whole CLI from TypeScript costs ~2 s per
// start; the bundle loads in a fraction of that. When it cannot be built (no esbuild, a read-only install
// without one), the CLI runs from the TypeScript sources through tsx's loader, as a checkout always could.
// PERPGUARD_CLI_BUNDLE: another place for the bundle, inside the package so that its packages resolve from
// node_modules (the tests build one in a temporary folder of dist/).
import { pathToFileURL } from 'node:url';
import { BUNDLES, freshBundle } from '../src/io/bundles.mjs';

const bundle = { ...BUNDLES.cli, output: process.env.PERPGUARD_CLI_BUNDLE || BUNDLES.cli.output };
const fresh = await freshBundle(bundle);
let main;
if ('path' in fresh) {
  ({ main } = await import(pathToFileURL(fresh.path).href));
} else {
  process.stderr.write(`perpguard: running from the TypeScript sources, slower to start (no precompiled CLI: ${fresh.problem})\n`);
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src/cli/main.ts'));
}
process.exitCode = await main(process.argv);
