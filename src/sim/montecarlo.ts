// Monte Carlo: many generated futures of the same portfolio, each run under every margin mode through
// the screened exact replay. A batch is a pure function of (spec, model, options, seed, path range), so
// batches split over worker threads (../io/montecarlo-pool.ts) and later over machines, and their union
// equals a sequential run.
import { parseFixed, toApproxNumber } from '../domain/fixed.ts';
import { baseOf, DEFAULT_MARKETS } from '../exchanges/markets.ts';
import { seriesForSymbols } from './data.ts';
import { generatePath, pathSeries, type PathOptions, type ReturnsModel } from './generators.ts';
import { SimContext } from './context.ts';
import { replay, replayOutcome, type ModeResult, type ReplayOutcome } from './replay.ts';
import type { ModeName, Spec } from './spec.ts';

export interface PathOutcome {
  readonly path: number;
  readonly mode: ModeName;
  readonly liquidated: boolean;
  readonly liquidations: number;
  /** Bit i set: a leg with the symbol of the spec's legs[i] was liquidated on this path (perpguard sweep's P(liquidation) per leg). */
  readonly liquidatedLegs: number;
  /** Equity fell below the spec's ruin fraction of the starting wallet at some point. */
  readonly ruined: boolean;
  /** Final equity / starting wallet. */
  readonly kept: number;
  readonly crashInjected: boolean;
  readonly exactBars: number;
  readonly bars: number;
}

export interface BatchInput {
  readonly spec: Spec;
  readonly model: ReturnsModel;
  readonly options: PathOptions;
  readonly modes: readonly ModeName[];
  readonly seed: number;
  readonly fromPath: number;
  readonly toPath: number;
  /** False runs every bar exactly (the identity test). */
  readonly screening?: boolean;
  /** The engine runs its invariants after every command (PERPGUARD_ASSERT=1). */
  readonly assertInvariants?: boolean;
}

/** Tick sizes as raw fixed-point values (10^18 scale), from their decimal text. */
export function ticksScaled(ticks: readonly string[]): bigint[] {
  return ticks.map((t) => parseFixed<'Price'>(t) as unknown as bigint);
}

/**
 * `inspect` sees each full replay of an all-exact batch (screening false): perpguard sweep looks there for
 * refused orders. `carry`: what the previous batch of the same Monte Carlo left (BatchCarry); none, a fresh one.
 */
export function runBatch(input: BatchInput, tickTexts: readonly string[], onPath?: (path: number) => void, inspect?: (path: number, result: ModeResult) => void, carry = new BatchCarry()): PathOutcome[] {
  const scaled = ticksScaled(tickTexts);
  const wallet = toApproxNumber(parseFixed<'Money'>(input.spec.wallet));
  const ruinLevel = wallet * Number(input.spec.ruinFraction);
  const out: PathOutcome[] = [];
  const { context, spec, listed, mapped } = batchContext(input, carry);
  // one column buffer for the batch, and the next (BatchCarry.columns): a path's series are let go (the
  // context keeps only their identity for the next mode's timeline) before the next path is written over
  // them, and nothing of a batch's paths outlives its outcomes
  const columns = carry.columns(4 * input.model.symbols.length * input.options.hours);
  for (let p = input.fromPath; p < input.toPath; p++) {
    const ticks = generatePath(input.model, input.options, input.seed, p, columns);
    const all = pathSeries(input.model, input.options, ticks, scaled);
    const series = [...all.filter((s) => listed.includes(s.symbol)), ...seriesForSymbols(all, mapped)];
    for (const mode of input.modes) {
      // the all-exact reference (screening false) is the full replay, applying every close
      let r: ReplayOutcome;
      if (input.screening === false) {
        const full = replay({ spec, mode, series, recordCurve: false, context, screening: false });
        inspect?.(p, full);
        r = full;
      } else r = replayOutcome({ spec, mode, series, recordCurve: false, drawdown: false, context }); // (a path's outcome has no drawdown)
      out.push({
        path: p,
        mode,
        liquidated: r.liquidations.length > 0,
        liquidations: r.liquidations.length,
        liquidatedLegs: legBits(input.spec, r.liquidations),
        ruined: r.minEquity < ruinLevel,
        kept: toApproxNumber(r.finalEquity) / wallet,
        crashInjected: ticks.crashAt >= 0,
        exactBars: r.exactBars,
        bars: r.bars,
      });
    }
    onPath?.(p);
  }
  return out;
}

interface BatchContext {
  readonly model: ReturnsModel;
  /** The spec as JSON and the invariants setting: what the context's set-ups and openings derive from. */
  readonly key: string;
  readonly context: SimContext;
  /** The spec with the legs the model has series for (the context's caches know it by identity). */
  readonly spec: Spec;
  readonly listed: readonly string[];
  readonly mapped: readonly string[];
}

