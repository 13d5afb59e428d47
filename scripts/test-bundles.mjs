// The test files as JavaScript for scripts/run-tests.mjs (which says why): one esbuild build of every test
// file, their shared modules split into chunks, npm packages left in node_modules, each module's
// import.meta.url its own source file's (src/io/bundles.mjs's plugin), and linked source maps.
import { join } from 'node:path';
import { sourceUrlPlugin } from '../src/io/bundles.mjs';

/** Bundles `files` (paths from the package root) into `folder`; resolves with the bundled paths, in order. */
export async function bundleTests(files, folder) {
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: files,
    outbase: '.',
    outdir: folder,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'silent',
    plugins: [sourceUrlPlugin()],
  });
  return files.map((file) => join(folder, file.replace(/\.ts$/, '.mjs')));
}
