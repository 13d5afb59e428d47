// `perpguard sweep`: the leverage x allocation x margin-mode map of a portfolio, run on this machine's
// threads or, with --redis, by `perpguard worker` processes anywhere; `perpguard worker` is here too.
import cliProgress from 'cli-progress';
import { InputError } from '../schema/input-error.ts';
import { ALLOCATION_AXIS, LEVERAGE_AXIS, parseAxis, parseCrashWindows } from '../io/grid-axis.ts';
import { htmlReport } from '../io/html-report.ts';
import { defaultWorkers, runBatches } from '../io/montecarlo-pool.ts';
import { monteCarloPathOptions } from '../io/montecarlo-task.ts';
import { CRASH_WINDOWS } from '../io/market-data.ts';
import { MC_SYMBOLS } from '../io/returns.ts';
import { redactedUrl, runOnQueue } from '../io/sweep-queue.ts';
import { fileStore, memoryStore, type SweepStore } from '../io/sweep-store.ts';
import { modelDigest, pathsUnitResult, runCrashUnit, unitBatch } from '../io/sweep-units.ts';
import { bundledReturnsModel } from '../io/returns.ts';
import { baseOf } from '../exchanges/markets.ts';
import type { GeneratorKind } from '../sim/generators.ts';
import { specMargins } from '../sim/sweep-grid.ts';
import { planUnits, sweepFigures, type SweepPlan, type Unit } from '../sim/sweep.ts';
import { sweepPlanView, type SweepView } from '../views/sweep.ts';
import { toJsonText } from '../views/json-text.ts';
import { fitTable, hiddenNote, wrapText } from './format.ts';
import { whole } from './montecarlo.ts';
import { io, out } from './io.ts';
import { checkOutputPath, parseModes, readSpec } from './simulate.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

// the grid's axes are read by ../io/grid-axis.ts (the dashboard's sweep route reads them too)
export { parseAxis } from '../io/grid-axis.ts';

export interface SweepOptions {
  spec: string;
  leverage: string;
  allocation: string;
  modes: string;
  paths: string;
  hours: string;
  generator: string;
  blockHours: string;
  crashProbability: string;
  seed: string;
  crashes: string;
  chunk: string;
  maxRuin: string;
  probable: string;
  workers?: string;
  redis?: string;
  queue: string;
  out?: string;
  html?: string;
  json?: boolean;
}

function share(name: string, text: string): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= 0 && n <= 1)) throw new InputError(name, `must be a fraction from 0 to 1, got "${text}"`);
  return n;
}

export function sweepPlan(options: SweepOptions): SweepPlan {
  const spec = readSpec(options.spec);
  const modes = parseModes(options.modes);
  spec.legs.forEach((leg, i) => {
    if (!MC_SYMBOLS.some((s) => baseOf(s) === baseOf(leg.symbol))) {
      throw new InputError(`legs[${i}].symbol`, `${leg.symbol}: the Monte Carlo generates BTC, ETH and SOL prices only (${MC_SYMBOLS.join(', ')} history)`);
    }
  });
  if (spec.legs.length > 30) throw new InputError('legs', `perpguard sweep takes at most 30 legs, got ${spec.legs.length}`);
  specMargins(spec); // a risk-sized leg is refused here, before any work
  const leverages = parseAxis('--leverage', options.leverage, LEVERAGE_AXIS);
  const allocations = parseAxis('--allocation', options.allocation, ALLOCATION_AXIS).map(String);
  const paths = whole('--paths', options.paths, 1, 1_000_000);
  const hours = whole('--hours', options.hours, 2, 100_000);
  const blockHours = whole('--block-hours', options.blockHours, 1, 10_000);
  const seed = whole('--seed', options.seed, 0, 2 ** 31 - 1);
  const chunkPaths = whole('--chunk', options.chunk, 1, 100_000);
  if (options.generator !== 'bootstrap' && options.generator !== 'gbm') throw new InputError('--generator', `must be bootstrap or gbm, got "${options.generator}"`);
  const crashProbability = share('--crash-probability', options.crashProbability);
  const pathOptions = monteCarloPathOptions({ generator: options.generator as GeneratorKind, hours, blockHours, crashProbability });
  return { spec, leverages, allocations, modes, paths, chunkPaths, pathOptions, seed, crashWindows: parseCrashWindows('--crashes', options.crashes), modelDigest: modelDigest(bundledReturnsModel()) };
}

