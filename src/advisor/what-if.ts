// What-if on an account before anything is sent: one position switched between isolated and cross, its
// leverage changed, margin added to or taken from its isolated bucket, and the marks of every other symbol
// moved by a percentage; the account after it, for the margin model to evaluate (liquidation prices, margin
// ratios, blast radius). Pure: the snapshot in, a snapshot (or the field at fault) out.
//
// A cross position switched to isolated holds its initial margin at entry (notional at entry / leverage,
// as `advise liquidation` assumes: ./liquidation.ts isolatedAtInitialMargin), taken from the cross wallet;
// an isolated one switched to cross gives its bucket back to the cross wallet. On a venue the switch needs
// the position closed (Binance -4048); here it shows what the other mode would hold.
import { add, isNegative, lt, sub, zero, type Money, type Rate } from '../domain/fixed.ts';
import type { ExchangeProfile } from '../exchanges/profile.ts';
import type { AccountSnapshot, Leg, MarginMode } from '../exchanges/rules.ts';
import { isolatedAtInitialMargin, movedPrice } from './liquidation.ts';

export interface WhatIfChange {
  /** The position changed (every leg of the symbol, both sides in hedge mode). */
  readonly symbol: string;
  readonly marginMode?: MarginMode;
  readonly leverage?: number;
  /** Added to the position's isolated margin from the cross wallet (negative: taken back). */
  readonly marginDelta?: Money;
  /** A signed fraction the marks of every other symbol move by (-0.1: 10 % down). */
  readonly othersMove?: Rate;
}

export type WhatIfResult = { readonly account: AccountSnapshot } | { readonly field: string; readonly reason: string };

export function whatIf(account: AccountSnapshot, change: WhatIfChange, profile: ExchangeProfile): WhatIfResult {
  if (!account.legs.some((l) => l.symbol === change.symbol)) return { field: 'symbol', reason: `the account holds no ${change.symbol} position` };
  if (change.leverage !== undefined && (!Number.isInteger(change.leverage) || change.leverage < 1)) return { field: 'leverage', reason: 'a whole number, at least 1' };
  let wallet = account.crossWallet;
  const legs: Leg[] = [];
  for (const original of account.legs) {
    if (original.symbol !== change.symbol) {
      legs.push(change.othersMove === undefined ? original : { ...original, markPrice: movedPrice(original.markPrice, change.othersMove) });
      continue;
    }
    let leg: Leg = change.leverage === undefined ? original : { ...original, leverage: change.leverage };
    if (change.marginMode === 'isolated' && leg.marginMode === 'cross') {
      leg = isolatedAtInitialMargin(profile, leg);
      wallet = sub(wallet, leg.isolatedWallet);
    } else if (change.marginMode === 'cross' && leg.marginMode === 'isolated') {
      wallet = add(wallet, leg.isolatedWallet);
      leg = { ...leg, marginMode: 'cross', isolatedWallet: zero() };
    }
    if (change.marginDelta !== undefined) {
      if (leg.marginMode !== 'isolated') return { field: 'marginDelta', reason: `${leg.symbol} is in cross: its margin is the whole cross wallet` };
      const bucket = add(leg.isolatedWallet, change.marginDelta);
      if (isNegative(bucket)) return { field: 'marginDelta', reason: `${leg.symbol} holds less isolated margin than that` };
      wallet = sub(wallet, change.marginDelta);
      leg = { ...leg, isolatedWallet: bucket };
    }
    legs.push(leg);
  }
  if (lt(wallet, zero())) return { field: change.marginDelta !== undefined ? 'marginDelta' : 'marginMode', reason: 'the cross wallet cannot pay for it' };
  return { account: { ...account, crossWallet: wallet, legs } };
}
