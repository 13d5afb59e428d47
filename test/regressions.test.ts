// The deep tier's small version and its regressions, in the normal npm test:
//  - every journal under test/regressions/ (a failing seed of the deep fuzz, `npm run test:deep`, written
//    there as the operations up to its failure) replays with every invariant of
//    src/engine/invariants.ts holding after every step;
//  - one fuzz seed per deep venue (binance-usdm, binance-coinm, okx-swap linear and inverse, bybit-linear,
//    bybit-inverse, hyperliquid),
//    a few thousand operations each, with the same checks.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzSeed, replayChecked } from '../src/testing/fuzz.ts';
import { parseJournal } from '../src/engine/journal.ts';
import { DEEP_VENUES } from '../src/testing/workload-setup.ts';

const DIR = 'test/regressions';
const journals = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();

describe(`regression journals (${journals.length} in ${DIR}): every invariant after every step`, () => {
  for (const file of journals) {
    it(file, () => {
      const journal = parseJournal(JSON.parse(readFileSync(join(DIR, file), 'utf8')));
      assert.equal(replayChecked(journal), undefined);
    });
  }
});

describe('the deep fuzz, small: one seed per venue, every invariant after every step', () => {
  const OPS = Number(process.env['PERPGUARD_FUZZ_OPS'] ?? 1_200);
  DEEP_VENUES.forEach((venue, i) => {
    const seed = 20260901 + i;
    it(`${venue.name}, seed ${seed}, ${OPS} operations`, () => {
      const result = fuzzSeed(seed, venue, OPS);
      assert.equal(result.failure?.message, undefined, result.failure && `step ${result.failure.step}; replay: ${JSON.stringify(result.failure.journal).slice(0, 200)}...`);
      assert.equal(result.stats.ops, OPS);
      // the run did what it is meant to: trades, liquidations and funding happened
      assert.ok(result.stats.fills > 50, `only ${result.stats.fills} fills`);
      assert.ok(result.stats.liquidations > 0, 'no liquidation');
      assert.ok(result.stats.funding > 0, 'no funding');
    });
  });
});
