// Simulator figures for `npm run bench`, each against a plain float64 loop doing the same price updates:
// - replay of all the bundled hourly history (BTC/ETH/SOL 2019-2021 and 2024-2026, with the 1-minute crash
//   windows spliced into BTC) under three margin modes, through the screened exact replay;
// - Monte Carlo path-steps per second (paths x hours x assets x modes) against a plain float64 Monte Carlo
//   of the same shape (./montecarlo-plain.ts, timed in a fresh process: ./montecarlo-share.ts), the precompiled worker's start, and the target run
//   of 10,000 paths x 720 hours x 3 assets x 2 modes through the CLI's pool with 2 workers, end to end.
// Each figure and its plain loop are timed interleaved in CPU time (bench/timing.ts), a few whole calls
// per slice; the replay's wall time and the target run are wall-clock targets, timed on the wall clock.
import { parse as parseYaml } from 'yaml';
import { readFileSync } from 'node:fs';
import { bundled, CRASH_WINDOWS, loadCandles, splice } from '../src/io/market-data.ts';
import { bundledReturnsModel, MC_TICKS } from '../src/io/returns.ts';
import { execFileSync } from 'node:child_process';
import { buildBundle } from '../src/io/bundles.mjs';
import { fileURLToPath } from 'node:url';
import { TARGET_OPTIONS } from './montecarlo-options.ts';
import { workerStartMs } from './worker-start.ts';
import type { BarSeries, CandleSeries } from '../src/sim/data.ts';
import { generatePath, pathSeries, type PathOptions } from '../src/sim/generators.ts';
import { ticksScaled } from '../src/sim/montecarlo.ts';
import { replay } from '../src/sim/replay.ts';
import { SimContext } from '../src/sim/context.ts';
import { floatAccountOf, primeCaches, scanBar } from '../src/sim/kernel.ts';
import { toApproxNumber } from '../src/domain/fixed.ts';
import { MODES, parseSpec } from '../src/sim/spec.ts';
import { interleave, spreadOf, type InterleaveOptions, type Spread } from './timing.ts';

const HOUR = 3_600_000;
/** Whole workloads of 10-700 ms of CPU: a slice is one or a few calls. */
const SIM_TIMING: InterleaveOptions = { warmupMs: 500, sliceMs: 150, rounds: 12 };

export function allBundledHistory(): CandleSeries[] {
  const join = (a: CandleSeries, b: CandleSeries): CandleSeries => {
    // two non-overlapping hourly files of one symbol, in time order
    const cat = <T,>(x: ArrayLike<T>, y: ArrayLike<T>) => [...Array.from(x), ...Array.from(y)];
    return {
      ...a,
      source: `${a.source} + ${b.source}`,
      time: cat(a.time, b.time),
      durationMs: cat(a.durationMs, b.durationMs),
      open: cat(a.open, b.open),
      high: cat(a.high, b.high),
      low: cat(a.low, b.low),
      close: cat(a.close, b.close),
      openF: Float64Array.from(cat(a.openF, b.openF)),
      highF: Float64Array.from(cat(a.highF, b.highF)),
      lowF: Float64Array.from(cat(a.lowF, b.lowF)),
      closeF: Float64Array.from(cat(a.closeF, b.closeF)),
      noTrading: Uint8Array.from(cat(a.noTrading, b.noTrading)),
    };
  };
  return ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((symbol) => {
    let s = join(
      loadCandles(bundled(`binance-spot-${symbol}-1h-2019-2021.csv`), symbol, HOUR),
      loadCandles(bundled(`binance-spot-${symbol}-1h-2024-2026.csv`), symbol, HOUR),
    );
    if (symbol === 'BTCUSDT') for (const w of CRASH_WINDOWS) s = splice(s, loadCandles(bundled(w.file), 'BTCUSDT'));
    return s;
  });
}

/** The plain float64 loop: the same marks in the same order, equity at each bar's low, high and close. */
function plainLoop(series: readonly BarSeries[], sides: number[], quantities: number[]): { bars: number; sink: number } {
  const steps: [number, number, number][] = [];
  series.forEach((s, a) => {
    for (let i = 0; i < s.time.length; i++) steps.push([s.time[i]!, a, i]);
  });
  steps.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
  const marks = series.map((s) => s.openF[0]!);
  const entries = [...marks];
  let minEquity = Infinity;
  let bars = 0;
  for (const [, a, i] of steps) {
    const s = series[a]!;
    let base = 0;
    for (let b = 0; b < marks.length; b++) if (b !== a) base += sides[b]! * quantities[b]! * (marks[b]! - entries[b]!);
    const atLow = base + sides[a]! * quantities[a]! * (s.lowF[i]! - entries[a]!);
    const atHigh = base + sides[a]! * quantities[a]! * (s.highF[i]! - entries[a]!);
    marks[a] = s.closeF[i]!;
    minEquity = Math.min(minEquity, atLow, atHigh);
    bars++;
  }
  return { bars, sink: minEquity };
}

