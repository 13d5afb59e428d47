// The input schemas every parser shares (snapshots, journals, commands, specs, the CLI's JSON files):
// ONE decimal, strict objects whose unknown fields are errors naming the nearest known field, calendar
// dates, records keyed by user-supplied names that never touch Object.prototype, and the first zod issue
// as `field: reason`. Pure: no I/O.
import { z } from 'zod';
import { decimalProblem } from './fixed.ts';

/**
 * A decimal string (never a JSON number: it would not stay exact), at most 18 decimals, magnitude at
 * most 1e15 unless `maxMagnitude` says otherwise (bracket caps).
 */
export function decimalSchema(maxMagnitude?: string) {
  return z
    .string({ error: (issue) => decimalProblem(issue.input, maxMagnitude) ?? 'must be a decimal string' })
    .check((ctx) => {
      const problem = decimalProblem(ctx.value, maxMagnitude);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });
}

/** The decimal of every amount, price, rate and size in perpguard's input. */
export const decimal = decimalSchema();

/** Edit distance: insertions, deletions, substitutions and swaps of neighbours (sied -> side is 1). */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The known name closest to `word`, when it is close enough to be a likely typo: compared without case,
 * `_` and `-` (reduce_only -> reduceOnly), at most a third of the word's length apart (and at most 3).
 */
export function nearestName(word: string, known: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[_-]/g, '');
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(norm(word), norm(candidate));
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  if (bestDistance <= Math.min(3, Math.max(1, Math.floor(word.length / 3)))) return best;
  // a shortened name: "wallet" for walletBalance
  return word.length >= 4 ? known.find((k) => norm(k).startsWith(norm(word))) : undefined;
}

/** "unknown field (did you mean reduceOnly?)" or "unknown field (known: a, b, c)". */
export function unknownFieldReason(key: string, known: readonly string[]): string {
  const near = nearestName(key, known);
  return near ? `unknown field (did you mean ${near}?)` : `unknown field (known: ${known.join(', ')})`;
}

/** An object whose unknown fields are errors: `reduce_only` would otherwise be dropped and the order turned. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, message = 'must be an object') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownFieldReason(issue.keys[0]!, known);
      if (issue.code === 'invalid_type') return message;
      return undefined;
    },
  });
}

/** A real calendar date YYYY-MM-DD (2024-13-45 and 2023-02-29 are refused). */
export const calendarDate = z.string({ error: 'must be a date YYYY-MM-DD' }).refine(isCalendarDate, { error: (issue) => `must be a real date YYYY-MM-DD, got "${String(issue.input)}"` });

export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}

/**
 * A record keyed by user-supplied names (symbols, accounts). The result has no prototype, so a name such
 * as "constructor" or "toString" finds only its own entry; "__proto__" is refused (JSON.parse keeps it as
 * an own key, but assigning it to an object would replace the prototype instead of adding an entry).
 */
export function nameRecord<V extends z.ZodType>(value: V) {
  const refuseProto = (input: unknown, ctx: { issues: z.core.$ZodRawIssue[] }) => {
    if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__')) {
      ctx.issues.push({ code: 'custom', message: 'is not a name perpguard accepts', path: ['__proto__'], input });
    }
    return input;
  };
  return z.preprocess(refuseProto, z.record(z.string(), value)).transform((record) => Object.assign(Object.create(null) as Record<string, z.output<V>>, record));
}

/** The own entry of a record keyed by a user-supplied name (never one inherited from Object.prototype). */
export function ownEntry<V>(record: Readonly<Record<string, V>> | undefined, name: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}

/** A zod path as `positions[0].size`. */
export function pathField(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + String(part);
  }
  return out;
}

/** The first issue of a failed parse as the field it names and the reason (an unknown field names itself). */
export function firstProblem(error: z.ZodError): { field: string; reason: string } {
  // an unknown field first: its "did you mean" also explains the required field reported missing
  const issue = error.issues.find((i) => i.code === 'unrecognized_keys') ?? error.issues[0]!;
  const path = issue.code === 'unrecognized_keys' ? [...issue.path, issue.keys[0]!] : issue.path;
  return { field: pathField(path), reason: issue.message };
}

/** A decimal that must not be negative (wallets, margins, notionals). */
export const nonNegativeDecimal = decimal.refine((t) => !t.trim().startsWith('-') || /^-0*(\.0*)?(e[+-]?\d+)?$/i.test(t.trim()), { error: (issue) => `must not be negative, got "${String(issue.input)}"` });

/** A fee rate: negative for a maker rebate, at most 10 % either way (Binance's base taker rate is 0.05 %). */
export const feeRate = decimalSchema('0.1');

/** A decimal above zero (sizes, prices, a spec's wallet and notional). */
export const positiveDecimal = decimal.refine((t) => /[1-9]/.test(t.replace(/[eE].*$/, '')) && !t.trim().startsWith('-'), { error: (issue) => `must be above zero, got "${String(issue.input)}"` });
