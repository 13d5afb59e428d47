// `npm run bench`: how much exactness costs (the exact liquidation-price solve against a float64 kernel of
// the same formula), how the engine's cost grows with the state, and the simulator's throughput.
//
//   npm run bench               readable tables
//   npm run -s bench -- --json  ONLY a JSON array [{ name, value, unit, baseline, ratio, ... }] on stdout
//                               (-s keeps npm's own "> perpguard bench" banner off stdout)
//
// The candidates of each comparison are timed interleaved in CPU time (bench/timing.ts says why): `value`
// and `baseline` are medians over the rounds, `ratio` is the median over the rounds of the per-round time
// ratio value-path / baseline-path (how many times more CPU an operation costs), and valueMin/valueMax,
// ratioMin/ratioMax give the spread. The venue's order placements over HTTP (./orders.ts) are wall-clock
// rates of servers in their own processes, their ratio a share of the bare endpoint's. The simulator's throughput figures are interleaved with their plain
// loops the same way, but their `ratio` is a share (figure rate / plain-loop rate), as before; the replay
// wall time and the Monte Carlo target run (on worker threads) are wall-clock targets, timed as such.
import Table from 'cli-table3';
import { FIRST_RENDER_BUDGET_MS, firstRenderBench } from './dashboard.ts';
import { engineBench } from './engine.ts';
import { ORDER_TARGET_SHARE, ordersBench, type ServerFigures } from './orders.ts';
import { CROWD_ACCOUNTS, crowdTick, oneAccountCase, SCALING_POSITION_COUNTS } from './engine-scaling.ts';
import { simBench } from './sim.ts';
import { spread, sweepBench } from './sweep.ts';
import { AGREEMENT_TOLERANCE_RELATIVE, solveBench } from './solve.ts';
import { interleave, sink, type Candidate, type InterleavedRun, type InterleaveOptions, type Spread } from './timing.ts';

/** The issue's targets (issue 10, "Done when"). */
const TARGET = { exactWarm: 10, exactCold: 20, crowdTick: 2, perPositionTick500vs20: 1.5, mcShare: 0.6, mcTargetRunSeconds: 6 } as const;
// ~12 s of CPU for the ten solve candidates, ~15 s for the engine groups, + set-up and the simulator.
const SOLVE_TIMING: InterleaveOptions = { warmupMs: 300, sliceMs: 30, rounds: 40 };
const ENGINE_TIMING: InterleaveOptions = { warmupMs: 300, sliceMs: 30, rounds: 30 };
/** The crowd pair: 25 rounds of 40 ms slices (a tick costs microseconds among 1,000 accounts as alone; it took ~25 ms before apply() worked in place). */
const CROWD_TIMING: InterleaveOptions = { warmupMs: 300, sliceMs: 40, rounds: 25 };

interface BenchEntry {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The figure the value is compared with, or null when the entry is not a comparison. */
  readonly baseline: number | null;
  /** Time ratio value-path / baseline-path (median over the rounds), or null. */
  readonly ratio: number | null;
  readonly valueMin?: number;
  readonly valueMax?: number;
  readonly ratioMin?: number;
  readonly ratioMax?: number;
  /** The issue's ceiling for `ratio`, when it sets one. */
  readonly target?: number;
  readonly met?: boolean;
  /** Latency percentiles (the venue's order bench). */
  readonly p50Ms?: number;
  readonly p99Ms?: number;
  readonly requests?: number;
  readonly failures?: number;
  /** How the value was measured: 'cpu, interleaved' or 'wall'. */
  readonly timing?: string;
  readonly rounds?: number;
}

const json = process.argv.includes('--json');
const entries: BenchEntry[] = [];
/** Rows of the human tables: [figure, median, min – max, ratio (min – median – max), target]. */
const tables: { title: string; head: string[]; rows: string[][] }[] = [];

const fmt = (x: number): string =>
  x >= 1e6 ? `${(x / 1e6).toFixed(2)} M` : x >= 1e4 ? `${(x / 1e3).toFixed(1)} k` : x >= 100 ? x.toFixed(0) : x.toPrecision(3);
const fmtRatio = (s: Spread): string => `${s.median.toFixed(1)}x (${s.min.toFixed(1)} – ${s.max.toFixed(1)})`;

