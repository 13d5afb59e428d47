// What a replay (./run.ts) asks of the engine state about one symbol before it marks it: whether the
// account is exposed to it (a mark of an unheld symbol changes nothing but the mark), whether its latest
// close must reach the engine before another symbol's exact step, and how much a mark raises the cross
// account's margin above maintenance (the order of a sync's marks).
import { sub, toScaled, type Price } from '../domain/fixed.ts';
import { derivedOf, SIDES } from '../engine/exposure.ts';
import { marketOf, positionKey, profileFor, settingsOf, snapshotOf, type EngineState, type UserState } from '../engine/state.ts';
import { unrealizedPnl } from '../exchanges/rules.ts';

/**
 * How much moving the symbol's mark to `price` raises the user's cross "margin balance - maintenance
 * margin" (exact, raw fixed point): the change of its cross legs' PnL less the change of their MM.
 */
export function crossGain(state: EngineState, account: string, symbol: string, price: Price): bigint {
  const market = marketOf(state, symbol);
  const user = state.users[account];
  if (!market || !user) return 0n;
  const profile = profileFor(state);
  const fees = state.config.fees;
  let gain = 0n;
  for (const leg of snapshotOf(state, user, market.settleAsset).legs) {
    if (leg.symbol !== symbol || leg.marginMode !== 'cross') continue;
    const atPrice = sub(unrealizedPnl(leg, price), profile.maintenanceMargin(leg, fees, price).amount);
    const atMark = sub(unrealizedPnl(leg, leg.markPrice), profile.maintenanceMargin(leg, fees, leg.markPrice).amount);
    gain += toScaled(sub(atPrice, atMark));
  }
  return gain;
}

/**
 * The user holds a position in the symbol or has an open order on it, or the engine's next risk check
 * looks at all of the user's scopes (the recheck after a liquidation: any mark, even of a symbol the user
 * does not hold, runs it). Otherwise a mark of the symbol changes nothing but the mark itself.
 */
export function exposedTo(state: EngineState, user: UserState, symbol: string): boolean {
  for (const side of SIDES) if (user.positions[positionKey(symbol, side)] !== undefined) return true;
  return user.orders.some((o) => o.symbol === symbol) || derivedOf(state).recheck.has(user.id);
}

/**
 * Whether the symbol's latest close must reach the engine before another symbol's exact step: the user has
 * an order on it, a cross position in it (the cross pool reads every cross mark), or a recheck pending
 * (exposedTo). An isolated position reads only its own symbol's mark, and its bars since the engine last
 * saw it were screened quiet (their closes liquidate nothing and call for no margin): its mark waits for
 * its own next exact step, a command on it (catchUp) or the replay's final state, as an unheld symbol's.
 */
export function crossExposedTo(state: EngineState, user: UserState, symbol: string): boolean {
  const cross = settingsOf(state, user, symbol).marginMode === 'cross';
  for (const side of SIDES) if (cross && user.positions[positionKey(symbol, side)] !== undefined) return true;
  return user.orders.some((o) => o.symbol === symbol) || derivedOf(state).recheck.has(user.id);
}
