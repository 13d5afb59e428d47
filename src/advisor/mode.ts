// Margin-mode recommendation for a planned trade inside a portfolio (`perpguard advise mode`).
//
// The seed's criteria, each with a verdict:
//   - role: a speculative trade goes isolated (its loss is capped at its margin); core positions and hedges
//     are cross candidates (a hedge in cross lends its gains to the book it hedges);
//   - experience: novices get isolated, whatever the rest says;
//   - correlation: the trade's PnL against the PnL of the positions that would share the cross wallet with
//     it, from aligned hourly returns (BTC/ETH/SOL 2024-2026): moving with them (>= +0.5) means their
//     losses and the trade's arrive together in one wallet (the domino); offsetting them (<= -0.3) is what
//     cross is for; with no other cross position it says nothing;
// backed by numbers: the portfolio with the trade isolated and with the trade cross (the rest as
// specified), and the rest alone as the baseline, through the bundled crash windows and a small Monte
// Carlo. Per run: kept equity (final / starting wallet), whether the trade was liquidated, and the blast
// radius: how much less the account keeps than the rest alone would, beyond the trade's own margin and
// fees (what the trade took from the rest), plus the other positions liquidated beyond the baseline's.
// Novices and speculative trades get isolated. Otherwise the numbers come first, conservatively: the crash
// windows or the Monte Carlo showing a blast radius in cross, more positions liquidated with it, or
// isolated keeping more equity, decide for isolated; then a correlation that says isolated, unless a number
// says cross; else cross. The reason is one sentence assembled from the numbers.
import { add, divideBy, isPositive, max, notional, parseFixed, ratio, sub, toApproxNumber, zero, type Money } from '../domain/fixed.ts';
import { InputError } from '../exchanges/snapshot.ts';
import { bootstrapOptions, generatePath, pathSeries, type ReturnsModel } from '../sim/generators.ts';
import { ticksScaled } from '../sim/montecarlo.ts';
import { SimContext } from '../sim/context.ts';
import { replay, type ModeResult } from '../sim/replay.ts';
import type { LegSpec, Spec } from '../sim/spec.ts';
import { runWindow, specFor, type WindowData } from '../sim/study.ts';
import { correlation, empiricalQuantile, mean, percentText, decimalText } from './statistics.ts';
import { MC_START_MS } from './calibration.ts';

export type Experience = 'novice' | 'intermediate' | 'expert';
export const EXPERIENCES: readonly Experience[] = ['novice', 'intermediate', 'expert'];
export type Choice = 'isolated' | 'cross';
export type Verdict = Choice | 'neutral';

/** Thresholds of the criteria (documented in the README's advisor section and the command's help). */
export const MODE_THRESHOLDS = {
  /** PnL correlation with the cross book at or above which the trade moves with it. */
  correlated: 0.5,
  /** At or below which it offsets it. */
  offsetting: -0.3,
  /** A blast radius (fraction of the wallet) at or above which it counts. */
  blast: 0.005,
  /** Probability and kept-equity differences that count. */
  probability: 0.01,
  kept: 0.005,
} as const;

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

export interface Criterion {
  readonly name: 'role' | 'experience' | 'correlation' | 'crash windows' | 'Monte Carlo';
  readonly verdict: Verdict;
  readonly statement: string;
}

export interface ModeAdvice {
  readonly trade: LegSpec;
  readonly tradeIndex: number;
  readonly experience: Experience;
  readonly recommendation: Choice;
  readonly reason: string;
  readonly criteria: readonly Criterion[];
  /** PnL correlation of the trade with the other cross legs (undefined: none, or no aligned returns). */
  readonly correlation: number | undefined;
  /** Signed PnL correlation with each other leg (undefined when a symbol has no aligned returns). */
  readonly legCorrelations: readonly { readonly symbol: string; readonly side: string; readonly marginMode: string; readonly correlation: number | undefined }[];
  readonly windows: readonly WindowComparison[];
  /** Windows left out because the trade's symbol has no intraday data in them. */
  readonly skippedWindows: readonly string[];
  readonly monteCarlo: { readonly hours: number; readonly seed: number; readonly isolated: McSummary; readonly cross: McSummary } | undefined;
}