function seconds(run: () => void, repeat = 1): number {
  run(); // warm-up
  const start = process.hrtime.bigint();
  for (let r = 0; r < repeat; r++) run();
  return Number(process.hrtime.bigint() - start) / 1e9 / repeat;
}

export interface SimFigures {
  replaySeconds: number;
  replayPositionBarsPerSecond: number;
  replayPlainPositionBarsPerSecond: number;
  replayBars: number;
  mcPathStepsPerSecond: number;
  mcPlainPathStepsPerSecond: number;
  targetRunSeconds: number;
  targetRunMin: number;
  targetRunMax: number;
  targetRunPathSteps: number;
  /** A precompiled worker thread: from its creation to its first result (and through tsx, as before). */
  workerStartMs: number;
  workerStartTsxMs: number;
  /** The screening kernel alone vs the plain loop, same prices. */
  kernelStepsPerSecond: number;
  kernelPlainStepsPerSecond: number;
  /** Rate of the figure / rate of its plain loop per round (the share of the plain loop), over the rounds. */
  replayShare: Spread;
  mcShare: Spread;
  kernelShare: Spread;
  rounds: number;
}

/** Times a figure and its plain loop interleaved; rates in steps per CPU second, share per round. */
function versusPlain(figure: () => void, plain: () => void, steps: number): { rate: number; plainRate: number; share: Spread } {
  const run = interleave(
    [
      { name: 'figure', run: () => (figure(), 1), opsPerCall: steps },
      { name: 'plain', run: () => (plain(), 1), opsPerCall: steps },
    ],
    SIM_TIMING,
  );
  const [f, p] = run.timings;
  return {
    rate: f!.opsPerCpuSecond.median,
    plainRate: p!.opsPerCpuSecond.median,
    share: spreadOf(f!.ratesPerRound.map((rate, round) => rate / p!.ratesPerRound[round]!)),
  };
}

let sinkCount = 0;

/**
 * A bench script built as `perpguard` ships its code (esbuild bundles in dist/: the CLI and the worker
 * threads), so the child runs what a user's `perpguard montecarlo` runs; under tsx every closure also
 * paid its name-keeping call, ~15 % of the exact path (both sides of the share run the same build).
 */
async function bundledScript(name: string): Promise<string> {
  const entry = fileURLToPath(new URL(`./${name}.ts`, import.meta.url));
  const output = fileURLToPath(new URL(`../dist/bench/${name}.mjs`, import.meta.url));
  return buildBundle({ entry, output, packagesExternal: true });
}

