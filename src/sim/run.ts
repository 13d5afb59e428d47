// One replay in progress: the engine state and everything recorded on the way (events, transfers,
// liquidations, entries, the float64 equity statistics), with the one door to the engine (`exec`). The
// timeline, the path walk, the screening kernel and the strategies all act through it.
//
// Marks: each symbol's latest bar is remembered, and its close is applied to the engine lazily (`sync`),
// so bars the screening kernel skipped cost nothing until the next exact step.
import { eq, toApproxNumber, type Money, type Price, type Quantity } from '../domain/fixed.ts';
import { apply, type EngineEvent } from '../engine/apply.ts';
import type { Command } from '../engine/commands.ts';
import type { Transfer } from '../engine/ledger.ts';
import { cloneState, DEFAULT_USER, marketOf, profileFor, userOf, type EngineState } from '../engine/state.ts';
import { cloneWithDerived, heldDerived, type HeldDerived } from '../engine/exposure.ts';
import type { AccountSnapshot, Market } from '../exchanges/rules.ts';
import type { AccountKernel } from '../exchanges/account-kernel.ts';
import type { BarSeries } from './data.ts';
import { cashF } from './figures.ts';
import { floatAccountOf, withOwnCaches, type FloatAccount, type FloatLegMemo } from './float-account.ts';
import type { AccountSetup } from './setup.ts';
import { crossExposedTo, crossGain, exposedTo } from './run-exposure.ts';

const DAY_MS = 86_400_000;
/** Prepared kernels a set-up keeps (kernelFor): 2^3 position sets of three isolated legs, and then some. */
const KERNELS_KEPT = 16;

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

export interface EntryRecord {
  symbol: string;
  time: number;
  price: Price;
  quantity: Quantity;
  liquidationPrice: Price | undefined;
  stopPrice: Price | undefined;
}

/**
 * What a run's opening left (./opening.ts): the engine state and what the run recorded on the way. Kept
 * by the run's context, never changed: restoring copies it.
 */
export interface RunOpening {
  readonly state: EngineState;
  readonly op: number;
  readonly events: readonly TimedEvent[];
  readonly transfers: readonly Transfer[];
  readonly liquidations: readonly LiquidationRecord[];
  readonly entries: readonly EntryRecord[];
  readonly engineMark: ReadonlyMap<string, Price>;
  /** The state's derived data as saved (the state is shared with readers: ReplayRun.ownState copies from this). */
  readonly derived: HeldDerived;
  /** The float64 mirror as refreshed after the opening (its caches are copied on restore). */
  readonly float: { readonly account: FloatAccount; readonly cash: number; readonly day: number; readonly markets: readonly (Market | undefined)[] };
}

export class ReplayRun {
  state: EngineState;
  private op: number;
  readonly user = DEFAULT_USER;
  readonly asset: string;
  readonly events: TimedEvent[] = [];
  readonly transfers: Transfer[] = [];
  readonly liquidations: LiquidationRecord[] = [];
  readonly entries: EntryRecord[] = [];
  /** The symbol of the bar being stepped: a cross liquidation of another symbol is a domino. */
  stepSymbol = '';
  /** The exact kernel of the account's liquidation solve, reused while its positions stay the same (./walk.ts). */
  private kernel: AccountKernel | undefined;
  /** The set-up's state, shared by its runs and never changed: copied before a run's first command. */
  private readonly setupState: EngineState;
  /**
   * A remembered opening's state (restoreOpening), shared likewise: copied with its derived data before
   * the run's first command. Most cross-margin paths of the crash study never leave the screening, and
   * copying the state on every path was a tenth of the engine's share of an exact path.
   */
  private openingState: EngineState | undefined;
  private openingDerived: HeldDerived | undefined;
  /** Kernels prepared by the set-up's replays (kernelFor), shared by them. */
  private readonly kernels: AccountKernel[];
  /** Start of the step being run; funding instants after it and up to the next step settle there. */
  lastTime: number;

  // marks: the engine's, and each symbol's latest bar (its close applied lazily)
  readonly symbols: readonly string[];
  private readonly symbolIndex: Map<string, number>;
  private readonly engineMark = new Map<string, Price>();
  /** Symbols whose latest close a sync did not apply (not held): marked before a command acts on them. */
  private readonly behind = new Set<string>();
  readonly lastSeries: (BarSeries | undefined)[] = [];
  readonly lastIndex: Int32Array;
  /** float64 marks by symbol index (NaN until the symbol's first bar); positions exist only once marked. */
  readonly marksF: Float64Array;

