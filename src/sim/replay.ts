// Replays price history through one portfolio under one margin mode, through the exact engine.
//
// Bars of every symbol are merged into one timeline. At each bar: funding settles at the exchange's
// instants (00/08/16 UTC) with the historical rate; the strategy acts at the open; then the mark walks the
// bar's path (./path.ts), stopping at every resting order's trigger and every liquidation price on the
// way, so stops fill at their price and liquidations happen where they would, stops first. Bars marked
// "no trading" (zero-volume flat bars) are skipped: no fills and no liquidation on a stale price.
//
// Screening: a float64 mirror of the account (./kernel.ts) decides whether anything could happen inside a
// bar; bars where nothing can are not run through the engine (their closes are applied lazily, before the
// next exact step). Events and balances are identical to an exact-only run (screening.test.ts).
import {
  add,
  divideBy,
  eq,
  formatFixed,
  fromInt,
  gt,
  isPositive,
  lt,
  parseFixed,
  quantityOf,
  roundToStep,
  scale,
  sub,
  toApproxNumber,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { BINANCE_FUNDING_INTERVAL_MS, fundingTimes } from '../domain/funding.ts';
import { apply, type EngineEvent } from '../engine/apply.ts';
import { marketOrder, type Command } from '../engine/commands.ts';
import type { Transfer } from '../engine/ledger.ts';
import { DEFAULT_USER, initialState, marketOf, profileFor, snapshotOf, userOf, type EngineState } from '../engine/state.ts';
import { legNotional, unrealizedPnl } from '../exchanges/rules.ts';
import type { BarSeries, FundingSeries } from './data.ts';
import { equityF, floatAccountOf, mayTrigger, primeCaches, scanBar, SCAN_OUT, type FloatAccount } from './kernel.ts';
import { pathPoints } from './path.ts';
import { ratioLevelPrices } from './levels.ts';
import { inverseContracts } from './inverse-size.ts';
import { legsUnder, specMarkets, type LegSpec, type ModeName, type Spec } from './spec.ts';

export type TimedEvent = EngineEvent & { time: number };

export interface LiquidationRecord {
  readonly time: number;
  readonly symbol: string;
  readonly marginMode: 'isolated' | 'cross';
  readonly markPrice: Price;
  readonly marginLost: Money;
  /** Liquidated with the cross account although its own price did not move in that step. */
  readonly domino: boolean;
  readonly reason: string;
}

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
  readonly entries: { symbol: string; time: number; price: Price; quantity: Quantity; liquidationPrice: Price | undefined; stopPrice: Price | undefined }[];
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
}

/** The merged timeline, in columns (no object per bar): which series, which bar, when. */
interface Timeline {
  readonly length: number;
  readonly series: readonly BarSeries[];
  readonly index: Int32Array;
  readonly time: Float64Array;
}

const timelines = new WeakMap<readonly BarSeries[], Timeline>();
const setups = new WeakMap<Spec, Map<string, { state: EngineState; op: number; events: TimedEvent[]; transfers: Transfer[] }>>();

function timeline(series: readonly BarSeries[]): Timeline {
  const cached = timelines.get(series);
  if (cached) return cached;
  const total = series.reduce((n, s) => n + s.time.length, 0);
  const out = { length: total, series: new Array<BarSeries>(total), index: new Int32Array(total), time: new Float64Array(total) };
  const first = series[0];
  if (first && series.every((s) => s.time === first.time)) {
    // aligned series (Monte Carlo paths share one time column): hour by hour, in the order given; no sort
    let k = 0;
    for (let i = 0; i < first.time.length; i++) {
      for (const s of series) {
        out.series[k] = s;
        out.index[k] = i;
        out.time[k] = first.time[i]!;
        k++;
      }
    }
  } else {
    const order: [number, number, number][] = [];
    series.forEach((s, a) => {
      for (let i = 0; i < s.time.length; i++) order.push([s.time[i]!, a, i]);
    });
    // stable: by time, then by the order the series were given
    order.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
    order.forEach(([t, a, i], k) => {
      out.series[k] = series[a]!;
      out.index[k] = i;
      out.time[k] = t;
    });
  }
  timelines.set(series, out);
  return out;
}

