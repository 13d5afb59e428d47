// An account's ledger history for GET /fapi/v1/income and /fapi/v1/positionMargin/history, rebuilt from
// the durable log: the account's commands and the market's replayed from the venue's set-up through the
// engine's apply(), keeping each command's transfers (the engine state keeps balances, not transfers).
// The log is the truth, so the rows are the same after a restart, and only what was acknowledged (or a
// feed event logged) is in them. Cost: one replay of the account's log per request; Binance weighs income
// at 30 for the same reason (a history scan).
import { apply } from '../../engine/apply.ts';
import { parseCommand } from '../../engine/commands.ts';
import { keptTrades } from '../../engine/history.ts';
import { crossAccount } from '../../engine/ledger.ts';
import { initialAccountState } from '../../store/venue.ts';
import { incomeOf, type IncomeRow, type MarginMove } from '../binance/income.ts';
import type { Venue } from './venue.ts';

export interface LedgerHistory {
  /** Oldest first. */
  readonly income: IncomeRow[];
  /** addMargin / reduceMargin as they moved money, oldest first. */
  readonly marginMoves: MarginMove[];
}

export async function ledgerHistory(venue: Venue, account: string): Promise<LedgerHistory> {
  const state = initialAccountState(venue.setup);
  const income: IncomeRow[] = [];
  const marginMoves: MarginMove[] = [];
  const cross = crossAccount(account);
  for await (const logged of venue.accountLog(account)) {
    const parsed = parseCommand(logged.command);
    if ('rejection' in parsed) continue;
    const tradesBefore = state.nextTradeId;
    const result = apply(state, parsed.command, logged.timeMs, logged.seq);
    if (result.rejection || result.transfers.length === 0) continue;
    const trades = state.nextTradeId > tradesBefore ? keptTrades(state, account).filter((t) => t.id >= tradesBefore) : [];
    income.push(...incomeOf(account, parsed.command, result.transfers, result.events, trades));
    for (const t of result.transfers) {
      if ((t.reason !== 'addMargin' && t.reason !== 'reduceMargin') || (t.from !== cross && t.to !== cross)) continue;
      // the other side is the position's isolated wallet: user/<id>/isolated/<symbol>/<positionSide>
      const [symbol, positionSide] = (t.from === cross ? t.to : t.from).split('/').slice(-2) as [string, string];
      marginMoves.push({ symbol, type: t.reason === 'addMargin' ? 1 : 2, amount: t.amount, asset: t.asset, time: t.time, positionSide });
    }
  }
  return { income, marginMoves };
}
