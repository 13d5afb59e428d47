// Replays price history through one portfolio under one margin mode, through the exact engine.
//
// Bars of every symbol are merged into one timeline (./timeline.ts). The account is set up from the spec
// (./setup.ts). At each bar: funding settles at the exchange's instants (00/08/16 UTC) with the historical
// rate; the strategy acts at the open (./strategy.ts, ./strategies/); then the mark walks the bar's path
// (./walk.ts), stopping at every resting order's trigger and every liquidation price on the way, so stops
// fill at their price and liquidations happen where they would, stops first. Bars marked "no trading"
// (zero-volume flat bars) are skipped: no fills and no liquidation on a stale price.
//
// Screening (./screening.ts around ./kernel.ts): a float64 mirror of the account decides whether anything
// could happen inside a bar; bars where nothing can are not run through the engine. Events and balances
// are identical to an exact-only run (screening.test.ts).
import { add, gt, parseFixed, sub, toApproxNumber, zero, type Money, type Price } from '../domain/fixed.ts';
import { fundingTimes } from '../domain/funding.ts';
import type { Command } from '../engine/commands.ts';
import type { Transfer } from '../engine/ledger.ts';
import { userOf, type EngineState } from '../engine/state.ts';
import type { BarSeries, FundingSeries } from './data.ts';
import { exactEquity, exactEquityAt, initialMarginOf, liquidationPriceOf } from './figures.ts';
import { equityF, mayTrigger } from './kernel.ts';
import { ReplayRun, type EntryRecord, type LiquidationRecord, type TimedEvent } from './run.ts';
import { scanQuiet } from './screening.ts';
import type { LegSpec, ModeName, Spec } from './spec.ts';
import { breakoutStrategy } from './strategies/breakout.ts';
import { dcaStrategy } from './strategies/dca.ts';
import { holdStrategy } from './strategies/hold.ts';
import { marginChaserStrategy } from './strategies/margin-chaser.ts';
import { NO_COMMANDS, type Strategy, type StrategyContext } from './strategy.ts';
import { SimContext } from './context.ts';
import { openPortfolio } from './opening.ts';
import { indexAt } from './timeline.ts';
import { openIsQuiet } from './quiet-open.ts';
import { walkBar } from './walk.ts';

export type { EntryRecord, LiquidationRecord, TimedEvent } from './run.ts';
export { sizeOf } from './sizing.ts';
export { exactEquity } from './figures.ts';

export interface ModeResult {
  readonly mode: ModeName;
  readonly events: TimedEvent[];
  readonly transfers: Transfer[];
  readonly state: EngineState;
  /** Bar-close times and float64 equity (charts and drawdown only). */
  readonly times: number[];
  readonly equity: number[];
  readonly liquidations: LiquidationRecord[];
  readonly marginCalls: number;
  readonly fees: Money;
  /** Net funding paid (negative: received). */
  readonly funding: Money;
  readonly startWallet: Money;
  /** Wallet + isolated wallets + unrealized PnL at the last marks, exact. */
  readonly finalEquity: Money;
  readonly minEquity: number;
  readonly maxDrawdown: number;
  readonly entries: EntryRecord[];
  /** Bars run through the exact engine, out of all bars. */
  readonly exactBars: number;
  readonly bars: number;
}

export interface ReplayInput {
  readonly spec: Spec;
  readonly mode: ModeName;
  readonly series: readonly BarSeries[];
  readonly funding?: readonly FundingSeries[];
  /** Default true. False runs every bar through the exact engine (the reference for the identity test). */
  readonly screening?: boolean;
  /** Default true. False keeps no equity curve (Monte Carlo needs only the extremes). */
  readonly recordCurve?: boolean;
  /** Default true. False keeps no maximum drawdown (NaN): the Monte Carlo reads only the minimum equity. */
  readonly drawdown?: boolean;
  /**
   * What the caller's run reuses between replays (timelines, set-up accounts): pass one context to every
   * replay of a run. Default: a fresh one for this replay alone.
   */
  readonly context?: SimContext;
}