/** Records candidate `i` of `run` (against `baseline`, when given) as an entry and a table row. */
function record(
  table: string[][],
  run: InterleavedRun,
  options: InterleaveOptions,
  i: number,
  name: string,
  label: string,
  unit: string,
  baseline?: number,
  target?: number,
): void {
  const t = run.timings[i]!;
  const ratio = baseline === undefined ? undefined : run.timeRatio(i, baseline);
  entries.push({
    name,
    value: t.opsPerCpuSecond.median,
    unit,
    baseline: baseline === undefined ? null : run.timings[baseline]!.opsPerCpuSecond.median,
    ratio: ratio?.median ?? null,
    valueMin: t.opsPerCpuSecond.min,
    valueMax: t.opsPerCpuSecond.max,
    ...(ratio ? { ratioMin: ratio.min, ratioMax: ratio.max } : {}),
    ...(target !== undefined && ratio ? { target, met: ratio.median <= target } : {}),
    timing: 'cpu, interleaved',
    rounds: options.rounds,
  });
  table.push([
    label,
    fmt(t.opsPerCpuSecond.median),
    `${fmt(t.opsPerCpuSecond.min)} – ${fmt(t.opsPerCpuSecond.max)}`,
    ratio ? fmtRatio(ratio) : '',
    target === undefined || !ratio ? '' : `<= ${target}x: ${ratio.median <= target ? 'met' : 'NOT met'}`,
  ]);
}

const HEAD = ['figure', 'per CPU second (median)', 'min – max', 'time ratio (min – max)', 'target'];

// ----------------------------------------------------------------- exact vs float64

const solve = solveBench();
const solveRun = interleave(solve.candidates, SOLVE_TIMING);
const s = solve.index;
const title = `liquidation-price solves, cross ${solve.positionCount} positions`;
const solveRows: string[][] = [];
record(solveRows, solveRun, SOLVE_TIMING, s.exactWarm, `${title}, exact`, 'exact kernel, warm: profile.liquidationPrices(account, kernel)', 'solves/s', s.floatWarm, TARGET.exactWarm);
record(solveRows, solveRun, SOLVE_TIMING, s.exactPerLeg, `${title}, exact, one position per call`, 'exact kernel, warm: liquidationPrice(account, i, kernel), i = 0..19', 'solves/s', s.floatWarm);
record(solveRows, solveRun, SOLVE_TIMING, s.bigintWarm, `${title}, exact bigint reference`, 'bigint reference, warm: profile.referenceLiquidationPrices(account)', 'solves/s', s.floatWarm);
record(solveRows, solveRun, SOLVE_TIMING, s.floatWarm, `${title}, float64`, 'float64, warm (bench/float-kernel.ts)', 'solves/s');
record(solveRows, solveRun, SOLVE_TIMING, s.exactCold, `${title}, exact, cold (snapshot JSON parsed each call)`, 'exact kernel, cold: JSON.parse + resolveSnapshot + prepare + solve', 'solves/s', s.floatCold, TARGET.exactCold);
record(solveRows, solveRun, SOLVE_TIMING, s.bigintCold, `${title}, exact bigint reference, cold (snapshot JSON parsed each call)`, 'bigint reference, cold: JSON.parse + resolveSnapshot + solve', 'solves/s', s.floatCold);
record(solveRows, solveRun, SOLVE_TIMING, s.floatCold, `${title}, float64, cold (snapshot JSON parsed each call)`, 'float64, cold: JSON.parse + arrays + solve', 'solves/s');
record(solveRows, solveRun, SOLVE_TIMING, s.exactMoving, `${title}, exact, moving marks`, 'exact kernel, moving marks (64 mark sets in turn)', 'solves/s', s.floatMoving);
record(solveRows, solveRun, SOLVE_TIMING, s.bigintMoving, `${title}, exact bigint reference, moving marks`, 'bigint reference, moving marks', 'solves/s', s.floatMoving);
record(solveRows, solveRun, SOLVE_TIMING, s.floatMoving, `${title}, float64, moving marks`, 'float64, moving marks', 'solves/s');
entries.push({
  name: `${title}, max relative difference float64 vs exact`,
  value: solve.maxRelativeDifference,
  unit: 'relative',
  baseline: null,
  ratio: null,
});
const agreementOk = solve.maxRelativeDifference <= AGREEMENT_TOLERANCE_RELATIVE;
if (!agreementOk) process.exitCode = 1;
tables.push({
  title:
    `${title} (binance-usdm, one-way, ${solve.withPrice} of ${solve.positionCount} with a liquidation price; ` +
    `kernel: ${solve.kernelCounts.fast} solves in doubles, ${solve.kernelCounts.bigint} in bigints); ` +
    `float64 vs exact, max relative difference ${solve.maxRelativeDifference.toExponential(2)} ` +
    `(${agreementOk ? 'OK' : 'FAIL'}, tolerance ${AGREEMENT_TOLERANCE_RELATIVE}, every variant and mark set)`,
  head: HEAD,
  rows: solveRows,
});

