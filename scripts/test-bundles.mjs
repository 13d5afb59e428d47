// The test files as JavaScript for scripts/run-tests.mjs (which says why): one esbuild build of every test
// file, their shared modules split into chunks, npm packages left in node_modules, each module's
// import.meta.url its own source file's (src/io/bundles.mjs's plugin), and linked source maps.
import { isAbsolute, join, relative, resolve } from 'node:path';
import { sourceUrlPlugin } from '../src/io/bundles.mjs';

/** Bundles `files` (inside the working directory, relative or absolute) into `folder`; resolves with the bundled paths, in order. */
export async function bundleTests(files, folder) {
  // each bundle lies at its file's path from here inside `folder` (esbuild's outbase)
  const paths = files.map((file) => relative(process.cwd(), resolve(file)));
  const outside = paths.find((path) => path.startsWith('..') || isAbsolute(path));
  if (outside !== undefined) throw new Error(`${outside} is outside ${process.cwd()}`);
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: paths,
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
  return paths.map((path) => join(folder, path.replace(/\.ts$/, '.mjs')));
}
