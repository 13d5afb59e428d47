// The test files as JavaScript for scripts/run-tests.mjs (which says why): one esbuild build of every test
// file, their shared modules split into chunks, npm packages left in node_modules, each module's
// import.meta.url its own source file's (src/io/bundles.mjs's plugin), and linked source maps.
// A unit of several files (./test-groups.mjs) is one more entry, groups/<name>.mjs, whose source is written
// beside the bundles and imports each file's own chunk.
import { mkdirSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { sourceUrlPlugin } from '../src/io/bundles.mjs';
import { groupSource } from './test-groups.mjs';

/**
 * Bundles the test units ({ files } alone, or { name, files } sharing a process; files inside the working
 * directory, relative or absolute) into `folder`; resolves with each unit's bundled path, in order.
 */
export async function bundleTests(units, folder) {
  const files = units.flatMap((u) => u.files);
  // each file's bundle lies at its path from here inside `folder`
  const paths = files.map((file) => relative(process.cwd(), resolve(file)));
  const outside = paths.find((path) => path.startsWith('..') || isAbsolute(path));
  if (outside !== undefined) throw new Error(`${outside} is outside ${process.cwd()}`);
  const groups = units.filter((u) => u.name !== undefined);
  const groupFolder = join(folder, 'group-sources');
  if (groups.length > 0) mkdirSync(groupFolder, { recursive: true });
  for (const g of groups) writeFileSync(join(groupFolder, `${g.name}.mjs`), groupSource(g.files, (file) => resolve(file)));
  const esbuild = await import('esbuild');
  await esbuild.build({
    entryPoints: [
      ...paths.map((path) => ({ in: path, out: path.replace(/\.ts$/, '') })),
      ...groups.map((g) => ({ in: join(groupFolder, `${g.name}.mjs`), out: `groups/${g.name}` })),
    ],
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
  return units.map((u) => (u.name !== undefined ? join(folder, 'groups', `${u.name}.mjs`) : join(folder, relative(process.cwd(), resolve(u.files[0])).replace(/\.ts$/, '.mjs'))));
}
