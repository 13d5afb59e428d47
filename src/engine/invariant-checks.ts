// The invariants that need only the state (and, for one step, what it was before): solvency, the derived
// index and sums against a from-scratch build, and the per-step checks that apply() runs after every
// command when `config.assertInvariants` is on (PERPGUARD_ASSERT=1 in the CLI). A violation is a
// programmer error: it throws InvariantViolation. The deep tier's full checker (./invariants.ts) adds the
// checks that need the whole transfer log and the events' history.
import { toScaled, type Fixed } from '../domain/fixed.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';
import type { ApplyResult } from './apply.ts';
import type { Command } from './commands.ts';
import { buildDerived, derivedOf, type CrossSums, type Derived } from './exposure.ts';
import { crossFigures } from './figures.ts';
import { EXTERNAL } from './ledger.ts';
import { legOf, profileFor, settingsOf, settleAssets, type EngineState } from './state.ts';

const big = <U extends string>(x: Fixed<U>): bigint => toScaled(x);
/** JSON of a state with bigints as "123n": byte-for-byte comparison. */
export const serialize = (value: unknown): string => JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));

/**
 * What a refused command must leave as it was, cheaply: the state's JSON without the kept history (up to
 * 2,000 records per account: serializing them was most of the fuzz's time), and the history's records by
 * reference, which is exact because history.ts replaces an account's record on every change, never edits it.
 */
export interface StateFingerprint {
  readonly text: string;
  readonly history: Readonly<Record<string, unknown>>;
}