const ONE_MINUTE = 60_000;
const NO_TIMES: readonly number[] = [];
const NO_COMMANDS: Command[] = [];

export function replay(input: ReplayInput): ModeResult {
  const { spec, mode } = input;
  const screening = input.screening ?? true;
  const recordCurve = input.recordCurve ?? true;
  const steps = timeline(input.series);
  if (steps.length === 0) throw new RangeError('no bars to replay');
  const legs = legsUnder(spec, mode);
  const user = DEFAULT_USER;
  let state = initialState({
    exchange: spec.exchange,
    ...(spec.fees ? { fees: { taker: parseFixed(spec.fees.taker), maker: parseFixed(spec.fees.maker) } } : {}),
    ...(spec.marginCallRatio ? { marginCallRatio: parseFixed(spec.marginCallRatio) } : {}),
    brackets: 'time',
    time: steps.time[0]!,
    markets: specMarkets(spec),
  });
  const events: TimedEvent[] = [];
  const transfers: Transfer[] = [];
  let op = 0;
  let floatDirty = true;
  let stepSymbol = '';
  const exec = (command: Command, time: number): boolean => {
    const result = apply(state, command, time, op++);
    state = result.state;
    for (const e of result.events) events.push({ ...e, time });
    for (const t of result.transfers) transfers.push({ ...t, seq: transfers.length });
    if (!result.rejection) floatDirty = true;
    for (const e of result.events) {
      if (e.type === 'liquidation') {
        liquidations.push({
          time,
          symbol: e.symbol,
          marginMode: e.marginMode,
          markPrice: e.markPrice,
          marginLost: e.marginLost,
          domino: e.marginMode === 'cross' && e.symbol !== stepSymbol,
          reason: e.reason,
        });
      }
    }
    return !result.rejection;
  };
  const liquidations: LiquidationRecord[] = [];
  const startWallet = parseFixed<'Money'>(spec.wallet);
  const asset = marketOf(state, legs[0]!.symbol)?.settleAsset;
  if (!asset) throw new RangeError(`${legs[0]!.symbol} is not a market of ${spec.exchange}`);
  // The account before the first bar (deposit, margin modes, leverage) is the same for every path of a
  // Monte Carlo run: build it once per (spec, mode, start time) and reuse it.
  const setupKey = `${mode}|${steps.time[0]!}`;
  const cachedSetup = setups.get(spec)?.get(setupKey);
  if (cachedSetup) {
    state = cachedSetup.state;
    op = cachedSetup.op;
    for (const e of cachedSetup.events) events.push(e);
    for (const t of cachedSetup.transfers) transfers.push(t);
  } else {
    exec({ op: 'deposit', account: user, asset, amount: startWallet }, steps.time[0]!);
    for (const leg of legs) {
      if (!marketOf(state, leg.symbol)) throw new RangeError(`${leg.symbol} is not a market of ${spec.exchange}`);
      const initialMode = spec.strategy.kind === 'breakout' && mode !== 'cross' ? 'isolated' : leg.marginMode;
      if (initialMode === 'isolated') exec({ op: 'setMarginMode', account: user, symbol: leg.symbol, mode: 'isolated' }, steps.time[0]!);
      exec({ op: 'setLeverage', account: user, symbol: leg.symbol, leverage: leg.leverage }, steps.time[0]!);
    }
    const bySpec = setups.get(spec) ?? new Map();
    bySpec.set(setupKey, { state, op, events: [...events], transfers: [...transfers] });
    setups.set(spec, bySpec);
  }
  const symbols = [...new Set(legs.map((l) => l.symbol))];

  /** Each symbol's latest bar; its close is applied to the engine lazily (see sync). */
  const lastSeries: (BarSeries | undefined)[] = [];
  const lastIndex = new Int32Array(symbols.length).fill(-1);
  const legsBySymbol = new Map<string, LegSpec[]>();
  for (const leg of legs) legsBySymbol.set(leg.symbol, [...(legsBySymbol.get(leg.symbol) ?? []), leg]);
  const engineMark = new Map<string, Price>();
  // screening flags bars from the lowest margin-ratio level anything reacts to (margin call, chaser)
  const screeningLevel = Math.min(toApproxNumber(state.config.marginCallRatio), spec.strategy.kind === 'margin-chaser' ? Number(spec.strategy.triggerRatio) : Infinity);
  const symbolIndex = new Map(symbols.map((s, k) => [s, k]));
  const indexOf = (symbol: string): number => symbolIndex.get(symbol) ?? -1;
  // float64 marks by symbol index (NaN until the symbol's first bar); positions exist only once marked
  const marksF = new Float64Array(symbols.length).fill(NaN);
  let floatAccount: FloatAccount = floatAccountOf(state, userOf(state, user), indexOf, screeningLevel);
  const entries: ModeResult['entries'] = [];
  const times: number[] = [];
  const equity: number[] = [];
  let minEquity = toApproxNumber(startWallet);
  let peak = minEquity;
  let maxDrawdown = 0;
  let exactBars = 0;
  let lastTime = steps.time[0]! - 1;

  // strategy state
  const entered = new Set<string>();
  let enteredCount = 0;
  const pendingAtOpen = new Map<string, Command[]>();
  const topUps = new Map<string, number>();
  const history = new Map<string, { highs: number[]; lows: number[] }>();
  const dcaCount = new Map<string, number>();
  const barsSeen = new Map<string, number>();
  const movedToCross = new Set<string>();
  const fundingBySymbol = new Map((input.funding ?? []).map((f) => [f.symbol, f]));

  const mark = (symbol: string, price: Price, time: number) => {
    exec({ op: 'mark', symbol, price }, time);
    engineMark.set(symbol, price);
  };
  /** Applies the closes that screening skipped, so the engine sees every symbol at its latest price. */
  const sync = (time: number) => {
    for (let k = 0; k < symbols.length; k++) {
      const symbol = symbols[k]!;
      const latest = lastSeries[k];
      if (latest === undefined) continue;
      const close = latest.close.at(lastIndex[k]!)!;
      const current = engineMark.get(symbol);
      if (current === undefined || !eq(current, close)) mark(symbol, close, time);
    }
  };
  let floatCash = 0;
  const refreshFloat = () => {
    if (!floatDirty) return;
    floatAccount = floatAccountOf(state, userOf(state, user), indexOf, screeningLevel);
    floatCash = cashF(state, asset);
    floatDirty = false;
  };
  const netSide = (symbol: string): -1 | 0 | 1 => {
    let net = 0;
    for (const p of Object.values(userOf(state, user).positions)) if (p.symbol === symbol) net += p.side;
    return net > 0 ? 1 : net < 0 ? -1 : 0;
  };

  /** Walks the mark from `from` to `to`, stopping at each trigger price on the way. */
  const travel = (symbol: string, from: Price, to: Price, time: number) => {
    let current = from;
    for (let guard = 0; guard < 64; guard++) {
      const next = nextTrigger(state, symbol, current, to, ratioLevels);
      mark(symbol, next ?? to, time);
      afterMark?.(symbol, time);
      if (next === undefined) return;
      current = next;
    }
    mark(symbol, to, time);
  };

  // the margin-call level, and the chaser's own trigger when it has one: the path stops where a margin
  // ratio crosses them
  const ratioLevels: Rate[] = [state.config.marginCallRatio];
  let afterMark: ((symbol: string, time: number) => void) | undefined;
  // the margin chaser: after every mark of an exact bar, top up each isolated position of the symbol whose
  // margin ratio is at the trigger
  if (spec.strategy.kind === 'margin-chaser') {
    const strategy = spec.strategy;
    const trigger = parseFixed<'Rate'>(strategy.triggerRatio);
    const fraction = parseFixed<'Rate'>(strategy.topUpFraction);
    ratioLevels.push(trigger);
    afterMark = (symbol, time) => {
      const u = userOf(state, user);
      const snap = snapshotOf(state, u, asset);
      const profile = profileFor(state);
      snap.legs.forEach((leg, n) => {
        if (leg.marginMode !== 'isolated' || leg.symbol !== symbol) return;
        const ratio = profile.marginRatio(snap, n);
        const done = topUps.get(leg.symbol) ?? 0;
        if (ratio === undefined || lt(ratio, trigger) || done >= strategy.maxTopUps) return;
        topUps.set(leg.symbol, done + 1);
        const amount = scale(divideBy(legNotional(leg, leg.entryPrice), leg.leverage, 'ceil'), fraction, 'ceil');
        exec({ op: 'addMargin', account: user, symbol: leg.symbol, amount, positionSide: undefined }, time);
      });
    };
  }

  const entryCommands = (leg: LegSpec, price: Price): Command[] => {
    const market = marketOf(state, leg.symbol)!;
    const quantity = sizeOf(state, leg, price, startWallet);
    if (!isPositive(quantity)) return [];
    const side = leg.side === 'long' ? 'buy' : 'sell';
    const commands: Command[] = [order(leg.symbol, side, 'market', quantity)];
    if (leg.stopLoss) commands.push(conditional(leg.symbol, side === 'buy' ? 'sell' : 'buy', 'stop_market', levelPrice(leg, leg.stopLoss, price, 'stop', market.tickSize)));
    if (leg.takeProfit) commands.push(conditional(leg.symbol, side === 'buy' ? 'sell' : 'buy', 'take_profit_market', levelPrice(leg, leg.takeProfit, price, 'take', market.tickSize)));
    return commands;
  };

  const fastScan = screening && spec.strategy.kind !== 'breakout' && spec.strategy.kind !== 'dca';
  const interval = BINANCE_FUNDING_INTERVAL_MS;

  /**
   * The screening kernel's tight loop: from step `from`, walk every bar where nothing can happen (no
   * funding instant, no strategy decision, no trigger within the band), keeping only the float marks and
   * the equity statistics, and return the first step that needs the engine. No allocation, no engine.
   */
  const scanQuiet = (from: number): number => {
    if (!fastScan || pendingAtOpen.size > 0 || enteredCount < legs.length) return from;
    refreshFloat();
    const account = floatAccount;
    const cash = floatCash;
    const hasLegs = account.legs.length > 0;
    if (hasLegs) primeCaches(account, marksF);
    const nextFunding = fundingBySymbol.size > 0 ? Math.floor(lastTime / interval) * interval + interval : Infinity;
    let s = from;
    for (; s < steps.length; s++) {
      const series = steps.series[s]!;
      const i = steps.index[s]!;
      const stepTime = steps.time[s]!;
      if (series.noTrading[i]) continue;
      const k = indexOf(series.symbol);
      if (k < 0) continue;
      if (stepTime >= nextFunding) return s;
      const previousF = marksF[k]!;
      const lowF = series.lowF[i]!;
      const highF = series.highF[i]!;
      if (Number.isNaN(previousF)) return s;
      const lo = previousF < lowF ? previousF : lowF;
      const hi = previousF > highF ? previousF : highF;
      const closeF = series.closeF[i]!;
      let worst = cash;
      let atClose = cash;
      if (hasLegs) {
        if (scanBar(account, cash, marksF, k, lowF, highF, closeF, lo, hi)) return s;
        worst = SCAN_OUT[0]!;
        atClose = SCAN_OUT[1]!;
      } else if (account.triggers.length > 0 && mayTrigger(account, marksF, k, lo, hi)) return s;
      lastTime = stepTime;
      lastSeries[k] = series;
      lastIndex[k] = i;
      marksF[k] = closeF;
      if (worst < minEquity) minEquity = worst;
      if (atClose > peak) peak = atClose;
      if (peak > 0 && (peak - worst) / peak > maxDrawdown) maxDrawdown = (peak - worst) / peak;
      if (recordCurve) {
        times.push(stepTime);
        equity.push(atClose);
      }
    }
    return s;
  };

  for (let s = scanQuiet(0); s < steps.length; s = scanQuiet(s + 1)) {
    const series = steps.series[s]!;
    const i = steps.index[s]!;
    const time = steps.time[s]!;
    const symbol = series.symbol;
    stepSymbol = symbol;
    if (series.noTrading[i]) continue;
    const k = indexOf(symbol);
    if (k < 0) continue; // a series no leg trades
    const legsHere = legsBySymbol.get(symbol) ?? [];
    const seen = (barsSeen.get(symbol) ?? 0) + 1;
    barsSeen.set(symbol, seen);

    // 1. funding at the settlement instants since the previous step, at the marks of that moment
    for (const instant of fundingBySymbol.size > 0 ? fundingTimes(lastTime, time) : NO_TIMES) {
      for (const [fsym, f] of fundingBySymbol) {
        if (!Object.values(userOf(state, user).positions).some((p) => p.symbol === fsym)) continue;
        const r = indexAt(f.time, instant, ONE_MINUTE);
        if (r < 0 || !state.marks[fsym]) continue;
        sync(instant);
        exec({ op: 'funding', symbol: fsym, rate: f.rate[r]! }, instant);
      }
    }
    lastTime = time;

    // 2. the strategy at the open
    let commands: Command[] = NO_COMMANDS;
    const pending = pendingAtOpen.get(symbol);
    if (pending) {
      commands = pending;
      pendingAtOpen.delete(symbol);
    }
    // most bars of a held portfolio need no decision: skip building commands (no allocation per bar)
    if (enteredCount < legs.length || spec.strategy.kind === 'dca') {
      for (const leg of legsHere) {
        const key = leg.symbol;
        if (!entered.has(key) && spec.strategy.kind !== 'breakout') {
          entered.add(key);
          enteredCount++;
          if (commands === NO_COMMANDS) commands = [];
          commands.push(...entryCommands(leg, series.open.at(i)!));
        }
        if (spec.strategy.kind === 'dca' && entered.has(key)) {
          const count = dcaCount.get(key) ?? 0;
          if (count < spec.strategy.buys && seen > 1 && (seen - 1) % spec.strategy.everyBars === 0) {
            dcaCount.set(key, count + 1);
            const quantity = sizeOf(state, leg, series.open.at(i)!, startWallet);
            if (isPositive(quantity)) {
              if (commands === NO_COMMANDS) commands = [];
              commands.push(order(leg.symbol, leg.side === 'long' ? 'buy' : 'sell', 'market', quantity));
            }
          }
        }
      }
    }
    const previousF = marksF[k]!;
    refreshFloat();
    const lo = Number.isNaN(previousF) ? series.lowF[i]! : Math.min(series.lowF[i]!, previousF);
    const hi = Number.isNaN(previousF) ? series.highF[i]! : Math.max(series.highF[i]!, previousF);
    const runExact = !screening || commands.length > 0 || mayTrigger(floatAccount, marksF, k, lo, hi);
    if (runExact) {
      exactBars++;
      const open = series.open.at(i)!;
      const high = series.high.at(i)!;
      const low = series.low.at(i)!;
      const close = series.close.at(i)!;
      sync(time);
      mark(symbol, open, time); // a gap from the previous close is a jump: no trading in between
      for (const command of commands) {
        const fill = command.op === 'order' && command.type === 'market' && !command.reduceOnly;
        const before = fill ? Object.keys(userOf(state, user).positions).length : 0;
        exec(command, time);
        if (fill && Object.keys(userOf(state, user).positions).length >= before) {
          const leg = legs.find((l) => l.symbol === command.symbol);
          if (leg?.isolatedMargin && leg.marginMode === 'isolated' && !entries.some((e) => e.symbol === leg.symbol)) {
            const im = initialMarginOf(state, leg.symbol);
            const target = parseFixed<'Money'>(leg.isolatedMargin);
            if (gt(target, im)) exec({ op: 'addMargin', account: user, symbol: leg.symbol, amount: sub(target, im), positionSide: undefined }, time);
          }
          if (!entries.some((e) => e.symbol === command.symbol) && command.quantity) {
            entries.push({ symbol: command.symbol, time, price: open, quantity: command.quantity, liquidationPrice: liquidationPriceOf(state, command.symbol), stopPrice: undefined });
          }
        }
        if (command.op === 'order' && command.type === 'stop_market') {
          const entry = entries.find((e) => e.symbol === command.symbol && e.stopPrice === undefined);
          if (entry && command.stopPrice) (entry as { stopPrice: Price | undefined }).stopPrice = command.stopPrice;
        }
      }
      // after the open's commands (entries, strategy orders) the rest of the bar may still be quiet: the
      // kernel decides again, from the account as it now is, whether the path needs the engine
      refreshFloat();
      const quietAfterOpen = screening && commands.length > 0 && !mayTrigger(floatAccount, marksF, k, series.lowF[i]!, series.highF[i]!);
      if (!quietAfterOpen) {
        const points = pathPoints(open, high, low, close, netSide(symbol), !lt(close, open));
        for (let p = 1; p < points.length; p++) travel(symbol, points[p - 1]!, points[p]!, time);
        if (points.length === 1) mark(symbol, close, time);
      }

    }
    lastSeries[k] = series;
    lastIndex[k] = i;
    marksF[k] = series.closeF[i]!;

    // breakout: decide at the close, act at the next open
    if (spec.strategy.kind === 'breakout') {
      const strategy = spec.strategy;
      const h = history.get(symbol) ?? { highs: [], lows: [] };
      for (const leg of legsHere) {
        const held = Object.values(userOf(state, user).positions).some((p) => p.symbol === leg.symbol);
        if (!entered.has(leg.symbol) && h.highs.length >= strategy.lookbackBars) {
          const broke = leg.side === 'long' ? series.closeF[i]! > Math.max(...h.highs) : series.closeF[i]! < Math.min(...h.lows);
          if (broke) {
            entered.add(leg.symbol);
            enteredCount++;
            pendingAtOpen.set(symbol, entryCommands(leg, series.close.at(i)!));
          }
        } else if (held && mode === 'mixed' && leg.marginMode === 'cross' && !movedToCross.has(leg.symbol)) {
          // confirmed: move the isolated trade to cross within the exchange's rules (the margin type cannot
          // change with a position open, -4048): close it, switch, reopen the same size
          const position = Object.values(userOf(state, user).positions).find((p) => p.symbol === leg.symbol)!;
          const gain = (position.side * (series.closeF[i]! - toApproxNumber(position.entryPrice))) / toApproxNumber(position.entryPrice);
          if (gain * 100 >= Number(strategy.confirmPercent)) {
            movedToCross.add(leg.symbol);
            const side = position.side === 1 ? 'sell' : 'buy';
            const cancels: Command[] = userOf(state, user)
              .orders.filter((o) => o.symbol === leg.symbol)
              .map((o) => ({ op: 'cancel', account: user, symbol: leg.symbol, clientOrderId: o.clientOrderId, orderId: undefined }));
            pendingAtOpen.set(symbol, [
              ...cancels,
              { ...order(leg.symbol, side, 'market', position.size), reduceOnly: true },
              { op: 'setMarginMode', account: user, symbol: leg.symbol, mode: 'cross' },
              order(leg.symbol, side === 'sell' ? 'buy' : 'sell', 'market', position.size),
            ]);
          }
        }
      }
      h.highs.push(series.highF[i]!);
      h.lows.push(series.lowF[i]!);
      if (h.highs.length > strategy.lookbackBars) {
        h.highs.shift();
        h.lows.shift();
      }
      history.set(symbol, h);
    }

    // 4. equity (float64: charts and drawdown), at the bar's worst point and its close
    refreshFloat();
    const cash = floatCash;
    let worst = cash;
    let atClose = cash;
    if (floatAccount.legs.length > 0) {
      worst = Math.min(equityF(floatAccount, cash, marksF, k, series.lowF[i]!), equityF(floatAccount, cash, marksF, k, series.highF[i]!));
      atClose = equityF(floatAccount, cash, marksF);
    }
    minEquity = Math.min(minEquity, worst);
    peak = Math.max(peak, atClose);
    if (peak > 0) maxDrawdown = Math.max(maxDrawdown, (peak - worst) / peak);
    if (recordCurve) {
      times.push(time);
      equity.push(atClose);
    }
  }
  sync(lastTime);

  let fees = zero<'Money'>();
  let funding = zero<'Money'>();
  let marginCalls = 0;
  for (const e of events) {
    if (e.type === 'fill') fees = add(fees, e.fee);
    if (e.type === 'funding') funding = add(funding, e.payment);
    if (e.type === 'marginCall') marginCalls++;
  }
  return {
    mode,
    events,
    transfers,
    state,
    times,
    equity,
    liquidations,
    marginCalls,
    fees,
    funding,
    startWallet,
    finalEquity: exactEquity(state, asset),
    minEquity,
    maxDrawdown,
    entries,
    exactBars,
    bars: steps.length,
  };
}

