// Leverage calibration against volatility (`perpguard advise leverage`).
//
// The seed's rule: "if a 5 % move in an hour is possible, a 5 % move should only trigger a margin call".
// So: (1) how large an adverse move is possible within the horizon, at a confidence, from history:
//   - the empirical quantile of the worst adverse excursion over every rolling window of the horizon
//     (long: 1 - min low / open of the window's first bar; short: max high / open - 1), and
//   - a volatility-scaled estimate: EWMA (lambda 0.94) of log returns per hour x sqrt(horizon) x the normal
//     quantile of the confidence, turned into a price move (long 1 - e^-x, short e^x - 1);
//   the design move is the larger of the two (float is fine here: these are statistics of returns);
// (2) the highest leverage at which that move does not liquidate, found with the exact margin math: for
// each whole leverage from 1x the trade is added to the account (isolated, or cross with the rest of the
// portfolio), and its liquidation price and margin-call price (margin ratio 80 %) are solved exactly and
// compared with the moved price. Whether the move also reaches the margin call at that leverage is
// reported: the band between the margin call (margin balance = MM / 0.8) and liquidation (= MM) is only
// 0.25 x MMR of the price wide (0.1 % for BTC at 0.4 %), so most moves fall between two whole leverages:
// the lower one survives without a margin call and the higher one is liquidated.
// (3) the probability of liquidation within the horizon at a list of leverages, from Monte Carlo paths of
// the simulator's generators run through the replay with a hold spec.
import {
  add,
  divideByRate,
  formatFixed,
  formatFixedTo,
  fromInt,
  gt,
  gte,
  isPositive,
  lt,
  lte,
  parseFixed,
  quantityOf,
  roundToStep,
  scale,
  sub,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { solveMarginEquation, type MarginSegment, type SolverLeg } from '../domain/solver.ts';
import { maxNotionalAtLeverage } from '../domain/tiers.ts';
import { apply } from '../engine/apply.ts';
import { marketOrder, type Command } from '../engine/commands.ts';
import { DEFAULT_USER, initialState, marketOf, snapshotOf, userOf, type EngineState } from '../engine/state.ts';
import { tradeFee } from '../exchanges/fees.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { legNotional, solverLegOf, unrealizedPnl, type AccountSnapshot, type ExchangeId, type ExchangeProfile, type Leg, type Market } from '../exchanges/rules.ts';
import { DEFAULT_FEES, InputError } from '../exchanges/snapshot.ts';
import type { CandleSeries } from '../sim/data.ts';
import { bootstrapOptions, generatePath, pathSeries, type ReturnsModel } from '../sim/generators.ts';
import { ticksScaled } from '../sim/montecarlo.ts';
import { SimContext } from '../sim/context.ts';
import { replay, sizeOf } from '../sim/replay.ts';
import type { LegSpec, Spec } from '../sim/spec.ts';
import { empiricalQuantile, ewmaVolatility, normalQuantile, rateOfNumber } from './statistics.ts';

const HOUR = 3_600_000;
export type Side = 'long' | 'short';

// ------------------------------------------------------------------------------------------ the move

/**
 * The worst adverse excursion of every rolling window of `horizonHours` in the series (windows that span
 * a gap in the data are left out): long 1 - min(low) / open, short max(high) / open - 1, as fractions >= 0.
 * Every series must have one bar duration that divides the horizon.
 */
export function adverseExcursions(series: readonly CandleSeries[], horizonHours: number, side: Side): Float64Array {
  const out: number[] = [];
  const long = side === 'long';
  for (const s of series) {
    const n = s.time.length;
    if (n === 0) continue;
    const bar = barDuration(s);
    const k = windowBars(bar, horizonHours, s.source);
    const extremes = long ? s.lowF : s.highF;
    // contiguous runs of bars; in each, the window extreme by a monotonic deque (O(n) for any horizon)
    for (let start = 0; start < n; ) {
      let end = start + 1;
      while (end < n && s.time[end]! - s.time[end - 1]! === bar) end++;
      const deque: number[] = [];
      let head = 0;
      for (let j = start; j < end; j++) {
        const x = extremes[j]!;
        while (deque.length > head && (long ? extremes[deque[deque.length - 1]!]! >= x : extremes[deque[deque.length - 1]!]! <= x)) deque.pop();
        deque.push(j);
        const i = j - k + 1; // the window [i, j]
        if (i < start) continue;
        while (deque[head]! < i) head++;
        const extreme = extremes[deque[head]!]!;
        const open = s.openF[i]!;
        out.push(long ? 1 - extreme / open : extreme / open - 1);
      }
      start = end;
    }
  }
  return Float64Array.from(out);
}

function barDuration(s: CandleSeries): number {
  const bar = s.durationMs[0]!;
  if (s.durationMs.some((d) => d !== bar)) throw new InputError('--data', `${s.source} mixes bar durations (spliced data); give plain hourly or daily bars`);
  return bar;
}

function windowBars(barMs: number, horizonHours: number, source: string): number {
  const horizonMs = horizonHours * HOUR;
  if (horizonMs % barMs !== 0) throw new InputError('--horizon', `${horizonHours} h is not a whole number of ${barMs / HOUR} h bars of ${source}`);
  return horizonMs / barMs;
}

/**
 * Log returns close to close between consecutive bars (none across a gap), in time order over all the
 * series, and the bar length in hours (every series must have the same).
 */
export function logReturns(series: readonly CandleSeries[]): { returns: Float64Array; barHours: number } {
  const ordered = [...series].filter((s) => s.time.length > 0).sort((a, b) => a.time[0]! - b.time[0]!);
  if (ordered.length === 0) throw new InputError('--data', 'no bars');
  const bar = barDuration(ordered[0]!);
  const out: number[] = [];
  for (const s of ordered) {
    if (barDuration(s) !== bar) throw new InputError('--data', `${s.source} has ${barDuration(s) / HOUR} h bars, ${ordered[0]!.source} ${bar / HOUR} h: give one timeframe`);
    for (let i = 1; i < s.time.length; i++) {
      if (s.time[i]! - s.time[i - 1]! !== bar) continue;
      out.push(Math.log(s.closeF[i]! / s.closeF[i - 1]!));
    }
  }
  return { returns: Float64Array.from(out), barHours: bar / HOUR };
}

export interface MoveEstimate {
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  readonly historical: {
    /** The empirical quantile of the worst adverse excursion (fraction of the price). */
    readonly move: number;
    readonly windows: number;
    /** The worst excursion of all windows. */
    readonly worst: number;
  };
  readonly volatility: {
    readonly lambda: number;
    /** EWMA volatility of log returns per hour, after the last bar. */
    readonly hourly: number;
    readonly z: number;
    /** z x hourly x sqrt(horizon), as a price move. */
    readonly move: number;
  };
  /** The larger of the two: the move the leverage is calibrated against. */
  readonly move: number;
  readonly basis: 'history' | 'volatility';
}

export function estimateMove(input: { series: readonly CandleSeries[]; horizonHours: number; confidence: number; side: Side; lambda?: number }): MoveEstimate {
  const { horizonHours, confidence, side } = input;
  const lambda = input.lambda ?? 0.94;
  if (!Number.isInteger(horizonHours) || horizonHours < 1) throw new InputError('--horizon', `must be a whole number of hours >= 1, got ${horizonHours}`);
  if (!(confidence > 0.5 && confidence < 1)) throw new InputError('--confidence', `must be a probability between 0.5 and 1 (e.g. 0.99), got ${confidence}`);
  const excursions = adverseExcursions(input.series, horizonHours, side);
  if (excursions.length === 0) throw new InputError('--horizon', `${horizonHours} h is longer than every stretch of the data`);
  const { returns, barHours } = logReturns(input.series);
  const hourly = ewmaVolatility(returns, lambda) / Math.sqrt(barHours);
  const z = normalQuantile(confidence);
  const x = z * hourly * Math.sqrt(horizonHours);
  const volMove = side === 'long' ? 1 - Math.exp(-x) : Math.exp(x) - 1;
  const histMove = empiricalQuantile(excursions, confidence);
  let worst = 0;
  for (const e of excursions) worst = Math.max(worst, e);
  return {
    side,
    horizonHours,
    confidence,
    historical: { move: histMove, windows: excursions.length, worst },
    volatility: { lambda, hourly, z, move: volMove },
    move: Math.max(histMove, volMove),
    basis: histMove >= volMove ? 'history' : 'volatility',
  };
}

// ------------------------------------------------------------------------------ the exact calibration

export interface TradePlan {
  readonly symbol: string;
  readonly side: Side;
  /** Margin committed to the trade: the position is margin x leverage of notional at `price`. */
  readonly margin: Money;
  /** Entry price (and mark) of the trade. */
  readonly price: Price;
}

export interface LeverageCheck {
  readonly leverage: number;
  /** Why this leverage cannot be used (the exchange would refuse it), or undefined. */
  readonly refused: string | undefined;
  readonly size: Quantity;
  readonly notional: Money;
  readonly initialMargin: Money;
  readonly fee: Money;
  /** Solved exactly, rounded toward the entry (reached no later than printed); undefined: never liquidated. */
  readonly liquidationPrice: Price | undefined;
  /** Where the margin ratio of the trade's scope reaches the margin-call level. */
  readonly marginCallPrice: Price | undefined;
  readonly movedPrice: Price;
  /** MM / margin balance of the trade's scope at the moved price; undefined when the balance is gone. */
  readonly marginRatioAtMove: Rate | undefined;
  /** The liquidation price lies strictly beyond the moved price (or there is none). */
  readonly survives: boolean;
  /** The margin-call price lies within the move (reached by it). */
  readonly marginCalled: boolean;
}

export interface ModeCalibration {
  readonly mode: 'isolated' | 'cross';
  /** The highest whole leverage at which the move (and every smaller leverage) does not liquidate. */
  readonly leverage: number | undefined;
  readonly at: LeverageCheck | undefined;
  /** The leverage above it: liquidated by the move, refused by the exchange, or above the market's maximum. */
  readonly next: LeverageCheck | undefined;
  readonly limitedBy: 'liquidation' | 'refused' | 'max leverage';
  /** The lowest leverage at which the move reaches the margin call, if any up to the one above. */
  readonly marginCallFrom: number | undefined;
  /** Every leverage checked, from 1x. */
  readonly checks: readonly LeverageCheck[];
}

export interface CalibrationInput {
  /** The rest of the account (no position in the trade's symbol). */
  readonly base: AccountSnapshot;
  readonly market: Market;
  readonly trade: TradePlan;
  /** Adverse move as a fraction of the price (0.05 = 5 %). */
  readonly move: Rate;
  readonly marginCallRatio: Rate;
  readonly mode: 'isolated' | 'cross';
}

/** The moved price: long P x (1 - m), short P x (1 + m), the product rounded away from the entry. */
export function movedPrice(price: Price, move: Rate, side: Side): Price {
  const distance = scale(price, move, 'ceil');
  return side === 'long' ? sub(price, distance) : add(price, distance);
}

/** An amount for a message: 2 decimals, trailing zeros dropped (49,999.99999999999 -> 50000). */
function amountText(x: Money): string {
  return formatFixedTo(x, 2, 'halfEven').replace(/\.?0+$/, '');
}

/** The account with the trade opened at `leverage`, or the reason the exchange would refuse it. */
export function accountWithTrade(
  input: Omit<CalibrationInput, 'move' | 'marginCallRatio'>,
  leverage: number,
): { snapshot: AccountSnapshot; index: number; size: Quantity; notional: Money; initialMargin: Money; fee: Money } | { refused: string; size: Quantity; notional: Money } {
  const { base, market, trade, mode } = input;
  const profile = profileOf(base.exchange);
  const size = roundToStep(quantityOf(scale(trade.margin, fromInt<'Rate'>(leverage), 'floor'), trade.price, 'floor'), market.stepSize, 'floor');
  const sized = { size, market };
  const notional = isPositive(size) ? legNotional(sized, trade.price) : zero<'Money'>();
  if (leverage > market.maxLeverage) return { refused: `above the ${market.maxLeverage}x maximum of ${market.symbol}`, size, notional };
  if (!isPositive(size)) return { refused: `the position would be smaller than one step (${formatFixed(market.stepSize)})`, size, notional };
  if (market.brackets) {
    const cap = maxNotionalAtLeverage(market.brackets, leverage);
    if (cap === undefined || gt(notional, cap)) {
      return { refused: `${leverage}x allows at most ${cap === undefined ? 'no' : amountText(cap)} notional in ${market.symbol}'s brackets (needed ${amountText(notional)})`, size, notional };
    }
  }
  const leg: Leg = {
    symbol: trade.symbol,
    positionSide: 'BOTH',
    side: trade.side === 'long' ? 1 : -1,
    size,
    entryPrice: trade.price,
    markPrice: trade.price,
    marginMode: mode,
    leverage,
    isolatedWallet: zero(),
    market,
  };
  const initialMargin = profile.initialMargin(leg, trade.price);
  const fee = tradeFee(market, size, trade.price, base.fees.taker);
  const available = profile.evaluate(base).availableBalance;
  if (gt(add(initialMargin, fee), available)) {
    return { refused: `margin ${amountText(initialMargin)} + fee ${amountText(fee)} is more than the available ${amountText(available)} (-2019 Margin is insufficient)`, size, notional };
  }
  const placed: Leg = mode === 'isolated' ? { ...leg, isolatedWallet: initialMargin } : leg;
  const crossWallet = sub(sub(base.crossWallet, fee), mode === 'isolated' ? initialMargin : zero<'Money'>());
  return { snapshot: { ...base, crossWallet, legs: [...base.legs, placed] }, index: base.legs.length, size, notional, initialMargin, fee };
}

/** One leverage against the move. */
export function checkLeverage(input: CalibrationInput, leverage: number): LeverageCheck {
  const moved = movedPrice(input.trade.price, input.move, input.trade.side);
  const built = accountWithTrade(input, leverage);
  if ('refused' in built) {
    return {
      leverage,
      refused: built.refused,
      size: built.size,
      notional: built.notional,
      initialMargin: zero(),
      fee: zero(),
      liquidationPrice: undefined,
      marginCallPrice: undefined,
      movedPrice: moved,
      marginRatioAtMove: undefined,
      survives: false,
      marginCalled: false,
    };
  }
  const { snapshot, index } = built;
  const profile = profileOf(snapshot.exchange);
  const long = input.trade.side === 'long';
  const liquidationPrice = profile.liquidationPrice(snapshot, index);
  const marginCallPrice = ratioLevelPrice(profile, snapshot, index, input.marginCallRatio);
  // within the move: between the entry and the moved price, the moved price included
  const within = (p: Price | undefined) => p !== undefined && (long ? gte(p, moved) : lte(p, moved));
  const atMove: AccountSnapshot = {
    ...snapshot,
    legs: snapshot.legs.map((l) => (l.symbol === input.trade.symbol ? { ...l, markPrice: moved } : l)),
  };
  return {
    leverage,
    refused: undefined,
    size: built.size,
    notional: built.notional,
    initialMargin: built.initialMargin,
    fee: built.fee,
    liquidationPrice,
    marginCallPrice,
    movedPrice: moved,
    marginRatioAtMove: profile.marginRatio(atMove, index),
    survives: !within(liquidationPrice),
    marginCalled: within(marginCallPrice),
  };
}

/** The highest leverage the move does not liquidate, scanning whole leverages from 1x. */
export function calibrateLeverage(input: CalibrationInput): ModeCalibration {
  if (input.base.legs.some((l) => l.symbol === input.trade.symbol)) {
    throw new InputError('--symbol', `the portfolio already holds ${input.trade.symbol}; one-way mode holds one position per symbol`);
  }
  if (!isPositive(input.trade.margin)) throw new InputError('--margin', 'must be above zero');
  if (!isPositive(input.move)) throw new InputError('--move', 'must be above 0');
  if (input.trade.side === 'long' && !lt(input.move, fromInt<'Rate'>(1))) throw new InputError('--move', 'must be below 100 % for a long');
  const checks: LeverageCheck[] = [];
  let leverage: number | undefined;
  let limitedBy: ModeCalibration['limitedBy'] = 'max leverage';
  for (let l = 1; l <= input.market.maxLeverage; l++) {
    const check = checkLeverage(input, l);
    checks.push(check);
    if (check.refused !== undefined) {
      limitedBy = 'refused';
      break;
    }
    if (!check.survives) {
      limitedBy = 'liquidation';
      break;
    }
    leverage = l;
  }
  const at = leverage === undefined ? undefined : checks[leverage - 1];
  const next = checks[leverage === undefined ? 0 : leverage];
  return {
    mode: input.mode,
    leverage,
    at,
    next: next && next !== at ? next : undefined,
    limitedBy,
    marginCallFrom: checks.find((c) => c.refused === undefined && c.marginCalled)?.leverage,
    checks,
  };
}

/**
 * The mark of the leg's symbol at which the margin ratio of the leg's scope equals `level`: the
 * liquidation equation with every maintenance requirement divided by the level (margin balance = MM /
 * level), as the replay's path stops (../sim/levels.ts) do for an engine state.
 */
export function ratioLevelPrice(profile: ExchangeProfile, snapshot: AccountSnapshot, index: number, level: Rate): Price | undefined {
  const rules = profile.rules;
  const fees = snapshot.fees;
  const leg = snapshot.legs[index]!;
  const scaled = (l: Leg): MarginSegment[] =>
    rules.maintenanceSchedule(l, fees, {}).map((s) => ({ ...s, rate: divideByRate(s.rate, level, 'ceil'), constant: divideByRate(s.constant, level, 'ceil') }));
  const solverLeg = (l: Leg): SolverLeg => solverLegOf(l, scaled(l));
  if (leg.marginMode === 'isolated') return solveMarginEquation(leg.isolatedWallet, [solverLeg(leg)], leg.markPrice);
  let pool: Money = snapshot.crossWallet;
  const group: SolverLeg[] = [];
  for (const other of snapshot.legs) {
    if (other.marginMode !== 'cross') continue;
    if (other.symbol === leg.symbol) group.push(solverLeg(other));
    else pool = sub(add(pool, unrealizedPnl(other, other.markPrice)), divideByRate(profile.maintenanceMargin(other, fees).amount, level, 'ceil'));
  }
  return solveMarginEquation(pool, group, leg.markPrice);
}

// ------------------------------------------------------------------------------------ the accounts

/** The account a lone trade starts from: the wallet in cross, nothing open, the venue's base fees. */
export function loneAccount(exchange: ExchangeId, wallet: Money): AccountSnapshot {
  const fees = DEFAULT_FEES[exchange];
  return { exchange, positionMode: 'one-way', crossWallet: wallet, legs: [], fees: { taker: parseFixed(fees.taker), maker: parseFixed(fees.maker) } };
}

/** The market of a symbol on a venue (newest bracket table), or InputError naming `field`. */
export function marketFor(exchange: ExchangeId, symbol: string, field = '--symbol'): Market {
  const market = marketOf(initialState({ exchange }), symbol);
  if (!market) throw new InputError(field, `${symbol} is not a market of ${exchange}`);
  return market;
}

/**
 * A portfolio spec entered at the given prices through the engine (deposit, margin modes, leverage,
 * market orders, a leg's extra isolated margin), as the account snapshot the margin math reads.
 */
export function snapshotOfSpec(spec: Spec, prices: ReadonlyMap<string, Price>): AccountSnapshot {
  let state: EngineState = initialState({
    exchange: spec.exchange,
    ...(spec.fees ? { fees: { taker: parseFixed(spec.fees.taker), maker: parseFixed(spec.fees.maker) } } : {}),
    ...(spec.marginCallRatio ? { marginCallRatio: parseFixed(spec.marginCallRatio) } : {}),
  });
  const wallet = parseFixed<'Money'>(spec.wallet);
  let op = 0;
  const run = (command: Command, field: string) => {
    const result = apply(state, command, 0, op++);
    if (result.rejection) throw new InputError(field, result.rejection.message);
    state = result.state;
  };
  const first = marketOf(state, spec.legs[0]!.symbol);
  if (!first) throw new InputError('legs[0].symbol', `${spec.legs[0]!.symbol} is not a market of ${spec.exchange}`);
  run({ op: 'deposit', account: DEFAULT_USER, asset: first.settleAsset, amount: wallet }, 'wallet');
  spec.legs.forEach((leg, i) => {
    const at = `legs[${i}]`;
    const price = prices.get(leg.symbol);
    if (!price) throw new InputError(`${at}.symbol`, `no price for ${leg.symbol}`);
    if (!marketOf(state, leg.symbol)) throw new InputError(`${at}.symbol`, `${leg.symbol} is not a market of ${spec.exchange}`);
    if (leg.marginMode === 'isolated') run({ op: 'setMarginMode', account: DEFAULT_USER, symbol: leg.symbol, mode: 'isolated' }, `${at}.marginMode`);
    run({ op: 'setLeverage', account: DEFAULT_USER, symbol: leg.symbol, leverage: leg.leverage }, `${at}.leverage`);
    run({ op: 'mark', symbol: leg.symbol, price }, `${at}.symbol`);
    const quantity = sizeOf(state, leg, price, wallet);
    if (!isPositive(quantity)) throw new InputError(`${at}.size`, 'is below one step of the market');
    run(
      marketOrder(DEFAULT_USER, leg.symbol, leg.side === 'long' ? 'buy' : 'sell', quantity),
      `${at}.size`,
    );
    if (leg.marginMode === 'isolated' && leg.isolatedMargin !== undefined) {
      const snap = snapshotOf(state, userOf(state, DEFAULT_USER), first.settleAsset);
      const held = snap.legs.find((l) => l.symbol === leg.symbol)!.isolatedWallet;
      const target = parseFixed<'Money'>(leg.isolatedMargin);
      if (gt(target, held)) run({ op: 'addMargin', account: DEFAULT_USER, symbol: leg.symbol, amount: sub(target, held), positionSide: undefined }, `${at}.isolatedMargin`);
    }
  });
  return snapshotOf(state, userOf(state, DEFAULT_USER), first.settleAsset);
}

// ------------------------------------------------------------------------------------- Monte Carlo

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

// ----------------------------------------------------------------------------------------- the advice

export interface LeverageAdvice {
  readonly symbol: string;
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  /** From the price history; undefined when the move was given. */
  readonly estimate: MoveEstimate | undefined;
  /** The move calibrated against: the estimate's rounded up to 1e-8, or the one given. */
  readonly move: Rate;
  readonly price: Price;
  readonly margin: Money;
  readonly marginCallRatio: Rate;
  readonly modes: readonly ModeCalibration[];
  readonly odds: readonly LiquidationOdds[];
}

export interface LeverageAdviceInput {
  readonly symbol: string;
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  /** Price history for the move estimate (hourly or daily bars); not needed when `move` is given. */
  readonly series?: readonly CandleSeries[];
  /** A move to calibrate against instead of the estimate (fraction, 0.05 = 5 %). */
  readonly move?: Rate;
  readonly base: AccountSnapshot;
  readonly market: Market;
  readonly margin: Money;
  readonly price: Price;
  readonly marginCallRatio: Rate;
  readonly modes?: readonly ('isolated' | 'cross')[];
  /** Monte Carlo settings; the odds are left out without them. */
  readonly monteCarlo?: Omit<OddsInput, 'trade' | 'modes' | 'horizonHours' | 'refused' | 'exchange'>;
}

/** The whole `advise leverage` answer: the move, the calibrated leverage per mode, the odds per leverage. */
export function adviseLeverage(input: LeverageAdviceInput): LeverageAdvice {
  const estimate =
    input.move === undefined
      ? estimateMove({ series: input.series ?? [], horizonHours: input.horizonHours, confidence: input.confidence, side: input.side })
      : undefined;
  const move = input.move ?? moveRate(estimate!.move);
  const trade: TradePlan = { symbol: input.symbol, side: input.side, margin: input.margin, price: input.price };
  const modeList = input.modes ?? (['isolated', 'cross'] as const);
  const modes = modeList.map((mode) => calibrateLeverage({ base: input.base, market: input.market, trade, move, marginCallRatio: input.marginCallRatio, mode }));
  let odds: LiquidationOdds[] = [];
  if (input.monteCarlo) {
    const refused = new Map<number, string>();
    for (const l of input.monteCarlo.leverages) {
      // the exchange's refusal does not depend on the mode (caps, steps, the available balance of a lone trade)
      const check = checkLeverage({ base: input.base, market: input.market, trade, move, marginCallRatio: input.marginCallRatio, mode: 'isolated' }, l);
      if (check.refused !== undefined) refused.set(l, check.refused);
    }
    odds = liquidationOdds({ ...input.monteCarlo, exchange: input.base.exchange, trade, modes: modeList, horizonHours: input.horizonHours, refused });
  }
  return { symbol: input.symbol, side: input.side, horizonHours: input.horizonHours, confidence: input.confidence, estimate, move, price: input.price, margin: input.margin, marginCallRatio: input.marginCallRatio, modes, odds };
}

/** Rounds a float move up to 8 decimals: the exact calibration runs against at least that move. */
export function moveRate(move: number): Rate {
  return rateOfNumber(move, 8, 'ceil');
}