/** A historical funding rate applies at an instant if its record is within a minute of it. */
const FUNDING_TOLERANCE_MS = 60_000;
const NO_TIMES: readonly number[] = [];

function strategyFor(spec: Spec, context: StrategyContext): Strategy {
  const strategy = spec.strategy;
  switch (strategy.kind) {
    case 'hold':
      return holdStrategy(context);
    case 'margin-chaser':
      return marginChaserStrategy(context, strategy);
    case 'breakout':
      return breakoutStrategy(context, strategy);
    case 'dca':
      return dcaStrategy(context, strategy);
  }
}

/** The figures of a replay a Monte Carlo path needs (./montecarlo.ts). */
export interface ReplayOutcome {
  readonly liquidations: readonly LiquidationRecord[];
  readonly minEquity: number;
  /** NaN when the replay kept none (ReplayInput.drawdown false). */
  readonly maxDrawdown: number;
  /** Wallets + unrealized PnL at the last closes, exact: the same amount as ModeResult.finalEquity. */
  readonly finalEquity: Money;
  readonly exactBars: number;
  readonly bars: number;
}

export function replay(input: ReplayInput): ModeResult {
  const { run, startWallet, bars } = walkReplay(input, true);
  run.sync(run.lastTime, true);
  return result(run, input.mode, startWallet, bars);
}

/**
 * The replay's outcome only: no event or transfer log, no entry figures, and the last closes are priced
 * without being applied to the engine (after a screened bar nothing can happen at its close: that is
 * what screening decided; after an exact bar the engine already stands there). Same figures as replay()
 * (screening.test.ts compares them).
 */
export function replayOutcome(input: ReplayInput): ReplayOutcome {
  const { run, bars } = walkReplay(input, false);
  const finalEquity = exactEquityAt(run.state, run.asset, (symbol) => {
    const k = run.indexOf(symbol);
    return k < 0 ? undefined : run.latestClose(k);
  });
  return { liquidations: run.liquidations, minEquity: run.minEquity, maxDrawdown: run.tracksDrawdown ? run.maxDrawdown : NaN, finalEquity, exactBars: run.exactBars, bars };
}