  // the float64 mirror of the account for screening, rebuilt when what it mirrors may have changed: after
  // a command other than a mark, after a mark that did more than call for margin (a fill, a liquidation:
  // events with transfers), and when a market's bracket table changed (markets take their table by day). A mark
  // alone moves no position, balance or order, and the maintenance schedules do not read the mark.
  private floatDirty = true;
  private floatDay = NaN;
  private floatMarkets: readonly (Market | undefined)[] = [];
  private screeningLevel: number;
  /** Built by the first refreshFloat, which every reader calls first. */
  floatAccount!: FloatAccount;
  floatCash = 0;
  /**
   * The float legs of earlier mirrors, taken back for the positions a command left as they were: the
   * set-up's, shared by its replays (a leg is taken back only if it mirrors the same engine leg).
   */
  private readonly floatLegs: FloatLegMemo;

  // equity statistics (float64: charts and drawdown)
  readonly recordCurve: boolean;
  readonly times: number[] = [];
  readonly equity: number[] = [];
  minEquity: number;
  peak: number;
  maxDrawdown = 0;
  /** False (an outcome that reads no drawdown, ./replay.ts): the peak and maxDrawdown are not kept. */
  tracksDrawdown = true;
  exactBars = 0;

  /**
   * False keeps only what an outcome needs (Monte Carlo): no event or transfer log and no liquidation
   * price on the entries; the liquidation records are kept.
   */
  readonly detailed: boolean;

  constructor(setup: AccountSetup, symbols: readonly string[], startMs: number, startWallet: Money, screeningLevel: number, recordCurve: boolean, detailed = true) {
    // apply() changes the state in place, and account set-ups are shared between runs (./setup.ts): the
    // set-up's state is copied before the first command (exec), not here, as most runs of a Monte Carlo
    // batch take a remembered opening (restoreOpening) instead
    this.state = setup.state;
    this.setupState = setup.state;
    this.floatLegs = setup.floatLegs;
    this.kernels = setup.kernels;
    this.op = setup.op;
    this.asset = setup.asset;
    // an outcome keeps no log (detailed false): the set-up's events and transfers are not copied either
    if (detailed) {
      for (const e of setup.events) this.events.push(e);
      for (const t of setup.transfers) this.transfers.push(t);
    }
    this.symbols = symbols;
    this.symbolIndex = new Map(symbols.map((s, k) => [s, k]));
    this.lastIndex = new Int32Array(symbols.length).fill(-1);
    this.marksF = new Float64Array(symbols.length).fill(NaN);
    this.screeningLevel = screeningLevel;
    // the mirror (floatAccount) is dirty until the first refresh, which every reader calls first
    this.recordCurve = recordCurve;
    this.detailed = detailed;
    this.minEquity = toApproxNumber(startWallet);
    this.peak = this.minEquity;
    this.lastTime = startMs - 1;
  }

  /** The symbol's index in the float arrays, or -1 for a series no leg trades. */
  indexOf(symbol: string): number {
    return this.symbolIndex.get(symbol) ?? -1;
  }

  /** Applies one command; true if the engine accepted it. */
  exec(command: Command, time: number): boolean {
    // a symbol left behind by sync (not held) takes its latest close before a command acts on it
    if (command.op !== 'mark' && 'symbol' in command) this.catchUp(command.symbol, time);
    this.ownState();
    const result = apply(this.state, command, time, this.op++);
    this.state = result.state;
    if (this.detailed) {
      for (const e of result.events) this.events.push({ ...e, time });
      for (const t of result.transfers) this.transfers.push({ ...t, seq: this.transfers.length });
    }
    if (!result.rejection && (command.op !== 'mark' || result.transfers.length > 0 || result.events.some((e) => e.type !== 'marginCall'))) this.floatDirty = true;
    for (const e of result.events) {
      if (e.type === 'liquidation') {
        this.liquidations.push({
          time,
          symbol: e.symbol,
          marginMode: e.marginMode,
          markPrice: e.markPrice,
          marginLost: e.marginLost,
          domino: e.marginMode === 'cross' && e.symbol !== this.stepSymbol,
          reason: e.reason,
        });
      }
    }
    return !result.rejection;
  }