export function fingerprint(state: EngineState): StateFingerprint {
  const text = JSON.stringify(state, (key, v) => (key === 'history' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
  return { text, history: { ...state.history } };
}

/** Undefined if the two fingerprints agree, else what differs. */
export function fingerprintChange(before: StateFingerprint, after: StateFingerprint): string | undefined {
  if (before.text !== after.text) return 'the state (without its history)';
  const accounts = new Set([...Object.keys(before.history), ...Object.keys(after.history)]);
  for (const account of accounts) if (before.history[account] !== after.history[account]) return `the history of ${account}`;
  return undefined;
}

export class InvariantViolation extends Error {
  override readonly name = 'InvariantViolation';
}

export function check(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new InvariantViolation(message());
}

/** After a step no liquidation is pending and no flat wallet holds a debt. */
export function checkSolvency(state: EngineState): void {
  const profile = profileFor(state);
  for (const id of Object.keys(state.users)) {
    const user = state.users[id]!;
    for (const p of Object.values(user.positions)) {
      if (settingsOf(state, user, p.symbol).marginMode !== 'isolated') continue;
      const leg = legOf(state, user, p);
      const balance = big(leg.isolatedWallet) + big(unrealizedPnl(leg, leg.markPrice));
      const mm = big(profile.maintenanceMargin(leg, state.config.fees).amount);
      check(balance > mm, () => `${id} ${p.symbol}/${p.positionSide} isolated: margin balance ${balance} is not above MM ${mm} after the step`);
    }
    for (const asset of settleAssets(state)) {
      const f = crossFigures(state, user, asset);
      if (f.crossLegs > 0) {
        check(big(f.marginBalance) > big(f.mm), () => `${id} cross ${asset}: margin balance ${big(f.marginBalance)} is not above MM ${big(f.mm)} after the step`);
      } else {
        check(big(f.wallet) >= 0n, () => `${id} cross ${asset}: wallet ${big(f.wallet)} is negative without a cross position`);
      }
    }
  }
}

const sumsText = (s: CrossSums | undefined): string => (s ? `uPnL ${big(s.upnl)} IM ${big(s.im)} MM ${big(s.mm)} legs ${s.legs}` : 'none');

/**
 * The derived data the engine keeps (which users are exposed to each symbol; each user's cross sums by
 * symbol and by asset) equals a build from scratch, and the cross sums equal crossFigures' own totals.
 */
export function checkDerived(state: EngineState): void {
  const kept = derivedOf(state);
  const fresh = buildDerived(state);
  const exposure = (d: Derived) => [...d.exposed].map(([symbol, users]) => `${symbol}:${[...users].sort().join(',')}`).sort().join(' ');
  check(exposure(kept) === exposure(fresh), () => `the symbol index is ${exposure(kept)} but the positions and orders give ${exposure(fresh)}`);
  for (const [name, table] of [['bySymbol', 'bySymbol'], ['byAsset', 'byAsset']] as const) {
    const keys = new Set([...kept[table].keys(), ...fresh[table].keys()]);
    for (const id of keys) {
      const inner = new Set([...(kept[table].get(id)?.keys() ?? []), ...(fresh[table].get(id)?.keys() ?? [])]);
      for (const key of inner) {
        const a = kept[table].get(id)?.get(key);
        const b = fresh[table].get(id)?.get(key);
        check(sumsText(a) === sumsText(b), () => `${id} ${key}: the kept ${name} cross sums are ${sumsText(a)} but recomputed ${sumsText(b)}`);
      }
    }
  }
  for (const id of Object.keys(state.users)) {
    for (const asset of settleAssets(state)) {
      const f = crossFigures(state, state.users[id]!, asset);
      const kept = fresh.byAsset.get(id)?.get(asset);
      const text = f.crossLegs === 0 ? 'none' : sumsText({ upnl: f.upnl, im: f.im, mm: f.mm, legs: f.crossLegs });
      check(sumsText(kept) === text, () => `${id} ${asset}: the cross sums by symbol add up to ${sumsText(kept)} but crossFigures gives ${text}`);
    }
  }
}

/** What checkStep needs from before a command: the serialized state and the money inside, per asset. */
export interface BeforeStep {
  readonly serialized: string;
  readonly inside: Map<string, bigint>;
}

export function beforeStep(state: EngineState): BeforeStep {
  return { serialized: serialize(state), inside: moneyInside(state) };
}

/** Per asset, the sum over every ledger account but `external`: what deposits and withdrawals alone change. */
function moneyInside(state: EngineState): Map<string, bigint> {
  const totals = new Map<string, bigint>();
  for (const asset of Object.keys(state.balances)) {
    let total = 0n;
    const book = state.balances[asset]!;
    for (const account of Object.keys(book)) if (account !== EXTERNAL) total += big(book[account]!);
    totals.set(asset, total);
  }
  return totals;
}

/**
 * One command's invariants: a refused command left the state as it was; an accepted one made only well
 * formed transfers, changed the money inside only by its deposits and withdrawals, left no scope due and
 * kept the derived data equal to a build from scratch.
 */
export function checkStep(before: BeforeStep, result: ApplyResult, command: Command): void {
  if (result.rejection) {
    check(result.transfers.length === 0, () => `a refused ${command.op} made transfers`);
    check(serialize(result.state) === before.serialized, () => `a refused ${command.op} changed the state`);
    return;
  }
  for (const t of result.transfers) check(big(t.amount) > 0n && t.from !== t.to, () => `a malformed transfer ${serialize(t)}`);
  const flow = new Map<string, bigint>();
  for (const e of result.events) {
    if (e.type === 'deposit') flow.set(e.asset, (flow.get(e.asset) ?? 0n) + big(e.amount));
    if (e.type === 'withdrawal') flow.set(e.asset, (flow.get(e.asset) ?? 0n) - big(e.amount));
  }
  const after = moneyInside(result.state);
  for (const asset of new Set([...before.inside.keys(), ...after.keys()])) {
    const change = (after.get(asset) ?? 0n) - (before.inside.get(asset) ?? 0n);
    check(change === (flow.get(asset) ?? 0n), () => `${asset}: the money inside changed by ${change} but the ${command.op}'s deposits and withdrawals say ${flow.get(asset) ?? 0n}`);
  }
  checkSolvency(result.state);
  checkDerived(result.state);
}
