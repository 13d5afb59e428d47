// Margin-mode advice, the numbers behind it (./mode.ts): the portfolio with the trade isolated and with
// the trade cross (the rest as specified), and the rest alone as the baseline, through the bundled crash
// windows and a small Monte Carlo. Per run: kept equity (final / starting wallet), whether the trade was
// liquidated, and the blast radius: how much less the account keeps than the rest alone would, beyond the
// trade's own margin and fees (what the trade took from the rest), plus the other positions liquidated
// beyond the baseline's.
import { add, divideBy, isPositive, max, notional, parseFixed, ratio, sub, toApproxNumber, zero, type Money } from '../domain/fixed.ts';
import { InputError } from '../schema/input-error.ts';
import { bootstrapOptions, generatePath, pathSeries, type ReturnsModel } from '../sim/generators.ts';
import { ticksScaled } from '../sim/montecarlo.ts';
import { SimContext } from '../sim/context.ts';
import { replay, type ModeResult } from '../sim/replay.ts';
import type { LegSpec, Spec } from '../sim/spec.ts';
import { runWindow, specFor, type WindowData } from '../sim/study.ts';
import { empiricalQuantile, mean } from './statistics.ts';
import { MC_START_MS } from './odds.ts';
import type { Choice, ModeAdviceInput } from './mode.ts';

/** One run (a crash window or a path) of one configuration, against the rest alone. */
export interface RunOutcome {
  readonly kept: number;
  readonly finalEquity: Money;
  readonly tradeEntered: boolean;
  readonly tradeLiquidated: boolean;
  /** Liquidations of other positions. */
  readonly othersLiquidated: number;
  /** Liquidations of other positions beyond those of the rest alone. */
  readonly extraLiquidations: number;
  /** max(0, rest alone's final equity - this final equity - the trade's margin - the trade's fees). */
  readonly blastAmount: Money;
  /** blastAmount / starting wallet. */
  readonly blast: number;
}

export interface WindowComparison {
  readonly id: string;
  readonly title: string;
  readonly isolated: RunOutcome;
  readonly cross: RunOutcome;
}

export interface McSummary {
  readonly paths: number;
  readonly tradeLiquidation: number;
  readonly meanKept: number;
  readonly keptP5: number;
  readonly extraLiquidation: number;
  readonly meanBlast: number;
  readonly worstBlast: number;
}

/** The spec with the trade in the given mode, the rest as specified; and the rest alone (or undefined). */
export function variants(spec: Spec, tradeIndex: number): { isolated: Spec; cross: Spec; rest: Spec | undefined } {
  const trade = spec.legs[tradeIndex];
  if (!trade) throw new InputError('--leg', `the spec has ${spec.legs.length} leg(s); ${tradeIndex} is not one of them`);
  const others = spec.legs.filter((_, i) => i !== tradeIndex);
  if (others.some((l) => l.symbol === trade.symbol)) throw new InputError('--leg', `${trade.symbol} appears twice in the spec; one-way mode holds one position per symbol`);
  const withTrade = (leg: LegSpec): Spec => ({ ...spec, legs: spec.legs.map((l, i) => (i === tradeIndex ? leg : l)) });
  return {
    isolated: withTrade({ ...trade, marginMode: 'isolated' }),
    cross: withTrade({ ...trade, marginMode: 'cross', isolatedMargin: undefined }),
    rest: others.length > 0 ? { ...spec, legs: others } : undefined,
  };
}

/** The trade's initial margin at entry (notional / leverage, or its isolated margin if larger) and its fees. */
function tradeCosts(result: ModeResult, trade: LegSpec): { margin: Money; fees: Money; entered: boolean } {
  const entry = result.entries.find((e) => e.symbol === trade.symbol);
  let fees = zero<'Money'>();
  for (const e of result.events) if (e.type === 'fill' && e.symbol === trade.symbol) fees = add(fees, e.fee);
  if (!entry) return { margin: zero(), fees, entered: false };
  let margin = divideBy(notional(entry.quantity, entry.price, 'ceil'), trade.leverage, 'ceil');
  if (trade.isolatedMargin !== undefined && trade.marginMode === 'isolated') margin = max(margin, parseFixed<'Money'>(trade.isolatedMargin));
  return { margin, fees, entered: true };
}

/** A configuration's run against the rest alone (restFinal: the rest's final equity; restOthers: its liquidations). */
export function outcome(result: ModeResult, trade: LegSpec, restFinal: Money, restLiquidations: number): RunOutcome {
  const costs = tradeCosts(result, trade);
  const others = result.liquidations.filter((l) => l.symbol !== trade.symbol).length;
  const effect = sub(sub(sub(restFinal, result.finalEquity), costs.margin), costs.fees);
  const blastAmount = max(zero<'Money'>(), effect);
  const wallet = result.startWallet;
  return {
    kept: toApproxNumber(ratio(result.finalEquity, wallet, 'floor')),
    finalEquity: result.finalEquity,
    tradeEntered: costs.entered,
    tradeLiquidated: result.liquidations.some((l) => l.symbol === trade.symbol),
    othersLiquidated: others,
    extraLiquidations: Math.max(0, others - restLiquidations),
    blastAmount,
    blast: isPositive(wallet) ? toApproxNumber(ratio(blastAmount, wallet, 'ceil')) : 0,
  };
}

