// The dashboard (web/) as one page, one script and one style sheet, bundled by esbuild (Preact's JSX,
// minified). Built by `npm ci` / `npm install` (the `prepare` script, scripts/build-worker.mjs) into
// dist/web/, and again when `perpguard serve` starts if the bundle is missing or older than any file of
// web/src or the lock file, so a user never runs a build step and a developer never serves stale code.
// The server keeps the three files in memory (../server/http/dashboard-routes.ts).
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const WEB_SOURCES = join(ROOT, 'web/src');
const WEB_ENTRY = join(WEB_SOURCES, 'main.tsx');
/** The report page's entry: the same components, drawing data embedded in an exported file. */
const REPORT_ENTRY = join(WEB_SOURCES, 'report-main.tsx');
/** The study page's own bundle, loaded on #/study only (uPlot and the report components stay out of app.js). */
const STUDY_ENTRY = join(WEB_SOURCES, 'study-main.tsx');
export const WEB_BUNDLE_DIR = join(ROOT, 'dist/web');
/** The bundle's budget: the README states it and a test checks it (issue 12). */
export const WEB_SCRIPT_BUDGET_GZIP_BYTES = 80_000;
/** The portfolio's first render, navigation start to the first full portfolio drawn (issue 12: under 1 s). */
export const FIRST_RENDER_BUDGET_MS = 1_000;

export interface WebAssets {
  readonly html: string;
  readonly script: string;
  readonly styles: string;
  /** The report page's script and styles (inlined into exported reports). */
  readonly reportScript: string;
  readonly reportStyles: string;
  /** The study page's script and styles (/study.js, /study.css), loaded when #/study opens. */
  readonly studyScript: string;
  readonly studyStyles: string;
}

const PAGE = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>perpguard: paper venue dashboard</title>
<link rel="stylesheet" href="/app.css">
<script type="module" src="/app.js"></script>
</head>
<body>
<div id="app"></div>
<noscript>The perpguard dashboard needs JavaScript.</noscript>
</body>
</html>
`;

function newestMs(dir: string, newest: number): number {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = entry.isDirectory() ? newestMs(path, newest) : Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const FILES = ['app.js', 'app.css', 'report.js', 'report.css', 'study.js', 'study.css'] as const;

function bundleIsFresh(): boolean {
  try {
    const built = Math.min(...FILES.map((name) => statSync(join(WEB_BUNDLE_DIR, name)).mtimeMs));
    return built >= newestMs(WEB_SOURCES, statSync(join(ROOT, 'package-lock.json')).mtimeMs);
  } catch {
    return false;
  }
}

/** Bundles web/ with esbuild into dist/web (each file written whole, then renamed into place). */
export async function buildWebBundle(): Promise<WebAssets> {
  const esbuild = await import('esbuild');
  const result = await esbuild.build({
    entryPoints: { app: WEB_ENTRY, report: REPORT_ENTRY, study: STUDY_ENTRY },
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['chrome109', 'firefox115', 'safari16'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: WEB_BUNDLE_DIR,
    write: false,
    logLevel: 'silent',
  });
  // a bundle without styles has no .css output: an empty sheet then
  const output = (name: string) => new TextDecoder().decode(result.outputFiles.find((f) => f.path === join(WEB_BUNDLE_DIR, name))?.contents ?? new Uint8Array());
  const assets = { html: PAGE, script: output('app.js'), styles: output('app.css'), reportScript: output('report.js'), reportStyles: output('report.css'), studyScript: output('study.js'), studyStyles: output('study.css') };
  mkdirSync(WEB_BUNDLE_DIR, { recursive: true });
  for (const [name, text] of [['app.js', assets.script], ['app.css', assets.styles], ['report.js', assets.reportScript], ['report.css', assets.reportStyles], ['study.js', assets.studyScript], ['study.css', assets.studyStyles], ['index.html', assets.html]] as const) {
    const temporary = join(WEB_BUNDLE_DIR, `${name}.${process.pid}.tmp`);
    writeFileSync(temporary, text);
    renameSync(temporary, join(WEB_BUNDLE_DIR, name));
  }
  return assets;
}

/** The dashboard's files: the fresh bundle in dist/web, else built now. */
export async function webAssets(): Promise<WebAssets> {
  if (bundleIsFresh()) {
    const read = (name: string) => readFileSync(join(WEB_BUNDLE_DIR, name), 'utf8');
    return { html: PAGE, script: read('app.js'), styles: read('app.css'), reportScript: read('report.js'), reportStyles: read('report.css'), studyScript: read('study.js'), studyStyles: read('study.css') };
  }
  return buildWebBundle();
}