// ----------------------------------------------------------------- engine

const engine = engineBench();
const engineCandidates: Candidate[] = [
  { name: 'engine tick', run: () => engine.engineTick(), opsPerCall: 1 },
  { name: 'core tick', run: () => engine.coreTick(), opsPerCall: 1 },
];
const engineRun = interleave(engineCandidates, ENGINE_TIMING);
const engineRows: string[][] = [];
record(engineRows, engineRun, ENGINE_TIMING, 0, `engine: mark ticks applied, account of ${engine.positions} cross positions`, `engine: apply(mark), ${engine.positions} cross positions (bench account)`, 'ops/s', 1);
record(engineRows, engineRun, ENGINE_TIMING, 1, 'engine: margin-core-only cost of the same ticks', 'margin core only: MB and MM of the account per tick', 'ticks/s');

const cases = SCALING_POSITION_COUNTS.map((n) => oneAccountCase(n));
const reference = SCALING_POSITION_COUNTS.indexOf(20);
const tickRun = interleave(cases.map((c) => ({ name: `tick ${c.positions}`, run: c.tick, opsPerCall: 1 })), ENGINE_TIMING);
const orderRun = interleave(cases.map((c) => ({ name: `order ${c.positions}`, run: c.order, opsPerCall: 1 })), ENGINE_TIMING);
cases.forEach((c, i) => {
  const vs20 = i === reference ? undefined : reference;
  const target = c.positions === 500 ? TARGET.perPositionTick500vs20 : undefined;
  record(engineRows, tickRun, ENGINE_TIMING, i, `engine scaling: mark tick on one symbol, one account of ${c.positions} positions`, `mark tick, 1 account of ${c.positions} positions${vs20 === undefined ? '' : ' (ratio: vs 20)'}`, 'ticks/s', vs20, target);
});
cases.forEach((c, i) => {
  const vs20 = i === reference ? undefined : reference;
  record(engineRows, orderRun, ENGINE_TIMING, i, `engine scaling: market order, one account of ${c.positions} positions`, `market order, 1 account of ${c.positions} positions${vs20 === undefined ? '' : ' (ratio: vs 20)'}`, 'orders/s', vs20);
});
const crowdRun = interleave(
  [
    { name: 'crowd', run: crowdTick(CROWD_ACCOUNTS), opsPerCall: 1 },
    { name: 'alone', run: crowdTick(1), opsPerCall: 1 },
  ],
  CROWD_TIMING,
);
record(engineRows, crowdRun, CROWD_TIMING, 0, `engine scaling: mark tick on one symbol held by one account, among ${CROWD_ACCOUNTS} accounts of 5 positions`, `mark tick on 1 symbol, ${CROWD_ACCOUNTS} accounts x 5 positions (ratio: vs 1 account)`, 'ticks/s', 1, TARGET.crowdTick);
record(engineRows, crowdRun, CROWD_TIMING, 1, 'engine scaling: the same mark tick, one account of 5 positions alone', 'the same tick, the one account of 5 positions alone', 'ticks/s');
tables.push({ title: 'engine: apply() per command (one mark tick = one `mark` command on one symbol)', head: HEAD, rows: engineRows });
if (!Number.isFinite(sink)) throw new Error('benchmark sink is not finite');

// ----------------------------------------------------------------- the simulator (wall time)

