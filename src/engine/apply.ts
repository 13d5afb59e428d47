// apply(state, command, time): the one state-transition function. The simulator, the tests and later the
// paper-trading server drive it from a command log and replay exactly: it is pure (time and prices are
// arguments) and deterministic (users, positions and orders are visited in sorted order).
// It changes the state it is given, in place, and returns it: copying the state per command made every
// command cost O(all users) (issue 10: a mark tick among 1,000 accounts was 1,300x the same tick alone).
// A caller that needs the state as it was (a what-if, a check comparing before and after) takes
// cloneState(state) first. A refused command leaves the state exactly as it was (./transaction.ts puts
// back what it changed) and returns that same object with a `rejected` event.
// This module validates time, dispatches to one module per transition (wallet, settings, orders, marks,
// funding, margin moves; risk, liquidation and insurance follow from them), keeps the derived index and
// sums of the command's user and symbol current (./exposure.ts) and turns a rejection into the result.
// Each transition runs a validation ladder first, returning a Rejection (code, field, reason) before it
// mutates anything; expected refusals are values, never thrown.
import { zero } from '../domain/fixed.ts';
import { reject, type Rejection, type RejectionKey } from './codes.ts';
import { MissingBracketsError } from '../exchanges/schedules.ts';
import type { Command } from './commands.ts';
import type { Transfer } from './ledger.ts';
import type { EngineState } from './state.ts';
import type { EngineEvent } from './events.ts';
import type { Ctx } from './context.ts';
import { Transaction } from './transaction.ts';
import { refreshExposure } from './exposure.ts';
import { commit } from './history.ts';
import { scopeRejection, checkRisk } from './risk.ts';
import { beforeStep, checkStep } from './invariant-checks.ts';
import { deposit, withdraw } from './wallet.ts';
import { setPositionMode, setMarginMode, setLeverage } from './settings.ts';
import { placeOrder, cancel, modifyOrder } from './orders.ts';
import { mark } from './marks.ts';
import { funding } from './funding.ts';
import { adjustMargin } from './margin-moves.ts';

export interface ApplyResult {
  readonly state: EngineState;
  readonly events: EngineEvent[];
  readonly transfers: Transfer[];
  readonly rejection?: Rejection;
}

/**
 * Applies one command at `time` (epoch ms) to `state`, in place. `op` numbers the command in its log
 * (events and transfers carry it). Time may not go backwards. With `config.assertInvariants` every
 * command is followed by the engine's invariants (./invariant-checks.ts), which throw on a violation.
 */
export function apply(state: EngineState, command: Command, time: number, op = 0): ApplyResult {
  const timing = timeRejection(state, time);
  if (timing) return rejected(state, command, op, time, timing);
  if (!state.config.assertInvariants) return execute(state, command, time, op);
  const before = beforeStep(state);
  const result = execute(state, command, time, op);
  checkStep(before, result, command);
  return result;
}

function execute(state: EngineState, command: Command, time: number, op: number): ApplyResult {
  const guard = GUARDS[command.op];
  const account = 'account' in command ? command.account : undefined;
  const symbol = 'symbol' in command ? command.symbol : undefined;
  // what the command may change, recorded before it runs (its account and symbol only when it is guarded:
  // the others either refuse before they mutate or cannot be refused after)
  const tx = new Transaction(state, guard ? account : undefined, symbol, command.op === 'modify' ? command.quantity : command.op !== 'order' ? zero<'Quantity'>() : command.closePosition ? undefined : command.quantity);
  state.time = time;
  const ctx: Ctx = { state, events: [], transfers: [], op, undo: guard ? tx : undefined, finished: [], trades: [] };
  try {
    // A trader's own order, transfer or setting never causes a liquidation: if it left a margin scope of
    // the account at or below maintenance it is refused and rolled back; otherwise no scope is due and
    // checkRisk only updates margin calls.
    let rejection = run(ctx, command);
    if (!rejection && account !== undefined && symbol !== undefined) refreshExposure(state, account, symbol);
    if (!rejection && guard && account !== undefined) rejection = scopeRejection(ctx, account, symbol, guard[0], guard[1]);
    if (rejection) return refuse(tx, state, command, op, time, rejection, account, symbol);
    if (guard && account !== undefined) checkRisk(ctx, [account], symbol);
    return { state, ...commit(state, ctx) };
  } catch (caught) {
    // A market without a maintenance table (a venue's symbol whose tiers are not bundled, and no `markets`
    // entry gives them) cannot be margined: the venue module throws, and the command that would open on
    // it is refused, naming the symbol, instead of crashing the run (found by the deep fuzz on
    // bybit-linear SOLUSDT; regression journal test/regressions/fuzz-bybit-linear-USDT-2-step-*.json).
    // Orders check the table in their ladder first (maintenanceTableRejection); this is the net for any
    // other path to the table. No position can exist on such a market (every voluntary command's scope
    // check computes the MM of the positions it changes), so marks and funding never get here mid-way.
    if (!(caught instanceof MissingBracketsError)) throw caught;
    return refuse(tx, state, command, op, time, reject('MALFORMED', 'symbol', caught.message), account, symbol);
  }
}

