// apply(state, command, time): the one state-transition function. The simulator, the tests and later the
// paper-trading server drive it from a command log and replay exactly: it is pure (time and prices are
// arguments), deterministic (users, positions and orders are visited in sorted order), and a rejected
// command returns the very same state object with a `rejected` event.
// This module validates time, clones the state, dispatches to one module per transition (wallet, settings,
// orders, marks, funding, margin moves; risk, liquidation and insurance follow from them) and turns a
// rejection into the result. Each transition runs a validation ladder first, returning a Rejection (code,
// field, reason) before it mutates anything; expected refusals are values, never thrown.
import { reject, type Rejection, type RejectionKey } from './codes.ts';
import { MissingBracketsError } from '../exchanges/binance-usdm.ts';
import type { Command } from './commands.ts';
import type { Transfer } from './ledger.ts';
import { cloneState, type EngineState } from './state.ts';
import type { EngineEvent } from './events.ts';
import type { Ctx } from './context.ts';
import { commit } from './history.ts';
import { scopeRejection, checkRisk } from './risk.ts';
import { deposit, withdraw } from './wallet.ts';
import { setPositionMode, setMarginMode, setLeverage } from './settings.ts';
import { placeOrder, cancel } from './orders.ts';
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
 * Applies one command at `time` (epoch ms). `op` numbers the command in its log (events and transfers
 * carry it). Time may not go backwards.
 */
export function apply(state: EngineState, command: Command, time: number, op = 0): ApplyResult {
  const timing = timeRejection(state, time);
  if (timing) return rejected(state, command, op, time, timing);
  const next = cloneState(state);
  next.time = time;
  const ctx: Ctx = { state: next, events: [], transfers: [], op, finished: [], trades: [] };
  const guard = GUARDS[command.op];
  try {
    // A trader's own order, transfer or setting never causes a liquidation: the command ran on the
    // working copy; if it left any margin scope of the account at or below maintenance it is refused
    // (the working copy is dropped), otherwise no scope is due and checkRisk only updates margin calls.
    const rejection = run(ctx, command) ?? (guard && 'account' in command ? scopeRejection(ctx, command.account, guard[0], guard[1]) : undefined);
    if (rejection) return rejected(state, command, op, time, rejection);
    if (guard && 'account' in command) checkRisk(ctx);
    return { state: next, ...commit(next, ctx) };
  } catch (caught) {
    // A market without a maintenance table (a venue's symbol whose tiers are not bundled, and no `markets`
    // entry gives them) cannot be margined: the venue module throws, and the command that would open on
    // it is refused, naming the symbol, instead of crashing the run (found by the deep fuzz on
    // bybit-linear SOLUSDT; regression journal test/regressions/fuzz-bybit-linear-USDT-2-step-*.json).
    // Orders check the table in their ladder first (maintenanceTableRejection); this is the net for any
    // other path to the table. No position can exist on such a market: the scope check after every
    // voluntary command computes every position's MM.
    if (!(caught instanceof MissingBracketsError)) throw caught;
    return rejected(state, command, op, time, reject('MALFORMED', 'symbol', caught.message));
  }
}

function timeRejection(state: EngineState, time: number): Rejection | undefined {
  if (!Number.isSafeInteger(time) || time < 0) return reject('MALFORMED', 'time', `must be a whole number of milliseconds since 1970, got ${time}`);
  if (time < state.time) return reject('MALFORMED', 'time', `time ${time} is before the state's time ${state.time}`);
  return undefined;
}

/** A refused command: the very same state, one `rejected` event, no transfers. */
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
    case 'addMargin':
    case 'reduceMargin':
      return adjustMargin(ctx, c.op, c.account, c.symbol, c.amount, c.positionSide);
    case 'funding':
      return funding(ctx, c.symbol, c.rate, c.time);
  }
}

export type { EngineEvent } from './events.ts';
export { crossFigures, crossFigures as accountFigures } from './figures.ts';