/** Runs the units the store lacks on this machine's threads (crash windows on this thread, batches on the pool). */
async function runLocally(plan: SweepPlan, units: readonly Unit[], store: SweepStore, workers: number, progress: (paths: number) => void): Promise<void> {
  const paths = units.filter((u): u is Extract<Unit, { kind: 'paths' }> => u.kind === 'paths');
  const crashes = units.filter((u): u is Extract<Unit, { kind: 'crash' }> => u.kind === 'crash');
  const model = bundledReturnsModel();
  await runBatches(
    paths.map((u) => unitBatch(plan, u)),
    {
      workers,
      chunkPaths: plan.chunkPaths,
      model,
      hereFirst: crashes.map((u) => () => store.add(runCrashUnit(plan, u))),
      onBatch: (i, outcomes) => store.add(pathsUnitResult(plan, paths[i]!, outcomes, model)),
      onProgress: progress,
    },
  );
}

export async function sweep(options: SweepOptions): Promise<void> {
  const plan = sweepPlan(options);
  const limits = { maxRuin: share('--max-ruin', options.maxRuin), probable: share('--probable', options.probable) };
  const workers = options.workers === undefined ? defaultWorkers() : whole('--workers', options.workers, 1, 256);
  if (options.queue.trim() === '' || /[:\s]/.test(options.queue)) throw new InputError('--queue', `must be a name without spaces or ":", got "${options.queue}"`);
  checkOutputPath('--html', options.html);
  const store = options.out ? fileStore(options.out, plan) : memoryStore();
  const units = planUnits(plan);
  const missing = units.filter((u) => !store.results.has(u.key));
  const total = missing.reduce((n, u) => n + (u.kind === 'paths' ? u.toPath - u.fromPath : 0), 0);
  const bar = !options.json && io().stderrIsTTY && total > 0 ? new cliProgress.SingleBar({ format: 'paths {bar} {value}/{total} | {percentage}% | ETA {eta}s', clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(total, 0);
  const started = performance.now();
  try {
    if (missing.length > 0 && options.redis !== undefined) {
      await runOnQueue(options.redis, plan, missing, {
        queue: options.queue,
        have: new Set(store.results.keys()),
        removeTaken: options.out !== undefined,
        onResult: (r) => {
          store.add(r);
          const unit = missing.find((u) => u.key === r.key);
          if (unit?.kind === 'paths') bar?.increment(unit.toPath - unit.fromPath);
        },
        notice: (line) => io().stderr(`${line}\n`),
      });
    } else if (missing.length > 0) {
      await runLocally(plan, missing, store, workers, (n) => bar?.increment(n));
    }
  } finally {
    bar?.stop();
  }
  const seconds = (performance.now() - started) / 1000;
  const view = sweepPlanView(plan, limits, sweepFigures(plan, store.results));
  const ran = `${missing.length} of ${units.length} units run ${options.redis !== undefined ? `on the queue "${options.queue}" at ${redactedUrl(options.redis)}` : `on ${workers} thread(s)`}`;
  if (options.json) out(toJsonText({ ...view, run: { units: units.length, ranUnits: missing.length, seconds, on: options.redis !== undefined ? 'redis' : 'local' } }) + '\n');
  else {
    out(`${wrapText(`Sweep: "${plan.spec.name}", ${plan.leverages.length} leverages x ${plan.allocations.length} allocations x ${plan.modes.length} modes, ${plan.paths} paths x ${plan.pathOptions.hours} h per cell (seed ${plan.seed}); ${ran}, ${seconds.toFixed(1)} s`)}\n`);
    out(renderSweep(view));
  }
  if (options.html) {
    mkdirSync(dirname(resolve(options.html)), { recursive: true });
    writeFileSync(
      options.html,
      await htmlReport({ title: `perpguard sweep: ${plan.spec.name}`, subtitle: `${plan.leverages.length} leverages × ${plan.allocations.length} allocations × ${plan.modes.join(', ')}; ${allocationNote}`, windows: [], sweep: view }),
    );
    if (!options.json) out(`\nreport: ${options.html}\n`);
  }
}

const allocationNote = 'allocation = the share of the wallet committed to all legs together (initial margin plus the opening fee), split between the legs as the spec splits its margin';
const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function renderSweep(view: SweepView): string {
  // the legs' P(liquidation) stay longest: left out last, the last leg first
  const legColumns = view.legs.map((l, i) => ({ head: `P(liq)\n${l.split(' ')[0]}`, dropRank: 10 + i }));
  const table = fitTable(
    [
      { head: 'lever-\nage' },
      { head: 'alloc-\nation' },
      { head: 'mode' },
      ...legColumns,
      { head: 'P(ruin)' },
      { head: 'kept\np5' },
      { head: 'kept\nmedian', dropRank: 100 },
      { head: 'ES\n5 %', dropRank: 101 },
      { head: 'first crash\nliquidating' },
      { head: 'verdict' },
    ],
    view.cells.map((c) => [
      `${c.leverage}x`,
      pct(Number(c.allocation)),
      c.mode,
      ...c.legLiquidationProbability.map(pct),
      pct(c.ruinProbability),
      pct(c.keptQuantiles[0]),
      pct(c.keptQuantiles[2]),
      pct(c.expectedShortfall5),
      c.firstCrash ?? '—',
      [c.safe ? 'safe' : '', c.breaksRule ? 'breaks rule' : ''].filter(Boolean).join(', ') || '—',
    ]),
  );
  const notes = [
    ...hiddenNote(table.hidden),
    ...view.refused.map((r) => `${r.leverage}x at ${pct(Number(r.allocation))}: refused by the venue (${r.reason}), not run`),
    `${allocationNote}. safe = P(ruin) <= ${pct(view.limits.maxRuin)} (--max-ruin); breaks rule = cross margin liquidates on >= ${pct(view.limits.probable)} of the paths (--probable) or in a crash window: the seed's "never use leverage in cross that would liquidate the entire account on a statistically probable move"`,
  ];
  return `${table.text}\n${notes.map((n) => wrapText(n)).join('\n')}\n`;
}

export const SWEEP_HELP = `
Allocation is the share of the wallet committed to all the legs together: their initial margin plus the
taker fee of opening them, split between the legs in the proportions of the spec's own margins (notional /
leverage, or the margin given), so the spec's mix of core, speculative and hedge legs is kept and scaled.
Every leg runs at the cell's leverage. A cell whose orders the venue refuses (a leverage or notional above
its brackets, on the generated paths or in a crash window) is listed as refused, not shown as safe.
Each cell runs the Monte Carlo batch of \`perpguard montecarlo\` (the same paths for the same seed) and the
bundled crash windows of \`perpguard study\`. safe: P(ruin) <= --max-ruin. breaks rule (cross margin only):
a liquidation on at least --probable of the paths, or in a crash window.

Examples:
  perpguard sweep --spec examples/max-exposure.yaml --leverage 2,10 --allocation 0.5 --modes cross --paths 20 --hours 48 --crashes 2024-08-05
  perpguard sweep --spec examples/max-exposure.yaml --leverage 5..25:3 --allocation 0.2,0.6 --modes cross,mixed --paths 20 --hours 48 --crashes none --json

Examples that write files, or wait for workers:
perpguard sweep --spec examples/max-exposure.yaml --leverage 2,5,10,20,50 --allocation 0.1..1 --paths 200 --out max.jsonl --html max.html
perpguard sweep --spec examples/max-exposure.yaml --redis redis://127.0.0.1:6379 --out max.jsonl   (then on any machine: perpguard worker --redis redis://<this host>:6379)
`;
