// The deep tier's invariant checker: what must hold after EVERY step of any command stream (the seeded
// fuzz, src/engine/fuzz.ts, and every regression journal under test/regressions/). It is independent of
// the engine's bookkeeping: it keeps its own running balances from the transfers, plain bigint sums.
//
// After each step:
//  ledger       every transfer is positive, between two different accounts, of the step's op; the
//               checker's running balances of the touched accounts equal the state's (incremental audit);
//               audit() over the whole transfer log every `fullAuditEvery` steps and at the end.
//  conservation per asset, the sum over every account but `external` changes only by the deposits and
//               withdrawals of the step (the deposit/withdrawal events), i.e. only those touch `external`.
//  insurance    insurance cover and ADL flow only into a wallet fully liquidated in that step, as much as
//               its liquidation event reports, and only when that liquidation closed past the bankruptcy
//               price (the wallet's equity at the mark, before the liquidation, was negative).
//  voluntary    a trader's own command (order, transfer, setting, cancel) liquidates nothing.
//  rejection    a rejected command returns the very same state object, one `rejected` event and no
//               transfers, and the state serializes exactly as before the call (apply() changes the
//               state in place: a refusal puts it back).
//  derived      the symbol index and the kept cross sums equal a build from scratch (checkDerived).
//  due          in a mark step, a scope is liquidated only if its margin balance at the new marks (before
//               the step's fills) was at or below its maintenance margin (users without fills in the step).
//  solvency     after the step every isolated position has bucket + uPnL > MM and every cross account
//               with positions MB > MM (no liquidation is left pending); a flat cross wallet is >= 0.
import { toScaled, type Fixed } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import { apply, crossFigures, type ApplyResult, type EngineEvent } from './apply.ts';
import type { Command } from './commands.ts';
import { audit, crossAccount, EXTERNAL, INSURANCE, isolatedAccount, MARKET, type Transfer } from './ledger.ts';
import { cloneState, legOf, marketOf, profileFor, settingsOf, type EngineState } from './state.ts';
import { check, checkDerived, checkSolvency, fingerprint, fingerprintChange, InvariantViolation, serialize } from './invariant-checks.ts';
import { historyProblems } from './history.ts';

export { checkDerived, checkSolvency, InvariantViolation, serialize } from './invariant-checks.ts';

const big = <U extends string>(x: Fixed<U>): bigint => toScaled(x);
const VOLUNTARY = new Set<Command['op']>(['deposit', 'withdraw', 'setPositionMode', 'setMarginMode', 'setLeverage', 'order', 'cancel', 'modify', 'addMargin', 'reduceMargin']);

export interface CheckerOptions {
  /** Full audit of the whole log every N steps (and at finish()). */
  readonly fullAuditEvery?: number;
  /** Serialize the input state around every N-th accepted command (every rejected one always). */
  readonly mutationCheckEvery?: number;
}

export class InvariantChecker {
  private readonly balances = new Map<string, bigint>();
  readonly log: Transfer[] = [];
  steps = 0;
  private lastTransferId = -1;
  liquidations = 0;
  insurancePayouts = 0;
  rejected = 0;
  private readonly fullAuditEvery: number;
  private readonly mutationCheckEvery: number;

  constructor(initial: EngineState, seedTransfers: readonly Transfer[], options: CheckerOptions = {}) {
    this.fullAuditEvery = options.fullAuditEvery ?? 2_000;
    this.mutationCheckEvery = options.mutationCheckEvery ?? 1;
    for (const t of seedTransfers) this.post(t);
    for (const t of seedTransfers) this.lastTransferId = Math.max(this.lastTransferId, t.seq);
    const result = audit(initial.balances, this.log);
    check(result.ok, () => `initial state: ${result.problems.join('; ')}`);
  }

  private post(t: Transfer): void {
    const amount = big(t.amount);
    const from = `${t.asset}|${t.from}`;
    const to = `${t.asset}|${t.to}`;
    this.balances.set(from, (this.balances.get(from) ?? 0n) - amount);
    this.balances.set(to, (this.balances.get(to) ?? 0n) + amount);
    this.log.push({ ...t, seq: this.log.length });
  }

