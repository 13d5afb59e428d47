// The workload test's auditor (its own running balances from the transfers), statistics and per-state
// checks (I2 shape of the ledger, I5, the derived data): src/engine/workload.test.ts says what each
// invariant means.
import assert from 'node:assert/strict';
import { formatFixed, fromScaled, isMultipleOf, isPositive, toScaled, type Fixed, type Money } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import { crossFigures, type EngineEvent } from './apply.ts';
import { type Command } from './commands.ts';
import { crossAccount, EXTERNAL, FEES, FUNDING, INSURANCE, isolatedAccount, type Balances, type Transfer } from './ledger.ts';
import { legOf, marketOf, profileFor, settingsOf, type EngineState } from './state.ts';
import { checkDerived } from './invariants.ts';

export const ASSET = 'USDT';
/** JSON of anything, fixed-point values as their raw scaled bigints ("123n"): the byte-for-byte form of a state. */
export const serialize = (value: unknown): string => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
/** The auditor adds up raw scaled bigints (value x 10^18), nothing else. */
export const big = <U extends string>(x: Fixed<U>): bigint => toScaled(x);
export const text = (units: bigint): string => formatFixed(fromScaled<'Money'>(units));


// ------------------------------------------------------------------------------------------- statistics

export class Stats {
  ops = 0;
  accepted = 0;
  parseRejections = 0;
  rejectionsByCode = new Map<number, number>();
  events = new Map<string, number>();
  isolatedLiquidations = 0;
  crossLiquidations = 0;
  partialLiquidations = 0;
  insuranceCovers = 0;
  adlEvents = 0;
  adlAllocated = 0;
  triggeredFills = 0;
  transfers = 0;
  partialsSurvived = 0;
  equityChecks = 0;
  lpSafe = 0;
  lpPast = 0;
  triggerChecks = 0;

  add(other: Stats): void {
    for (const key of ['ops', 'accepted', 'parseRejections', 'isolatedLiquidations', 'crossLiquidations', 'partialLiquidations', 'insuranceCovers', 'adlEvents', 'adlAllocated', 'triggeredFills', 'transfers', 'partialsSurvived', 'equityChecks', 'lpSafe', 'lpPast', 'triggerChecks'] as const) {
      this[key] += other[key];
    }
    for (const [k, v] of other.rejectionsByCode) this.rejectionsByCode.set(k, (this.rejectionsByCode.get(k) ?? 0) + v);
    for (const [k, v] of other.events) this.events.set(k, (this.events.get(k) ?? 0) + v);
  }

  summary(): string {
    const codes = [...this.rejectionsByCode.entries()].sort((a, b) => a[0] - b[0]).map(([c, n]) => `${c}:${n}`).join(' ');
    const events = [...this.events.entries()].sort().map(([k, n]) => `${k}:${n}`).join(' ');
    return [
      `ops ${this.ops} (accepted ${this.accepted}, rejected by the parser ${this.parseRejections}, by apply ${[...this.rejectionsByCode.values()].reduce((a, b) => a + b, 0) - this.parseRejections})`,
      `liquidations: isolated ${this.isolatedLiquidations}, cross ${this.crossLiquidations} (positions), partial ${this.partialLiquidations}; insurance covers ${this.insuranceCovers}; ADL events ${this.adlEvents} (${this.adlAllocated} with counterparties)`,
      `partial liquidations that left a compliant position ${this.partialsSurvived}; liquidation equity identities checked ${this.equityChecks}`,
      `liquidation prices checked against the trigger: mark short of LP (no liquidation) ${this.lpSafe}, past LP (liquidation) ${this.lpPast}; trigger recomputed ${this.triggerChecks} times`,
      `fills triggered by marks ${this.triggeredFills}; transfers ${this.transfers}`,
      `events: ${events}`,
      `rejection codes: ${codes}`,
    ].join('\n  ');
  }
}

// ------------------------------------------------------------------------------------------- the auditor

/** The independent auditor: its own running balances, its own deposit and fee totals, plain bigint sums. */
export class Auditor {
  readonly balances = new Map<string, bigint>();
  net = 0n;
  feeIncome = 0n;
  fundingNet = 0n;
  readonly log: Transfer[] = [];

