// The bounded, shared list behind the kept orders and trades.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appended, list, type Kept } from './kept.ts';

describe('kept: a bounded list shared by successive states', () => {
  it('keeps exactly the newest `limit` entries, storing less than one chunk (64) more', () => {
    let kept: Kept<number> | undefined;
    for (let i = 1; i <= 1000; i++) kept = appended(kept, i % 3 ? [i] : [i], 100);
    assert.deepEqual(list(kept, 100), Array.from({ length: 100 }, (_, i) => 901 + i));
    const stored = kept!.chunks.reduce((n, c) => n + c.length, 0);
    assert.ok(stored >= 100 && stored < 164, `${stored}`);
  });
  it('a batch larger than a chunk splits into chunks of 64', () => {
    const kept = appended(undefined, Array.from({ length: 150 }, (_, i) => i), 1000);
    assert.deepEqual(kept.chunks.map((c) => c.length), [64, 64, 22]);
    assert.deepEqual(list(appended(kept, [150, 151], 1000), 1000).slice(-3), [149, 150, 151]);
  });
  it('an append never changes a list an earlier state holds, and two appends to it do not see each other', () => {
    const base = appended(undefined, [1, 2, 3], 10);
    const snapshot = JSON.stringify(base);
    const a = appended(base, [4], 10);
    const b = appended(base, [5], 10);
    assert.equal(JSON.stringify(base), snapshot);
    assert.deepEqual([list(a, 10), list(b, 10)], [[1, 2, 3, 4], [1, 2, 3, 5]]);
  });
});