  /**
   * Applies `command` to `state` at `time` (in place, as apply() does) and checks every invariant of the
   * step; returns the result. A mark step's liquidations are checked against a copy of the state before.
   */
  step(state: EngineState, command: Command, time: number, op: number): ApplyResult {
    const snapshot = this.steps % this.mutationCheckEvery === 0 ? fingerprint(state) : undefined;
    const before = command.op === 'mark' ? cloneState(state) : undefined;
    const result = apply(state, command, time, op);
    this.steps += 1;
    check(result.state === state, () => 'apply() returned another state object');
    if (result.rejection) {
      this.rejected += 1;
      check(result.transfers.length === 0, () => 'a rejected command made transfers');
      check(result.events.length === 1 && result.events[0]!.type === 'rejected', () => 'a rejected command has more than its rejected event');
      if (snapshot !== undefined) {
        const changed = fingerprintChange(snapshot, fingerprint(result.state));
        check(changed === undefined, () => `a rejected command changed ${changed}`);
      }
      checkDerived(result.state);
      return result;
    }
    this.checkLedger(result, command, op);
    this.checkLiquidations(before, result, command);
    checkSolvency(result.state);
    checkDerived(result.state);
    if (this.steps % this.fullAuditEvery === 0) this.fullAudit(result.state);
    return result;
  }

  fullAudit(state: EngineState): void {
    const result = audit(state.balances, this.log);
    check(result.ok, () => `full audit: ${result.problems.slice(0, 5).join('; ')}`);
    // the kept orders and trades agree with each other (executedQty and cumQuote are their trades' sums);
    // O(kept), so with the full audit rather than every step
    const history = historyProblems(state);
    check(history.length === 0, () => `history: ${history.slice(0, 5).join('; ')}`);
    for (const [asset, book] of Object.entries(state.balances)) {
      for (const [account, amount] of Object.entries(book)) {
        const mine = this.balances.get(`${asset}|${account}`) ?? 0n;
        check(mine === big(amount), () => `full audit: ${asset} ${account} is ${big(amount)} but the transfers give ${mine}`);
      }
    }
  }

  private checkLedger(result: ApplyResult, command: Command, op: number): void {
    const externalFlow = new Map<string, bigint>();
    for (const t of result.transfers) {
      check(big(t.amount) > 0n && t.from !== t.to && t.op === op, () => `a malformed transfer ${serialize(t)}`);
      // ids number the whole log (the state's counter) and every transfer carries its command's time
      check(t.seq > this.lastTransferId && t.time === result.state.time, () => `transfer ${t.seq} after ${this.lastTransferId} at ${t.time} (state time ${result.state.time})`);
      this.lastTransferId = t.seq;
      if (t.from === EXTERNAL || t.to === EXTERNAL) {
        check(t.reason === 'deposit' || t.reason === 'withdrawal', () => `a ${t.reason} transfer touched the external account`);
        externalFlow.set(t.asset, (externalFlow.get(t.asset) ?? 0n) + (t.to === EXTERNAL ? -big(t.amount) : big(t.amount)));
      }
      this.post(t);
    }
    // conservation: the money inside changes exactly by the deposits and withdrawals the events report
    const reported = new Map<string, bigint>();
    for (const e of result.events) {
      if (e.type === 'deposit') reported.set(e.asset, (reported.get(e.asset) ?? 0n) + big(e.amount));
      if (e.type === 'withdrawal') reported.set(e.asset, (reported.get(e.asset) ?? 0n) - big(e.amount));
    }
    for (const asset of new Set([...externalFlow.keys(), ...reported.keys()])) {
      check((externalFlow.get(asset) ?? 0n) === (reported.get(asset) ?? 0n), () => `${asset}: the accounts gained ${externalFlow.get(asset) ?? 0n} from outside but the events report ${reported.get(asset) ?? 0n} (${command.op})`);
    }
    // incremental audit: every touched account equals the running sum
    for (const t of result.transfers) {
      for (const account of [t.from, t.to]) {
        const mine = this.balances.get(`${t.asset}|${account}`) ?? 0n;
        const theirs = result.state.balances[t.asset]?.[account];
        check(theirs !== undefined && big(theirs) === mine, () => `${t.asset} ${account}: ${theirs === undefined ? 'missing' : big(theirs)} in the state but the transfers give ${mine}`);
      }
    }
  }

