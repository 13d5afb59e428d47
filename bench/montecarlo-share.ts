// The Monte Carlo share of the plain loop (bench/sim.ts): the screened exact batch and the plain float64
// Monte Carlo of the same paths (./montecarlo-plain.ts), timed interleaved in CPU time, in a fresh process
// as `perpguard montecarlo` runs. Timed inside the bench's own process after the other benchmarks, the
// exact side ran on code the JIT had shaped for them (as the target run did, ./montecarlo-target.ts) and
// its share swung from 9 % to 23 % between rounds; here both sides start from the same fresh state.
// Prints one JSON line: {"rate", "plainRate" (path-steps per CPU second, medians), "share" (Spread)}.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { bundledReturnsModel, MC_TICKS } from '../src/io/returns.ts';
import { generatePath, pathSeries } from '../src/sim/generators.ts';
import { runBatch, ticksScaled } from '../src/sim/montecarlo.ts';
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
const run = interleave(
  [
    { name: 'exact', run: () => runBatch({ spec, model, options: TARGET_OPTIONS, modes: [...modes], seed: 1, fromPath: 0, toPath: paths }, MC_TICKS).length, opsPerCall: pathSteps },
    {
      name: 'plain',
      run: () => {
        for (let p = 0; p < paths; p++) {
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
