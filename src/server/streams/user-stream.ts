// The user data stream of one account for one accepted command: what Binance pushes on
// /private/ws?listenKey=… after it, in its order. The server (next session) calls it once per command and
// per account with an open stream; an account never sees another's orders, balances or positions.
import type { ApplyResult } from '../../engine/apply.ts';
import type { Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import { accountUpdateOf, marginCallsOf } from './account-updates.ts';
import { commandRecords, orderMessages, type Counters } from './order-updates.ts';
import { accountConfigUpdate, type UserStreamMessage } from './user-events.ts';

export { countersOf, type Counters } from './order-updates.ts';

export interface CommandOutcome {
  readonly command: Command;
  readonly result: ApplyResult;
  /** The state's id counters before apply() (countersOf(state)): the command's orders and trades are at or above them. */
  readonly before: Counters;
}

/**
 * The messages for `account` after one command, in the order Binance sends them: the order updates (as
 * the engine's events happened: an order's NEW, its TRADE), then the ACCOUNT_UPDATE of the balances and
 * positions that changed (a fill: ORDER_TRADE_UPDATE then ACCOUNT_UPDATE), then a MARGIN_CALL the command
 * raised; a leverage change is an ACCOUNT_CONFIG_UPDATE. A refused command sends nothing (Binance answers
 * it on REST only). `state` is the state after the command; T (transaction time) is the command's feed
 * time, E (event time) `eventTimeMs`, by default the same.
 */
export function userStreamMessages(state: EngineState, outcome: CommandOutcome, account: string, eventTimeMs: number = state.time): UserStreamMessage[] {
  const { command, result, before } = outcome;
  if (result.rejection) return [];
  const out: UserStreamMessage[] = orderMessages(state, account, result.events, before, eventTimeMs);
  const trades = commandRecords(state, account, before).trades;
  const update = accountUpdateOf(state, account, command, result.events, result.transfers, trades, eventTimeMs);
  if (update) out.push(update);
  out.push(...marginCallsOf(state, account, result.events, eventTimeMs));
  if (command.op === 'setLeverage' && command.account === account) out.push(accountConfigUpdate(command.symbol, command.leverage, eventTimeMs, state.time));
  return out;
}

/** The accounts a command's result concerns (those its events name): whose streams get messages. */
export function accountsOf(result: ApplyResult): string[] {
  const accounts = new Set<string>();
  for (const e of result.events) if ('account' in e) accounts.add(e.account);
  return [...accounts].sort();
}

/**
 * What one user stream connection sends for a message: the message bare (/private/ws, /ws/<listenKey>) or in
 * the combined envelope named by the listenKey (/private/stream, /stream?streams=<listenKey>, as Binance's
 * combined user stream); nothing when the connection's `events` filter (…&events=A/B) leaves it out.
 */
export function userFrame(message: UserStreamMessage, connection: { readonly combined: boolean; readonly listenKey: string; readonly events?: readonly string[] }): unknown {
  if (connection.events && !connection.events.includes(message.e)) return undefined;
  return connection.combined ? { stream: connection.listenKey, data: message } : message;
}
