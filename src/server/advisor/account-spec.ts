// The signed-in account's positions as a portfolio spec (src/sim/spec.ts), so the crash study, the Monte Carlo
// and the mode advice run on what the account holds: one leg per position (its side, notional at its entry
// price, leverage, margin mode, and an isolated position's margin), the wallet every position draws from
// (the cross wallet plus the isolated margins), the venue's exchange. Pure: the state is passed in.
import { add, formatFixed, notional, type Money } from '../../domain/fixed.ts';
import type { AccountSnapshot } from '../../exchanges/rules.ts';
import { parseSpec, SpecError, type Spec } from '../../sim/spec.ts';

export function specOfAccount(snapshot: AccountSnapshot, name: string): Spec | { problem: string } {
  if (snapshot.legs.length === 0) return { problem: 'the account holds no position: open one, or pick an example portfolio' };
  let wallet: Money = snapshot.crossWallet;
  for (const leg of snapshot.legs) if (leg.marginMode === 'isolated') wallet = add(wallet, leg.isolatedWallet);
  const json = {
    name,
    exchange: snapshot.exchange,
    wallet: formatFixed(wallet),
    legs: snapshot.legs.map((leg) => ({
      symbol: leg.symbol,
      side: leg.side === 1 ? 'long' : 'short',
      // the notional at entry, rounded up: the replay opens at least the position the account holds
      size: { notional: formatFixed(notional(leg.size, leg.entryPrice, 'ceil')) },
      leverage: leg.leverage,
      marginMode: leg.marginMode,
      ...(leg.marginMode === 'isolated' ? { isolatedMargin: formatFixed(leg.isolatedWallet) } : {}),
      // a position's role is the trader's intent, which the venue does not know: core, unless a request says otherwise
      role: 'core',
    })),
  };
  try {
    return parseSpec(json);
  } catch (error) {
    if (error instanceof SpecError) return { problem: error.message };
    throw error;
  }
}
