// Every account-snapshot case of vectors/liquidation.json (vendored) and ../shared/vectors (when present)
// runs through calcJson, the code path of `perpguard calc --json`, and must match within its tolerance.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { calcJson } from '../src/cli/calc.ts';
import { VECTOR_DIRS, snapshotCases, withinTolerance } from './vector-files.ts';

for (const { label, dir } of VECTOR_DIRS) {
  const cases = snapshotCases(dir);
  describe(`reference snapshot cases (${label}: ${cases.length})`, () => {
    it('has cases', () => assert.ok(cases.length > 0, `no cases in ${dir}/liquidation.json`));
    for (const c of cases) {
      it(`${c.id} — ${c.source}`, () => {
        const out = calcJson(JSON.stringify(c.input));
        for (const e of c.expect) {
          const position = out.positions.find((p) => p.symbol === e.symbol && p.side === e.side);
          assert.ok(position, `no position ${e.symbol} ${e.side} in the output`);
          const actual = (position as unknown as Record<string, string | null | undefined>)[e.field];
          assert.notEqual(actual, undefined, `the output has no field ${e.field}`);
          assert.ok(actual !== null && actual !== undefined, `${e.field} is null, expected ${e.value}`);
          assert.ok(
            withinTolerance(actual, e.value, e.tolerance),
            `${e.symbol} ${e.side} ${e.field}: got ${actual}, expected ${e.value} within ${JSON.stringify(e.tolerance)}`,
          );
        }
      });
    }
  });
}
