// Field paths and unknown fields, every parser's way of naming what is wrong: strict objects whose unknown
// fields are errors naming the nearest known field ("did you mean reduceOnly?"), a zod path as
// `positions[0].size`, and the first zod issue as `field: reason`. Pure: no I/O.
import { z } from 'zod';

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
