// Precompiled bundles of the TypeScript sources in dist/ (git-ignored), built by esbuild: the Monte Carlo
// worker (./montecarlo-bundle.ts) and the CLI (bin/perpguard.mjs). One module owns where they live, when
// one is fresh and how one is built, so the two cannot drift apart.
//
// Plain JavaScript, typed by ./bundles.d.mts: bin/perpguard.mjs must decide whether the CLI bundle is fresh
// before any TypeScript loader is registered (registering tsx and compiling the CLI costs ~2 s per start,
// the very cost the bundle removes).
//
// Fresh: at least as new as every source file (src/**, tests aside) and package-lock.json, so a developer
// editing src/ never runs stale code and a dependency update rebuilds it. Built by `npm ci` / `npm install`
// (the `prepare` script, scripts/build-worker.mjs) and again on first use when stale.
import { accessSync, constants, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** The bundles: entry (TypeScript), output (ES module), and whether npm packages stay outside it. */
export const BUNDLES = {
  // the worker thread bundles its dependencies (pure-rand), so a thread loads one file
  worker: { entry: join(ROOT, 'src/io/montecarlo-worker.ts'), output: join(ROOT, 'dist/montecarlo-worker.mjs'), packagesExternal: false },
  // the dashboard's analysis thread (crash study, Monte Carlo, mode and leverage advice): self-contained as the worker
  analysis: { entry: join(ROOT, 'src/io/analysis-worker.ts'), output: join(ROOT, 'dist/analysis-worker.mjs'), packagesExternal: false },
  // the CLI keeps its packages in node_modules: better-sqlite3's native module, esbuild, tsx and the rest
  cli: { entry: join(ROOT, 'src/cli/main.ts'), output: join(ROOT, 'dist/perpguard-cli.mjs'), packagesExternal: true },
};

const isSource = (name) => (name.endsWith('.ts') || name.endsWith('.mjs')) && !name.endsWith('.test.ts');

/** The newest modification time of the sources a bundle is built from (src/**, package-lock.json). */
export function newestSourceMs(dir = join(ROOT, 'src'), newest = statSync(join(ROOT, 'package-lock.json')).mtimeMs) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = newestSourceMs(path, newest);
    else if (isSource(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** The file exists and is at least as new as every source (`newestMs`, default the tree's newest). */
export function isFresh(output, newestMs = newestSourceMs) {
  let built;
  try {
    built = statSync(output).mtimeMs;
  } catch {
    return false;
  }
  return built >= (typeof newestMs === 'function' ? newestMs() : newestMs);
}

// spelled in pieces: this file is bundled too, and its own text must not be rewritten
const IMPORT_META_URL = ['import', 'meta', 'url'].join('.');

/**
 * Every source module's `import.meta.url` made its own file's URL again: a bundle is one file in dist/, and
 * paths the code finds from its own location (data/, examples/, the SQLite append worker beside its module,
 * node_modules for uplot's assets, the worker bundle) must resolve as they do from src/. Relative to
 * `output`, so a moved checkout still works; absolute when `output` is undefined (the test runner's split
 * bundles, built for one run, where a module's chunk is not known in advance).
 */
export function sourceUrlPlugin(output) {
  return {
    name: 'source-import-meta-url',
    setup(build) {
      build.onLoad({ filter: /\.(ts|mjs)$/ }, (args) => {
        if (args.path.includes(join('node_modules', ''))) return undefined;
        const url =
          output === undefined
            ? JSON.stringify(pathToFileURL(args.path).href)
            : `new URL(${JSON.stringify(relative(dirname(output), args.path).split('\\').join('/'))}, ${IMPORT_META_URL}).href`;
        const contents = readFileSync(args.path, 'utf8').replaceAll(IMPORT_META_URL, url);
        return { contents, loader: args.path.endsWith('.ts') ? 'ts' : 'js' };
      });
    },
  };
}

/**
 * Bundles `entry` into `output` with esbuild. Written to a temporary file and renamed, so a process starting
 * meanwhile (two test files, two CLI runs) reads either the old bundle or the whole new one.
 */
export async function buildBundle({ entry, output, packagesExternal }) {
  // a folder we cannot write (a read-only install) fails here, before esbuild spends half a second
  mkdirSync(dirname(output), { recursive: true });
  accessSync(dirname(output), constants.W_OK);
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
    plugins: [sourceUrlPlugin(output)],
    ...(packagesExternal
      ? { packages: 'external' }
      : // CommonJS dependencies bundled into an ES module still call require() for Node's built-ins
        { banner: { js: `import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(${IMPORT_META_URL});` } }),
  });
  const temporary = `${output}.${process.pid}.tmp`;
  writeFileSync(temporary, result.outputFiles[0].contents);
  renameSync(temporary, output);
  return output;
}

/** The path of a fresh bundle (built now if missing or stale), or the reason there is none. */
export async function freshBundle(bundle, newestMs = newestSourceMs) {
  if (isFresh(bundle.output, newestMs)) return { path: bundle.output };
  try {
    return { path: await buildBundle(bundle) };
  } catch (error) {
    // esbuild's first line only counts the errors; the second names the first one
    return { problem: String(error.message).split('\n').slice(0, 2).join(' ').trim() };
  }
}
