// apply() changes the state it is given in place (copying every user and balance per command made a
// command cost O(all users): issue 10). A trader's own command can still be refused AFTER it ran (the
// scope check reads its result), so before it runs, this records what it may change, and a refusal puts
// it back: the state then serializes exactly as before, and it is the same object.
//
// What a command may change is known from its kind, so it is recorded up front rather than at each write:
//  - every top-level field of the state (time, id counters, and any field added later), by a shallow copy:
//    the dictionaries themselves (users, balances, marks) are restored entry by entry below;
//  - the command's account: its own fields (position mode, margin-call flag, the orders array), the
//    settings entry of the command's symbol and that symbol's position entries (BOTH, LONG, SHORT), each
//    copied, and the order of the position keys when a fill may close one of them (a flip deletes an
//    entry and adds it again at the end); a command names one account and at most one symbol, and
//    touches no other account's positions (an order's fill reaches only its own symbol; ADL, which
//    changes counterparties, is reached only by a liquidation, never by a trader's command);
//  - the balance cells it moves: their old values on first touch (the ledger calls remember()).
// Anything appended to a history during a command belongs in the command's context until it is accepted.
// Marks and funding have no refusal after they mutate: only the state's top-level fields are recorded
// for them (their ladder refusals, which mutate nothing, still put the time back).
import { lt, type Money, type Quantity } from '../domain/fixed.ts';
import type { PositionSide } from '../exchanges/rules.ts';
import type { BalanceUndo, Balances, LedgerAccountId } from './ledger.ts';
import { positionKey, type EngineState, type PositionState, type SymbolSettings, type UserState } from './state.ts';

const SIDES: readonly PositionSide[] = ['BOTH', 'LONG', 'SHORT'];

interface SavedUser {
  readonly id: string;
  /** undefined: the account did not exist (a refused first order leaves no account behind). */
  readonly fields: UserState | undefined;
  readonly orders: UserState['orders'];
  readonly symbol: string | undefined;
  readonly settings: SymbolSettings | undefined;
  /** The symbol's position entries: the object in the dictionary and a copy of its fields. */
  readonly positions: readonly { readonly key: string; readonly held: PositionState | undefined; readonly copy: PositionState | undefined }[];
  /**
   * The order of the position keys, kept when the account holds a position of the symbol: a fill may delete
   * that entry and add it again, and the dictionary's order is part of the state (it is iterated).
   */
  readonly order: readonly string[] | undefined;
}

export class Transaction implements BalanceUndo {
  private readonly top: EngineState;
  private readonly user: SavedUser | undefined;
  /** asset -> account -> old value (undefined: the cell did not exist). */
  private readonly cells = new Map<string, Map<LedgerAccountId, Money | undefined>>();
  /** Assets whose book the command created. */
  private readonly books: string[] = [];

  /**
   * `smallestFill`: the least quantity the command can trade on its symbol (an order's quantity), or
   * undefined when it may close a whole position (an order without a quantity); commands that do not
   * trade give zero.
   */
  constructor(
    private readonly state: EngineState,
    account: string | undefined,
    symbol: string | undefined,
    smallestFill: Quantity | undefined,
  ) {
    this.top = { ...state };
    this.user = account === undefined ? undefined : saveUser(state, account, symbol, smallestFill);
  }

  remember(balances: Balances, asset: string, account: LedgerAccountId): void {
    const book = balances[asset];
    if (!book) {
      if (!this.books.includes(asset)) this.books.push(asset);
      return;
    }
    if (this.books.includes(asset)) return;
    let cells = this.cells.get(asset);
    if (!cells) this.cells.set(asset, (cells = new Map()));
    if (!cells.has(account)) cells.set(account, book[account]);
  }

  /** Puts back everything recorded: the state serializes as it did before the command. */
  rollback(): void {
    const { state } = this;
    Object.assign(state, this.top);
    for (const asset of this.books) delete state.balances[asset];
    for (const [asset, cells] of this.cells) {
      const book = state.balances[asset]!;
      for (const [account, old] of cells) {
        if (old === undefined) delete book[account];
        else book[account] = old;
      }
    }
    if (this.user) restoreUser(state, this.user);
  }
}

function saveUser(state: EngineState, id: string, symbol: string | undefined, smallestFill: Quantity | undefined): SavedUser {
  const user = state.users[id];
  if (!user) return { id, fields: undefined, orders: [], symbol, settings: undefined, positions: [], order: undefined };
  const positions = symbol === undefined ? [] : SIDES.map((side) => {
    const key = positionKey(symbol, side);
    const held = user.positions[key];
    return { key, held, copy: held ? { ...held } : undefined };
  });
  // an entry is deleted only by a fill that closes the whole position: the key order (O(positions) to
  // copy) is kept only when the command may trade at least one of the symbol's positions' size
  const closes = positions.some((p) => p.held && (smallestFill === undefined || !lt(smallestFill, p.held.size)));
  const order = closes ? Object.keys(user.positions) : undefined;
  const settings = symbol === undefined ? undefined : user.settings[symbol];
  return { id, fields: { ...user }, orders: user.orders.slice(), symbol, settings, positions, order };
}

function restoreUser(state: EngineState, saved: SavedUser): void {
  if (!saved.fields) {
    delete state.users[saved.id];
    return;
  }
  const user = state.users[saved.id]!;
  Object.assign(user, saved.fields);
  user.orders = saved.orders;
  if (saved.symbol !== undefined) {
    if (saved.settings) user.settings[saved.symbol] = saved.settings;
    else delete user.settings[saved.symbol];
  }
  let moved = false;
  for (const { key, held, copy } of saved.positions) {
    const now = user.positions[key];
    if (held && now === held) Object.assign(held, copy);
    else if (held) moved = true;
    else if (now) delete user.positions[key];
  }
  if (!moved) return;
  if (!saved.order) throw new Error(`a refused command deleted the ${saved.symbol} position of ${saved.id} without its key order being kept`);
  // an entry was deleted (and perhaps added again): rebuild the dictionary in its old order
  const positions = user.positions;
  const byKey = new Map(saved.positions.map((p) => [p.key, p.held]));
  const entries = saved.order!.map((key) => [key, byKey.get(key) ?? positions[key]!] as const);
  for (const key of Object.keys(positions)) delete positions[key];
  for (const [key, p] of entries) positions[key] = p;
  for (const { held, copy } of saved.positions) if (held) Object.assign(held, copy);
}
