// The Monte Carlo share of the plain loop (bench/sim.ts): the screened exact batch and the plain float64
// Monte Carlo of the same paths (./montecarlo-plain.ts), timed interleaved in CPU time, in a fresh process
// as `perpguard montecarlo` runs. Timed inside the bench's own process after the other benchmarks, the
// exact side ran on code the JIT had shaped for them (as the target run did, ./montecarlo-target.ts) and
// its share swung from 9 % to 23 % between rounds; here both sides start from the same fresh state.
// Fresh paths on every call: each side walks the same sequence of path ranges (call c runs paths
// [c x 50, c x 50 + 50) of seed 1), so no call replays paths an earlier call of the same side has seen.
// Repeating paths 0..49 on every call (as this bench did) measured the batch on the same 50 paths, a
// lighter-than-average set (2.4 liquidations per path against 2.7 over 2,000 paths), and let whatever
// a run keeps per path set (prepared kernels, remembered entries) look free.
// Prints one JSON line: {"rate", "plainRate" (path-steps per CPU second, medians), "share" (Spread)}.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { bundledReturnsModel, MC_TICKS } from '../src/io/returns.ts';
import { generatePath, pathSeries } from '../src/sim/generators.ts';
import { BatchCarry, runBatch, ticksScaled } from '../src/sim/montecarlo.ts';
import { parseSpec } from '../src/sim/spec.ts';
import { TARGET_OPTIONS } from './montecarlo-options.ts';
import { plainMonteCarlo } from './montecarlo-plain.ts';
import { interleave, spreadOf } from './timing.ts';

const paths = 50;
const modes = ['isolated', 'cross'] as const;
const spec = parseSpec(parseYaml(readFileSync(new URL('../examples/crash-study.yaml', import.meta.url), 'utf8')));
const model = bundledReturnsModel();
const scaled = ticksScaled(MC_TICKS);
const pathSteps = paths * TARGET_OPTIONS.hours * 3 * modes.length;
let sink = 0;
/** The next call's first path, per side. */
let exactFrom = 0;
let plainFrom = 0;
/** What one batch leaves the next, as a pool thread keeps it across its batches (src/io/montecarlo-task.ts). */
const carry = new BatchCarry();
const run = interleave(
  [
    {
      name: 'exact',
      run: () => {
        const fromPath = exactFrom;
        exactFrom += paths;
        return runBatch({ spec, model, options: TARGET_OPTIONS, modes: [...modes], seed: 1, fromPath, toPath: fromPath + paths }, MC_TICKS, undefined, undefined, carry).length;
      },
      opsPerCall: pathSteps,
    },
    {
      name: 'plain',
      run: () => {
        const fromPath = plainFrom;
        plainFrom += paths;
        for (let p = fromPath; p < fromPath + paths; p++) {
          const s = pathSeries(model, TARGET_OPTIONS, generatePath(model, TARGET_OPTIONS, 1, p), scaled);
          for (const mode of modes) sink += plainMonteCarlo(s, mode);
        }
        return 1;
      },
      opsPerCall: pathSteps,
    },
  ],
  { warmupMs: 1000, sliceMs: 150, rounds: 12 },
);
const [exact, plain] = run.timings;
const share = spreadOf(exact!.ratesPerRound.map((rate, round) => rate / plain!.ratesPerRound[round]!));
process.stdout.write(`${JSON.stringify({ rate: exact!.opsPerCpuSecond.median, plainRate: plain!.opsPerCpuSecond.median, share, sink: sink !== 0 })}\n`);
