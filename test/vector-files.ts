// Where the reference vectors live: the copy vendored into this repository (so a clone tests alone) and,
// when it exists, ../shared/vectors (as in CI), so cases added there run without a code change.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { abs, gt, parseFixed, scale, sub } from '../src/domain/fixed.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export const VECTOR_DIRS: { label: string; dir: string }[] = [
  { label: 'vendored', dir: join(root, 'vectors') },
  ...(existsSync(join(root, '..', 'shared', 'vectors')) ? [{ label: 'shared', dir: join(root, '..', 'shared', 'vectors') }] : []),
];

export interface SnapshotCase {
  id: string;
  source: string;
  input: unknown;
  expect: { symbol: string; side: string; field: string; value: string; tolerance?: { abs?: string; rel?: string } }[];
}

export function snapshotCases(dir: string): SnapshotCase[] {
  const file = join(dir, 'liquidation.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SnapshotCase[]) : [];
}

export function journalFiles(dir: string): string[] {
  const journals = join(dir, 'journals');
  return existsSync(journals) ? readdirSync(journals).filter((f) => f.endsWith('.json')).sort().map((f) => join(journals, f)) : [];
}

/** True when `actual` is within the tolerance of `expected` (exact decimal arithmetic). */
export function withinTolerance(actual: string, expected: string, tolerance?: { abs?: string; rel?: string }): boolean {
  const a = parseFixed<'X'>(actual);
  const e = parseFixed<'X'>(expected);
  const diff = abs(sub(a, e));
  if (tolerance?.abs !== undefined) return !gt(diff, parseFixed(tolerance.abs));
  if (tolerance?.rel !== undefined) return !gt(diff, scale(abs(e), parseFixed(tolerance.rel), 'ceil'));
  return !gt(diff, parseFixed('0'));
}
