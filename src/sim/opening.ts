// The opening of a replay: at its first instant, every leg whose symbol trades then is entered at its
// symbol's open, before any bar moves. A portfolio is opened at once: the bars of the first hour all start
// at that instant, so entering a leg only after another symbol's whole first bar had been walked (as the
// replay did before) put the second entry an hour late against the first one's marks.
//
// The opening is a pure function of the set-up account (spec, mode, start time), the opens, and the
// strategy's opening commands; a run's context (./context.ts) remembers the last one, and a replay that
// opens the same way takes it back instead of running the entry orders through the engine again. Every
// Monte Carlo path opens at the same prices (the model's last closes, ./generators.ts), and the entries
// were a fifth of an exact path's cost.
import { eq, type Price } from '../domain/fixed.ts';
import type { Command } from '../engine/commands.ts';
import type { ReplayRun, RunOpening } from './run.ts';
import type { LegSpec } from './spec.ts';
import type { Strategy } from './strategy.ts';
import type { Timeline } from './timeline.ts';

/** An opening's inputs (the opens, the commands, compared by identity) and what it left. */
interface OpeningRecord {
  readonly opens: readonly Price[];
  readonly commands: readonly (readonly Command[])[];
  readonly left: RunOpening;
}

/** Where a run's context keeps the last opening of one (spec, mode, start time, detail). */
export interface OpeningSlot {
  record: OpeningRecord | undefined;
}

/** Runs one command of a leg's open (the replay's execAtOpen: entries, their margin top-up, stops). */
export type ExecAtOpen = (command: Command, open: Price, time: number) => void;

interface OpeningBar {
  readonly k: number;
  readonly symbol: string;
  readonly open: Price;
  readonly openF: number;
  readonly commands: readonly Command[];
}

/**
 * Opens the portfolio at the timeline's first instant: each tradable bar of that instant marks its symbol
 * at the open and runs the strategy's commands for it (all decided before any runs: at a symbol's first
 * bar every strategy only enters, sized from the leg, the price and the market). Returns the number of
 * steps at that instant: the replay's walk does not ask the strategy again for their opens.
 */
export function openPortfolio(run: ReplayRun, steps: Timeline, symbolOfSeries: Int32Array, strategy: Strategy, legsBySymbol: ReadonlyMap<string, readonly LegSpec[]>, slot: OpeningSlot, execAtOpen: ExecAtOpen): number {
  if (steps.length === 0) return 0;
  const time = steps.time[0]!;
  const bars: OpeningBar[] = [];
  let end = 0;
  for (; end < steps.length && steps.time[end] === time; end++) {
    const series = steps.seriesList[steps.seriesOf[end]!]!;
    const i = steps.index[end]!;
    const k = symbolOfSeries[steps.seriesOf[end]!]!;
    if (series.noTrading[i] || k < 0) continue; // entered at its first tradable bar, by the walk
    const symbol = series.symbol;
    const commands = strategy.atOpen({ series, i, symbol, legs: legsBySymbol.get(symbol) ?? [], seen: 1 });
    bars.push({ k, symbol, open: series.open.at(i)!, openF: series.openF[i]!, commands });
  }
  const known = slot.record;
  if (known !== undefined && sameOpening(known, bars)) run.restoreOpening(known.left);
  else {
    for (const bar of bars) {
      run.stepSymbol = bar.symbol;
      run.mark(bar.symbol, bar.open, time);
      for (const command of bar.commands) execAtOpen(command, bar.open, time);
    }
    slot.record = { opens: bars.map((b) => b.open), commands: bars.map((b) => b.commands), left: run.saveOpening() };
  }
  // the float marks stand at the opens: the first bars are screened from there (their low to high)
  for (const bar of bars) run.marksF[bar.k] = bar.openF;
  run.lastTime = time;
  return end;
}

/** The same opens in the same order, and the very same command objects (the strategies' entry memo). */
function sameOpening(record: OpeningRecord, bars: readonly OpeningBar[]): boolean {
  if (record.opens.length !== bars.length) return false;
  for (let b = 0; b < bars.length; b++) {
    const bar = bars[b]!;
    const commands = record.commands[b]!;
    if (!eq(record.opens[b]!, bar.open) || commands.length !== bar.commands.length) return false;
    for (let c = 0; c < commands.length; c++) if (commands[c] !== bar.commands[c]) return false;
  }
  return true;
}
