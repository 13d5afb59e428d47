// Derived data that makes a command cost what it changes (issue 10): which users are exposed to each
// symbol (a position or an open order on it), and per user the sums over its cross legs of unrealized
// PnL, initial and maintenance margin, by symbol and per settlement asset. A mark tick on S visits only the
// users exposed to S, recomputes only their S terms and reads each cross pool from the totals:
// O(positions in S), whatever else the engine holds.
//
// Why per symbol is enough: the engine's cross figures (./figures.ts) are a plain sum over legs, and each
// leg's term depends only on that leg (size, entry, its symbol's mark, leverage and market). This holds on
// every venue, Bybit inverse included: its MM carries a fee to close at a bankruptcy price, and the engine
// takes the leg's own one (its initial margin at entry as the pool, ExchangeProfile.maintenanceMargin), not
// the account's (which would tie every leg to every other). The terms are exact bigints, so a total kept
// by adding and subtracting them is the sum computed from scratch, bit for bit.
//
// The data is not part of the state: it is held beside it (a non-enumerable property, so it is never
// serialized, spread or compared), built from scratch on first use (a parsed state, a cloneState copy, a
// state assembled by hand) and again when the bracket day changes (brackets 'time': every leg's table may
// change). The transitions keep it current by calling refreshExposure(user, symbol) after they change a
// user's positions, orders or settings of a symbol, or a symbol's mark; invariants.ts checks it against a
// from-scratch build after every step of the tests.
//
// `recheck` lists the users whose every scope the next risk check must look at: all of them after a build,
// and a user after a liquidation (which leaves the margin-call flags of what it cut to the next check, as
// the full check of every user after every command used to do). Looking at a consistent user again
// changes nothing, so the list may hold more than needed, never less.
import { add, sub, zero, type Money } from '../domain/fixed.ts';
import { unrealizedPnl, type PositionSide } from '../exchanges/rules.ts';
import { cloneState, legOf, marketOf, positionKey, profileFor, settingsOf, type EngineState, type SymbolSettings, type UserState } from './state.ts';

/** Sums over cross legs: of one symbol, or of every symbol of one settlement asset. */
export interface CrossSums {
  readonly upnl: Money;
  readonly im: Money;
  readonly mm: Money;
  readonly legs: number;
}

export interface Derived {
  /** The bracket day it holds for (registry.dayAt). */
  day: number;
  /** symbol -> ids of the users holding a position or an open order on it. */
  readonly exposed: Map<string, Set<string>>;
  /** user -> symbol -> sums of its cross legs of that symbol (symbols without cross legs have no entry). */
  readonly bySymbol: Map<string, Map<string, CrossSums>>;
  /** user -> settlement asset -> totals of bySymbol (assets without cross legs have no entry). */
  readonly byAsset: Map<string, Map<string, CrossSums>>;
  readonly recheck: Set<string>;
}

export const NO_SUMS: CrossSums = Object.freeze({ upnl: zero<'Money'>(), im: zero<'Money'>(), mm: zero<'Money'>(), legs: 0 });
export const SIDES: readonly PositionSide[] = ['BOTH', 'LONG', 'SHORT'];
const DERIVED = Symbol('derived');
type Holder = EngineState & { [DERIVED]?: Derived };

/** The state's derived data, built (or rebuilt for a new bracket day that changes a table) when missing. */
export function derivedOf(state: EngineState): Derived {
  const registry = state.config.registry;
  const day = registry.dayAt(state.time);
  const held = (state as Holder)[DERIVED];
  if (held && held.day === day) return held;
  // a new day under the same tables: every term of the sums is the same (the registry gives the days of one
  // table one market object), so the sums carry over; a simulation that steps a day at a time would
  // otherwise rebuild them at each of its exact steps
  if (held && [...held.exposed.keys()].every((symbol) => registry.marketOnDay(symbol, held.day) === registry.marketOnDay(symbol, day))) {
    held.day = day;
    return held;
  }
  const built = buildDerived(state);
  Object.defineProperty(state, DERIVED, { value: built, enumerable: false, writable: true, configurable: true });
  return built;
}

/**
 * A copy of the state (cloneState) that takes the source's derived data along, copied, instead of
 * building it again on first use: for a copy taken over and over (a simulator's account as its opening
 * left it, restored on every Monte Carlo path). Its pending rechecks come along too, so a source whose
 * risk was checked since its last change is not rechecked user by user on the copy's first mark. The
 * sums are immutable records (refreshInto replaces them), so the maps and sets are what is copied.
 */
export function cloneWithDerived(state: EngineState, from: HeldDerived = heldDerived(state)): EngineState {
  const copy = cloneState(state);
  const held = from.derived;
  if (held === undefined) return copy;
  const copied: Derived = {
    day: from.day,
    exposed: new Map([...held.exposed].map(([symbol, users]) => [symbol, new Set(users)])),
    bySymbol: new Map([...held.bySymbol].map(([id, sums]) => [id, new Map(sums)])),
    byAsset: new Map([...held.byAsset].map(([id, sums]) => [id, new Map(sums)])),
    recheck: new Set(held.recheck),
  };
  Object.defineProperty(copy, DERIVED, { value: copied, enumerable: false, writable: true, configurable: true });
  return copy;
}

