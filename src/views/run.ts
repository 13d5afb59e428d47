// The JSON of `perpguard run`: the engine and market tables that produced the run (a journal records them
// as setup.engine / setup.tables to replay on the same ones), the account after the journal (views/account.ts:
// positions, balances, open orders, settings), its orders and trades in Binance's shapes, the
// events, the ledger's transfers and the audit, as the journal run left them. Pure; fixed-point values are
// printed by toJsonText.
import type { JournalRun } from '../engine/journal.ts';
import { stateView } from './account.ts';
import { accountOrdersJson } from './orders.ts';

export function runView(run: JournalRun) {
  const state = stateView(run.state);
  return {
    engine: run.engine,
    tables: run.tables,
    ...(run.versionMismatch ? { versionMismatch: run.versionMismatch } : {}),
    state,
    ...accountOrdersJson(run.state, state.account),
    events: run.events,
    ledger: run.transfers,
    audit: run.audit,
  };
}
