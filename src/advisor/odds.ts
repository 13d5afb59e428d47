// Leverage calibration, part 3: the probability of liquidation within the horizon at a list of leverages,
// from Monte Carlo paths of the simulator's generators run through the replay with a hold spec.
import { formatFixed, type Money } from '../domain/fixed.ts';
import type { ExchangeId } from '../exchanges/rules.ts';
import { InputError } from '../schema/input-error.ts';
import { bootstrapOptions, generatePath, pathSeries, type ReturnsModel } from '../sim/generators.ts';
import { ticksScaled } from '../sim/montecarlo.ts';
import { SimContext } from '../sim/context.ts';
import { replay } from '../sim/replay.ts';
import type { LegSpec, Spec } from '../sim/spec.ts';
import type { Side } from './move.ts';

export interface LiquidationOdds {
  readonly leverage: number;
  readonly mode: 'isolated' | 'cross';
  /** Paths on which the trade was opened (a refused leverage opens none). */
  readonly paths: number;
  readonly liquidated: number;
  /** liquidated / paths; NaN when no path opened the trade. */
  readonly probability: number;
  readonly refused: string | undefined;
}

export interface OddsInput {
  readonly model: ReturnsModel;
  /** Tick sizes of the model's symbols as exact decimals (quantization of the paths). */
  readonly tickTexts: readonly string[];
  readonly exchange: ExchangeId;
  readonly wallet: Money;
  /** The rest of the portfolio as spec legs (run as specified); empty for a lone trade. */
  readonly rest: readonly LegSpec[];
  readonly trade: { readonly symbol: string; readonly side: Side; readonly margin: Money };
  readonly leverages: readonly number[];
  readonly modes: readonly ('isolated' | 'cross')[];
  readonly horizonHours: number;
  readonly paths: number;
  readonly seed: number;
  readonly blockHours?: number;
  readonly crashProbability?: number;
  /** Epoch ms of the first generated bar (bracket tables in force then); default 2026-01-21. */
  readonly startMs?: number;
  /** Leverages known to be refused (from the exact check), with the reason; they are not run. */
  readonly refused?: ReadonlyMap<number, string>;
}

/** 2026-01-21 00:00 UTC, the hour after the bundled 2024-2026 history ends. */
export const MC_START_MS = 1_768_953_600_000;

/**
 * P(the trade is liquidated within the horizon) per leverage and mode: the same bootstrap paths (block
 * bootstrap of the aligned hourly history, a path a pure function of (seed, index)) for every leverage,
 * each run through the exact replay with a hold spec: the rest as specified, the trade at the leverage in
 * the mode.
 */
export function liquidationOdds(input: OddsInput): LiquidationOdds[] {
  const { model, trade } = input;
  if (!model.symbols.includes(trade.symbol)) throw new InputError('--symbol', `${trade.symbol} is not in the Monte Carlo model (${model.symbols.join(', ')})`);
  const options = bootstrapOptions({ hours: input.horizonHours, blockHours: input.blockHours, crashProbability: input.crashProbability ?? 0, tickTexts: input.tickTexts, startMs: input.startMs ?? MC_START_MS });
  const scaled = ticksScaled(input.tickTexts);
  const available = new Set(model.symbols);
  const rest = input.rest.filter((l) => available.has(l.symbol));
  const runs = input.leverages.flatMap((leverage) =>
    input.modes.map((mode) => {
      const refused = input.refused?.get(leverage);
      const tradeLeg: LegSpec = { symbol: trade.symbol, side: trade.side, size: { margin: formatMoney(trade.margin) }, leverage, marginMode: mode, role: 'speculative' };
      const spec: Spec = { name: `${trade.symbol} ${leverage}x ${mode}`, exchange: input.exchange, wallet: formatMoney(input.wallet), ruinFraction: '0.5', legs: [...rest, tradeLeg], strategy: { kind: 'hold' } };
      return { leverage, mode, refused, spec, paths: 0, liquidated: 0 };
    }),
  );
  // one context for the run: each spec's set-up account is built once, each path's timeline once
  const context = new SimContext();
  for (let p = 0; p < input.paths; p++) {
    const ticks = generatePath(model, options, input.seed, p);
    const series = pathSeries(model, options, ticks, scaled);
    for (const run of runs) {
      if (run.refused !== undefined) continue;
      const r = replay({ spec: run.spec, mode: 'mixed', series, recordCurve: false, context });
      if (!r.entries.some((e) => e.symbol === trade.symbol)) continue;
      run.paths++;
      if (r.liquidations.some((l) => l.symbol === trade.symbol)) run.liquidated++;
    }
  }
  return runs.map((r) => ({ leverage: r.leverage, mode: r.mode, paths: r.paths, liquidated: r.liquidated, probability: r.paths ? r.liquidated / r.paths : NaN, refused: r.refused }));
}

/** A spec's decimal text of an amount, exact (trailing zeros trimmed). */
const formatMoney = (x: Money): string => formatFixed(x);
