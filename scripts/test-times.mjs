// How long each test file took in the last runs (dist/test-times.json, git-ignored with dist/), so that
// scripts/run-tests.mjs starts the longest files first: with two files at a time, a long file started last
// ran alone at the end while the other core idled. Also the reporter that records them (node --test
// --test-reporter=./scripts/test-times.mjs): per file, the sum of its top-level tests' durations.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const TIMES_FILE = join('dist', 'test-times.json');

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
    const file = sourceOf(event.data.file);
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

/** The files, longest first by the recorded times; files with no time yet first of all, in their order. */
export function longestFirst(files, path = TIMES_FILE) {
  const times = readTimes(path);
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
