// The workload test's checks of one accepted step: liquidation outcomes and locality (I2, I4), the
// trigger (liquidations exactly when due) and the reported liquidation prices (I7);
// src/engine/workload.test.ts says what each invariant means.
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import type { EngineEvent } from './apply.ts';
import { crossAccount, isolatedAccount } from './ledger.ts';
import { legOf, marketOf, profileFor, settingsOf, snapshotOf, type EngineState } from './state.ts';
import { ASSET, big, changedUserAccounts, text, walletOf, type Scope, type Stats, type StepView } from './workload-ledger-test-support.ts';

export function scopeEquity(state: EngineState, marks: EngineState['marks'], scope: Scope): bigint {
  const view: EngineState = { ...state, marks };
  const user = view.users[scope.user];
  const wallet = view.balances[ASSET]?.[scope.wallet];
  let equity = wallet ? big(wallet) : 0n;
  if (!user) return equity;
  for (const p of Object.values(user.positions)) {
    const mode = settingsOf(view, user, p.symbol).marginMode;
    const inScope = scope.isolated ? mode === 'isolated' && p.symbol === scope.isolated.symbol && p.positionSide === scope.isolated.positionSide : mode === 'cross';
    if (!inScope) continue;
    const leg = legOf(view, user, p);
    equity += big(unrealizedPnl(leg, leg.markPrice));
  }
  return equity;
}

/** Events that a liquidation itself produces; any other event of a user in the step moves its money too. */
export const LIQUIDATION_EVENTS = new Set<EngineEvent['type']>(['liquidation', 'partialLiquidation', 'adl', 'orderCanceled', 'marginCall']);
/** Rounding slack of the equity identity: each partial cut floors its realized PnL to 1e-18 separately. */
export const EPSILON = 1_000n;