/** Runs every step; the engine's marks may lag the last closes (ReplayRun.sync). */
function walkReplay(input: ReplayInput, detailed: boolean): { run: ReplayRun; startWallet: Money; bars: number } {
  const { spec, mode } = input;
  const screening = input.screening ?? true;
  const context = input.context ?? new SimContext();
  const steps = context.timeline(input.series);
  if (steps.length === 0) throw new RangeError('no bars to replay');
  const { legs, startWallet, symbols, legsBySymbol, entries } = context.plan(spec, mode);
  const startMs = steps.time[0]!;
  const setup = context.setup(spec, mode, legs, startMs);
  // screening flags bars from the lowest margin-ratio level anything reacts to (margin call, chaser)
  const chaserRatio = spec.strategy.kind === 'margin-chaser' ? Number(spec.strategy.triggerRatio) : Infinity;
  const screeningLevel = Math.min(toApproxNumber(setup.state.config.marginCallRatio), chaserRatio);
  const run = new ReplayRun(setup, symbols, startMs, startWallet, screeningLevel, input.recordCurve ?? true, detailed);
  run.tracksDrawdown = input.drawdown ?? true;
  const strategy = strategyFor(spec, { run, legs, mode, startWallet, entries });
  // the path stops where a margin ratio crosses the margin-call level or the strategy's own levels. An
  // outcome keeps no events, and a margin call changes nothing else (it only flags the account): unless
  // the strategy reacts to marks (the margin chaser), the margin-call level is then no stop, and bars are
  // flagged from the liquidation level (ratio 1) instead of the call level. Liquidations, fills and
  // balances are the same (montecarlo-identity.test.ts compares with all-exact runs, which do stop there).
  const marginCallsMatter = detailed || strategy.afterMark !== undefined;
  const ratioLevels = marginCallsMatter ? [run.state.config.marginCallRatio, ...strategy.ratioLevels] : strategy.ratioLevels;
  if (!marginCallsMatter) run.screenFrom(Math.min(1, chaserRatio));
  const quietOpens = !marginCallsMatter && screening;
  const barsSeen = new Map<string, number>();
  const fundingBySymbol = new Map((input.funding ?? []).map((f) => [f.symbol, f]));
  const hasFunding = fundingBySymbol.size > 0;
  const screenable = screening && strategy.screenable;
  // each series' symbol index in the run (-1: a series no leg trades), looked up once, not per step
  // (a plain loop: Int32Array.from's iterator was a third of this function's own time, per replay)
  const symbolOfSeries = new Int32Array(steps.seriesList.length);
  for (let a = 0; a < symbolOfSeries.length; a++) symbolOfSeries[a] = run.indexOf(steps.seriesList[a]!.symbol);
  // 0. the opening (./opening.ts): the legs trading at the first instant entered at their opens at once
  const opened = openPortfolio(run, steps, symbolOfSeries, strategy, legsBySymbol, context.opening(spec, mode, startMs, detailed), (command, open, time) =>
    execAtOpen(run, legs, command, open, time),
  );

  // (scanQuiet called in place, not through a local arrow: tsx names every such arrow at its creation)
  for (let s = scanQuiet(run, steps, symbolOfSeries, 0, screenable && strategy.settled(), hasFunding); s < steps.length; s = scanQuiet(run, steps, symbolOfSeries, s + 1, screenable && strategy.settled(), hasFunding)) {
    const a = steps.seriesOf[s]!;
    const series = steps.seriesList[a]!;
    const i = steps.index[s]!;
    const time = steps.time[s]!;
    const symbol = series.symbol;
    run.stepSymbol = symbol;
    if (series.noTrading[i]) continue;
    const k = symbolOfSeries[a]!;
    if (k < 0) continue; // a series no leg trades
    const seen = (barsSeen.get(symbol) ?? 0) + 1;
    barsSeen.set(symbol, seen);
    const bar = { series, i, symbol, legs: legsBySymbol.get(symbol) ?? [], seen };

    // 1. funding at the settlement instants since the previous step, at the marks of that moment
    for (const instant of hasFunding ? fundingTimes(run.lastTime, time) : NO_TIMES) {
      for (const [fsym, f] of fundingBySymbol) {
        if (!Object.values(userOf(run.state, run.user).positions).some((p) => p.symbol === fsym)) continue;
        const r = indexAt(f.time, instant, FUNDING_TOLERANCE_MS);
        if (r < 0 || !run.state.marks[fsym]) continue;
        run.sync(instant);
        run.exec({ op: 'funding', symbol: fsym, rate: f.rate[r]! }, instant);
      }
    }
    run.lastTime = time;

    // 2. the strategy at the open, then 3. the path through the bar, if anything can happen in it
    const commands = s < opened ? NO_COMMANDS : strategy.atOpen(bar);
    const previousF = run.marksF[k]!;
    run.refreshFloat();
    const lo = Number.isNaN(previousF) ? series.lowF[i]! : Math.min(series.lowF[i]!, previousF);
    const hi = Number.isNaN(previousF) ? series.highF[i]! : Math.max(series.highF[i]!, previousF);
    const runExact = !screening || commands.length > 0 || mayTrigger(run.floatAccount, run.marksF, k, lo, hi);
    if (runExact) {
      run.exactBars++;
      const open = series.open.at(i)!;
      run.sync(time);
      // a gap from the previous close is a jump: no trading in between. An outcome leaves out an open that
      // provably changes nothing it reads (./quiet-open.ts); the all-exact reference marks every one
      const mayLeaveOut = quietOpens && commands.length === 0;
      if (mayLeaveOut) run.clockTo(time);
      if (mayLeaveOut && openIsQuiet(run, symbol, k, series.openF[i]!)) run.skipOp();
      else run.mark(symbol, open, time);
      for (const command of commands) execAtOpen(run, legs, command, open, time);
      // after the open's commands (entries, strategy orders) the rest of the bar may still be quiet: the
      // kernel decides again, from the account as it now is, whether the path needs the engine
      run.refreshFloat();
      const quietAfterOpen = screening && commands.length > 0 && !mayTrigger(run.floatAccount, run.marksF, k, series.lowF[i]!, series.highF[i]!);
      if (!quietAfterOpen) {
        const prices = { open, high: series.high.at(i)!, low: series.low.at(i)!, close: series.close.at(i)! };
        walkBar(run, symbol, prices, time, ratioLevels, strategy.afterMark);
      }
    }
    run.closeBar(k, series, i);

    // 4. the strategy at the close (breakout decides here and acts at the next open)
    strategy.atClose(bar);

    // 5. equity (float64: charts and drawdown), at the bar's worst point and its close
    run.refreshFloat();
    const account = run.floatAccount;
    const cash = run.floatCash;
    let worst = cash;
    let atClose = cash;
    if (account.legs.length > 0) {
      worst = Math.min(equityF(account, cash, run.marksF, k, series.lowF[i]!), equityF(account, cash, run.marksF, k, series.highF[i]!));
      atClose = equityF(account, cash, run.marksF);
    }
    run.recordEquity(time, worst, atClose);
  }
  return { run, startWallet, bars: steps.length };
}

