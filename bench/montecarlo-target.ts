// The Monte Carlo target as `perpguard montecarlo` runs it: a fresh process (as the CLI is), the
// returns model loaded before the clock starts (as the CLI does), then 10,000 paths x 720 h x 3 assets x
// 2 modes through the CLI's pool with 2 workers (this thread and one worker thread). Run by bench/sim.ts
// in a child process: timed inside the bench's own process, after minutes of other benchmarks, the
// main thread's compiled code was shaped by them and the same run took ~40 % longer (7.6 s vs 5.4 s).
// Prints one JSON line: {"seconds": wall time of the run}.
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { runPaths } from '../src/io/montecarlo-pool.ts';
import { bundledReturnsModel } from '../src/io/returns.ts';
import { parseSpec } from '../src/sim/spec.ts';
import { TARGET_OPTIONS } from './montecarlo-options.ts';


const paths = Number(process.argv[2] ?? 10_000);
const spec = parseSpec(parseYaml(readFileSync(new URL('../examples/crash-study.yaml', import.meta.url), 'utf8')));
const model = bundledReturnsModel();
const chunkPaths = Math.max(1, Math.min(50, Math.ceil(paths / (2 * 8))));
const start = process.hrtime.bigint();
await runPaths({ spec, options: TARGET_OPTIONS, modes: ['isolated', 'cross'], seed: 42 }, paths, { workers: 2, chunkPaths, model });
process.stdout.write(`${JSON.stringify({ seconds: Number(process.hrtime.bigint() - start) / 1e9 })}\n`);