function timeRejection(state: EngineState, time: number): Rejection | undefined {
  if (!Number.isSafeInteger(time) || time < 0) return reject('MALFORMED', 'time', `must be a whole number of milliseconds since 1970, got ${time}`);
  if (time < state.time) return reject('MALFORMED', 'time', `time ${time} is before the state's time ${state.time}`);
  return undefined;
}

/** A command refused after it started: what it changed is put back, and its derived data with it. */
function refuse(tx: Transaction, state: EngineState, command: Command, op: number, time: number, r: Rejection, account: string | undefined, symbol: string | undefined): ApplyResult {
  tx.rollback();
  if (account !== undefined && symbol !== undefined) refreshExposure(state, account, symbol);
  return rejected(state, command, op, time, r);
}

/** A refused command: the same state as it was, one `rejected` event, no transfers. */
function rejected(state: EngineState, command: Command, op: number, time: number, r: Rejection): ApplyResult {
  return {
    state,
    events: [{ type: 'rejected', op, time, code: r.code, message: r.message, field: r.field, command: command.op }],
    transfers: [],
    rejection: r,
  };
}

/**
 * The voluntary commands and how a command that would leave a scope at or below maintenance is refused
 * (Binance's codes: -2019 margin insufficient for orders, -4050/-4051 for transfers, -2028 for leverage).
 * Deposits and cancels cannot lower a margin balance; marks and funding are the market's, not the trader's.
 */
const GUARDS: Partial<Record<Command['op'], readonly [RejectionKey, string]>> = {
  withdraw: ['CROSS_BALANCE_INSUFFICIENT', 'amount'],
  addMargin: ['CROSS_BALANCE_INSUFFICIENT', 'amount'],
  reduceMargin: ['ISOLATED_BALANCE_INSUFFICIENT', 'amount'],
  setLeverage: ['MIN_LEVERAGE_RATIO', 'leverage'],
  setMarginMode: ['MARGIN_INSUFFICIENT', 'mode'],
  setPositionMode: ['MARGIN_INSUFFICIENT', 'mode'],
  order: ['MARGIN_INSUFFICIENT', 'quantity'],
  modify: ['MARGIN_INSUFFICIENT', 'quantity'],
};

/** Runs the command's transition: its validation ladder, then (accepted) its mutation. */
function run(ctx: Ctx, c: Command): Rejection | undefined {
  switch (c.op) {
    case 'deposit':
      return deposit(ctx, c.account, c.asset, c.amount);
    case 'withdraw':
      return withdraw(ctx, c.account, c.asset, c.amount);
    case 'setPositionMode':
      return setPositionMode(ctx, c.account, c.mode);
    case 'setMarginMode':
      return setMarginMode(ctx, c.account, c.symbol, c.mode);
    case 'setLeverage':
      return setLeverage(ctx, c.account, c.symbol, c.leverage);
    case 'mark':
      return mark(ctx, c.symbol, c.price);
    case 'order':
      return placeOrder(ctx, c);
    case 'cancel':
      return cancel(ctx, c.account, c.symbol, c.clientOrderId, c.orderId);
    case 'modify':
      return modifyOrder(ctx, c);
    case 'addMargin':
    case 'reduceMargin':
      return adjustMargin(ctx, c.op, c.account, c.symbol, c.amount, c.positionSide);
    case 'funding':
      return funding(ctx, c.symbol, c.rate, c.time);
  }
}

export type { EngineEvent } from './events.ts';
export { crossFigures, crossFigures as accountFigures } from './figures.ts';
