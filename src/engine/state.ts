// The engine's state: plain data (bigint-backed fixed-point values inside), so it can be cloned, compared
// byte for byte, persisted and replayed. Only apply() (./apply.ts) changes it, in place. The config holds
// the market registry (./market-registry.ts); the derived index and sums live beside the state
// (./exposure.ts) and are never serialized.
import { parseFixed, rate, zero, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import type { AccountSnapshot, ExchangeId, ExchangeProfile, FeeRates, Leg, Market, MarginMode, PositionMode, PositionSide } from '../exchanges/rules.ts';
import { DEFAULT_FEES } from '../exchanges/snapshot.ts';
import { balanceOf, crossAccount, isolatedAccount, type Balances } from './ledger.ts';
import { MarketRegistry, type BracketChoice } from './market-registry.ts';
import type { AccountHistory } from './history.ts';

export type OrderSide = 'buy' | 'sell';
export type OrderType = 'market' | 'limit' | 'stop_market' | 'take_profit_market';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX';

export interface EngineConfig {
  readonly exchange: ExchangeId;
  readonly fees: FeeRates;
  /** Margin ratio (MM / margin balance) at which a margin-call event is raised; Binance recommends < 80 %. */
  readonly marginCallRatio: Rate;
  /** Which bracket table applies: the one in force at each command's time, on a fixed day, or the newest. */
  readonly brackets: BracketChoice;
  /** Leverage of a symbol before setLeverage (Binance's default is 20x). */
  readonly defaultLeverage: number;
  /** Markets beyond the venue's bundled ones (or replacing them), by symbol. */
  readonly markets: Readonly<Record<string, Market>>;
  /** The venue's markets and `markets`, with their per-day cache: built once by initialState. */
  readonly registry: MarketRegistry;
  /**
   * Run the engine's invariants after every command and throw on a violation (a programmer error, not a
   * rejection): the CLI sets it from PERPGUARD_ASSERT=1, the core reads no environment.
   */
  readonly assertInvariants: boolean;
}

export interface PositionState {
  readonly symbol: string;
  readonly positionSide: PositionSide;
  side: 1 | -1;
  /** Absolute size, always positive while the position exists. */
  size: Quantity;
  entryPrice: Price;
  /** Sum of realized PnL of this position (closes and partial liquidations), for reports. */
  realizedPnl: Money;
  /** True while the position's margin ratio is at or above the margin-call level (isolated only). */
  marginCall: boolean;
}

export interface OrderState {
  readonly orderId: number;
  readonly clientOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: Quantity;
  readonly price?: Price;
  readonly stopPrice?: Price;
  readonly timeInForce: TimeInForce;
  readonly reduceOnly: boolean;
  readonly closePosition: boolean;
  readonly positionSide: PositionSide;
  /** Initial margin (plus the fee estimate) reserved by a resting limit order: pending, not a balance. */
  readonly reserved: Money;
  readonly time: number;
}

export interface SymbolSettings {
  marginMode: MarginMode;
  leverage: number;
}

export interface UserState {
  readonly id: string;
  positionMode: PositionMode;
  settings: Record<string, SymbolSettings>;
  /** Keyed `${symbol}/${positionSide}`. */
  positions: Record<string, PositionState>;
  orders: OrderState[];
  /** True while the cross account's margin ratio is at or above the margin-call level. */
  crossMarginCall: boolean;
}

/** One position of the modelled counterparty book that auto-deleveraging draws on. */
export interface CounterpartyPosition {
  readonly id: string;
  readonly symbol: string;
  side: 1 | -1;
  size: Quantity;
  readonly entryPrice: Price;
  readonly leverage: number;
}

export interface EngineState {
  readonly config: EngineConfig;
  time: number;
  marks: Record<string, Price>;
  users: Record<string, UserState>;
  balances: Balances;
  /**
   * The next ids (order ids, which also name default client ids; trade ids; transfer ids): counters in the
   * state, so ids are unique and increasing across a whole log and a refused command takes none.
   */
  nextOrderId: number;
  nextTradeId: number;
  nextTransferId: number;
  /** Per account: the finished orders and the trades kept (bounded; history.ts). */
  history: Record<string, AccountHistory>;
  counterparties: CounterpartyPosition[];
  /** Per symbol, the time of the last funding applied: a funding is applied once per symbol and time. */
  fundingTimes: Record<string, number>;
}

export const DEFAULT_USER = 'main';

export function initialState(options: {
  exchange: ExchangeId;
  fees?: FeeRates;
  marginCallRatio?: Rate;
  brackets?: EngineConfig['brackets'];
  defaultLeverage?: number;
  counterparties?: CounterpartyPosition[];
  time?: number;
  markets?: readonly Market[];
  assertInvariants?: boolean;
}): EngineState {
  const defaults = DEFAULT_FEES[options.exchange];
  const brackets = options.brackets ?? 'newest';
  const markets = dict(Object.fromEntries((options.markets ?? []).map((m) => [m.symbol, m])));
  return {
    config: {
      exchange: options.exchange,
      fees: options.fees ?? { taker: parseFixed(defaults.taker), maker: parseFixed(defaults.maker) },
      marginCallRatio: options.marginCallRatio ?? rate('0.8'),
      brackets,
      defaultLeverage: options.defaultLeverage ?? 20,
      markets,
      registry: new MarketRegistry(options.exchange, brackets, markets),
      assertInvariants: options.assertInvariants ?? false,
    },
    time: options.time ?? 0,
    marks: dict(),
    users: dict(),
    balances: dict(),
    nextOrderId: 1,
    nextTradeId: 1,
    nextTransferId: 0,
    history: dict(),
    counterparties: options.counterparties ?? [],
    fundingTimes: dict(),
  };
}

/**
 * A record keyed by user-supplied names (accounts, symbols, assets) without a prototype: "constructor" or
 * "toString" finds only its own entry and "__proto__" is an ordinary key (issue 9: they crashed `run`).
 */
export function dict<T>(from?: Readonly<Record<string, T>>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>;
  // key by key: 2-3x faster than Object.assign into a null-prototype object (a state copy is a dozen of
  // these; a Monte Carlo path takes two); same keys in the same order (own enumerable string keys: the
  // sources are plain records or other dicts, with nothing enumerable inherited)
  if (from !== undefined) for (const key in from) out[key] = from[key]!;
  return out;
}

/**
 * A deep copy of everything apply() may change, for a caller that keeps the state as it was (apply()
 * changes the state it is given: a what-if, a check comparing before and after, a set-up shared by runs).
 * The config is shared (it never changes). Fixed-point values are bigint primitives and orders and
 * settings are replaced, never mutated, so they are shared; positions, users, balances and counterparties
 * are mutated in place and so are copied. The derived index and sums (./exposure.ts) are not copied: the
 * copy builds its own on first use.
 */
export function cloneState(state: EngineState): EngineState {
  const users: Record<string, UserState> = dict();
  for (const id in state.users) {
    const u = state.users[id]!;
    const positions: Record<string, PositionState> = dict();
    for (const key in u.positions) positions[key] = { ...u.positions[key]! };
    users[id] = { ...u, settings: dict(u.settings), positions, orders: u.orders.slice() };
  }
  const balances: Balances = dict();
  for (const asset in state.balances) balances[asset] = dict(state.balances[asset]!);
  return {
    config: state.config,
    time: state.time,
    marks: dict(state.marks),
    users,
    balances,
    nextOrderId: state.nextOrderId,
    nextTradeId: state.nextTradeId,
    nextTransferId: state.nextTransferId,
    // each account's history arrays are replaced on write (history.ts), so only the record is copied
    history: dict(state.history),
    counterparties: state.counterparties.map((c) => ({ ...c })),
    fundingTimes: dict(state.fundingTimes),
  };
}

// ------------------------------------------------------------------------------------------- markets

/** The market of a symbol on the state's venue, with the bracket table in force; undefined if unknown. */
export function marketOf(state: EngineState, symbol: string): Market | undefined {
  return state.config.registry.marketAt(symbol, state.time);
}

export function settleAssets(state: EngineState): readonly string[] {
  return state.config.registry.settleAssets;
}

// ------------------------------------------------------------------------------------------- views

/**
 * Position keys by symbol, built once per symbol: the engine looks positions up by key on every mark (the
 * risk check, the derived sums), and a key concatenated anew each time had to be hashed again for every
 * lookup (a tenth of a mark's cost). The same strings, so nothing else changes. Bounded, as symbols come
 * from commands: past KEYS_KEPT symbols the table starts over.
 */
const POSITION_KEYS = new Map<string, Readonly<Record<string, string>>>();
const KEYS_KEPT = 4096;

export const positionKey = (symbol: string, positionSide: PositionSide): string => {
  let keys = POSITION_KEYS.get(symbol);
  if (keys === undefined) {
    if (POSITION_KEYS.size >= KEYS_KEPT) POSITION_KEYS.clear();
    keys = { BOTH: `${symbol}/BOTH`, LONG: `${symbol}/LONG`, SHORT: `${symbol}/SHORT` };
    POSITION_KEYS.set(symbol, keys);
  }
  return keys[positionSide] ?? `${symbol}/${positionSide}`;
};

export function userOf(state: EngineState, id: string): UserState {
  let user = state.users[id];
  if (!user) {
    user = { id, positionMode: 'one-way', settings: dict(), positions: dict(), orders: [], crossMarginCall: false };
    state.users[id] = user;
  }
  return user;
}

/**
 * The account as the validation ladder reads it: the user, or (not yet known) a blank one that is not
 * stored, so that a refused command leaves no trace; userOf() creates it once the command is accepted.
 */
export function userOrBlank(state: EngineState, id: string): UserState {
  return state.users[id] ?? { id, positionMode: 'one-way', settings: dict(), positions: dict(), orders: [], crossMarginCall: false };
}

export function settingsOf(state: EngineState, user: UserState, symbol: string): SymbolSettings {
  return user.settings[symbol] ?? { marginMode: 'cross', leverage: state.config.defaultLeverage };
}

export function profileFor(state: EngineState): ExchangeProfile {
  return profileOf(state.config.exchange);
}

/** The margin model's view of one position. */
export function legOf(state: EngineState, user: UserState, position: PositionState): Leg {
  const market = marketOf(state, position.symbol)!;
  const settings = settingsOf(state, user, position.symbol);
  const mark = state.marks[position.symbol] ?? position.entryPrice;
  return {
    symbol: position.symbol,
    positionSide: position.positionSide,
    side: position.side,
    size: position.size,
    entryPrice: position.entryPrice,
    markPrice: mark,
    marginMode: settings.marginMode,
    leverage: settings.leverage,
    isolatedWallet:
      settings.marginMode === 'isolated'
        ? balanceOf(state.balances, market.settleAsset, isolatedAccount(user.id, position.symbol, position.positionSide))
        : zero(),
    market,
  };
}

/** The margin model's snapshot of a user's positions settled in one asset. */
export function snapshotOf(state: EngineState, user: UserState, asset: string): AccountSnapshot {
  const legs: Leg[] = [];
  for (const key of Object.keys(user.positions).sort()) {
    const leg = legOf(state, user, user.positions[key]!);
    if (leg.market.settleAsset === asset) legs.push(leg);
  }
  return {
    exchange: state.config.exchange,
    positionMode: user.positionMode,
    crossWallet: balanceOf(state.balances, asset, crossAccount(user.id)),
    legs,
    fees: state.config.fees,
  };
}