/** The two configurations through each crash window that has data for the trade's symbol. */
export function crashWindowComparisons(spec: Spec, tradeIndex: number, windows: readonly WindowData[]): { windows: WindowComparison[]; skipped: string[] } {
  const v = variants(spec, tradeIndex);
  const trade = spec.legs[tradeIndex]!;
  const out: WindowComparison[] = [];
  const skipped: string[] = [];
  for (const w of windows) {
    if (!specFor(v.isolated, w).legs.some((l) => l.symbol === trade.symbol)) {
      skipped.push(w.id);
      continue;
    }
    const restSpec = v.rest && specFor(v.rest, w).legs.length > 0 ? v.rest : undefined;
    const rest = restSpec ? runWindow(restSpec, w, { modes: ['mixed'] }).modes.mixed : undefined;
    const restFinal = rest ? rest.finalEquity : parseFixed<'Money'>(spec.wallet);
    const restLiq = rest ? rest.liquidations.length : 0;
    const iso = runWindow(v.isolated, w, { modes: ['mixed'] }).modes.mixed;
    const cross = runWindow(v.cross, w, { modes: ['mixed'] }).modes.mixed;
    out.push({ id: w.id, title: w.title, isolated: outcome(iso, trade, restFinal, restLiq), cross: outcome(cross, trade, restFinal, restLiq) });
  }
  return { windows: out, skipped };
}

/** The two configurations on the same bootstrap paths (the rest alone on them too). */
export function monteCarloComparison(
  spec: Spec,
  tradeIndex: number,
  model: ReturnsModel,
  mc: NonNullable<ModeAdviceInput['monteCarlo']>,
): { isolated: McSummary; cross: McSummary } {
  const trade = spec.legs[tradeIndex]!;
  if (!model.symbols.includes(trade.symbol)) throw new InputError('--leg', `${trade.symbol} is not in the Monte Carlo model (${model.symbols.join(', ')})`);
  const available = new Set(model.symbols);
  const keep = (s: Spec): Spec => ({ ...s, legs: s.legs.filter((l) => available.has(l.symbol)) });
  const v = variants(spec, tradeIndex);
  const iso = keep(v.isolated);
  const cross = keep(v.cross);
  const rest = v.rest && keep(v.rest).legs.length > 0 ? keep(v.rest) : undefined;
  const options = bootstrapOptions({ hours: mc.hours, blockHours: mc.blockHours, crashProbability: mc.crashProbability ?? 0.2, tickTexts: mc.tickTexts, startMs: mc.startMs ?? MC_START_MS });
  const scaled = ticksScaled(mc.tickTexts);
  const wallet = parseFixed<'Money'>(spec.wallet);
  const runs: Record<Choice, RunOutcome[]> = { isolated: [], cross: [] };
  // one context for the run: each spec's set-up account is built once, each path's timeline once
  const context = new SimContext();
  for (let p = 0; p < mc.paths; p++) {
    const series = pathSeries(model, options, generatePath(model, options, mc.seed, p), scaled);
    const r = rest ? replay({ spec: rest, mode: 'mixed', series, recordCurve: false, context }) : undefined;
    const restFinal = r ? r.finalEquity : wallet;
    const restLiq = r ? r.liquidations.length : 0;
    runs.isolated.push(outcome(replay({ spec: iso, mode: 'mixed', series, recordCurve: false, context }), trade, restFinal, restLiq));
    runs.cross.push(outcome(replay({ spec: cross, mode: 'mixed', series, recordCurve: false, context }), trade, restFinal, restLiq));
  }
  return { isolated: summarizeRuns(runs.isolated), cross: summarizeRuns(runs.cross) };
}

export function summarizeRuns(runs: readonly RunOutcome[]): McSummary {
  const n = runs.length;
  const share = (f: (r: RunOutcome) => boolean) => (n ? runs.filter(f).length / n : NaN);
  const blasts = runs.map((r) => r.blast);
  return {
    paths: n,
    tradeLiquidation: share((r) => r.tradeLiquidated),
    meanKept: mean(runs.map((r) => r.kept)),
    keptP5: n ? empiricalQuantile(runs.map((r) => r.kept), 0.05) : NaN,
    extraLiquidation: share((r) => r.extraLiquidations > 0),
    meanBlast: mean(blasts),
    worstBlast: n ? Math.max(...blasts) : NaN,
  };
}
