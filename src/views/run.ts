// The JSON of `perpguard run`: the account after the journal (the engine's stateView: positions, balances,
// open orders, settings), the events, the ledger's transfers and the audit, as the journal run left them.
// Pure; fixed-point values are printed by toJsonText.
import { stateView, type JournalRun } from '../engine/journal.ts';

export function runView(run: JournalRun) {
  return { state: stateView(run.state), events: run.events, ledger: run.transfers, audit: run.audit };
}
