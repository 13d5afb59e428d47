// What the account does bar by bar, behind one interface: hold (also the "safety net", which is a hold
// whose legs carry stops), the margin chaser, breakout and DCA (./strategies/). A strategy decides at a
// bar's open (commands run before the path walk), may react after every mark of an exact bar, and may
// decide at the close (commands queued for the symbol's next open).
import type { Money, Rate } from '../domain/fixed.ts';
import type { Command } from '../engine/commands.ts';
import type { BarSeries } from './data.ts';
import type { ReplayRun } from './run.ts';
import type { EntryMemo } from './sizing.ts';
import type { LegSpec, ModeName } from './spec.ts';
import type { AfterMark } from './walk.ts';

/** The bar a strategy decides on. */
export interface StrategyBar {
  readonly series: BarSeries;
  readonly i: number;
  readonly symbol: string;
  /** The spec's legs in this symbol. */
  readonly legs: readonly LegSpec[];
  /** Bars of this symbol seen so far, this one included. */
  readonly seen: number;
}

export interface StrategyContext {
  readonly run: ReplayRun;
  readonly legs: readonly LegSpec[];
  readonly mode: ModeName;
  readonly startWallet: Money;
  /** Entries remembered across the replays of a run (./sizing.ts); none: computed every time. */
  readonly entries?: EntryMemo;
}

export interface Strategy {
  /** Margin-ratio levels the path stops at besides the margin call (the chaser's trigger). */
  readonly ratioLevels: readonly Rate[];
  /** The lowest margin ratio it reacts to, float64 (Infinity: none): screening flags bars from there. */
  readonly screeningRatio: number;
  /** False when it decides on bars the screening kernel would skip wholesale (breakout, DCA). */
  readonly screenable: boolean;
  /** Nothing pending: every leg entered and no command queued for an open. */
  settled(): boolean;
  /** The commands for the bar's open: NO_COMMANDS (shared, never mutated) when there are none. */
  atOpen(bar: StrategyBar): Command[];
  readonly afterMark: AfterMark | undefined;
  /** A decision at the close, after the path walk; its commands run at the symbol's next open. */
  atClose(bar: StrategyBar): void;
}

/** "No commands" without an allocation per bar: compare by identity, copy before pushing. */
export const NO_COMMANDS: Command[] = [];

/** Which legs have been entered (by symbol) and the commands queued for a symbol's next open. */
export class EntryBook {
  readonly entered = new Set<string>();
  private enteredCount = 0;
  private readonly pendingAtOpen = new Map<string, Command[]>();

  constructor(private readonly legCount: number) {}

  enter(symbol: string): void {
    this.entered.add(symbol);
    this.enteredCount++;
  }

  allEntered(): boolean {
    return this.enteredCount >= this.legCount;
  }

  settled(): boolean {
    return this.pendingAtOpen.size === 0 && this.allEntered();
  }

  queue(symbol: string, commands: Command[]): void {
    this.pendingAtOpen.set(symbol, commands);
  }

  /** The commands queued for the symbol's open (removed from the queue), or NO_COMMANDS. */
  takeQueued(symbol: string): Command[] {
    const pending = this.pendingAtOpen.get(symbol);
    if (!pending) return NO_COMMANDS;
    this.pendingAtOpen.delete(symbol);
    return pending;
  }
}
