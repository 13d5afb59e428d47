// The path generator's rounding to whole ticks: roundTicks is Math.round without its branch, and must
// be Math.round exactly (a generated path is a pure function of seed and index: the same prices as ever).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { roundTicks } from './generators.ts';

describe('roundTicks', () => {
  it('equals Math.round on the cases floor(x + 0.5) gets wrong, halves, and beyond 2^52', () => {
    const cases = [0, 0.5, 0.49999999999999994, 1.5, 2.5, 910480.5, 910480.4999999999, 910480.5000000001, 4503599627370495.5, 2 ** 52, 2 ** 53 + 2, 1e300, Number.MIN_VALUE];
    // one ulp below each half: floor(x + 0.5) rounds those up, Math.round down
    for (let k = 1; k < 2000; k += 37) cases.push(k + 0.5 - (k + 0.5) * Number.EPSILON);
    for (const x of cases) assert.equal(roundTicks(x), Math.round(x), `x = ${x}`);
    assert.equal(Math.floor(0.49999999999999994 + 0.5), 1); // the trap roundTicks avoids
  });
  it('equals Math.round on every non-negative double (fast-check)', () => {
    fc.assert(fc.property(fc.double({ min: 0, max: 2 ** 60, noNaN: true }), (x) => roundTicks(x) === Math.round(x)), { numRuns: 20_000 });
    fc.assert(fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: -4, max: 4 }), (k, ulps) => {
      const half = k + 0.5;
      const x = half + ulps * half * Number.EPSILON;
      return roundTicks(x) === Math.round(x);
    }), { numRuns: 20_000 });
  });
});