function order(symbol: string, side: 'buy' | 'sell', _type: 'market', quantity: Quantity): Extract<Command, { op: 'order' }> {
  return marketOrder(DEFAULT_USER, symbol, side, quantity);
}

function conditional(symbol: string, side: 'buy' | 'sell', type: 'stop_market' | 'take_profit_market', stopPrice: Price): Command {
  return { ...order(symbol, side, 'market', zero()), type, quantity: undefined, stopPrice, closePosition: true };
}

/** A stop-loss or take-profit level: a price, or a percent from the entry, rounded to the tick away from it. */
function levelPrice(leg: LegSpec, level: { percent: string } | { price: string }, entry: Price, kind: 'stop' | 'take', tick: Price): Price {
  if ('price' in level) return parseFixed(level.price);
  const distance = scale(entry, divideBy(parseFixed<'Rate'>(level.percent), 100, 'halfEven'), 'halfEven');
  const below = (leg.side === 'long') === (kind === 'stop');
  return roundToStep(below ? sub(entry, distance) : add(entry, distance), tick, below ? 'floor' : 'ceil');
}

/** The quantity a leg opens at `price`: by notional, by margin x leverage, or by risk to its stop. */
export function sizeOf(state: EngineState, leg: LegSpec, price: Price, wallet: Money): Quantity {
  const market = marketOf(state, leg.symbol)!;
  // inverse legs open whole contracts of a USD face value, sized in coin (./inverse-size.ts)
  if (market.kind === 'inverse') {
    const stop = leg.stopLoss ? levelPrice(leg, leg.stopLoss, price, 'stop', market.tickSize) : undefined;
    return inverseContracts(leg, price, wallet, market, state.config.fees.taker, stop);
  }
  let value: Money;
  if ('notional' in leg.size) value = parseFixed(leg.size.notional);
  else if ('margin' in leg.size) value = parseFixed<'Money'>(leg.size.margin);
  else {
    // risk sizing: loss at the stop (price distance plus both taker fees) = wallet x risk %
    const risk = scale(wallet, divideBy(parseFixed<'Rate'>(leg.size.riskPercent), 100, 'halfEven'), 'floor');
    const stop = levelPrice(leg, leg.stopLoss!, price, 'stop', market.tickSize);
    const distance = leg.side === 'long' ? sub(price, stop) : sub(stop, price);
    const taker = state.config.fees.taker;
    const perUnit = add(distance, scale(add(price, stop), taker, 'ceil'));
    if (!isPositive(perUnit)) return zero();
    return roundToStep(quantityOf(risk, perUnit, 'floor'), market.stepSize, 'floor');
  }
  // leverage may be fractional (0.01 steps on Bybit and OKX): exact from its decimal form
  if ('margin' in leg.size) value = scale(value, parseFixed<'Rate'>(String(leg.leverage)), 'floor');
  return roundToStep(quantityOf(value, price, 'floor'), market.stepSize, 'floor');
}

