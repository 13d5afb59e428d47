// The replayed account's figures read from the engine state: a leg's isolated margin and liquidation
// price (for the entry record), the cash in float64 (for screening and the equity curve), and the exact
// equity at the end.
import { add, toApproxNumber, zero, type Money, type Price } from '../domain/fixed.ts';
import { DEFAULT_USER, marketOf, profileFor, snapshotOf, userOf, type EngineState } from '../engine/state.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';

export function initialMarginOf(state: EngineState, symbol: string): Money {
  const user = userOf(state, DEFAULT_USER);
  const asset = marketOf(state, symbol)!.settleAsset;
  const snap = snapshotOf(state, user, asset);
  const leg = snap.legs.find((l) => l.symbol === symbol);
  return leg ? leg.isolatedWallet : zero();
}

export function liquidationPriceOf(state: EngineState, symbol: string): Price | undefined {
  const user = userOf(state, DEFAULT_USER);
  const asset = marketOf(state, symbol)!.settleAsset;
  const snap = snapshotOf(state, user, asset);
  const i = snap.legs.findIndex((l) => l.symbol === symbol);
  return i < 0 ? undefined : profileFor(state).liquidationPrices(snap)[i];
}

/** The prefix of the user's ledger accounts (../engine/ledger.ts), built once. */
const USER_ACCOUNTS = `user/${DEFAULT_USER}/`;

/**
 * The user's wallets (cross and isolated) in float64: screening and the equity curve only. A for-in loop
 * visits the book's accounts in the order Object.entries lists them (own keys, no prototype), without an
 * array per entry; the float sum is thus the same.
 */
export function cashF(state: EngineState, asset: string): number {
  let total = 0;
  const book = state.balances[asset];
  if (book !== undefined) for (const account in book) if (account.startsWith(USER_ACCOUNTS)) total += toApproxNumber(book[account]!);
  return total;
}

/** Exact equity: the user's wallets plus unrealized PnL at the engine's marks. */
export function exactEquity(state: EngineState, asset: string): Money {
  return exactEquityAt(state, asset, () => undefined);
}

/** Exact equity with each symbol at `priceOf(symbol)`, or at the engine's mark where that is undefined. */
export function exactEquityAt(state: EngineState, asset: string, priceOf: (symbol: string) => Price | undefined): Money {
  let total = zero<'Money'>();
  const book = state.balances[asset];
  if (book !== undefined) for (const account in book) if (account.startsWith(USER_ACCOUNTS)) total = add(total, book[account]!);
  const user = state.users[DEFAULT_USER];
  if (user) for (const leg of snapshotOf(state, user, asset).legs) total = add(total, unrealizedPnl(leg, priceOf(leg.symbol) ?? leg.markPrice));
  return total;
}
