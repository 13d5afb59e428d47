// One shard of the deep fuzz (scripts/run-deep.mjs starts two, one per core): seeds i, i+shards, ... of
// the list, each on every deep venue in turn. Prints each seed as it finishes; writes a failing seed's
// journal to test/regressions/ (the normal npm test replays every journal there).
//   node --import tsx test/deep/fuzz-shard.ts <shard> <shards> <seeds> <opsPerSeed> [firstSeed]
import { writeFileSync } from 'node:fs';
import { addStats, emptyStats, fuzzSeed, journalText } from '../../src/testing/fuzz.ts';
import { DEEP_VENUES } from '../../src/testing/workload-setup.ts';

const [shard, shards, seeds, opsPerSeed, firstSeed] = process.argv.slice(2).map(Number) as [number, number, number, number, number | undefined];
const first = firstSeed ?? 20261201;
const total = emptyStats();
let failures = 0;
const t0 = performance.now();
for (let k = shard; k < seeds; k += shards) {
  const seed = first + k;
  const venue = DEEP_VENUES[k % DEEP_VENUES.length]!;
  const t = performance.now();
  const result = fuzzSeed(seed, venue, opsPerSeed);
  addStats(total, result.stats);
  const seconds = (performance.now() - t) / 1000;
  const s = result.stats;
  const line = `seed ${seed} ${venue.name} (insurance ${result.config.insuranceFund}): ${s.ops} ops, ${Math.round(s.ops / seconds)} ops/s, fills ${s.fills} (rebates ${s.rebates}), liquidations ${s.liquidations} (+${s.partialLiquidations} partial), insurance/ADL payouts ${s.insurancePayouts}, funding ${s.funding} (refused twice-at-one-time ${s.fundingRefused}), x0.01/x100 marks ${s.extremeMarks}`;
  if (result.failure) {
    failures += 1;
    const path = `test/regressions/${result.failure.journal.id}.json`;
    writeFileSync(path, journalText(result.failure.journal));
    console.log(`${line}\n  FAILED at step ${result.failure.step}: ${result.failure.message}\n  journal: ${path}`);
  } else {
    console.log(line);
  }
}
const seconds = (performance.now() - t0) / 1000;
console.log(`SHARD ${shard} ${JSON.stringify({ ...total, seconds, failures })}`);
process.exit(failures > 0 ? 1 : 0);