/**
 * What consecutive batches of one Monte Carlo share: the last batch's context (./context.ts: set-ups,
 * openings, prepared kernels, float legs) and its spec object, taken back by the next batch of the same
 * spec (compared by content, so a spec changed between batches gets its own), model and invariants setting.
 * The caller that runs the batches one after another holds it (a pool thread, ../io/montecarlo-task.ts; the
 * bench) and hands it to each: no module state, so nothing outlives the caller (issue 10). The pool runs a
 * Monte Carlo as batches of at most 50 paths, and rebuilding all this per batch cost a third of a path's time
 * (0.30 -> 0.20 ms per path, interleaved). What a context remembers never changes an outcome (opening.test.ts,
 * screening.test.ts: remembered = fresh; a range split over batches = the whole range).
 */
export class BatchCarry {
  last: BatchContext | undefined;
  private buffer: Float64Array | undefined;

  /**
   * The batch's path buffer (generatePath writes every element of it, so a reused one needs no clearing):
   * allocating and zeroing a new one (69 KB at 720 h) cost ~1 us per path of a 50-path batch.
   */
  columns(length: number): Float64Array {
    if (this.buffer === undefined || this.buffer.length !== length) this.buffer = new Float64Array(length);
    return this.buffer;
  }
}

function batchContext(input: BatchInput, carry: BatchCarry): BatchContext {
  const key = `${input.assertInvariants ?? false}|${JSON.stringify(input.spec)}`;
  const last = carry.last;
  if (last !== undefined && last.model === input.model && last.key === key) return last;
  // legs map to the model's series by base asset (seriesForSymbols): every venue's BTC/ETH/SOL markets
  const available = new Set(input.model.symbols.map(baseOf));
  const spec = { ...input.spec, legs: input.spec.legs.filter((l) => available.has(baseOf(l.symbol))) };
  // the model's own series stay where the venue lists those symbols (Binance USD-M, Bybit linear), as
  // before venues were mapped; other legs get their base asset's series under their own name
  const listed = input.model.symbols.filter((s) => DEFAULT_MARKETS[spec.exchange].some((m) => m.symbol === s));
  const mapped = spec.legs.map((l) => l.symbol).filter((s) => !listed.includes(s));
  carry.last = { model: input.model, key, context: new SimContext({ assertInvariants: input.assertInvariants ?? false }), spec, listed, mapped };
  return carry.last;
}

/** The legs (by index in the spec) whose symbol appears among the liquidations, as a bit mask. */
function legBits(spec: Spec, liquidations: readonly { readonly symbol: string }[]): number {
  let bits = 0;
  for (const l of liquidations) spec.legs.forEach((leg, i) => {
    if (leg.symbol === l.symbol) bits |= 1 << i;
  });
  return bits;
}

export interface ModeStatistics {
  readonly mode: ModeName;
  readonly paths: number;
  readonly liquidationProbability: number;
  readonly ruinProbability: number;
  /** Quantiles of kept equity (final / starting wallet): 5 %, 25 %, 50 %, 75 %, 95 %. */
  readonly keptQuantiles: readonly [number, number, number, number, number];
  /** Mean kept equity of the worst 5 % of paths (expected shortfall). */
  readonly expectedShortfall5: number;
  readonly meanKept: number;
}

export function statistics(outcomes: readonly PathOutcome[], modes: readonly ModeName[]): ModeStatistics[] {
  return modes.map((mode) => {
    const rows = outcomes.filter((o) => o.mode === mode);
    const kept = rows.map((r) => r.kept).sort((a, b) => a - b);
    return {
      mode,
      paths: rows.length,
      liquidationProbability: rows.filter((r) => r.liquidated).length / Math.max(1, rows.length),
      ruinProbability: rows.filter((r) => r.ruined).length / Math.max(1, rows.length),
      ...keptFigures(kept),
      meanKept: kept.reduce((a, b) => a + b, 0) / Math.max(1, kept.length),
    };
  });
}

/** The kept-equity quantiles (5, 25, 50, 75, 95 %) and the expected shortfall 5 % of values sorted ascending (perpguard sweep uses the same). */
export function keptFigures(sortedKept: readonly number[]): { keptQuantiles: [number, number, number, number, number]; expectedShortfall5: number } {
  const n = sortedKept.length;
  const q = (f: number) => (n ? sortedKept[Math.min(n - 1, Math.floor(f * (n - 1) + 0.5))]! : NaN);
  const tail = sortedKept.slice(0, Math.max(1, Math.ceil(n * 0.05)));
  return { keptQuantiles: [q(0.05), q(0.25), q(0.5), q(0.75), q(0.95)], expectedShortfall5: tail.reduce((a, b) => a + b, 0) / tail.length };
}
