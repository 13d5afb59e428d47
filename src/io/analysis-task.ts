// The dashboard's long computations, as plain data in and JSON out, run on a worker thread
// (./analysis-worker.ts, started by ../server/analysis/analysis-pool.ts) so the venue's event loop never waits
// for them: the crash study of one window, a Monte Carlo, the margin-mode advice, the leverage calibration and
// a small sweep (./sweep-analysis.ts).
// Each answer is what the matching CLI command prints with --json (or what its --html report draws), computed
// by the same functions with the same defaults, so the dashboard and the CLI agree on the same input.
import { parseFixed, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { adviseLeverage } from '../advisor/leverage.ts';
import { marketFor } from '../advisor/accounts.ts';
import { adviseMode, type Experience } from '../advisor/mode.ts';
import type { Side } from '../advisor/move.ts';
import type { AccountSnapshot } from '../exchanges/rules.ts';
import { InputError } from '../schema/input-error.ts';
import type { GeneratorKind } from '../sim/generators.ts';
import { statistics, type PathOutcome } from '../sim/montecarlo.ts';
import type { ModeName, Spec } from '../sim/spec.ts';
import { markSeries, type MarkModel } from '../sim/data.ts';
import { runWindow, specFor } from '../sim/study.ts';
import { toJsonText } from '../views/json-text.ts';
import { leverageJson, type LeverageContext } from '../views/leverage.ts';
import { modeJson } from '../views/mode.ts';
import { monteCarloJson } from '../views/montecarlo.ts';
import { distributionReport, windowReport } from '../views/report.ts';
import { loadCrashWindows } from './crash-data.ts';
import { lastClose, loadHistory, specAtLastCloses } from './history.ts';
import { monteCarloPathOptions, runTask } from './montecarlo-task.ts';
import { bundledReturnsModel, MC_TICKS } from './returns.ts';
import { runSweepTask, type SweepTask } from './sweep-analysis.ts';

export type { SweepTask } from './sweep-analysis.ts';

export interface StudyTask {
  readonly kind: 'study';
  readonly spec: Spec;
  readonly windowId: string;
  readonly modes: readonly ModeName[];
  /** `perpguard study --mark` and `--mark-span`. */
  readonly mark: MarkModel;
  /** `perpguard study --exact-only`: every bar through the exact engine, no float64 screening. */
  readonly exactOnly: boolean;
}

export interface MonteCarloTask {
  readonly kind: 'montecarlo';
  readonly spec: Spec;
  readonly paths: number;
  readonly hours: number;
  readonly generator: GeneratorKind;
  readonly blockHours: number;
  readonly crashProbability: number;
  readonly seed: number;
  readonly modes: readonly ModeName[];
}

export interface ModeTask {
  readonly kind: 'mode';
  readonly spec: Spec;
  readonly tradeIndex: number;
  readonly experience: Experience;
  readonly paths: number;
  readonly hours: number;
  readonly seed: number;
  readonly crashProbability: number;
}

export interface LeverageTask {
  readonly kind: 'leverage';
  readonly symbol: string;
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  readonly margin: Money;
  /**
   * What the trade joins: the account's positions as they are (the CLI's --snapshot) or a lone trade's empty
   * wallet (--wallet), each with the CLI's words for it; or a portfolio entered at the last bundled closes
   * (--spec, `from` standing for its file), priced here on the analysis thread since that reads the history.
   */
  readonly book: { readonly kind: 'snapshot' | 'lone'; readonly base: AccountSnapshot; readonly account: string } | { readonly kind: 'spec'; readonly spec: Spec; readonly from: string };
  readonly price?: Price;
  readonly move?: Rate;
  readonly marginCallRatio: Rate;
  readonly leverages: readonly number[];
  readonly paths: number;
  readonly seed: number;
  readonly crashProbability: number;
}

export type AnalysisTask = StudyTask | MonteCarloTask | ModeTask | LeverageTask | SweepTask;

/** Paths per batch: the CLI's pool cuts runs the same way, and a path's outcome depends on its index only. */
const CHUNK_PATHS = 50;

/** Exact amounts as the CLI's --json prints them (decimal strings), through a structured clone. */
const jsonOf = (value: unknown): unknown => JSON.parse(toJsonText(value));

export function runAnalysis(task: AnalysisTask): unknown {
  switch (task.kind) {
    case 'study':
      return study(task);
    case 'montecarlo':
      return monteCarlo(task);
    case 'mode':
      return mode(task);
    case 'leverage':
      return leverage(task);
    case 'sweep':
      return runSweepTask(task);
  }
}

function study(task: StudyTask) {
  const loaded = loadCrashWindows(task.spec.legs.map((l) => l.symbol), task.spec.exchange, [task.windowId])[0];
  if (!loaded || specFor(task.spec, loaded).legs.length === 0) return { problem: `window: no leg of this portfolio has data in ${task.windowId}` };
  const window = { ...loaded, series: markSeries(loaded.series, task.spec.exchange, task.mark) };
  // screening on, as `perpguard study` runs by default, unless exactOnly (its --exact-only)
  const result = runWindow(task.spec, window, { modes: task.modes, screening: !task.exactOnly });
  // the spec run (the account's positions as legs, or the example), so a reader can run the CLI on the same one;
  // the bars each mode ran through the exact engine, as `study --json` counts them (all of them when exactOnly)
  return {
    spec: task.spec,
    mark: task.mark,
    exactOnly: task.exactOnly,
    exactBars: Object.values(result.modes).map((m) => ({ mode: m.mode, exactBars: m.exactBars, bars: m.bars })),
    window: jsonOf(windowReport(result)),
  };
}

function monteCarlo(task: MonteCarloTask) {
  const model = bundledReturnsModel();
  const batch = {
    spec: task.spec,
    options: monteCarloPathOptions({ generator: task.generator, hours: task.hours, blockHours: task.blockHours, crashProbability: task.crashProbability }),
    modes: [...task.modes],
    seed: task.seed,
  };
  const started = performance.now();
  const outcomes: PathOutcome[] = [];
  for (let from = 0; from < task.paths; from += CHUNK_PATHS) outcomes.push(...runTask({ ...batch, fromPath: from, toPath: Math.min(task.paths, from + CHUNK_PATHS) }, model));
  const seconds = (performance.now() - started) / 1000;
  const stats = statistics(outcomes, [...task.modes]);
  const samples = Object.fromEntries(task.modes.map((m) => [m, outcomes.filter((o) => o.mode === m).map((o) => o.kept * 100)]));
  return {
    spec: task.spec,
    json: monteCarloJson({ spec: task.spec.name, paths: task.paths, hours: task.hours, generator: task.generator, crashProbability: task.crashProbability, seed: task.seed, workers: 1, seconds }, stats),
    distribution: distributionReport('Kept equity, distribution per mode', '% of the starting wallet', samples, stats),
  };
}

function mode(task: ModeTask) {
  const windows = loadCrashWindows([...new Set(task.spec.legs.map((l) => l.symbol))], task.spec.exchange);
  const advice = adviseMode({
    spec: task.spec,
    tradeIndex: task.tradeIndex,
    experience: task.experience,
    windows,
    model: bundledReturnsModel(),
    ...(task.paths > 0 ? { monteCarlo: { tickTexts: MC_TICKS, paths: task.paths, hours: task.hours, seed: task.seed, crashProbability: task.crashProbability } } : {}),
  });
  return jsonOf(modeJson(advice));
}

/** A spec at the last closes; a leg that cannot be priced or opened there is the spec's problem, named so. */
function specAt(spec: Spec, from: string) {
  try {
    return specAtLastCloses(spec, from);
  } catch (error) {
    if (error instanceof InputError) throw new InputError('spec', error.message);
    throw error;
  }
}

/** `perpguard advise leverage --json` with --wallet (a lone trade), --snapshot (the account's positions) or --spec. */
function leverage(task: LeverageTask) {
  const { book } = task;
  const { base, account } = book.kind === 'spec' ? specAt(book.spec, book.from) : book;
  const market = marketFor(base.exchange, task.symbol, 'symbol');
  const needsHistory = task.move === undefined || task.price === undefined;
  const series = needsHistory ? loadHistory(task.symbol, undefined) : [];
  let price = task.price;
  let priceSource = 'given';
  if (price === undefined) {
    const last = lastClose(series);
    price = last.price;
    priceSource = `last close of ${last.source}`;
  }
  let monteCarlo: LeverageContext['monteCarlo'];
  let mcInput: Parameters<typeof adviseLeverage>[0]['monteCarlo'];
  if (task.paths > 0) {
    const model = bundledReturnsModel();
    if (model.symbols.includes(task.symbol)) {
      // a spec's legs move with the trade in the paths, on the spec's wallet; a snapshot's positions do not
      const rest = book.kind === 'spec' ? book.spec.legs : [];
      const wallet = book.kind === 'spec' ? parseFixed<'Money'>(book.spec.wallet) : base.crossWallet;
      mcInput = { model, tickTexts: MC_TICKS, wallet, rest, leverages: task.leverages, paths: task.paths, seed: task.seed, crashProbability: task.crashProbability };
      const beside = { lone: '', snapshot: "; the trade alone on the snapshot's cross wallet", spec: "; with the spec's legs as specified" }[book.kind];
      monteCarlo = `${task.paths} block-bootstrap paths of ${task.horizonHours} h from BTC/ETH/SOL hourly 2024-2026 (crash probability ${task.crashProbability}, seed ${task.seed})${beside}`;
    } else monteCarlo = `none: ${task.symbol} is not in the Monte Carlo model (${model.symbols.join(', ')})`;
  }
  const advice = adviseLeverage({
    symbol: task.symbol,
    side: task.side,
    horizonHours: task.horizonHours,
    confidence: task.confidence,
    series,
    ...(task.move !== undefined ? { move: task.move } : {}),
    base,
    market,
    margin: task.margin,
    price,
    marginCallRatio: task.marginCallRatio,
    ...(mcInput ? { monteCarlo: mcInput } : {}),
  });
  return jsonOf(leverageJson(advice, { priceSource, account, monteCarlo, asset: market.settleAsset, tick: market.tickSize }));
}