  constructor(initial: EngineState, seedTransfers: readonly Transfer[]) {
    for (const t of seedTransfers) {
      this.post(t);
      if (t.reason === 'insuranceSeed') this.net += big(t.amount);
    }
    this.compare(initial, 'initial state');
  }

  post(t: Transfer): void {
    const amount = big(t.amount);
    this.balances.set(`${t.asset}|${t.from}`, (this.balances.get(`${t.asset}|${t.from}`) ?? 0n) - amount);
    this.balances.set(`${t.asset}|${t.to}`, (this.balances.get(`${t.asset}|${t.to}`) ?? 0n) + amount);
    this.log.push({ ...t, seq: this.log.length });
  }

  compare(state: EngineState, where: string): void {
    const keys = new Set(this.balances.keys());
    for (const [asset, book] of Object.entries(state.balances)) for (const account of Object.keys(book)) keys.add(`${asset}|${account}`);
    let all = 0n;
    let inside = 0n;
    for (const key of keys) {
      const [asset, account] = [key.slice(0, key.indexOf('|')), key.slice(key.indexOf('|') + 1)];
      const mine = this.balances.get(key) ?? 0n;
      const engine = state.balances[asset]?.[account];
      const theirs = engine === undefined ? 0n : big(engine);
      if (mine !== theirs) assert.fail(`${where}: ${key} is ${text(theirs)} in the engine but the transfers give ${text(mine)}`);
      all += mine;
      if (account !== EXTERNAL) inside += mine;
    }
    assert.equal(all, 0n, `${where}: the ledger sums to ${all}, not zero`);
    assert.equal(inside, this.net, `${where}: the accounts hold ${inside} but deposits - withdrawals (events) = ${this.net}`);
    assert.equal(this.balances.get(`${ASSET}|${FEES}`) ?? 0n, this.feeIncome, `${where}: fee income differs from the fills' fees`);
    assert.equal(this.balances.get(`${ASSET}|${FUNDING}`) ?? 0n, this.fundingNet, `${where}: the funding counterparty differs from the funding payments`);
  }
}

export function balancesDelta(before: Balances, afterB: Balances): Balances {
  const delta: Balances = {};
  for (const asset of new Set([...Object.keys(before), ...Object.keys(afterB)])) {
    const b = before[asset] ?? {};
    const a = afterB[asset] ?? {};
    const book: Record<string, Money> = {};
    for (const account of new Set([...Object.keys(b), ...Object.keys(a)])) {
      const d = (a[account] ? big(a[account]!) : 0n) - (b[account] ? big(b[account]!) : 0n);
      if (d !== 0n) book[account] = fromScaled(d);
    }
    delta[asset] = book;
  }
  return delta;
}

export function changedUserAccounts(before: Balances, afterB: Balances): string[] {
  const a = afterB[ASSET] ?? {};
  const b = before[ASSET] ?? {};
  const out: string[] = [];
  for (const account of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (!account.startsWith('user/')) continue;
    if ((a[account] ? big(a[account]!) : 0n) !== (b[account] ? big(b[account]!) : 0n)) out.push(account);
  }
  return out;
}

export const walletOf = (state: EngineState, user: string, symbol: string, positionSide: string): string => {
  const u = state.users[user];
  const mode = u ? settingsOf(state, u, symbol).marginMode : 'cross';
  return mode === 'isolated' ? isolatedAccount(user, symbol, positionSide) : crossAccount(user);
};

// ------------------------------------------------------------------------------------------- per-step checks

