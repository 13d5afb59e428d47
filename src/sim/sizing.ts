// What a leg of the spec opens: its quantity at a price (by notional, by margin x leverage, or by risk to
// its stop) and the orders that open it (a market order, then its stop-loss and take-profit).
import { add, divideBy, isPositive, parseFixed, quantityOf, roundToStep, scale, sub, zero, type Money, type Price, type Quantity } from '../domain/fixed.ts';
import { marketOrder, type Command } from '../engine/commands.ts';
import { DEFAULT_USER, marketOf, type EngineState } from '../engine/state.ts';
import { inverseContracts } from './inverse-size.ts';
import type { LegSpec } from './spec.ts';

export function order(symbol: string, side: 'buy' | 'sell', _type: 'market', quantity: Quantity): Extract<Command, { op: 'order' }> {
  return marketOrder(DEFAULT_USER, symbol, side, quantity);
}

function conditional(symbol: string, side: 'buy' | 'sell', type: 'stop_market' | 'take_profit_market', stopPrice: Price): Command {
  return { ...order(symbol, side, 'market', zero()), type, quantity: undefined, stopPrice, closePosition: true };
}

/** A stop-loss or take-profit level: a price, or a percent from the entry, rounded to the tick away from it. */
function levelPrice(leg: LegSpec, level: { percent: string } | { price: string }, entry: Price, kind: 'stop' | 'take', tick: Price): Price {
  if ('price' in level) return parseFixed(level.price);
  const distance = scale(entry, divideBy(parseFixed<'Rate'>(level.percent), 100, 'halfEven'), 'halfEven');
  const below = (leg.side === 'long') === (kind === 'stop');
  return roundToStep(below ? sub(entry, distance) : add(entry, distance), tick, below ? 'floor' : 'ceil');
}

/** The orders that open a leg at `price`: the market order, then its stop-loss and take-profit (none if it sizes to 0). */
export function entryCommands(state: EngineState, leg: LegSpec, price: Price, wallet: Money): Command[] {
  const market = marketOf(state, leg.symbol)!;
  const quantity = sizeOf(state, leg, price, wallet);
  if (!isPositive(quantity)) return [];
  const side = leg.side === 'long' ? 'buy' : 'sell';
  const commands: Command[] = [order(leg.symbol, side, 'market', quantity)];
  if (leg.stopLoss) commands.push(conditional(leg.symbol, side === 'buy' ? 'sell' : 'buy', 'stop_market', levelPrice(leg, leg.stopLoss, price, 'stop', market.tickSize)));
  if (leg.takeProfit) commands.push(conditional(leg.symbol, side === 'buy' ? 'sell' : 'buy', 'take_profit_market', levelPrice(leg, leg.takeProfit, price, 'take', market.tickSize)));
  return commands;
}

/** The quantity a leg opens at `price`: by notional, by margin x leverage, or by risk to its stop. */
export function sizeOf(state: EngineState, leg: LegSpec, price: Price, wallet: Money): Quantity {
  const market = marketOf(state, leg.symbol)!;
  // inverse legs open whole contracts of a USD face value, sized in coin (./inverse-size.ts)
  if (market.kind === 'inverse') {
    const stop = leg.stopLoss ? levelPrice(leg, leg.stopLoss, price, 'stop', market.tickSize) : undefined;
    return inverseContracts(leg, price, wallet, market, state.config.fees.taker, stop);
  }
  let value: Money;
  if ('notional' in leg.size) value = parseFixed(leg.size.notional);
  else if ('margin' in leg.size) value = parseFixed<'Money'>(leg.size.margin);
  else {
    // risk sizing: loss at the stop (price distance plus both taker fees) = wallet x risk %
    const risk = scale(wallet, divideBy(parseFixed<'Rate'>(leg.size.riskPercent), 100, 'halfEven'), 'floor');
    const stop = levelPrice(leg, leg.stopLoss!, price, 'stop', market.tickSize);
    const distance = leg.side === 'long' ? sub(price, stop) : sub(stop, price);
    const taker = state.config.fees.taker;
    const perUnit = add(distance, scale(add(price, stop), taker, 'ceil'));
    if (!isPositive(perUnit)) return zero();
    return roundToStep(quantityOf(risk, perUnit, 'floor'), market.stepSize, 'floor');
  }
  // leverage may be fractional (0.01 steps on Bybit and OKX): exact from its decimal form
  if ('margin' in leg.size) value = scale(value, parseFixed<'Rate'>(String(leg.leverage)), 'floor');
  return roundToStep(quantityOf(value, price, 'floor'), market.stepSize, 'floor');
}

/**
 * entryCommands remembered per leg and price: a Monte Carlo batch enters the same legs on every path, at
 * opening prices that repeat (82 distinct opening ticks of three assets in 2,000 bootstrap paths). An entry
 * is a pure function of the leg, the price, the wallet and what it reads from the state (the symbol's
 * market, the taker fee): a remembered one is reused only when all of them are the same. The commands are
 * shared, so nothing may change them (the engine does not).
 */
export class EntryMemo {
  private readonly byLeg = new Map<LegSpec, Map<bigint, { market: unknown; taker: unknown; wallet: Money; commands: readonly Command[] }>>();

  commands(state: EngineState, leg: LegSpec, price: Price, wallet: Money): readonly Command[] {
    const market = marketOf(state, leg.symbol);
    const taker = state.config.fees.taker;
    let byPrice = this.byLeg.get(leg);
    if (!byPrice) this.byLeg.set(leg, (byPrice = new Map()));
    const known = byPrice.get(price as unknown as bigint);
    if (known && known.market === market && known.taker === taker && known.wallet === wallet) return known.commands;
    const commands = entryCommands(state, leg, price, wallet);
    byPrice.set(price as unknown as bigint, { market, taker, wallet, commands });
    return commands;
  }
}
