// Hold: open every leg at its symbol's first tradable bar (with its stop-loss and take-profit, if any) and
// keep it. The seed's "safety net" is a hold whose leg is sized by risk and carries a stop.
import type { Rate } from '../../domain/fixed.ts';
import type { Command } from '../../engine/commands.ts';
import { entryCommands } from '../sizing.ts';
import type { LegSpec } from '../spec.ts';
import type { AfterMark } from '../walk.ts';
import { EntryBook, NO_COMMANDS, type Strategy, type StrategyBar, type StrategyContext } from '../strategy.ts';

/** The entries of a bar's open: each leg of the bar's symbol not yet entered, appended to `commands`. */
export function enterAtOpen(context: StrategyContext, book: EntryBook, bar: StrategyBar, commands: Command[]): Command[] {
  for (const leg of bar.legs) if (!book.entered.has(leg.symbol)) commands = enterLeg(context, book, bar, leg, commands);
  return commands;
}

/** Marks the leg entered and appends its entry orders at the bar's open. */
export function enterLeg(context: StrategyContext, book: EntryBook, bar: StrategyBar, leg: LegSpec, commands: Command[]): Command[] {
  book.enter(leg.symbol);
  if (commands === NO_COMMANDS) commands = [];
  const open = bar.series.open.at(bar.i)!;
  const entry = context.entries ? context.entries.commands(context.run.state, leg, open, context.startWallet) : entryCommands(context.run.state, leg, open, context.startWallet);
  commands.push(...entry);
  return commands;
}

export function holdStrategy(context: StrategyContext): Strategy {
  return new HoldStrategy(context);
}

/**
 * A class, not an object of arrow functions: a Monte Carlo batch builds one per replay, and under tsx every
 * function expression is named at its creation (its __name helper), which showed in the batch's profile.
 */
class HoldStrategy implements Strategy {
  readonly ratioLevels: readonly Rate[] = [];
  readonly screeningRatio = Infinity;
  readonly screenable = true;
  readonly afterMark: AfterMark | undefined = undefined;
  private readonly book: EntryBook;

  constructor(private readonly context: StrategyContext) {
    this.book = new EntryBook(context.legs.length);
  }

  settled(): boolean {
    return this.book.settled();
  }

  // most bars of a held portfolio need no decision: skip building commands (no allocation per bar)
  atOpen(bar: StrategyBar): Command[] {
    const queued = this.book.takeQueued(bar.symbol);
    return this.book.allEntered() ? queued : enterAtOpen(this.context, this.book, bar, queued);
  }

  atClose(): void {}
}
