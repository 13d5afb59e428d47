// Where the reference vectors live: the copy vendored into this repository (so a clone tests alone) and,
// when it exists, ../shared/vectors (as in CI), so cases added there run without a code change.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Decimal } from 'decimal.js';
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
  const cases = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as SnapshotCase[]) : [];
  return cases.map((c) => ({ ...c, input: roundedTo18(c.input) }));
}

/**
 * One vector writes 10/3 to 27 decimals (freqtrade's isolated margin of 10 / 3x). perpguard refuses input
 * with more than 18 decimals instead of rounding it silently, so the harness rounds such strings half-even
 * to 18 decimals here, visibly, as the reader used to.
 */
function roundedTo18(value: unknown): unknown {
  if (typeof value === 'string' && /^-?\d+\.\d{19,}$/.test(value)) return new Decimal(value).toDecimalPlaces(18, Decimal.ROUND_HALF_EVEN).toFixed();
  if (Array.isArray(value)) return value.map(roundedTo18);
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, roundedTo18(v)]));
  return value;
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