const TARGET_PATHS = Number(process.env['PERPGUARD_BENCH_PATHS'] ?? 10_000);
const sim = await simBench({ targetPaths: TARGET_PATHS });
const shareFields = (share: Spread) => ({ ratioMin: share.min, ratioMax: share.max, timing: 'cpu, interleaved', rounds: sim.rounds });
entries.push(
  {
    name: `replay: all bundled history (${sim.replayBars} bars, 3 legs) under 3 modes`,
    value: sim.replayPositionBarsPerSecond,
    unit: 'position-bars/s',
    baseline: sim.replayPlainPositionBarsPerSecond,
    ratio: sim.replayShare.median,
    ...shareFields(sim.replayShare),
  },
  { name: 'replay: all bundled history under 3 modes, wall time', value: sim.replaySeconds, unit: 's', baseline: 2, ratio: sim.replaySeconds / 2, timing: 'wall' },
  {
    name: 'monte carlo: path-steps (paths x hours x assets x modes), one thread, screened exact, vs a plain float64 Monte Carlo of the same shape',
    value: sim.mcPathStepsPerSecond,
    unit: 'path-steps/s',
    baseline: sim.mcPlainPathStepsPerSecond,
    ratio: sim.mcShare.median,
    ...shareFields(sim.mcShare),
    // a share: at least the target
    target: TARGET.mcShare,
    met: sim.mcShare.median >= TARGET.mcShare,
  },
  {
    name: 'screening kernel alone: bar checks (MB/MM at the extremes, orders) on generated paths',
    value: sim.kernelStepsPerSecond,
    unit: 'bar-steps/s',
    baseline: sim.kernelPlainStepsPerSecond,
    ratio: sim.kernelShare.median,
    ...shareFields(sim.kernelShare),
  },
  {
    name: 'monte carlo: precompiled worker thread, creation to first result (baseline: the same entry through tsx)',
    value: sim.workerStartMs,
    unit: 'ms',
    baseline: sim.workerStartTsxMs,
    ratio: sim.workerStartMs / sim.workerStartTsxMs,
    timing: 'wall',
  },
  {
    name: `monte carlo: ${TARGET_PATHS} paths x 720 h x 3 assets x 2 modes, 2 workers (the CLI's pool, a fresh process), wall time, median of 3`,
    value: sim.targetRunSeconds,
    valueMin: sim.targetRunMin,
    valueMax: sim.targetRunMax,
    unit: 's',
    baseline: TARGET.mcTargetRunSeconds,
    ratio: sim.targetRunSeconds / TARGET.mcTargetRunSeconds,
    target: TARGET.mcTargetRunSeconds,
    met: sim.targetRunSeconds < TARGET.mcTargetRunSeconds,
    timing: 'wall',
  },
);

// ----------------------------------------------------------------- the venue over HTTP (wall time)

const orders = await ordersBench();
const orderFields = (f: ServerFigures) => ({ valueMin: f.perSecond.min, valueMax: f.perSecond.max, p50Ms: f.p50Ms, p99Ms: f.p99Ms, requests: f.requests, failures: f.failures, timing: 'wall, interleaved windows', rounds: orders.rounds });
const orderShape = `signed market orders over HTTP, ${orders.concurrency} keep-alive connections`;
entries.push({ name: `venue: ${orderShape}, bare fastify endpoint that only checks the signature`, value: orders.bare.perSecond.median, unit: 'requests/s', baseline: null, ratio: null, ...orderFields(orders.bare) });
for (const f of [orders.sqlite, orders.postgres]) {
  if (!f) continue;
  const target = f.name === 'sqlite' ? { target: ORDER_TARGET_SHARE, met: f.share!.median >= ORDER_TARGET_SHARE } : {};
  entries.push({ name: `venue: ${orderShape}, placed and logged on ${f.name} (ratio: share of the bare endpoint)`, value: f.perSecond.median, unit: 'orders/s', baseline: orders.bare.perSecond.median, ratio: f.share!.median, ratioMin: f.share!.min, ratioMax: f.share!.max, ...target, ...orderFields(f) });
  if (f.perCpuSecond && f.cpuShare && orders.bare.perCpuSecond) {
    entries.push({ name: `venue: ${orderShape}, placed and logged on ${f.name}, per CPU second of the server process (ratio: share of the bare endpoint's)`, value: f.perCpuSecond.median, valueMin: f.perCpuSecond.min, valueMax: f.perCpuSecond.max, unit: 'orders/CPU s', baseline: orders.bare.perCpuSecond.median, ratio: f.cpuShare.median, ratioMin: f.cpuShare.min, ratioMax: f.cpuShare.max, timing: 'server process CPU, interleaved windows', rounds: orders.rounds });
  }
}
// a refused order measures a refusal, not a placement: the figure would be meaningless
if (orders.sqlite.failures > 0 || (orders.postgres?.failures ?? 0) > 0) process.exitCode = 1;
if (orders.postgresSkip) entries.push({ name: `venue: ${orderShape}, on postgres: skipped (${orders.postgresSkip})`, value: NaN, unit: 'orders/s', baseline: null, ratio: null });