/** I2 (liquidation outcomes) and I4 (locality) on one accepted step. */
export function checkStep(s: StepView, stats: Stats): void {
  const explained = new Set<string>();
  const liquidated = new Set<string>();
  const closedByFill = new Set<string>();
  const scopes = new Map<string, Scope>();
  const busy = new Set<string>();
  if ('account' in s.command) busy.add(s.command.account);
  for (const e of s.events) if ('account' in e && !LIQUIDATION_EVENTS.has(e.type)) busy.add(e.account);
  const c = s.command;
  if (c.op === 'deposit' || c.op === 'withdraw') explained.add(crossAccount(c.account));
  if (c.op === 'addMargin' || c.op === 'reduceMargin') {
    explained.add(crossAccount(c.account));
    explained.add(isolatedAccount(c.account, c.symbol, c.positionSide ?? 'BOTH'));
  }
  const fullLiquidations: Extract<EngineEvent, { type: 'liquidation' }>[] = [];
  for (const e of s.events) {
    switch (e.type) {
      case 'fill':
        explained.add(crossAccount(e.account));
        explained.add(isolatedAccount(e.account, e.symbol, e.positionSide));
        closedByFill.add(crossAccount(e.account));
        closedByFill.add(isolatedAccount(e.account, e.symbol, e.positionSide));
        break;
      case 'funding':
        explained.add(walletOf(s.after, e.account, e.symbol, e.positionSide));
        break;
      case 'partialLiquidation':
      case 'liquidation': {
        const isolated = e.type === 'liquidation' ? e.marginMode === 'isolated' : walletOf(s.after, e.account, e.symbol, e.positionSide) !== crossAccount(e.account);
        const wallet = isolated ? isolatedAccount(e.account, e.symbol, e.positionSide) : crossAccount(e.account);
        explained.add(wallet);
        liquidated.add(wallet);
        const scope = scopes.get(wallet) ?? { user: e.account, wallet, isolated: isolated ? { symbol: e.symbol, positionSide: e.positionSide } : undefined, full: false };
        scopes.set(wallet, scope);
        if (e.type === 'liquidation') {
          scope.full = true;
          if (e.marginMode === 'isolated' || e.reason.startsWith('cross margin balance')) fullLiquidations.push(e);
        }
        break;
      }
    }
  }
  // I4: nothing else moved
  for (const account of changedUserAccounts(s.before.balances, s.after.balances)) {
    assert.ok(explained.has(account), `${account} changed but no event or command of the step concerns it (liquidated: ${[...liquidated].join(', ') || 'none'})`);
  }
  for (const t of s.transfers) {
    if (t.reason === 'clearanceFee') assert.ok(liquidated.has(t.from), `a clearance fee left ${t.from}, which was not liquidated`);
    if (t.reason === 'insuranceCover' || t.reason === 'adl') {
      assert.ok(scopes.get(t.to)?.full || closedByFill.has(t.to), `${t.reason} reached ${t.to}, which was neither fully liquidated nor closed by a fill`);
    }
  }
  // I2: a liquidation moves no margin out of its scope except the clearance fee, and the insurance fund
  // and ADL pay in exactly the deficit: equity after = equity before (at the new marks) - fees + cover.
  // (Checked when the liquidation is all that happened to the user in the step.)
  for (const scope of scopes.values()) {
    if (!scope.full) stats.partialsSurvived += 1;
    if (busy.has(scope.user)) continue;
    const before = scopeEquity(s.before, s.after.marks, scope);
    const afterEquity = scopeEquity(s.after, s.after.marks, scope);
    let fees = 0n;
    let cover = 0n;
    for (const t of s.transfers) {
      if (t.reason === 'clearanceFee' && t.from === scope.wallet) fees += big(t.amount);
      if ((t.reason === 'insuranceCover' || t.reason === 'adl') && t.to === scope.wallet) cover += big(t.amount);
    }
    const drift = afterEquity - (before - fees + cover);
    assert.ok(
      drift <= EPSILON && drift >= -EPSILON,
      `${scope.wallet}: equity ${text(before)} before the liquidation, ${text(fees)} of clearance fees, ${text(cover)} of insurance/ADL cover, but ${text(afterEquity)} after (${text(drift)} unaccounted for)`,
    );
    if (scope.full) assert.equal(afterEquity, 0n, `${scope.wallet}: equity ${text(afterEquity)} after a full liquidation`);
    stats.equityChecks += 1;
  }
  // I2: a full liquidation leaves its wallet at exactly zero, a deficit covered by insurance or ADL
  for (const e of fullLiquidations) {
    const wallet = e.marginMode === 'isolated' ? isolatedAccount(e.account, e.symbol, e.positionSide) : crossAccount(e.account);
    const left = s.after.balances[ASSET]?.[wallet];
    assert.ok(left === undefined || big(left) === 0n, `${wallet} holds ${left && formatFixed(left)} after its liquidation`);
    const into = (reason: string) => s.transfers.filter((t) => t.reason === reason && t.to === wallet).reduce((sum, t) => sum + big(t.amount), 0n);
    assert.ok(into('insuranceCover') >= big(e.insuranceCover), `${wallet}: the event reports ${formatFixed(e.insuranceCover)} of insurance cover but less was transferred`);
    assert.ok(into('adl') >= big(e.adl), `${wallet}: the event reports ${formatFixed(e.adl)} of ADL but less was transferred`);
    if (e.marginMode === 'isolated') {
      assert.equal(s.after.users[e.account]!.positions[`${e.symbol}/${e.positionSide}`], undefined, `${wallet}: the position survived its liquidation`);
    } else {
      const user = s.after.users[e.account]!;
      assert.ok(
        Object.values(user.positions).every((p) => settingsOf(s.after, user, p.symbol).marginMode !== 'cross'),
        `${e.account}: a cross position survived the cross liquidation`,
      );
    }
    if (big(e.insuranceCover) > 0n) stats.insuranceCovers += 1;
  }
  if (s.command.op === 'mark') checkLiquidationPrices(s, liquidated, busy, stats);
  if (s.command.op === 'mark' || s.command.op === 'funding') checkTrigger(s, liquidated, stats);
  for (const e of s.events) {
    if (e.type !== 'adl') continue;
    const allocated = e.counterparties.reduce((sum, a) => sum + big(a.amount), 0n);
    assert.equal(allocated + big(e.unallocated), big(e.amount), 'ADL allocations plus the unallocated rest differ from the ADL amount');
    assert.ok(big(e.unallocated) >= 0n, 'ADL: negative unallocated rest');
    if (e.counterparties.length > 0) stats.adlAllocated += 1;
  }
}

/**
 * I2 (the trigger): in a mark or funding step, for every user to whom nothing else happened, a scope is
 * liquidated (partially or fully) exactly when its margin balance before the step, taken at the new marks
 * and less the step's funding payments, is at or below its maintenance margin.
 */