  /**
   * Gives the run a state of its own if it still reads a shared one (the set-up's, a remembered
   * opening's): before a command changes it, and before it is handed out (ModeResult.state).
   */
  ownState(): void {
    if (this.state === this.setupState) this.state = cloneState(this.state);
    else if (this.state === this.openingState) {
      this.state = cloneWithDerived(this.state, this.openingDerived);
      this.openingState = undefined;
      this.openingDerived = undefined;
    }
  }

  /** The run as the opening left it (./opening.ts): copies, so the run may go on changing its own. */
  saveOpening(): RunOpening {
    this.refreshFloat();
    return {
      float: { account: withOwnCaches(this.floatAccount), cash: this.floatCash, day: this.floatDay, markets: this.floatMarkets },
      ...savedState(this.state),
      op: this.op,
      events: this.events.slice(),
      transfers: this.transfers.slice(),
      liquidations: this.liquidations.slice(),
      entries: this.entries.map((e) => ({ ...e })),
      engineMark: new Map(this.engineMark),
    };
  }

  /**
   * Puts the run where a remembered opening left one (taken by a fresh run, before its first step). The
   * state is shared until the run's first command (ownState): reading it changes nothing but the derived
   * data's cache, a function of the state and the day.
   */
  restoreOpening(opening: RunOpening): void {
    this.state = opening.state;
    this.openingState = opening.state;
    this.openingDerived = opening.derived;
    this.op = opening.op;
    this.events.length = 0;
    this.events.push(...opening.events);
    this.transfers.length = 0;
    this.transfers.push(...opening.transfers);
    this.liquidations.length = 0;
    this.liquidations.push(...opening.liquidations);
    this.entries.length = 0;
    for (const e of opening.entries) this.entries.push({ ...e });
    this.engineMark.clear();
    for (const [symbol, price] of opening.engineMark) this.engineMark.set(symbol, price);
    this.behind.clear();
    this.kernel = undefined;
    this.floatAccount = withOwnCaches(opening.float.account);
    this.floatCash = opening.float.cash;
    this.floatDay = opening.float.day;
    this.floatMarkets = opening.float.markets;
    this.floatDirty = false;
  }

  /**
   * The exact kernel for the account's positions (profile.prepare), taken back from the set-up's kernels
   * when one fits (same positions and wallet; the marks are read on every solve): a run's replays, every
   * Monte Carlo path, pass through the same few sets of positions (the opening's, and what each
   * liquidation leaves), and preparing a kernel cost about as much as the solves it then served.
   */
  kernelFor(snap: AccountSnapshot): AccountKernel {
    if (this.kernel?.fits(snap)) return this.kernel;
    let kernel = this.kernels.find((k) => k.fits(snap));
    if (kernel === undefined) {
      kernel = profileFor(this.state).prepare(snap);
      this.kernels.push(kernel);
      if (this.kernels.length > KERNELS_KEPT) this.kernels.shift();
    }
    return (this.kernel = kernel);
  }

  /** The engine's clock at `time`, as the next command would set it (./quiet-open.ts reads that day's markets). */
  clockTo(time: number): void {
    this.ownState();
    this.state.time = time;
  }
  /** A command left out (./quiet-open.ts) takes its op number all the same: later commands keep theirs. */
  skipOp(): void {
    this.op++;
  }

  /** Marks the symbol at its latest close if a sync left it behind. */
  private catchUp(symbol: string, time: number): void {
    if (!this.behind.has(symbol)) return;
    const close = this.latestClose(this.indexOf(symbol));
    if (close !== undefined) this.mark(symbol, close, time);
  }

  mark(symbol: string, price: Price, time: number): void {
    this.exec({ op: 'mark', symbol, price }, time);
    this.engineMark.set(symbol, price);
    this.behind.delete(symbol);
  }