// ----------------------------------------------------------------- the dashboard in Chromium (wall time)

const render = await firstRenderBench();
if ('skip' in render) {
  entries.push({ name: `dashboard: first render of the portfolio: skipped (${render.skip})`, value: NaN, unit: 'ms', baseline: null, ratio: null });
} else {
  const met = render.ms.median < FIRST_RENDER_BUDGET_MS;
  entries.push({
    name: `dashboard: first render of the portfolio, headless Chromium, navigation start to the first full portfolio, median of ${render.loads} loads (baseline: the budget)`,
    value: render.ms.median,
    valueMin: render.ms.min,
    valueMax: render.ms.max,
    unit: 'ms',
    baseline: FIRST_RENDER_BUDGET_MS,
    ratio: render.ms.median / FIRST_RENDER_BUDGET_MS,
    target: FIRST_RENDER_BUDGET_MS,
    met,
    timing: 'wall',
  });
}

// ------------------------------------------------ perpguard sweep: local threads and 2 workers on Redis (wall)

const sweepRun = await sweepBench();
if ('skip' in sweepRun) {
  entries.push({ name: `sweep: skipped (${sweepRun.skip})`, value: NaN, unit: 'cell-path-hours/s', baseline: null, ratio: null });
} else {
  const local = spread(sweepRun.localRates);
  const queued = spread(sweepRun.queueRates);
  const overhead = spread(sweepRun.overheadRatios);
  const rounds = sweepRun.localRates.length;
  entries.push(
    { name: 'sweep: 12 cells x 400 paths x 168 h, local, 2 threads', value: local.median, valueMin: local.min, valueMax: local.max, unit: 'cell-path-hours/s', baseline: null, ratio: null, timing: 'wall, alternating rounds', rounds },
    {
      name: 'sweep: the same on 2 `perpguard worker` processes through Redis (ratio: queue time / local time, per round)',
      value: queued.median,
      valueMin: queued.min,
      valueMax: queued.max,
      unit: 'cell-path-hours/s',
      baseline: local.median,
      ratio: overhead.median,
      ratioMin: overhead.min,
      ratioMax: overhead.max,
      timing: 'wall, alternating rounds',
      rounds,
    },
  );
  tables.push({
    title: `perpguard sweep: 12 cells (2 leverages x 2 allocations x 3 modes) x 400 paths x 168 h, ${rounds} alternating rounds (wall, as the sweep reports it)`,
    head: ['run', 'cell-path-hours/s (median)', 'min – max', 'queue time / local time (min – max)'],
    rows: [
      ['local, 2 threads', fmt(local.median), `${fmt(local.min)} – ${fmt(local.max)}`, ''],
      ['2 workers through Redis (BullMQ)', fmt(queued.median), `${fmt(queued.min)} – ${fmt(queued.max)}`, fmtRatio(overhead)],
    ],
  });
}