export function checkTrigger(s: StepView, liquidated: ReadonlySet<string>, stats: Stats): void {
  const profile = profileFor(s.before);
  const others = new Set<string>();
  const paid = new Map<string, bigint>();
  for (const e of s.events) {
    if (e.type === 'funding') {
      const wallet = walletOf(s.before, e.account, e.symbol, e.positionSide);
      paid.set(wallet, (paid.get(wallet) ?? 0n) + big(e.payment));
    } else if ('account' in e && !LIQUIDATION_EVENTS.has(e.type)) others.add(e.account);
  }
  const view: EngineState = { ...s.before, marks: s.after.marks };
  for (const id of Object.keys(view.users)) {
    if (others.has(id)) continue;
    const user = view.users[id]!;
    const scopes = new Map<string, Scope>();
    for (const p of Object.values(user.positions)) {
      const isolated = settingsOf(view, user, p.symbol).marginMode === 'isolated';
      const wallet = isolated ? isolatedAccount(id, p.symbol, p.positionSide) : crossAccount(id);
      scopes.set(wallet, { user: id, wallet, isolated: isolated ? { symbol: p.symbol, positionSide: p.positionSide } : undefined, full: false });
    }
    for (const scope of scopes.values()) {
      const balance = scopeEquity(view, view.marks, scope) - (paid.get(scope.wallet) ?? 0n);
      let mm = 0n;
      for (const p of Object.values(user.positions)) {
        const isolated = settingsOf(view, user, p.symbol).marginMode === 'isolated';
        const inScope = scope.isolated ? isolated && p.symbol === scope.isolated.symbol && p.positionSide === scope.isolated.positionSide : !isolated;
        if (inScope) mm += big(profile.maintenanceMargin(legOf(view, user, p), view.config.fees).amount);
      }
      const due = balance <= mm;
      assert.equal(
        liquidated.has(scope.wallet),
        due,
        `${scope.wallet}: margin balance ${text(balance)} and MM ${text(mm)} at the new marks, but the scope was ${due ? 'not ' : ''}liquidated`,
      );
      stats.triggerChecks += 1;
    }
  }
}

/**
 * I7: the liquidation price the engine reports (the solver, rounded toward the mark) agrees with when
 * the engine liquidates. In a step that only moves the mark of S, for every user whose only events are
 * the liquidation's, and every position of S: if the new mark is at least a tick short of the reported
 * liquidation price (closer to the old mark than it, on either side), or there is none, its scope is not
 * liquidated; if the scope has no other position of S and the new mark is at least a tick past it, the
 * scope is liquidated (partially or fully). Prices of other symbols are frozen in such a step, which is
 * exactly the solver's assumption.
 */
export function checkLiquidationPrices(s: StepView, liquidated: ReadonlySet<string>, busy: ReadonlySet<string>, stats: Stats): void {
  if (s.command.op !== 'mark') return;
  const symbol = s.command.symbol;
  const profile = profileFor(s.before);
  const tick = big(marketOf(s.before, symbol)!.tickSize);
  const p = big(s.after.marks[symbol]!);
  for (const id of Object.keys(s.before.users)) {
    if (busy.has(id)) continue;
    const user = s.before.users[id]!;
    const snapshot = snapshotOf(s.before, user, ASSET);
    const prices = profile.liquidationPrices(snapshot);
    snapshot.legs.forEach((leg, i) => {
      if (leg.symbol !== symbol) return;
      const wallet = leg.marginMode === 'isolated' ? isolatedAccount(id, leg.symbol, leg.positionSide) : crossAccount(id);
      const where = `${id} ${leg.symbol}/${leg.positionSide} ${leg.marginMode}`;
      const lp = prices[i];
      const ref = big(leg.markPrice);
      if (lp === undefined) {
        assert.ok(!liquidated.has(wallet), `${where}: liquidated at the mark ${text(p)} though the engine reports no liquidation price`);
        stats.lpSafe += 1;
        return;
      }
      const l = big(lp);
      const dist = (x: bigint) => (x < 0n ? -x : x);
      if (dist(p - ref) + tick <= dist(l - ref)) {
        assert.ok(!liquidated.has(wallet), `${where}: liquidated at the mark ${text(p)}, short of its reported liquidation price ${text(l)} (old mark ${text(ref)})`);
        stats.lpSafe += 1;
      }
      const single = snapshot.legs.filter((g) => g.symbol === symbol && (g.marginMode === 'isolated' ? g === leg : g.marginMode === 'cross')).length === 1;
      const past = l < ref ? p + tick <= l : p >= l + tick;
      if (single && past) {
        assert.ok(liquidated.has(wallet), `${where}: not liquidated at the mark ${text(p)}, past its reported liquidation price ${text(l)} (old mark ${text(ref)})`);
        stats.lpPast += 1;
      }
    });
  }
}