/**
 * One command of a bar's open. A market order that opens a leg records the entry (price, quantity and
 * liquidation price) and tops an isolated leg's margin up to the spec's `isolatedMargin`; a stop order
 * records its price on the entry.
 */
function execAtOpen(run: ReplayRun, legs: readonly LegSpec[], command: Command, open: Price, time: number): void {
  const entries = run.entries;
  const fill = command.op === 'order' && command.type === 'market' && !command.reduceOnly;
  // an order the engine refused (margin, brackets) opened nothing: no entry, no top-up
  const accepted = run.exec(command, time);
  if (fill && accepted) {
    const leg = legs.find((l) => l.symbol === command.symbol);
    if (leg?.isolatedMargin && leg.marginMode === 'isolated' && !entries.some((e) => e.symbol === leg.symbol)) {
      const im = initialMarginOf(run.state, leg.symbol);
      const target = parseFixed<'Money'>(leg.isolatedMargin);
      if (gt(target, im)) run.exec({ op: 'addMargin', account: run.user, symbol: leg.symbol, amount: sub(target, im), positionSide: undefined }, time);
    }
    if (!entries.some((e) => e.symbol === command.symbol) && command.quantity) {
      const liquidationPrice = run.detailed ? liquidationPriceOf(run.state, command.symbol) : undefined;
      entries.push({ symbol: command.symbol, time, price: open, quantity: command.quantity, liquidationPrice, stopPrice: undefined });
    }
  }
  if (command.op === 'order' && command.type === 'stop_market') {
    const entry: EntryRecord | undefined = entries.find((e) => e.symbol === command.symbol && e.stopPrice === undefined);
    if (entry && command.stopPrice) entry.stopPrice = command.stopPrice;
  }
}

function result(run: ReplayRun, mode: ModeName, startWallet: Money, bars: number): ModeResult {
  run.ownState(); // the state handed out is the run's own, not a remembered opening's
  let fees = zero<'Money'>();
  let funding = zero<'Money'>();
  let marginCalls = 0;
  for (const e of run.events) {
    if (e.type === 'fill') fees = add(fees, e.fee);
    if (e.type === 'funding') funding = add(funding, e.payment);
    if (e.type === 'marginCall') marginCalls++;
  }
  return {
    mode,
    events: run.events,
    transfers: run.transfers,
    state: run.state,
    times: run.times,
    equity: run.equity,
    liquidations: run.liquidations,
    marginCalls,
    fees,
    funding,
    startWallet,
    finalEquity: exactEquity(run.state, run.asset),
    minEquity: run.minEquity,
    maxDrawdown: run.maxDrawdown,
    entries: run.entries,
    exactBars: run.exactBars,
    bars,
  };
}
