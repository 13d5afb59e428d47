// The bounded, shared list behind the kept orders and trades.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { appended, findNewest, list, type Kept } from './kept.ts';

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
  it('findNewest: the newest match among the newest `limit` entries, as list() then a backwards search finds it', () => {
    let kept: Kept<number> | undefined;
    for (let i = 1; i <= 1000; i++) kept = appended(kept, [i], 100);
    // entries 901..1000 are kept; the chunks still hold a few older ones that list() trims
    const stored = kept!.chunks.flat();
    assert.ok(stored[0]! < 901, `oldest stored ${stored[0]}`);
    for (const [predicate, expected] of [
      [(x: number) => x % 7 === 0, 994],
      [(x: number) => x === 901, 901],
      [(x: number) => x === 900, undefined],
      [(x: number) => x < 905, 904],
      [() => false, undefined],
    ] as const) {
      const byList = [...list(kept, 100)].reverse().find(predicate);
      assert.equal(findNewest(kept, 100, predicate), expected);
      assert.equal(byList, expected);
    }
    assert.equal(findNewest(undefined, 100, () => true), undefined);
  });
});
