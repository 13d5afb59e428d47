// Trading fees and funding payments on a market's notional (linear: Q x P; inverse: Q x CS / P, in coin).
import { scale, sub, zero, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import { legNotional, type Leg, type Market } from './rules.ts';

/**
 * Trading fee on a fill: notional at the trade price x fee rate, rounded up (a charge rounds against the
 * trader). "Commission Fee = Notional Value x Fee Rate" (Binance fee FAQ 360033544231); inverse notional
 * = contracts x contract size / price, in coin.
 */
export function tradeFee(market: Market, quantity: Quantity, price: Price, feeRate: Rate): Money {
  return scale(legNotional({ size: quantity, market }, price), feeRate, 'ceil');
}

/**
 * Funding paid by a position at a settlement: side x notional at mark x rate; positive = the position
 * pays, negative = it receives ("Funding Amount = Nominal Value of Positions x Funding Rate"; longs pay
 * shorts when the rate is positive, Binance funding FAQ 360033525031). One rounding (half-even): the
 * ledger moves the same amount from payer to receiver.
 */
export function fundingPayment(leg: Pick<Leg, 'side' | 'size' | 'market'>, markPrice: Price, fundingRate: Rate): Money {
  const amount = scale(legNotional(leg, markPrice), fundingRate, 'halfEven');
  return leg.side === 1 ? amount : sub(zero(), amount);
}