  /**
   * Applies the closes that screening skipped, so the engine sees every symbol at its latest price.
   *
   * The engine takes one symbol's mark at a time, so between the first and the last mark of a sync some
   * symbols stand at their latest close and others still where the engine last saw them: states the
   * all-exact run never passes through. In the cross account every symbol adds its own term to
   * "margin balance - maintenance" (its legs' PnL less their MM at its mark), so the marks are applied
   * in decreasing order of how much they raise it, computed exactly: the ones that help first. Every
   * state in between is then at least as far from liquidation as the state before the sync or the one
   * after, both states of the all-exact run. (In symbol order, one path in ~1,500 liquidated the cross
   * account in between, where the all-exact run did not.)
   */
  sync(time: number, every = false): void {
    const stale: { symbol: string; close: Price; gain: bigint }[] = [];
    const user = userOf(this.state, this.user);
    for (let k = 0; k < this.symbols.length; k++) {
      const symbol = this.symbols[k]!;
      const close = this.latestClose(k);
      if (close === undefined) continue;
      const current = this.engineMark.get(symbol);
      if (current !== undefined && eq(current, close)) continue;
      // a symbol the account neither holds nor has an order on (and no recheck pending), or holds only
      // isolated (crossExposedTo): its mark moves no figure, event or balance of this step (the engine
      // visits only the users exposed to a symbol, an isolated scope reads its own mark), so it waits
      // until the account trades it again (every command on a symbol marks it first), the symbol's own
      // next exact step, or the replay's final state (`every`)
      if (!every && !crossExposedTo(this.state, user, symbol)) {
        this.behind.add(symbol);
        continue;
      }
      stale.push({ symbol, close, gain: 0n });
    }
    if (stale.length > 1) {
      for (const entry of stale) entry.gain = crossGain(this.state, this.user, entry.symbol, entry.close);
      // stable: equal gains keep the symbol order
      stale.sort((a, b) => (a.gain > b.gain ? -1 : a.gain < b.gain ? 1 : 0));
    }
    for (const { symbol, close } of stale) this.mark(symbol, close, time);
  }

  /** The latest close of the symbol (index k), applied to the engine or not yet; undefined before its first bar. */
  latestClose(k: number): Price | undefined {
    const latest = this.lastSeries[k];
    return latest === undefined ? undefined : latest.close.at(this.lastIndex[k]!);
  }

  /** Remembers bar `i` of `series` as symbol k's latest (its close reaches the engine at the next sync). */
  closeBar(k: number, series: BarSeries, i: number): void {
    this.lastSeries[k] = series;
    this.lastIndex[k] = i;
    this.marksF[k] = series.closeF[i]!;
  }

  /** Flags bars from this margin-ratio level from now on (the mirror is rebuilt at the next refresh). */
  screenFrom(level: number): void {
    this.screeningLevel = level;
    this.floatDirty = true;
  }

  /** Brings the float64 mirror up to date with the engine, if a command changed the account since. */
  refreshFloat(): void {
    const day = Math.floor(this.state.time / DAY_MS);
    if (!this.floatDirty && day === this.floatDay) return;
    const markets = this.symbols.map((symbol) => marketOf(this.state, symbol));
    this.floatDay = day;
    if (!this.floatDirty && markets.every((m, k) => m === this.floatMarkets[k])) return;
    this.floatMarkets = markets;
    this.floatAccount = floatAccountOf(this.state, userOf(this.state, this.user), indexIn(this.symbolIndex), this.screeningLevel, this.floatLegs);
    this.floatCash = cashF(this.state, this.asset);
    this.floatDirty = false;
  }

  /** The account holds a position in the symbol or has an open order on it, or a recheck is pending (exposedTo). */
  holds(symbol: string): boolean {
    return exposedTo(this.state, userOf(this.state, this.user), symbol);
  }

  /** The side the user's positions in `symbol` net to. */
  netSide(symbol: string): -1 | 0 | 1 {
    let net = 0;
    const positions = userOf(this.state, this.user).positions;
    // for-in, not Object.values: no array per call (the same positions, in the same order)
    for (const key in positions) if (positions[key]!.symbol === symbol) net += positions[key]!.side;
    return net > 0 ? 1 : net < 0 ? -1 : 0;
  }

  /** Adds a bar's worst point and close to the equity statistics (and the curve, when kept). */
  recordEquity(time: number, worst: number, atClose: number): void {
    this.minEquity = Math.min(this.minEquity, worst);
    if (this.tracksDrawdown) this.peak = Math.max(this.peak, atClose);
    if (this.tracksDrawdown && this.peak > 0) this.maxDrawdown = Math.max(this.maxDrawdown, (this.peak - worst) / this.peak);
    if (this.recordCurve) {
      this.times.push(time);
      this.equity.push(atClose);
    }
  }
}

/** floatAccountOf's symbol lookup. Unnamed: tsx names a class field's arrow at every creation (__name). */
const indexIn = (symbolIndex: ReadonlyMap<string, number>) => (symbol: string): number => symbolIndex.get(symbol) ?? -1;

/** A copy of the state to remember, with its derived data as it holds now (RunOpening.derived). */
function savedState(state: EngineState): { state: EngineState; derived: HeldDerived } {
  const saved = cloneWithDerived(state);
  return { state: saved, derived: heldDerived(saved) };
}