if (json) {
  process.stdout.write(JSON.stringify(entries) + '\n');
} else {
  for (const t of tables) {
    console.log(t.title);
    const table = new Table({ head: t.head });
    table.push(...t.rows);
    console.log(table.toString());
    console.log('');
  }
  const simTable = new Table({ head: ['simulator figure', 'value (median, per CPU s)', 'plain float64 loop', 'share of the plain loop (min – max) / target'] });
  const m = (x: number) => Math.round(x).toLocaleString('en-US');
  const pct = (share: Spread) => `${(100 * share.median).toFixed(0)} % (${(100 * share.min).toFixed(0)} – ${(100 * share.max).toFixed(0)})`;
  simTable.push(
    [`replay, all bundled history (${sim.replayBars.toLocaleString('en-US')} bars) x 3 modes`, `${m(sim.replayPositionBarsPerSecond)} position-bars/s`, `${m(sim.replayPlainPositionBarsPerSecond)}`, pct(sim.replayShare)],
    ['replay wall time, 3 modes (one run)', `${sim.replaySeconds.toFixed(2)} s`, '', `target < 2 s: ${sim.replaySeconds < 2 ? 'met' : 'NOT met'}`],
    ['screening kernel alone, same prices', `${m(sim.kernelStepsPerSecond)} bar-steps/s`, `${m(sim.kernelPlainStepsPerSecond)}`, `${pct(sim.kernelShare)}; target >= 50 %`],
    [
      'Monte Carlo end to end, one thread (generation + kernel + exact steps) vs a plain float64 Monte Carlo of the same paths and steps',
      `${m(sim.mcPathStepsPerSecond)} path-steps/s`,
      `${m(sim.mcPlainPathStepsPerSecond)}`,
      `${pct(sim.mcShare)}; target >= ${TARGET.mcShare * 100} %: ${sim.mcShare.median >= TARGET.mcShare ? 'met' : 'NOT met'}`,
    ],
    ['Monte Carlo worker start, creation to first result (wall)', `${sim.workerStartMs.toFixed(0)} ms precompiled`, `${sim.workerStartTsxMs.toFixed(0)} ms through tsx`, ''],
    [
      `${TARGET_PATHS.toLocaleString('en-US')} paths x 720 h x 3 assets x 2 modes, 2 workers, the CLI's pool (wall)`,
      `${sim.targetRunSeconds.toFixed(1)} s`,
      '',
      `target < ${TARGET.mcTargetRunSeconds} s: ${sim.targetRunSeconds < TARGET.mcTargetRunSeconds ? 'met' : 'NOT met'}`,
    ],
  );
  console.log(simTable.toString());
  console.log('');
  console.log(`venue: ${orderShape} (${orders.rounds} interleaved windows of ${orders.windowMs} ms per server, servers in their own processes, wall time)`);
  const orderTable = new Table({ head: ['server', 'per second (median)', 'min – max', 'p50 / p99 latency', 'share of the bare endpoint (min – max) / target', 'per server CPU second: share of the bare'] });
  const share = (f: ServerFigures) => `${(100 * f.share!.median).toFixed(0)} % (${(100 * f.share!.min).toFixed(0)} – ${(100 * f.share!.max).toFixed(0)})`;
  for (const f of [orders.bare, orders.sqlite, orders.postgres]) {
    if (!f) continue;
    const goal = f.name === 'sqlite' ? `; target >= ${ORDER_TARGET_SHARE * 100} %: ${f.share!.median >= ORDER_TARGET_SHARE ? 'met' : 'NOT met'}` : '';
    const label = f.name === 'bare' ? 'bare fastify endpoint, signature check only' : `venue, order placed and logged (${f.name})`;
    const cpu = f.perCpuSecond ? `${fmt(f.perCpuSecond.median)}/CPU s${f.cpuShare ? `: ${(100 * f.cpuShare.median).toFixed(0)} % (${(100 * f.cpuShare.min).toFixed(0)} – ${(100 * f.cpuShare.max).toFixed(0)})` : ''}` : '';
    orderTable.push([`${label}${f.failures > 0 ? ` (${f.failures} refused!)` : ''}`, fmt(f.perSecond.median), `${fmt(f.perSecond.min)} – ${fmt(f.perSecond.max)}`, `${f.p50Ms.toFixed(1)} / ${f.p99Ms.toFixed(1)} ms`, f.share ? `${share(f)}${goal}` : '', cpu]);
  }
  if (orders.postgresSkip) orderTable.push(['venue on postgres: skipped', orders.postgresSkip, '', '', '', '']);
  console.log(orderTable.toString());
  console.log('');
  console.log(
    'skip' in render
      ? `dashboard first render: skipped (${render.skip})`
      : `dashboard: first render of the portfolio in headless Chromium, median of ${render.loads} loads: ${render.ms.median.toFixed(0)} ms (${render.ms.min.toFixed(0)} – ${render.ms.max.toFixed(0)}); budget ${FIRST_RENDER_BUDGET_MS} ms: ${render.ms.median < FIRST_RENDER_BUDGET_MS ? 'met' : 'NOT met'}`,
  );
}
