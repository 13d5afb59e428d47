// Position size from a risk budget: how much to buy so that the loss at the stop, fees included, is at
// most the budget, what leverage that needs, the isolated margin to assign, and whether the liquidation
// price comes before the stop. Pure: the command lives in ../cli/advise-size.ts.
//
// Definitions (all exact, rounding named):
// - risk budget R = portfolio x risk fraction, rounded down.
// - loss at the stop of a quantity q: the price move (-UPNL at the stop) + the taker fee on entry + the
//   taker fee on exit at the stop (each fee rounded up, as the venue charges it). For a linear contract
//   that is q x (|entry - stop| + taker x (entry + stop)).
// - quantity: R / loss of one unit, rounded down to the market's step; then lowered by a step while the
//   loss (with its rounded fees) is above R, so the loss never exceeds the budget.
// - available margin: the most the trader assigns to this position (default: the whole portfolio).
// - minimum leverage = ceil(notional at entry / available margin), at least 1.
// - isolated margin to assign = the initial margin at the chosen leverage (notional / leverage, up).
// - liquidation price: the isolated position holding that margin (its bracket's MMR and amount).
// - buffer: the stop must lie at least 10 % of the entry-to-liquidation distance before the liquidation
//   price (long: stop >= LP + 10 % x (entry - LP)); otherwise a warning, and a louder one when the stop
//   is at or beyond the liquidation price (the position would be liquidated before the stop fills).
// - the leverage at which the stop and the liquidation price coincide: isolated margin N/L equals the
//   loss to the stop plus the maintenance margin there, N/L = MM(stop) - UPNL(stop), so
//   L* = N / (MM(stop) - UPNL(stop)); every whole leverage below L* puts the liquidation price strictly
//   beyond the stop. The same with the buffer: the liquidation price at |entry - stop| / 0.9 from entry.
import {
  add,
  divRound,
  fromInt,
  gt,
  gte,
  isPositive,
  lt,
  lte,
  proportion,
  rate,
  ratio,
  roundToStep,
  scale,
  sub,
  toScaled,
  zero,
  divideByRate,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { tradeFee } from '../exchanges/fees.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { legNotional, unrealizedPnl, type AccountSnapshot, type ExchangeId, type ExchangeProfile, type FeeRates, type Leg, type Market } from '../exchanges/rules.ts';

/** The stop keeps at least 10 % of the entry-to-liquidation distance from the liquidation price. */
export const DEFAULT_BUFFER: Rate = rate('0.1');

export interface SizingInput {
  readonly exchange: ExchangeId;
  readonly market: Market;
  readonly fees: FeeRates;
  /** Portfolio value in the settlement asset. */
  readonly portfolio: Money;
  /** Risk per trade as a fraction of the portfolio (0.02 = 2 %). */
  readonly riskFraction: Rate;
  readonly side: 1 | -1;
  readonly entry: Price;
  readonly stop: Price;
  /** Leverage to use; default the minimum leverage. */
  readonly leverage?: number | undefined;
  /** The most margin the trader assigns to this position; default the portfolio. */
  readonly availableMargin?: Money | undefined;
  /** Buffer as a fraction of the entry-to-liquidation distance (default 0.1). */
  readonly buffer?: Rate | undefined;
}

export type StopStatus = 'before-liquidation' | 'within-buffer' | 'beyond-liquidation' | 'no-liquidation';

export interface SizingResult {
  readonly riskBudget: Money;
  /** Loss at the stop of one unit of quantity (base unit or contract), fees included. */
  readonly lossPerUnit: Money;
  readonly quantity: Quantity;
  readonly notional: Money;
  readonly priceLoss: Money;
  readonly entryFee: Money;
  readonly exitFee: Money;
  /** priceLoss + entryFee + exitFee <= riskBudget. */
  readonly lossAtStop: Money;
  readonly unusedBudget: Money;
  readonly availableMargin: Money;
  readonly minimumLeverage: number;
  readonly leverage: number;
  /** The initial margin at the leverage: the isolated margin to assign. */
  readonly isolatedMargin: Money;
  /** Isolated margin plus the entry fee: what the wallet gives up on opening. */
  readonly walletNeeded: Money;
  readonly liquidationPrice: Price | undefined;
  readonly bankruptcyPrice: Price | undefined;
  /** The liquidation price moved toward the entry by the buffer: the last safe stop. */
  readonly bufferPrice: Price | undefined;
  readonly stopStatus: StopStatus;
  /** L* (exact, rounded down): the leverage at which the liquidation price is exactly at the stop. */
  readonly coincidingLeverage: Rate | undefined;
  /** The highest whole leverage (capped at the venue's maximum) whose liquidation price lies strictly beyond the stop. */
  readonly maxLeverageStopFirst: number | undefined;
  /** The highest whole leverage whose liquidation price keeps the stop outside the buffer. */
  readonly maxLeverageWithBuffer: number | undefined;
  /** The venue's maximum leverage for this notional (its bracket's, else the market's). */
  readonly venueMaxLeverage: number;
  readonly warnings: readonly string[];
}

/** The loss at `stop` of `quantity` bought (side 1) or sold at `entry`: price move plus both taker fees. */
export function lossAtStop(market: Market, side: 1 | -1, entry: Price, stop: Price, quantity: Quantity, taker: Rate): { price: Money; entryFee: Money; exitFee: Money; total: Money } {
  const leg = { side, size: quantity, entryPrice: entry, market };
  const price = sub(zero<'Money'>(), unrealizedPnl(leg, stop));
  const entryFee = tradeFee(market, quantity, entry, taker);
  const exitFee = tradeFee(market, quantity, stop, taker);
  return { price, entryFee, exitFee, total: add(add(price, entryFee), exitFee) };
}

export function sizePosition(input: SizingInput): SizingResult {
  const { market, side, entry, stop } = input;
  if (side === 1 ? !lt(stop, entry) : !gt(stop, entry)) throw new RangeError(side === 1 ? 'a long needs its stop below the entry' : 'a short needs its stop above the entry');
  const taker = input.fees.taker;
  const warnings: string[] = [];
  const riskBudget = scale(input.portfolio, input.riskFraction, 'floor');
  const unit = fromInt<'Quantity'>(1);
  const lossPerUnit = lossAtStop(market, side, entry, stop, unit, taker).total;
  let quantity = roundToStep(proportion(unit, riskBudget, lossPerUnit, 'floor'), market.stepSize, 'floor');
  let loss = lossAtStop(market, side, entry, stop, quantity, taker);
  while (isPositive(quantity) && gt(loss.total, riskBudget)) {
    quantity = sub(quantity, market.stepSize);
    loss = lossAtStop(market, side, entry, stop, quantity, taker);
  }
  const notional = legNotional({ size: quantity, market }, entry);
  const availableMargin = input.availableMargin ?? input.portfolio;
  const minimumLeverage = isPositive(notional) && isPositive(availableMargin) ? Math.max(1, Number(divRound(toScaled(notional), toScaled(availableMargin), 'ceil'))) : 1;
  const venueMaxLeverage = maxLeverageFor(market, notional);
  const leverage = input.leverage ?? Math.min(minimumLeverage, venueMaxLeverage);
  if (minimumLeverage > venueMaxLeverage) {
    warnings.push(`the position needs at least ${minimumLeverage}x to fit the available margin, above the ${venueMaxLeverage}x maximum for this notional`);
  }
  if (leverage > venueMaxLeverage) warnings.push(`${leverage}x is above the ${venueMaxLeverage}x maximum for this notional`);
  if (leverage < minimumLeverage) warnings.push(`at ${leverage}x the initial margin is above the available margin (minimum ${minimumLeverage}x)`);
  const base = {
    riskBudget,
    lossPerUnit,
    quantity,
    notional,
    priceLoss: loss.price,
    entryFee: loss.entryFee,
    exitFee: loss.exitFee,
    lossAtStop: loss.total,
    unusedBudget: sub(riskBudget, loss.total),
    availableMargin,
    minimumLeverage,
    leverage,
    venueMaxLeverage,
  };
  if (!isPositive(quantity)) {
    warnings.push('the risk budget does not buy one quantity step at this stop distance');
    return {
      ...base,
      isolatedMargin: zero(),
      walletNeeded: zero(),
      liquidationPrice: undefined,
      bankruptcyPrice: undefined,
      bufferPrice: undefined,
      stopStatus: 'no-liquidation',
      coincidingLeverage: undefined,
      maxLeverageStopFirst: undefined,
      maxLeverageWithBuffer: undefined,
      warnings,
    };
  }
  const profile = profileOf(input.exchange);
  const draft: Leg = {
    symbol: market.symbol,
    positionSide: 'BOTH',
    side,
    size: quantity,
    entryPrice: entry,
    markPrice: entry,
    marginMode: 'isolated',
    leverage,
    isolatedWallet: zero(),
    market,
  };
  const isolatedMargin = profile.initialMargin(draft, entry);
  const leg: Leg = { ...draft, isolatedWallet: isolatedMargin };
  const account: AccountSnapshot = { exchange: input.exchange, positionMode: 'one-way', crossWallet: zero(), legs: [leg], fees: input.fees };
  const liquidationPrice = profile.liquidationPrice(account, 0);
  const bankruptcyPrice = profile.bankruptcyPrice(account, 0);
  const buffer = input.buffer ?? DEFAULT_BUFFER;
  let bufferPrice: Price | undefined;
  let stopStatus: StopStatus = 'no-liquidation';
  if (liquidationPrice !== undefined) {
    // long: LP + buffer x (entry - LP); short: LP - buffer x (LP - entry)
    bufferPrice = add(liquidationPrice, scale(sub(entry, liquidationPrice), buffer, side === 1 ? 'ceil' : 'floor'));
    const beyond = side === 1 ? lte(stop, liquidationPrice) : gte(stop, liquidationPrice);
    const within = side === 1 ? lt(stop, bufferPrice) : gt(stop, bufferPrice);
    stopStatus = beyond ? 'beyond-liquidation' : within ? 'within-buffer' : 'before-liquidation';
    if (beyond) warnings.push('the stop lies at or beyond the liquidation price: the position is liquidated before the stop fills');
    else if (within) warnings.push('the stop lies within the buffer (10 % of the entry-to-liquidation distance) of the liquidation price');
  }
  const atStop = liquidationLeverage(profile, leg, input.fees, stop);
  const distance = side === 1 ? sub(entry, stop) : sub(stop, entry);
  // liquidation at |entry - stop| / (1 - buffer) from the entry keeps the stop outside the buffer
  const bufferedDistance = divideByRate(distance, sub(fromInt<'Rate'>(1), buffer), 'ceil');
  const bufferedLiquidation = side === 1 ? sub(entry, bufferedDistance) : add(entry, bufferedDistance);
  const atBuffer = isPositive(bufferedLiquidation) ? liquidationLeverage(profile, leg, input.fees, bufferedLiquidation) : undefined;
  const capped = (l: bigint | undefined): number | undefined => (l === undefined || l < 1n ? undefined : Math.min(Number(l), venueMaxLeverage));
  return {
    ...base,
    isolatedMargin,
    walletNeeded: add(isolatedMargin, loss.entryFee),
    liquidationPrice,
    bankruptcyPrice,
    bufferPrice,
    stopStatus,
    coincidingLeverage: atStop === undefined ? undefined : ratio(atStop.notional, atStop.needed, 'floor'),
    // the stop fills first when the liquidation price is strictly beyond it: L < L*, so ceil(L*) - 1
    maxLeverageStopFirst: capped(atStop === undefined ? undefined : divRound(toScaled(atStop.notional), toScaled(atStop.needed), 'ceil') - 1n),
    // outside the buffer up to and including the leverage that puts the liquidation price at its edge
    maxLeverageWithBuffer: capped(atBuffer === undefined ? undefined : divRound(toScaled(atBuffer.notional), toScaled(atBuffer.needed), 'floor')),
    warnings,
  };
}

/**
 * The leverage L at which an isolated leg holding margin N/L (its initial margin, N = notional at entry)
 * is liquidated exactly at `at`: N / L + UPNL(at) = MM(at), so L = N / (MM(at) - UPNL(at)). Returned as
 * the exact pair (N, MM(at) - UPNL(at)); undefined when no positive leverage does it.
 */
export function liquidationLeverage(profile: ExchangeProfile, leg: Leg, fees: FeeRates, at: Price): { notional: Money; needed: Money } | undefined {
  const needed = sub(profile.maintenanceMargin(leg, fees, at).amount, unrealizedPnl(leg, at));
  if (!isPositive(needed)) return undefined;
  return { notional: legNotional(leg, leg.entryPrice), needed };
}

/** The venue's maximum leverage for a notional: the bracket's where there is a table, else the market's. */
export function maxLeverageFor(market: Market, notional: Money): number {
  const brackets = market.brackets?.brackets;
  if (!brackets || brackets.length === 0) return market.maxLeverage;
  for (const b of brackets) if (lt(notional, b.cap)) return Math.min(b.maxLeverage, market.maxLeverage);
  return Math.min(brackets[brackets.length - 1]!.maxLeverage, market.maxLeverage);
}
