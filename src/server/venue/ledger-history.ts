// An account's ledger history for GET /fapi/v1/income and /fapi/v1/positionMargin/history, rebuilt from
// the durable log: the account's commands and the market's replayed from the venue's set-up through the
// engine's apply(), keeping each command's transfers (the engine state keeps balances, not transfers).
// The log is the truth, so the rows are the same after a restart, and only what was acknowledged (or a
// feed event logged) is in them.
// The replay is kept per account and continued from where it stopped: the first request replays the
// whole log once (measured on this 2-core machine: 2.3 to 4.9 s for a log of 107,000 commands, a year
// of the 3-symbol feed; 0.5 s for 24,000), later ones only what was logged since (1-7 ms). Requests for
// one account are served one after the other, so the kept replay is never advanced twice at once.
import { apply } from '../../engine/apply.ts';
import { parseCommand } from '../../engine/commands.ts';
import { keptTrades } from '../../engine/history.ts';
import { crossAccount } from '../../engine/ledger.ts';
import type { EngineState } from '../../engine/state.ts';
import { initialAccountState } from '../../store/venue.ts';
import { incomeOf, type IncomeRow, type MarginMove } from '../binance/income.ts';
import type { Venue } from './venue.ts';

export interface LedgerHistory {
  /** Oldest first. */
  readonly income: readonly IncomeRow[];
  /** addMargin / reduceMargin as they moved money, oldest first. */
  readonly marginMoves: readonly MarginMove[];
}

/** One account's replay so far: its state after `seq`, the rows found, and the request being served. */
interface Progress {
  readonly state: EngineState;
  seq: number;
  readonly income: IncomeRow[];
  readonly marginMoves: MarginMove[];
  queue: Promise<unknown>;
}

const replays = new WeakMap<Venue, Map<string, Progress>>();

export function ledgerHistory(venue: Venue, account: string): Promise<LedgerHistory> {
  let byAccount = replays.get(venue);
  if (!byAccount) replays.set(venue, (byAccount = new Map()));
  let progress = byAccount.get(account);
  if (!progress) byAccount.set(account, (progress = { state: initialAccountState(venue.records.setup), seq: 0, income: [], marginMoves: [], queue: Promise.resolve() }));
  const p = progress;
  const done = p.queue.then(() => advance(venue, account, p));
  p.queue = done.catch(() => undefined);
  return done.then(() => ({ income: p.income, marginMoves: p.marginMoves }));
}

/** Applies what the log holds after the replay's sequence number, collecting the rows. */
async function advance(venue: Venue, account: string, p: Progress): Promise<void> {
  const { state } = p;
  const cross = crossAccount(account);
  for await (const logged of venue.records.accountLog(account, p.seq)) {
    p.seq = logged.seq;
    const parsed = parseCommand(logged.command);
    if ('rejection' in parsed) continue;
    const tradesBefore = state.nextTradeId;
    const result = apply(state, parsed.command, logged.timeMs, logged.seq);
    if (result.rejection || result.transfers.length === 0) continue;
    const trades = state.nextTradeId > tradesBefore ? keptTrades(state, account).filter((t) => t.id >= tradesBefore) : [];
    p.income.push(...incomeOf(account, parsed.command, result.transfers, result.events, trades));
    for (const t of result.transfers) {
      if ((t.reason !== 'addMargin' && t.reason !== 'reduceMargin') || (t.from !== cross && t.to !== cross)) continue;
      // the other side is the position's isolated wallet: user/<id>/isolated/<symbol>/<positionSide>
      const [symbol, positionSide] = (t.from === cross ? t.to : t.from).split('/').slice(-2) as [string, string];
      p.marginMoves.push({ symbol, type: t.reason === 'addMargin' ? 1 : 2, amount: t.amount, asset: t.asset, time: t.time, positionSide });
    }
  }
}