  private checkLiquidations(before: EngineState | undefined, result: ApplyResult, command: Command): void {
    const liquidationEvents = result.events.filter((e) => e.type === 'liquidation' || e.type === 'partialLiquidation' || e.type === 'adl');
    if (VOLUNTARY.has(command.op)) {
      check(liquidationEvents.length === 0, () => `a ${command.op} (a trader's own command) caused ${liquidationEvents.map((e) => e.type).join(', ')}`);
    }
    if (before) checkDue(before, result);
    // insurance cover and ADL reach only wallets fully liquidated in the step, past the bankruptcy price
    const paidIn = new Map<string, bigint>();
    for (const t of result.transfers) {
      if ((t.reason === 'insuranceCover' && t.from === INSURANCE) || (t.reason === 'adl' && t.from === MARKET)) {
        paidIn.set(`${t.asset}|${t.to}`, (paidIn.get(`${t.asset}|${t.to}`) ?? 0n) + big(t.amount));
      }
    }
    if (paidIn.size === 0) return;
    const reported = new Map<string, bigint>();
    const beyond = new Set<string>();
    for (const e of result.events) {
      if (e.type !== 'liquidation') continue;
      const asset = assetOf(result.state, e.symbol);
      const wallet = e.marginMode === 'isolated' ? isolatedAccount(e.account, e.symbol, e.positionSide) : crossAccount(e.account);
      const key = `${asset}|${wallet}`;
      reported.set(key, (reported.get(key) ?? 0n) + big(e.insuranceCover) + big(e.adl));
      // closed at the mark, worse than the bankruptcy price: below it for a long, above it for a short
      const bp = e.bankruptcyPrice;
      if (bp === undefined || (e.side === 1 ? big(e.markPrice) < big(bp) : big(e.markPrice) > big(bp))) beyond.add(key);
    }
    for (const [key, amount] of paidIn) {
      this.insurancePayouts += 1;
      check(reported.has(key), () => `${key} received ${amount} of insurance cover / ADL without a liquidation in the step (${command.op})`);
      check(reported.get(key) === amount, () => `${key} received ${amount} of insurance cover / ADL but its liquidation reports ${reported.get(key)}`);
      check(beyond.has(key), () => `${key}: insurance cover / ADL of ${amount} for a liquidation at a mark not past its bankruptcy price`);
    }
  }

  /** The end of a run: a full audit. */
  finish(state: EngineState): void {
    this.fullAudit(state);
  }
}

function assetOf(after: EngineState, symbol: string): string {
  const market = marketOf(after, symbol);
  if (!market) throw new InvariantViolation(`a liquidation of ${symbol}, which is not a market`);
  return market.settleAsset;
}

/**
 * A liquidation in a mark step was due: the scope's margin balance at the new marks, in the state before
 * the step, was at or below its MM. Users with fills in the step (resting orders that traded first) are
 * skipped: their balances moved before the check.
 */
function checkDue(before: EngineState, result: ApplyResult): void {
  const traded = new Set(result.events.filter((e) => e.type === 'fill').map((e) => (e as { account: string }).account));
  const view: EngineState = { ...before, marks: result.state.marks };
  const profile = profileFor(view);
  const seen = new Set<string>();
  for (const e of result.events) {
    if ((e.type !== 'liquidation' && e.type !== 'partialLiquidation') || traded.has(e.account)) continue;
    const user = view.users[e.account];
    const p = user?.positions[`${e.symbol}/${e.positionSide}`];
    if (!user || !p) continue;
    const isolated = settingsOf(view, user, e.symbol).marginMode === 'isolated';
    const scope = isolated ? `${e.account} ${e.symbol}/${e.positionSide}` : `${e.account} cross`;
    if (seen.has(scope)) continue;
    seen.add(scope);
    const leg = legOf(view, user, p);
    if (isolated) {
      const balance = big(leg.isolatedWallet) + big(unrealizedPnl(leg, leg.markPrice));
      const mm = big(profile.maintenanceMargin(leg, view.config.fees).amount);
      check(balance <= mm, () => `${scope} isolated was liquidated at the mark ${big(leg.markPrice)} with margin balance ${balance} above MM ${mm}`);
    } else {
      const f = crossFigures(view, user, leg.market.settleAsset);
      check(big(f.marginBalance) <= big(f.mm), () => `${scope} ${leg.market.settleAsset} was liquidated with margin balance ${big(f.marginBalance)} above MM ${big(f.mm)} at the new marks`);
    }
  }
}

export type { EngineEvent };
