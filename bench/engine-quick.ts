// `npx tsx bench/engine-quick.ts`: only the engine scaling figures of `npm run bench` (mark tick and market
// order at 20 and 500 positions, one-symbol tick among 1,000 accounts vs alone), interleaved in CPU time
// like bench/main.ts, for a quick before/after while working on the engine.
import { CROWD_ACCOUNTS, crowdTick, oneAccountCase } from './engine-scaling.ts';
import { interleave, type InterleaveOptions } from './timing.ts';

const TIMING: InterleaveOptions = { warmupMs: 200, sliceMs: 30, rounds: 15 };
const cases = [20, 500].map((n) => oneAccountCase(n));
const ticks = interleave(cases.map((c) => ({ name: `tick ${c.positions}`, run: c.tick, opsPerCall: 1 })), TIMING);
const orders = interleave(cases.map((c) => ({ name: `order ${c.positions}`, run: c.order, opsPerCall: 1 })), TIMING);
const crowd = interleave([
  { name: 'tick alone', run: crowdTick(1), opsPerCall: 1 },
  { name: `tick among ${CROWD_ACCOUNTS}`, run: crowdTick(CROWD_ACCOUNTS), opsPerCall: 1 },
], TIMING);
for (const [label, run] of [['mark tick 500 vs 20 positions', ticks], ['market order 500 vs 20 positions', orders], [`tick among ${CROWD_ACCOUNTS} accounts vs alone`, crowd]] as const) {
  const [a, b] = run.timings;
  const r = run.timeRatio(1, 0);
  console.log(`${label}: ${Math.round(b!.opsPerCpuSecond.median)}/s vs ${Math.round(a!.opsPerCpuSecond.median)}/s: ${r.median.toFixed(2)}x (${r.min.toFixed(2)} - ${r.max.toFixed(2)})`);
}
