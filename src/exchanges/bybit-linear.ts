// Bybit USDT perpetuals (linear), classic contract account.
//
// "Liquidation Price (USDT Contract)" (https://testnet.bybit.com/en-US/help-center/s/article/Liquidation-Price-USDT-Contract):
//   Long : LP = Entry Price - [(Initial Margin - Maintenance Margin)/Position Size] - (Extra Margin Added/Position Size)
//   Short: LP = Entry Price + [(Initial Margin - Maintenance Margin)/Position Size] + (Extra Margin Added/Position Size)
//   Position Value = Contract Size x Entry Price;  IM = Position Value / leverage;
//   MM = (Position Value x MMR) - Maintenance Margin Deduction   (MMR from the risk-limit tier)
// i.e. MM is evaluated at the ENTRY value, so the maintenance schedule is a constant (rate 0) and the general
// equation margin balance = MM reproduces the published formula exactly (isolated wallet = IM + extra margin).
// Bankruptcy: "Upon liquidation, the liquidated position will be closed at the Bankruptcy Price"; isolated
// long BP = EP x (1 - IMR), short EP x (1 + IMR) ("Bankruptcy Price (Perpetual and Expiry Contracts)").
// Risk-limit tiers: upper bound inclusive ("position value of 2,000,000 USDT or below ... 0.5%").
//
// The Unified Trading Account (UTA) isolated formula, which adds a fee to close, is bybitUtaIsolated* below;
// it is a separate published formula (with a factor on extra margin that is not margin balance = MM), so it
// is offered as a function, checked on Bybit's own example, not as the profile's rule.
import {
  add,
  divideBy,
  divideByRate,
  fromInt,
  notional,
  perQuantity,
  scale,
  sub,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { ZERO_SCHEDULE, legNotional, type ExchangeRules } from './rules.ts';
import { constantSchedule, entryTier } from './schedules.ts';

export const bybitLinear: ExchangeRules = {
  id: 'bybit-linear',
  title: 'Bybit USDT perpetuals (linear, classic account)',
  kinds: ['linear'],
  covers: 'isolated (published formula, MM at entry value), cross with the same MM, risk-limit tiers, added margin and funding from position margin',
  notCovered:
    'the UTA cross/portfolio margin (UTA isolated only as bybitUtaIsolatedLiquidationPrice); SOLUSDT and other symbols have no bundled tiers (give "markets" brackets)',
  maintenanceSchedule: (leg) => {
    const tier = entryTier(leg, 'bybit-linear');
    const mm = sub(scale(legNotional(leg, leg.entryPrice), tier.rate, 'ceil'), tier.deduction);
    return constantSchedule(mm, tier.bracket);
  },
  bankruptcySchedule: () => ZERO_SCHEDULE,
  initialMargin: (leg) => divideBy(legNotional(leg, leg.entryPrice), leg.leverage, 'ceil'),
  // the position is closed at the bankruptcy price; what is left above it goes to the insurance fund (the
  // engine's liquidation process), there is no separate clearance fee on the classic account
  liquidationFee: () => zero(),
};

export interface UtaIsolatedInput {
  readonly side: 1 | -1;
  readonly size: Quantity;
  readonly entryPrice: Price;
  readonly leverage: number;
  readonly extraMargin: Money;
  readonly maintenanceRate: Rate;
  readonly deduction: Money;
  readonly takerFeeRate: Rate;
}

/**
 * Bybit UTA, USDT perpetual, isolated ("Liquidation Price Calculation under Isolated Mode (Unified Trading
 * Account)", quoted in the reference part 2 §6.3):
 *  LP(long)  = [(EP x Q) - (EP x Q / Lev) - (ExtraMargin / (1 - TakerFeeRate)) - MMDeduction] / [Q - Q x MMR]
 *  LP(short) = [(EP x Q) + (EP x Q / Lev) + (ExtraMargin / (1 + TakerFeeRate)) + MMDeduction] / [Q + Q x MMR]
 */
export function bybitUtaIsolatedLiquidationPrice(p: UtaIsolatedInput): Price {
  const one = fromInt<'Rate'>(1);
  const value = notional(p.size, p.entryPrice, 'halfEven');
  const im = divideBy(value, p.leverage, 'halfEven');
  const long = p.side === 1;
  const extra = divideByRate(p.extraMargin, long ? sub(one, p.takerFeeRate) : add(one, p.takerFeeRate), 'halfEven');
  const numerator = long ? sub(sub(sub(value, im), extra), p.deduction) : add(add(add(value, im), extra), p.deduction);
  const denominator = scale(p.size, long ? sub(one, p.maintenanceRate) : add(one, p.maintenanceRate), 'halfEven');
  return perQuantity(numerator, denominator, long ? 'ceil' : 'floor');
}

/**
 * Bybit UTA maintenance margin: position value x MMR - deduction + estimated fee to close, where
 * fee to close = Q x EP x (1 -/+ 1/Lev) x taker (Q x bankruptcy price x taker; Glossary UTA).
 */
export function bybitUtaMaintenanceMargin(p: Omit<UtaIsolatedInput, 'extraMargin'> & { readonly markPrice: Price }): Money {
  const atMark = sub(scale(notional(p.size, p.markPrice, 'halfEven'), p.maintenanceRate, 'ceil'), p.deduction);
  return add(atMark, bybitFeeToClose(p));
}

export function bybitFeeToClose(p: Pick<UtaIsolatedInput, 'side' | 'size' | 'entryPrice' | 'leverage' | 'takerFeeRate'>): Money {
  const value = notional(p.size, p.entryPrice, 'halfEven');
  const im = divideBy(value, p.leverage, 'halfEven');
  const atBankruptcy = p.side === 1 ? sub(value, im) : add(value, im);
  return scale(atBankruptcy, p.takerFeeRate, 'ceil');
}
