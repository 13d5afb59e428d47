// The mark at an exact bar's open, when an outcome (Monte Carlo, ./replay.ts replayOutcome) can do without
// it. An exact bar marks its symbol at the open and then walks the bar's path (./walk.ts), whose every
// mark comes at the same time; most opens of a Monte Carlo path change nothing but the mark itself, and
// each was one engine command of ~15 us (a third of an exact path's marks).
//
// Why leaving it out changes nothing an outcome reads, where openIsQuiet holds (the run's clock already at
// the bar's time, ReplayRun.clockTo, and its op count moved as the mark's would, ReplayRun.skipOp):
//  - The mark would liquidate nothing: with the open, and every other symbol at the mirror's marks (those
//    of the cross positions are the engine's own after the step's sync), no scope's margin ratio reaches
//    the screening level less its band (mayTrigger, the screening kernel's own test, on the mirror as of
//    the bar's day). No order rests (none could trigger), no recheck is pending (the mark would then look
//    at every scope), and the cross wallet is not negative (the mark would have the insurance fund cover
//    it: a transfer).
//  - So it would move only the symbol's mark, its exposure sums and the margin-call flags, and log
//    margin-call events; an outcome keeps no event, and the flags only decide whether a later margin call
//    is logged. The path walk's first mark (walkBar: the symbol is held, so it marks at least once) comes
//    at the same time, sets the mark, recomputes the sums and checks the same scopes: from there on the
//    state is the one the mark at the open would have led to.
//  - Before that first mark, the walk solves the symbol's liquidation price with the engine's mark of the
//    symbol as the solver's reference (the root is rounded toward it). The symbol has one position, whose
//    scope's margin balance less maintenance rises monotonically the safe way: one root, and any reference
//    on the safe side of it gives the same rounding. The open is on the safe side (above) and so is the
//    engine's current mark of the symbol, which this checks the same way; otherwise the open is marked.
import { isNegative, toApproxNumber } from '../domain/fixed.ts';
import { derivedOf, SIDES } from '../engine/exposure.ts';
import { balanceOf, crossAccount } from '../engine/ledger.ts';
import { marketOf, positionKey, userOf } from '../engine/state.ts';
import { mayTrigger } from './kernel.ts';
import type { ReplayRun } from './run.ts';

/** True when the open of the symbol's exact bar (index k, open as float64) need not be marked; see above. */
export function openIsQuiet(run: ReplayRun, symbol: string, k: number, openF: number): boolean {
  const state = run.state;
  const user = userOf(state, run.user);
  if (user.orders.length > 0 || derivedOf(state).recheck.size > 0) return false;
  const market = marketOf(state, symbol);
  if (market === undefined || isNegative(balanceOf(state.balances, market.settleAsset, crossAccount(user.id)))) return false;
  let positions = 0;
  for (const side of SIDES) if (user.positions[positionKey(symbol, side)] !== undefined) positions++;
  const mark = state.marks[symbol];
  if (positions !== 1 || mark === undefined) return false;
  run.refreshFloat();
  const markF = toApproxNumber(mark);
  return !mayTrigger(run.floatAccount, run.marksF, k, openF, openF) && !mayTrigger(run.floatAccount, run.marksF, k, markF, markF);
}
