// Values built from the bundled files at some cost (the parsed market data: ~0.3 s of CPU per 1 MB candle
// file; the Monte Carlo returns model: ~1.2 s) kept in dist/ (git-ignored) as V8's serialization, bit for
// bit, and read back in milliseconds (13 ms for a parsed 17,521-bar file, measured 2026-12-03) while the copy
// is newer than its input files and every source file (the code that built it); otherwise built again and
// the copy rewritten, when dist/ is writable. Every `perpguard serve`, every server test and every Monte
// Carlo worker used to parse the same CSV files again.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { newestSourceMs, ROOT } from './bundles.mjs';

/** Where the copies live. */
export const COPIES_DIR = join(ROOT, 'dist');

// the source tree's newest time, read once per process: walking src/ for every copy would cost more than
// some of the copies save
let newestSources: number | undefined;

/** The copy at `copyPath` when it is newer than `inputs` and the sources, else `build()` (its copy kept). */
export function keptCopy<T>(copyPath: string, inputs: readonly string[], build: () => T): T {
  const copy = readCopy<T>(copyPath, inputs);
  if (copy !== undefined) return copy;
  const value = build();
  writeCopy(copyPath, value);
  return value;
}

function readCopy<T>(copyPath: string, inputs: readonly string[]): T | undefined {
  try {
    newestSources ??= newestSourceMs();
    const newestInput = Math.max(newestSources, ...inputs.map((f) => statSync(f).mtimeMs));
    if (statSync(copyPath).mtimeMs < newestInput) return undefined;
    return deserialize(readFileSync(copyPath)) as T;
  } catch {
    return undefined; // no copy, or one this Node cannot read: build the value
  }
}

function writeCopy(copyPath: string, value: unknown): void {
  try {
    mkdirSync(dirname(copyPath), { recursive: true });
    // written whole and renamed: a process reading meanwhile sees the old copy or the new one, never half
    const temporary = `${copyPath}.${process.pid}.tmp`;
    writeFileSync(temporary, serialize(value));
    renameSync(temporary, copyPath);
  } catch {
    // a read-only install: the value is built on each run
  }
}