function initialMarginOf(state: EngineState, symbol: string): Money {
  const user = userOf(state, DEFAULT_USER);
  const asset = marketOf(state, symbol)!.settleAsset;
  const snap = snapshotOf(state, user, asset);
  const leg = snap.legs.find((l) => l.symbol === symbol);
  return leg ? leg.isolatedWallet : zero();
}

function liquidationPriceOf(state: EngineState, symbol: string): Price | undefined {
  const user = userOf(state, DEFAULT_USER);
  const asset = marketOf(state, symbol)!.settleAsset;
  const snap = snapshotOf(state, user, asset);
  const i = snap.legs.findIndex((l) => l.symbol === symbol);
  return i < 0 ? undefined : profileFor(state).liquidationPrices(snap)[i];
}

/**
 * The nearest price strictly between `from` and `to` (in travel order) at which something can happen on the
 * symbol: a resting order's trigger, or a position's liquidation price (one unit past it, so the mark is
 * on the liquidating side).
 */
function nextTrigger(state: EngineState, symbol: string, from: Price, to: Price, levels: readonly Rate[]): Price | undefined {
  const down = lt(to, from);
  const between = (p: Price) => (down ? lt(p, from) && gt(p, to) : gt(p, from) && lt(p, to));
  let best: Price | undefined;
  const consider = (p: Price | undefined) => {
    if (p === undefined || !between(p)) return;
    if (best === undefined || (down ? gt(p, best) : lt(p, best))) best = p;
  };
  const user = userOf(state, DEFAULT_USER);
  for (const o of user.orders) if (o.symbol === symbol) consider(o.stopPrice ?? o.price);
  const asset = marketOf(state, symbol)!.settleAsset;
  const snap = snapshotOf(state, user, asset);
  if (snap.legs.some((l) => l.symbol === symbol)) {
    const prices = profileFor(state).liquidationPrices(snap);
    const unit = parseFixed<'Price'>('0.000000000000000001');
    snap.legs.forEach((leg, n) => {
      const lp = prices[n];
      if (lp === undefined) return;
      const affected = leg.symbol === symbol || leg.marginMode === 'cross';
      if (!affected || leg.symbol !== symbol) return;
      consider(down ? sub(lp, unit) : add(lp, unit));
    });
    // margin-ratio levels (the margin call, the chaser's trigger): one unit past, on the crossing side
    for (const level of levels) for (const p of ratioLevelPrices(state, symbol, level)) consider(down ? sub(p, unit) : add(p, unit));
  }
  return best;
}

function cashF(state: EngineState, asset: string): number {
  let total = 0;
  const book = state.balances[asset] ?? {};
  for (const [account, amount] of Object.entries(book)) if (account.startsWith(`user/${DEFAULT_USER}/`)) total += toApproxNumber(amount);
  return total;
}

/** Exact equity: the user's wallets plus unrealized PnL at the engine's marks. */
export function exactEquity(state: EngineState, asset: string): Money {
  let total = zero<'Money'>();
  for (const [account, amount] of Object.entries(state.balances[asset] ?? {})) if (account.startsWith(`user/${DEFAULT_USER}/`)) total = add(total, amount);
  const user = state.users[DEFAULT_USER];
  if (user) for (const leg of snapshotOf(state, user, asset).legs) total = add(total, unrealizedPnl(leg, leg.markPrice));
  return total;
}

function indexAt(times: readonly number[], instant: number, tolerance: number): number {
  let lo = 0;
  let hi = times.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const t = times[mid]!;
    if (Math.abs(t - instant) <= tolerance) return mid;
    if (t < instant) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

