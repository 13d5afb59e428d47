// How long each test file took in the last runs (dist/test-times.json, git-ignored with dist/), so that
// scripts/run-tests.mjs starts the longest files first: with two files at a time, a long file started last
// ran alone at the end while the other core idled. Also the reporter that records them (node --test
// --test-reporter=./scripts/test-times.mjs): per file, the sum of its top-level tests' durations.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TIMES_FILE = join('dist', 'test-times.json');
/**
 * The times of one run on 2 idle cores, committed: a fresh clone (CI) has no dist/, and without them its files
 * ran in name order, the longest (the browser tests, the served venue's SIGKILLs) last. A file's own recorded
 * time, when there is one, wins. Refresh it with `cp dist/test-times.json scripts/test-times.json`.
 */
export const BASELINE_TIMES_FILE = join(dirname(fileURLToPath(import.meta.url)), 'test-times.json');

/** The source path of a test event's file: a bundle in `dist/tests-<pid>/` maps back to its .ts. */
export function sourceOf(file, cwd = process.cwd()) {
  const path = relative(cwd, file).split('\\').join('/');
  const bundled = /^dist\/tests-\d+\/(.*)\.mjs$/.exec(path);
  return bundled ? `${bundled[1]}.ts` : path;
}

/** The reporter: one JSON object, source path → milliseconds, at the end of the run. */
export default async function* testTimes(source) {
  const times = {};
  for await (const event of source) {
    if ((event.type !== 'test:pass' && event.type !== 'test:fail') || event.data.nesting !== 0 || !event.data.file) continue;
    // in a process shared by several files (./test-groups.mjs) each file's tests sit under a suite named by its path
    // (the event names the group's entry: its bundle, or through the source map the entry's source)
    const shared = /^(groups|group-sources)\//.test(sourceOf(event.data.file));
    const file = shared ? event.data.name : sourceOf(event.data.file);
    times[file] = (times[file] ?? 0) + (event.data.details.duration_ms ?? 0);
  }
  yield JSON.stringify(times);
}

function readTimes(path) {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return {};
  }
}

/** The recorded times by file: this checkout's, else the committed ones. */
export function recordedTimes(path = TIMES_FILE, baselinePath = BASELINE_TIMES_FILE) {
  return { ...readTimes(baselinePath), ...readTimes(path) };
}

/** The files, longest first by the recorded times; files with no time yet first of all, in their order. */
export function longestFirst(files, path = TIMES_FILE, baselinePath = BASELINE_TIMES_FILE) {
  const times = recordedTimes(path, baselinePath);
  const known = (file) => times[file] ?? Number.POSITIVE_INFINITY;
  return [...files].sort((a, b) => known(b) - known(a));
}

/** Merges this run's times (`runPath`, the reporter's output) into the kept ones. */
export function keepTimes(runPath, path = TIMES_FILE) {
  const run = readTimes(runPath);
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify({ ...readTimes(path), ...run }, null, 1));
  renameSync(temporary, path);
}