/** The Monte Carlo share measured in a child process (./montecarlo-share.ts). */
async function shareInChild(): Promise<{ rate: number; plainRate: number; share: Spread }> {
  const script = await bundledScript('montecarlo-share');
  const out = execFileSync(process.execPath, [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return JSON.parse(out.trim().split('\n').pop()!) as { rate: number; plainRate: number; share: Spread };
}

/** Wall seconds of the target run in a child process (./montecarlo-target.ts). */
async function targetSeconds(paths: number): Promise<number> {
  const script = await bundledScript('montecarlo-target');
  const out = execFileSync(process.execPath, [script, String(paths)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return (JSON.parse(out.trim().split('\n').pop()!) as { seconds: number }).seconds;
}

export async function simBench(options: { targetPaths: number }): Promise<SimFigures> {
  const spec = parseSpec(parseYaml(readFileSync(new URL('../examples/crash-study.yaml', import.meta.url), 'utf8')));
  // a hold portfolio that survives years of history at moderate leverage, so every bar carries positions
  const history = parseSpec({
    wallet: '100000',
    legs: [
      { symbol: 'BTCUSDT', side: 'long', size: { notional: '30000' }, leverage: 2, marginMode: 'cross' },
      { symbol: 'ETHUSDT', side: 'long', size: { notional: '20000' }, leverage: 1, marginMode: 'isolated' },
      { symbol: 'SOLUSDT', side: 'long', size: { notional: '5000' }, leverage: 1, marginMode: 'isolated' },
    ],
  });
  const series = allBundledHistory();
  const bars = series.reduce((n, s) => n + s.time.length, 0);
  // one run of three modes: they share the merged timeline (built once per call, as a study does)
  const replayAll = () => {
    const context = new SimContext();
    for (const mode of MODES) replay({ spec: history, mode, series, recordCurve: false, context });
  };
  const replaySeconds = seconds(replayAll);
  const positionBars = bars * history.legs.length * MODES.length;
  const replayVsPlain = versusPlain(replayAll, () => {
    for (let m = 0; m < MODES.length; m++) sinkCount += plainLoop(series, [1, 1, -1], [0.5, 8, 30]).bars;
  }, positionBars);

  // Monte Carlo: path-steps per second on one thread against the plain loop over the same generated
  // prices, in a fresh process (./montecarlo-share.ts says why)
  const model = bundledReturnsModel();
  const pathOptions: PathOptions = TARGET_OPTIONS;
  const modes = ['isolated', 'cross'] as const;
  const scaled = ticksScaled(MC_TICKS);
  const mcVsPlain = await shareInChild();

  // the screening kernel alone (no generation, no engine): its per-bar check over the same prices as the
  // plain loop, for the account as it stands after the entries
  const kernelPaths = Array.from({ length: 100 }, (_, p) => pathSeries(model, pathOptions, generatePath(model, pathOptions, 3, p), scaled));
  const entered = replay({ spec, mode: 'cross', series: kernelPaths[0]!.map((s) => ({ ...s, time: s.time.slice(0, 1) })) });
  const account = floatAccountOf(entered.state, entered.state.users['main']!, (symbol) => ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].indexOf(symbol));
  const cash = toApproxNumber(entered.startWallet);
  const kernelSteps = kernelPaths.length * pathOptions.hours * 3;
  const kernelVsPlain = versusPlain(() => {
    for (const path of kernelPaths) {
      const marks = Float64Array.from(path, (s) => s.openF[0]!);
      primeCaches(account, marks);
      let flagged = 0;
      for (let h = 0; h < pathOptions.hours; h++) {
        for (let a = 0; a < path.length; a++) {
          const s = path[a]!;
          const lo = Math.min(s.lowF[h]!, marks[a]!);
          const hi = Math.max(s.highF[h]!, marks[a]!);
          if (scanBar(account, cash, marks, a, s.lowF[h]!, s.highF[h]!, s.closeF[h]!, lo, hi)) flagged++;
          marks[a] = s.closeF[h]!;
        }
      }
      sinkCount += flagged;
    }
  }, () => {
    // the plain loop in the kernel's own shape (hour by hour, asset by asset): equity at the extremes
    const sides = [1, 1, -1];
    const quantities = [0.5, 8, 30];
    for (const path of kernelPaths) {
      const marks = Float64Array.from(path, (s) => s.openF[0]!);
      const entries = Float64Array.from(marks);
      let minEquity = Infinity;
      for (let h = 0; h < pathOptions.hours; h++) {
        for (let a = 0; a < path.length; a++) {
          const s = path[a]!;
          let base = cash;
          for (let b = 0; b < marks.length; b++) if (b !== a) base += sides[b]! * quantities[b]! * (marks[b]! - entries[b]!);
          const atLow = base + sides[a]! * quantities[a]! * (s.lowF[h]! - entries[a]!);
          const atHigh = base + sides[a]! * quantities[a]! * (s.highF[h]! - entries[a]!);
          if (atLow < minEquity) minEquity = atLow;
          if (atHigh < minEquity) minEquity = atHigh;
          marks[a] = s.closeF[h]!;
        }
      }
      sinkCount += minEquity > 0 ? 1 : 0;
    }
  }, kernelSteps);

  const startMs = await workerStartMs();

  // the target, end to end through the pool `perpguard montecarlo` uses, in a fresh process as the
  // CLI runs it (./montecarlo-target.ts says why not in this one): the median of three runs
  const targetRuns: number[] = [];
  for (let run = 0; run < 3; run++) targetRuns.push(await targetSeconds(options.targetPaths));
  targetRuns.sort((a, b) => a - b);
  const targetRunSeconds = targetRuns[1]!;

  return {
    replaySeconds,
    replayPositionBarsPerSecond: replayVsPlain.rate,
    replayPlainPositionBarsPerSecond: replayVsPlain.plainRate,
    replayBars: bars,
    mcPathStepsPerSecond: mcVsPlain.rate,
    mcPlainPathStepsPerSecond: mcVsPlain.plainRate,
    targetRunSeconds,
    targetRunMin: targetRuns[0]!,
    targetRunMax: targetRuns[2]!,
    targetRunPathSteps: options.targetPaths * pathOptions.hours * 3 * modes.length,
    workerStartMs: startMs.bundle,
    workerStartTsxMs: startMs.tsx,
    kernelStepsPerSecond: kernelVsPlain.rate,
    kernelPlainStepsPerSecond: kernelVsPlain.plainRate,
    replayShare: replayVsPlain.share,
    mcShare: mcVsPlain.share,
    kernelShare: kernelVsPlain.share,
    rounds: SIM_TIMING.rounds,
  };
}