/** The derived data a state holds, and the day it holds for (which derivedOf may move on later). */
export interface HeldDerived {
  readonly derived: Derived | undefined;
  readonly day: number;
}

/**
 * What cloneWithDerived would copy now. A caller that shares a state with readers (a simulator's remembered
 * opening, read by a path before the path's first command copies it) keeps this beside it and copies from
 * it: a reader's derivedOf may move the held data to another day, or build it anew (with every user to
 * recheck) for a day whose tables differ, and the copy must take the data as the state was set aside. The
 * held object's maps and lists change only in apply(), never by reading, so keeping the object and its
 * day is enough.
 */
export function heldDerived(state: EngineState): HeldDerived {
  const held = (state as Holder)[DERIVED];
  return { derived: held, day: held?.day ?? 0 };
}

/** The derived data computed from scratch (what derivedOf holds must always equal it, recheck aside). */
export function buildDerived(state: EngineState): Derived {
  const d: Derived = { day: state.config.registry.dayAt(state.time), exposed: new Map(), bySymbol: new Map(), byAsset: new Map(), recheck: new Set(Object.keys(state.users)) };
  for (const id of Object.keys(state.users)) for (const symbol of symbolsOf(state.users[id]!)) refreshInto(d, state, id, symbol);
  return d;
}

/** Every symbol a user holds a position or an open order on. */
export function symbolsOf(user: UserState): Set<string> {
  const symbols = new Set<string>();
  for (const key in user.positions) symbols.add(user.positions[key]!.symbol);
  for (const o of user.orders) symbols.add(o.symbol);
  return symbols;
}

/** Brings the index entry and the sums of (user, symbol) up to date after a change to either. */
export function refreshExposure(state: EngineState, id: string, symbol: string): void {
  refreshInto(derivedOf(state), state, id, symbol);
}

/** The users exposed to a symbol, sorted (the engine visits users in sorted order: determinism). */
export function exposedUsers(state: EngineState, symbol: string): string[] {
  const users = derivedOf(state).exposed.get(symbol);
  return users ? [...users].sort() : [];
}

/** The totals of a user's cross legs settled in `asset`. */
export function crossSums(state: EngineState, id: string, asset: string): CrossSums {
  return derivedOf(state).byAsset.get(id)?.get(asset) ?? NO_SUMS;
}

/** The sums of a user's cross legs of one symbol, computed now; `settings` overrides the symbol's (what-ifs). */
export function symbolSums(state: EngineState, user: UserState, symbol: string, settings: SymbolSettings = settingsOf(state, user, symbol)): CrossSums | undefined {
  if (settings.marginMode !== 'cross') return undefined;
  const profile = profileFor(state);
  let sums: CrossSums | undefined;
  for (const side of SIDES) {
    const position = user.positions[positionKey(symbol, side)];
    if (!position) continue;
    const leg = { ...legOf(state, user, position), leverage: settings.leverage };
    const term = { upnl: unrealizedPnl(leg, leg.markPrice), im: profile.initialMargin(leg), mm: profile.maintenanceMargin(leg, state.config.fees).amount, legs: 1 };
    sums = sums ? plus(sums, term) : term;
  }
  return sums;
}

export function plus(a: CrossSums, b: CrossSums): CrossSums {
  return { upnl: add(a.upnl, b.upnl), im: add(a.im, b.im), mm: add(a.mm, b.mm), legs: a.legs + b.legs };
}

function minus(a: CrossSums, b: CrossSums): CrossSums {
  return { upnl: sub(a.upnl, b.upnl), im: sub(a.im, b.im), mm: sub(a.mm, b.mm), legs: a.legs - b.legs };
}

function refreshInto(d: Derived, state: EngineState, id: string, symbol: string): void {
  const user = state.users[id];
  let exposed = false;
  if (user) {
    for (const side of SIDES) if (user.positions[positionKey(symbol, side)]) exposed = true;
    if (!exposed) exposed = user.orders.some((o) => o.symbol === symbol);
  }
  const users = d.exposed.get(symbol);
  if (exposed) {
    if (users) users.add(id);
    else d.exposed.set(symbol, new Set([id]));
  } else if (users?.delete(id) && users.size === 0) {
    d.exposed.delete(symbol);
  }

  const now = user ? symbolSums(state, user, symbol) : undefined;
  let mine = d.bySymbol.get(id);
  const old = mine?.get(symbol);
  if (!old && !now) return;
  if (now) {
    if (!mine) d.bySymbol.set(id, (mine = new Map()));
    mine.set(symbol, now);
  } else {
    mine!.delete(symbol);
    if (mine!.size === 0) d.bySymbol.delete(id);
  }
  const asset = marketOf(state, symbol)!.settleAsset;
  let pools = d.byAsset.get(id);
  if (!pools) d.byAsset.set(id, (pools = new Map()));
  let total = pools.get(asset) ?? NO_SUMS;
  if (old) total = minus(total, old);
  if (now) total = plus(total, now);
  if (total.legs > 0) pools.set(asset, total);
  else {
    pools.delete(asset);
    if (pools.size === 0) d.byAsset.delete(id);
  }
}