export interface ModeAdviceInput {
  readonly spec: Spec;
  /** Index of the planned trade in spec.legs. */
  readonly tradeIndex: number;
  readonly experience: Experience;
  readonly windows: readonly WindowData[];
  readonly model?: ReturnsModel;
  readonly monteCarlo?: {
    readonly tickTexts: readonly string[];
    readonly paths: number;
    readonly hours: number;
    readonly seed: number;
    readonly blockHours?: number;
    readonly crashProbability?: number;
    readonly startMs?: number;
  };
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

// ------------------------------------------------------------------------------------- correlation

/** A leg's notional at the model's start price, as a float weight (statistics only). */
function weightOf(leg: LegSpec, wallet: number, startPrice: number): number {
  const num = (t: string) => toApproxNumber(parseFixed<'Rate'>(t));
  if ('notional' in leg.size) return num(leg.size.notional);
  if ('margin' in leg.size) return num(leg.size.margin) * leg.leverage;
  const risk = (wallet * num(leg.size.riskPercent)) / 100;
  const stop = leg.stopLoss;
  const distance = !stop ? NaN : 'percent' in stop ? num(stop.percent) / 100 : Math.abs(startPrice - num(stop.price)) / startPrice;
  return distance > 0 ? risk / distance : 0;
}

/**
 * PnL correlations from the model's aligned hourly returns: the trade (side x return) against each other
 * leg (side x return), and against the notional-weighted PnL of the other cross legs.
 */
export function pnlCorrelations(spec: Spec, tradeIndex: number, model: ReturnsModel): { cross: number | undefined; legs: ModeAdvice['legCorrelations'] } {
  const trade = spec.legs[tradeIndex]!;
  const returnsOf = (symbol: string): Float64Array | undefined => {
    const a = model.symbols.indexOf(symbol);
    if (a < 0) return undefined;
    return Float64Array.from(model.body[a]!, (b, j) => b + model.gap[a]![j]!);
  };
  const sign = (leg: LegSpec) => (leg.side === 'long' ? 1 : -1);
  const tr = returnsOf(trade.symbol);
  const wallet = toApproxNumber(parseFixed<'Money'>(spec.wallet));
  const legs = spec.legs.flatMap((leg, i) => {
    if (i === tradeIndex) return [];
    const r = returnsOf(leg.symbol);
    return [{ symbol: leg.symbol, side: leg.side, marginMode: leg.marginMode, correlation: tr && r ? correlation(tr, r) * sign(trade) * sign(leg) : undefined }];
  });
  if (!tr) return { cross: undefined, legs };
  const crossLegs = spec.legs.filter((l, i) => i !== tradeIndex && l.marginMode === 'cross' && model.symbols.includes(l.symbol));
  if (crossLegs.length === 0) return { cross: undefined, legs };
  const book = new Float64Array(tr.length);
  for (const leg of crossLegs) {
    const r = returnsOf(leg.symbol)!;
    const w = sign(leg) * weightOf(leg, wallet, model.start[model.symbols.indexOf(leg.symbol)]!);
    for (let j = 0; j < book.length; j++) book[j]! += w * r[j]!;
  }
  const c = correlation(tr, book) * sign(trade);
  return { cross: Number.isNaN(c) ? undefined : c, legs };
}

// ------------------------------------------------------------------------------------- the decision

const pct = (x: number) => percentText(x, 1);

function windowsCriterion(windows: readonly WindowComparison[]): Criterion {
  if (windows.length === 0) return { name: 'crash windows', verdict: 'neutral', statement: 'no crash window has data for the trade' };
  const t = MODE_THRESHOLDS;
  const keptIso = mean(windows.map((w) => w.isolated.kept));
  const keptCross = mean(windows.map((w) => w.cross.kept));
  const worst = windows.reduce((a, w) => (w.cross.blast > a.cross.blast ? w : a));
  const extraIso = windows.reduce((s, w) => s + w.isolated.extraLiquidations, 0);
  const extraCross = windows.reduce((s, w) => s + w.cross.extraLiquidations, 0);
  const kept = `in ${windows.length} crash window(s) isolated kept ${pct(keptIso)} on average, cross ${pct(keptCross)}`;
  if (worst.cross.blast >= t.blast + worst.isolated.blast || extraCross > extraIso) {
    const hits = windows.filter((w) => w.cross.extraLiquidations > w.isolated.extraLiquidations).map((w) => w.title);
    return {
      name: 'crash windows',
      verdict: 'isolated',
      statement: `${kept}; in cross the trade took ${pct(worst.cross.blast)} of the wallet from the rest of the book (${worst.title})${extraCross > extraIso ? ` and ${extraCross - extraIso} more position(s) were liquidated with it (${hits.join(', ')})` : ''}`,
    };
  }
  if (keptCross >= keptIso + t.kept) return { name: 'crash windows', verdict: 'cross', statement: `${kept}, with no blast radius in cross` };
  if (keptIso >= keptCross + t.kept) {
    const lost = windows.filter((w) => w.cross.tradeLiquidated && !w.isolated.tradeLiquidated).map((w) => w.title);
    return { name: 'crash windows', verdict: 'isolated', statement: `${kept}${lost.length ? `: in cross the trade went down with the account (${lost.join(', ')})` : ''}` };
  }
  return { name: 'crash windows', verdict: 'neutral', statement: `${kept}; no blast radius in cross` };
}

function monteCarloCriterion(mc: ModeAdvice['monteCarlo'], note: string): Criterion {
  if (!mc) return { name: 'Monte Carlo', verdict: 'neutral', statement: note };
  const t = MODE_THRESHOLDS;
  const { isolated: i, cross: c } = mc;
  const head = `Monte Carlo (${c.paths} paths x ${mc.hours} h): P(trade liquidated) ${pct(i.tradeLiquidation)} isolated vs ${pct(c.tradeLiquidation)} cross, mean kept ${pct(i.meanKept)} vs ${pct(c.meanKept)}`;
  const blast = `blast radius mean ${decimalText(c.meanBlast * 100, 2)} %, worst ${pct(c.worstBlast)} of the wallet in cross, P(other positions liquidated with it) ${pct(i.extraLiquidation)} vs ${pct(c.extraLiquidation)}`;
  if (c.extraLiquidation >= i.extraLiquidation + t.probability || c.meanBlast >= i.meanBlast + t.blast) return { name: 'Monte Carlo', verdict: 'isolated', statement: `${head}; ${blast}` };
  if (c.meanKept >= i.meanKept + t.kept || c.tradeLiquidation <= i.tradeLiquidation - t.probability) return { name: 'Monte Carlo', verdict: 'cross', statement: `${head}; ${blast}` };
  if (i.meanKept >= c.meanKept + t.kept) return { name: 'Monte Carlo', verdict: 'isolated', statement: `${head}; ${blast}` };
  return { name: 'Monte Carlo', verdict: 'neutral', statement: `${head}; ${blast}` };
}

export function correlationCriterion(rho: number | undefined, crossLegs: number): Criterion {
  const t = MODE_THRESHOLDS;
  if (crossLegs === 0) return { name: 'correlation', verdict: 'neutral', statement: 'no other position shares the cross wallet, so correlation cannot spread a loss' };
  if (rho === undefined) return { name: 'correlation', verdict: 'neutral', statement: 'no aligned hourly returns for the trade and the cross book' };
  const r = decimalText(rho, 2);
  if (rho >= t.correlated) return { name: 'correlation', verdict: 'isolated', statement: `its PnL moves with the cross book (correlation ${r} on hourly returns): their losses arrive together in one wallet` };
  if (rho <= t.offsetting) return { name: 'correlation', verdict: 'cross', statement: `its PnL offsets the cross book (correlation ${r}): in cross its gains support the book` };
  return { name: 'correlation', verdict: 'neutral', statement: `its PnL is loosely related to the cross book (correlation ${r})` };
}

export function roleCriterion(role: LegSpec['role']): Criterion {
  if (role === 'speculative') return { name: 'role', verdict: 'isolated', statement: 'a speculative trade: its loss should stop at its own margin' };
  if (role === 'hedge') return { name: 'role', verdict: 'cross', statement: 'a hedge: in cross its gains can carry the positions it hedges' };
  return { name: 'role', verdict: 'cross', statement: 'a core position: a cross candidate, backed by the whole wallet' };
}

export function experienceCriterion(experience: Experience): Criterion {
  if (experience === 'novice') return { name: 'experience', verdict: 'isolated', statement: 'a novice: isolated, so one mistake costs one margin and not the account' };
  return { name: 'experience', verdict: 'neutral', statement: `${experience}: either mode` };
}

/**
 * The decision: novice -> isolated; speculative -> isolated; otherwise cross unless the crash windows or
 * the Monte Carlo show a blast radius in cross, or the correlation says isolated and no number says cross.
 */
export function decide(criteria: readonly Criterion[]): { choice: Choice; decisive: Criterion } {
  const get = (name: Criterion['name']) => criteria.find((c) => c.name === name)!;
  const experience = get('experience');
  if (experience.verdict === 'isolated') return { choice: 'isolated', decisive: experience };
  const role = get('role');
  if (role.verdict === 'isolated') return { choice: 'isolated', decisive: role };
  const windows = get('crash windows');
  const mc = get('Monte Carlo');
  if (windows.verdict === 'isolated') return { choice: 'isolated', decisive: windows };
  if (mc.verdict === 'isolated') return { choice: 'isolated', decisive: mc };
  const corr = get('correlation');
  if (corr.verdict === 'isolated' && windows.verdict !== 'cross' && mc.verdict !== 'cross') return { choice: 'isolated', decisive: corr };
  const numbers = [windows, mc].find((c) => c.verdict === 'cross');
  return { choice: 'cross', decisive: numbers ?? (corr.verdict === 'cross' ? corr : role) };
}

export function adviseMode(input: ModeAdviceInput): ModeAdvice {
  const { spec, tradeIndex, experience } = input;
  if (!(EXPERIENCES as readonly string[]).includes(experience)) throw new InputError('--experience', `must be one of ${EXPERIENCES.join(', ')}`);
  const trade = spec.legs[tradeIndex];
  if (!trade) throw new InputError('--leg', `the spec has ${spec.legs.length} leg(s); ${tradeIndex} is not one of them`);
  variants(spec, tradeIndex); // validates the trade's symbol
  const { windows, skipped } = crashWindowComparisons(spec, tradeIndex, input.windows);
  const model = input.model;
  const mcRuns = model !== undefined && input.monteCarlo !== undefined && model.symbols.includes(trade.symbol);
  const mc = mcRuns ? { hours: input.monteCarlo!.hours, seed: input.monteCarlo!.seed, ...monteCarloComparison(spec, tradeIndex, model!, input.monteCarlo!) } : undefined;
  const mcNote = input.monteCarlo === undefined ? 'not run' : `not run: ${trade.symbol} is not in the Monte Carlo model${model ? ` (${model.symbols.join(', ')})` : ''}`;
  const corr = input.model ? pnlCorrelations(spec, tradeIndex, input.model) : { cross: undefined, legs: [] };
  const crossLegs = spec.legs.filter((l, i) => i !== tradeIndex && l.marginMode === 'cross').length;
  const criteria: Criterion[] = [
    roleCriterion(trade.role),
    experienceCriterion(experience),
    correlationCriterion(corr.cross, crossLegs),
    windowsCriterion(windows),
    monteCarloCriterion(mc, mcNote),
  ];
  const { choice, decisive } = decide(criteria);
  const numbers = criteria.filter((c) => (c.name === 'crash windows' || c.name === 'Monte Carlo') && c !== decisive && !c.statement.startsWith('not run') && !c.statement.startsWith('no crash window'));
  const reason =
    `${choice}: ${decisive.statement}` +
    (numbers.length ? `; ${numbers.map((c) => c.statement).join('; ')}` : '') +
    (decisive.name !== 'correlation' && criteria[2]!.verdict !== 'neutral' ? `; ${criteria[2]!.statement}` : '') +
    (windows.length === 0 && !mc ? `; no numbers back it: no crash window has data for ${trade.symbol} and the Monte Carlo was ${mcNote}` : '') +
    '.';
  return {
    trade,
    tradeIndex,
    experience,
    recommendation: choice,
    reason,
    criteria,
    correlation: corr.cross,
    legCorrelations: corr.legs,
    windows,
    skippedWindows: skipped,
    monteCarlo: mc,
  };
}
