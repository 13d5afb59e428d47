// The accounts the advisor starts from: a lone trade's empty cross wallet, a market by symbol, and a
// portfolio spec entered through the engine as the snapshot the margin math reads.
import { gt, isPositive, parseFixed, sub, type Money, type Price } from '../domain/fixed.ts';
import { apply } from '../engine/apply.ts';
import { marketOrder, type Command } from '../engine/commands.ts';
import { DEFAULT_USER, initialState, marketOf, snapshotOf, userOf, type EngineState } from '../engine/state.ts';
import type { AccountSnapshot, ExchangeId, Market } from '../exchanges/rules.ts';
import { DEFAULT_FEES } from '../exchanges/snapshot.ts';
import { InputError } from '../schema/input-error.ts';
import { sizeOf } from '../sim/replay.ts';
import type { Spec } from '../sim/spec.ts';

/** The account a lone trade starts from: the wallet in cross, nothing open, the venue's base fees. */
export function loneAccount(exchange: ExchangeId, wallet: Money): AccountSnapshot {
  const fees = DEFAULT_FEES[exchange];
  return { exchange, positionMode: 'one-way', crossWallet: wallet, legs: [], fees: { taker: parseFixed(fees.taker), maker: parseFixed(fees.maker) } };
}

/** The market of a symbol on a venue (newest bracket table), or InputError naming `field`. */
export function marketFor(exchange: ExchangeId, symbol: string, field = '--symbol'): Market {
  const market = marketOf(initialState({ exchange }), symbol);
  if (!market) throw new InputError(field, `${symbol} is not a market of ${exchange}`);
  return market;
}

/**
 * A portfolio spec entered at the given prices through the engine (deposit, margin modes, leverage,
 * market orders, a leg's extra isolated margin), as the account snapshot the margin math reads.
 */
export function snapshotOfSpec(spec: Spec, prices: ReadonlyMap<string, Price>): AccountSnapshot {
  let state: EngineState = initialState({
    exchange: spec.exchange,
    ...(spec.fees ? { fees: { taker: parseFixed(spec.fees.taker), maker: parseFixed(spec.fees.maker) } } : {}),
    ...(spec.marginCallRatio ? { marginCallRatio: parseFixed(spec.marginCallRatio) } : {}),
  });
  const wallet = parseFixed<'Money'>(spec.wallet);
  let op = 0;
  const run = (command: Command, field: string) => {
    const result = apply(state, command, 0, op++);
    if (result.rejection) throw new InputError(field, result.rejection.message);
    state = result.state;
  };
  const first = marketOf(state, spec.legs[0]!.symbol);
  if (!first) throw new InputError('legs[0].symbol', `${spec.legs[0]!.symbol} is not a market of ${spec.exchange}`);
  run({ op: 'deposit', account: DEFAULT_USER, asset: first.settleAsset, amount: wallet }, 'wallet');
  spec.legs.forEach((leg, i) => {
    const at = `legs[${i}]`;
    const price = prices.get(leg.symbol);
    if (!price) throw new InputError(`${at}.symbol`, `no price for ${leg.symbol}`);
    if (!marketOf(state, leg.symbol)) throw new InputError(`${at}.symbol`, `${leg.symbol} is not a market of ${spec.exchange}`);
    if (leg.marginMode === 'isolated') run({ op: 'setMarginMode', account: DEFAULT_USER, symbol: leg.symbol, mode: 'isolated' }, `${at}.marginMode`);
    run({ op: 'setLeverage', account: DEFAULT_USER, symbol: leg.symbol, leverage: leg.leverage }, `${at}.leverage`);
    run({ op: 'mark', symbol: leg.symbol, price }, `${at}.symbol`);
    const quantity = sizeOf(state, leg, price, wallet);
    if (!isPositive(quantity)) throw new InputError(`${at}.size`, 'is below one step of the market');
    run(
      marketOrder(DEFAULT_USER, leg.symbol, leg.side === 'long' ? 'buy' : 'sell', quantity),
      `${at}.size`,
    );
    if (leg.marginMode === 'isolated' && leg.isolatedMargin !== undefined) {
      const snap = snapshotOf(state, userOf(state, DEFAULT_USER), first.settleAsset);
      const held = snap.legs.find((l) => l.symbol === leg.symbol)!.isolatedWallet;
      const target = parseFixed<'Money'>(leg.isolatedMargin);
      if (gt(target, held)) run({ op: 'addMargin', account: DEFAULT_USER, symbol: leg.symbol, amount: sub(target, held), positionSide: undefined }, `${at}.isolatedMargin`);
    }
  });
  return snapshotOf(state, userOf(state, DEFAULT_USER), first.settleAsset);
}
