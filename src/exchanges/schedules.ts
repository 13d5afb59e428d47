// What several venue files share, so that no venue file imports another (each venue stays one pure module
// behind ExchangeRules): the refusal when a leg has no bracket table, the schedule of a bracket table at
// the notional (Binance USD-M and COIN-M), the tier at the entry value and the constant schedule it gives
// (Bybit linear and inverse: MM evaluated at the entry value), and the clearance fee on the liquidated
// notional (Binance USD-M and COIN-M). Each formula keeps the source it was written from.
import { scale, zero, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import type { MarginSegment } from '../domain/solver.ts';
import { bracketFor } from '../domain/tiers.ts';
import { fixedSchedule, legNotional, scheduleFromBrackets, type Leg } from './rules.ts';

/** A leg whose maintenance margin cannot be computed: it has neither a fixed bracket nor a table. */
export class MissingBracketsError extends Error {
  override readonly name = 'MissingBracketsError';
  constructor(
    readonly venue: string,
    readonly symbol: string,
  ) {
    super(
      `no maintenance bracket table for ${symbol} on ${venue}: give the position a "maintenance" {rate, amount} or the market "brackets"`,
    );
  }
}

/**
 * The leg's fixed bracket if it has one, else the market's table: MM = notional x MMR - cum with the
 * bracket of the notional ("How to Calculate Liquidation Price of USDS-M Futures Contracts",
 * https://www.binance.com/en/support/faq/b3c689c1f50a44cabb3a84e663b81d93; COIN-M: the same on the coin
 * notional, https://www.binance.com/en/support/faq/ceccfcfb4e3a45e3b48b0b1bb1a8ae46).
 */
export function bracketSchedule(leg: Leg, venue: string): readonly MarginSegment[] {
  if (leg.maintenance) return fixedSchedule(leg.maintenance.rate, leg.maintenance.amount);
  if (leg.market.brackets) return scheduleFromBrackets(leg.market.brackets);
  throw new MissingBracketsError(venue, leg.symbol);
}

/**
 * Binance's liquidation (clearance) fee: the symbol's `liquidationFee` from GET /fapi/v1/exchangeInfo on
 * the liquidated notional (reference part 2 §3.2), rounded up (against the trader). COIN-M charges the
 * same rate on the coin notional.
 */
export function clearanceFee(leg: Leg, quantity: Quantity, price: Price): Money {
  return scale(legNotional({ size: quantity, market: leg.market }, price), leg.market.liquidationFeeRate, 'ceil');
}

/**
 * MMR and deduction of the leg's tier at its entry value (or its fixed bracket): Bybit's
 * "MM = (Position Value x MMR) - Maintenance Margin Deduction", Position Value = Contract Size x Entry
 * Price ("Liquidation Price (USDT Contract)"; inverse: "How to calculate Liquidation Price (Inverse
 * Contract)", reference part 2 §6.1).
 */
export function entryTier(leg: Leg, venue: string): { rate: Rate; deduction: Money; bracket?: number } {
  if (leg.maintenance) return { rate: leg.maintenance.rate, deduction: leg.maintenance.amount };
  if (!leg.market.brackets) throw new MissingBracketsError(venue, leg.symbol);
  const { bracket } = bracketFor(leg.market.brackets, legNotional(leg, leg.entryPrice));
  return { rate: bracket.maintenanceMarginRate, deduction: bracket.maintenanceAmount, bracket: bracket.bracket };
}

/** A constant maintenance schedule (MM does not move with the mark price: Bybit's MM at the entry value). */
export function constantSchedule(amount: Money, bracket?: number): MarginSegment[] {
  return [{ floor: zero(), cap: undefined, rate: zero(), constant: amount, ...(bracket !== undefined ? { bracket } : {}) }];
}
