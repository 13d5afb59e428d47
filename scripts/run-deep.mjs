// `npm run test:deep`: the deep tier. The seeded fuzz of the engine (src/testing/fuzz.ts) over 100 seeds x
// 10,000 operations (1,000,000 in all) on binance-usdm, binance-coinm, okx-swap (linear and inverse),
// bybit-linear, bybit-inverse and hyperliquid, every invariant after every step, split over two child processes (one per core). Prints
// every seed, the totals and ops/s; a failing seed is written as a journal to test/regressions/ (npm test
// replays them) and fails the run. Then the binance-usdm workload simulation at full length, the screening
// identity on 1,000 paths, the full Monte Carlo identity (screened = all exact on 400 paths per spec
// x 240 h x 3 modes, and 1 worker = 2 workers on 2,000 paths x 720 h x 2 modes), and the exact kernel's
// identity with the bigint reference (120,000 accounts). Last, the paper venue's reliability: 20 SIGKILLs under load per
// backend (src/cli/serve-crash.test.ts) and 10,000 fuzzed requests (src/server/http/fuzz.test.ts).
//   PERPGUARD_DEEP_SEEDS=100 PERPGUARD_DEEP_OPS=10000 PERPGUARD_DEEP_FIRST_SEED=20261201 PERPGUARD_DEEP_SHARDS=2
//   PERPGUARD_CRASH_ROUNDS=20 PERPGUARD_FUZZ_REQUESTS=10000
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';

const seeds = Number(process.env.PERPGUARD_DEEP_SEEDS ?? 100);
const ops = Number(process.env.PERPGUARD_DEEP_OPS ?? 10_000);
const firstSeed = Number(process.env.PERPGUARD_DEEP_FIRST_SEED ?? 20261201);
const shards = Number(process.env.PERPGUARD_DEEP_SHARDS ?? 2);
console.log(`deep fuzz: ${seeds} seeds (${firstSeed}..${firstSeed + seeds - 1}) x ${ops} operations, ${shards} processes`);
const t0 = performance.now();
const totals = [];
let failed = false;
await Promise.all(
  Array.from({ length: shards }, (_, shard) => new Promise((done) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/deep/fuzz-shard.ts', String(shard), String(shards), String(seeds), String(ops), String(firstSeed)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('SHARD ')) totals.push(JSON.parse(line.slice(line.indexOf('{'))));
      else console.log(`[${shard}] ${line}`);
    });
    child.on('close', (code) => {
      if (code !== 0) failed = true;
      done();
    });
  })),
);
const seconds = (performance.now() - t0) / 1000;
const sum = {};
for (const t of totals) for (const [k, v] of Object.entries(t)) if (k !== 'seconds') sum[k] = (sum[k] ?? 0) + v;
console.log(`deep fuzz totals: ${JSON.stringify(sum)}`);
console.log(`${sum.ops ?? 0} operations in ${seconds.toFixed(1)} s: ${Math.round((sum.ops ?? 0) / seconds)} ops/s over ${shards} processes`);
// the engine's other simulation at full length: 10 seeds x 10,000 operations on binance-usdm with its
// own auditor (src/engine/workload.test.ts; npm test runs 3,000 per seed)
console.log('workload simulation, 10 seeds x 10,000 operations (src/engine/workload.test.ts):');
const workload = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'src/engine/workload.test.ts'], { stdio: 'inherit', env: { ...process.env, PERPGUARD_OPS: '10000' } });
if (workload.status !== 0) failed = true;
console.log('screening identity, 1,000 generated paths x 2 modes (src/sim/screening.test.ts):');
const screening = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'src/sim/screening.test.ts'], { stdio: 'inherit', env: { ...process.env, PERPGUARD_SCREENING_PATHS: '1000' } });
if (screening.status !== 0) failed = true;
console.log('Monte Carlo identity: screened = all exact, 400 paths per spec; 1 worker = 2 workers, 2,000 paths (src/io/montecarlo-identity.test.ts):');
const identity = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'src/io/montecarlo-identity.test.ts'], {
  stdio: 'inherit',
  env: { ...process.env, PERPGUARD_MC_IDENTITY_PATHS: process.env.PERPGUARD_MC_IDENTITY_PATHS ?? '400', PERPGUARD_MC_POOL_PATHS: process.env.PERPGUARD_MC_POOL_PATHS ?? '2000' },
});
if (identity.status !== 0) failed = true;
// the exact kernel against the bigint reference: 120,000 generated accounts (4 seeds x 30,000) on every
// venue, two processes (src/testing/kernel-identity.ts; npm test runs 3,000)
const kernelSeeds = Number(process.env.PERPGUARD_KERNEL_SEEDS ?? 4);
const kernelAccounts = Number(process.env.PERPGUARD_KERNEL_ACCOUNTS ?? 30_000);
console.log(`kernel identity: ${kernelSeeds} seeds x ${kernelAccounts} accounts, exact kernel vs bigint reference (test/deep/kernel-identity.ts):`);
const kernelHalves = [Math.ceil(kernelSeeds / 2), Math.floor(kernelSeeds / 2)].filter((n) => n > 0);
const kernelRuns = await Promise.all(kernelHalves.map((n, half) => new Promise((done) => {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/deep/kernel-identity.ts', String(20261202 + half * kernelHalves[0]), String(n), String(kernelAccounts)], { stdio: ['ignore', 'inherit', 'inherit'] });
  child.on('close', (code) => done(code));
})));
if (kernelRuns.some((code) => code !== 0)) failed = true;
// the paper venue's reliability (issue 11): perpguard serve killed with SIGKILL under load 20 times on SQLite
// and 20 on PostgreSQL (npm test: 2 and 1), and 10,000 fuzzed requests against every route (npm test: 800)
const crashRounds = process.env.PERPGUARD_CRASH_ROUNDS ?? '20';
console.log(`perpguard serve killed with SIGKILL under load, ${crashRounds} rounds per backend (src/cli/serve-crash.test.ts):`);
const crash = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'src/cli/serve-crash.test.ts'], { stdio: 'inherit', env: { ...process.env, PERPGUARD_CRASH_ROUNDS: crashRounds } });
if (crash.status !== 0) failed = true;
const fuzzRequests = process.env.PERPGUARD_FUZZ_REQUESTS ?? '10000';
console.log(`${fuzzRequests} fuzzed requests against every route (src/server/http/fuzz.test.ts):`);
const fuzz = spawnSync(process.execPath, ['scripts/run-tests.mjs', 'src/server/http/fuzz.test.ts'], { stdio: 'inherit', env: { ...process.env, PERPGUARD_FUZZ_REQUESTS: fuzzRequests } });
if (fuzz.status !== 0) failed = true;
if (failed || totals.length !== shards) {
  console.log('deep fuzz FAILED: see the seeds above; their journals are in test/regressions/');
  process.exit(1);
}