/** I2 and I5 on a state. */
export function checkState(state: EngineState): void {
  // the symbol index and the kept cross sums equal a build from scratch
  checkDerived(state);
  const profile = profileFor(state);
  const book = state.balances[ASSET] ?? {};
  const insurance = book[INSURANCE];
  if (insurance) assert.ok(big(insurance) >= 0n, `the insurance fund is negative: ${formatFixed(insurance)}`);
  if (book[FEES]) assert.ok(big(book[FEES]!) >= 0n, 'fee income is negative');
  const orderIds = new Set<number>();
  for (const id of Object.keys(state.users)) {
    const user = state.users[id]!;
    // I5: positions and orders
    for (const [key, p] of Object.entries(user.positions)) {
      const market = marketOf(state, p.symbol)!;
      assert.equal(key, `${p.symbol}/${p.positionSide}`, `${id}: position key ${key}`);
      assert.ok(isPositive(p.size), `${id} ${key}: size ${formatFixed(p.size)} is not positive`);
      assert.ok(isMultipleOf(p.size, market.stepSize), `${id} ${key}: size ${formatFixed(p.size)} is off the step`);
      assert.ok(isPositive(p.entryPrice), `${id} ${key}: entry ${formatFixed(p.entryPrice)}`);
      if (user.positionMode === 'one-way') assert.equal(p.positionSide, 'BOTH', `${id} ${key}: one-way mode holds ${p.positionSide}`);
      else assert.equal(p.side, p.positionSide === 'LONG' ? 1 : -1, `${id} ${key}: a ${p.positionSide} position with side ${p.side}`);
      assert.ok(state.marks[p.symbol], `${id} ${key}: a position without a mark`);
    }
    const clientIds = new Set<string>();
    for (const o of user.orders) {
      assert.ok(!orderIds.has(o.orderId) && o.orderId < state.nextOrderId, `${id}: order id ${o.orderId} reused or ahead of nextOrderId`);
      orderIds.add(o.orderId);
      assert.ok(!clientIds.has(o.clientOrderId), `${id}: client order id ${o.clientOrderId} twice`);
      clientIds.add(o.clientOrderId);
      assert.ok(big(o.reserved) >= 0n, `${id}: order ${o.orderId} reserves a negative amount`);
      assert.equal(o.positionSide === 'BOTH', user.positionMode === 'one-way', `${id}: order ${o.orderId} has position side ${o.positionSide} in ${user.positionMode} mode`);
    }
    // I2: isolated positions above maintenance; every bucket backed by its position or empty
    const isolatedKeys = new Set<string>();
    for (const p of Object.values(user.positions)) {
      if (settingsOf(state, user, p.symbol).marginMode !== 'isolated') continue;
      const leg = legOf(state, user, p);
      isolatedKeys.add(isolatedAccount(id, p.symbol, p.positionSide));
      const balance = big(leg.isolatedWallet) + big(unrealizedPnl(leg, leg.markPrice));
      const mm = big(profile.maintenanceMargin(leg, state.config.fees).amount);
      assert.ok(balance > mm, `${id} ${p.symbol}/${p.positionSide} isolated: margin balance ${text(balance)} is not above MM ${text(mm)} after the step (a liquidation was missed)`);
    }
    for (const [account, amount] of Object.entries(book)) {
      if (!account.startsWith(`user/${id}/isolated/`) || big(amount) === 0n) continue;
      assert.ok(isolatedKeys.has(account), `${account} holds ${formatFixed(amount)} without an open isolated position`);
    }
    // I2: the cross account
    const f = crossFigures(state, user, ASSET);
    const crossLegs = f.snapshot.legs.filter((l) => l.marginMode === 'cross');
    if (crossLegs.length > 0) {
      assert.ok(big(f.marginBalance) > big(f.mm), `${id} cross: margin balance ${formatFixed(f.marginBalance)} is not above MM ${formatFixed(f.mm)} after the step`);
    } else {
      assert.ok(big(f.wallet) >= 0n, `${id}: cross wallet ${formatFixed(f.wallet)} is negative without a cross position`);
    }
  }
  for (const cp of state.counterparties) assert.ok(big(cp.size) >= 0n, `counterparty ${cp.id} has a negative size`);
}

export interface StepView {
  readonly before: EngineState;
  readonly after: EngineState;
  readonly command: Command;
  readonly events: readonly EngineEvent[];
  readonly transfers: readonly Transfer[];
}

/** A liquidated scope: an isolated position's bucket, or a user's cross wallet with its cross positions. */
export interface Scope {
  readonly user: string;
  readonly wallet: string;
  readonly isolated: { symbol: string; positionSide: string } | undefined;
  full: boolean;
}

/** Wallet + UPNL of the scope's positions at `marks` (the step's new marks, for the state before it too). */
