// Bybit inverse perpetuals (coin-margined, 1 USD contracts), classic account.
//
// "How to calculate Liquidation Price (Inverse Contract)"
// (https://help.bybit.com/hc/en-us/articles/360039261334, reference part 2 §6.1):
//   Long : Qty x (1/EP - 1/LP) = -(Account Balance - Order Margin - Qty/EP x MMR - Qty x 0.00075 / Bankruptcy Price)
//   Bankruptcy Price (long, cross) = 1.00075 x Qty / (Qty/EP + (Account Balance - Order Margin))
// So MM = (Qty/EP) x MMR (entry value, in coin) + Qty x taker / BP (the fee to close at the bankruptcy
// price), and the bankruptcy price itself leaves exactly that fee: margin balance = taker x notional(BP).
// Bybit's page publishes LP 5,739.50 for its example where this equation gives 5,739.08 (reference §11.10).
// That page is about CROSS margin. The isolated position has no fee-to-close term, like the linear
// isolated formula (./bybit-linear.ts): IM = value / leverage, MM = value x MMR at entry, BP where the
// position margin is exhausted. Checked on a Bybit-reported isolated position (13 BTCUSD contracts long
// @ 22,114.1088, 5x, MMR 0.5 %): liqPrice 18,506.00, bustPrice 18,428.50 are this rule at the 0.5 tick;
// with the fee term it gives 18,519.5 / 18,442.5, 27 ticks off (bybit-inverse.test.ts).
import { add, coinValue, divideBy, faceValue, scale, sub, zero, type Price } from '../domain/fixed.ts';
import { contractSize, legNotional, ZERO_SCHEDULE, type ExchangeRules, type Leg } from './rules.ts';
import { constantSchedule, entryTier } from './schedules.ts';

export const bybitInverse: ExchangeRules = {
  id: 'bybit-inverse',
  title: 'Bybit inverse perpetuals (coin-margined, classic account)',
  kinds: ['inverse'],
  covers: 'isolated and cross in coin, MM at entry value; cross adds the fee to close at the bankruptcy price (isolated does not)',
  notCovered: 'UTA inverse formulas; open-order margin; BTCUSD tiers above 300 BTC and ETHUSD tiers (give "maintenance" or market "brackets")',
  maintenanceUsesBankruptcyPrice: true,
  maintenanceSchedule: (leg, fees, context) => {
    const tier = entryTier(leg, 'bybit-inverse');
    const atEntry = sub(scale(legNotional(leg, leg.entryPrice), tier.rate, 'ceil'), tier.deduction);
    const bankruptcy = context.bankruptcyPrice;
    const feeToClose = bankruptcy === undefined || leg.marginMode === 'isolated' ? zero<'Money'>() : closeFee(leg, bankruptcy, fees.taker);
    return constantSchedule(add(atEntry, feeToClose), tier.bracket);
  },
  // cross: margin balance at bankruptcy = the taker fee on the notional at that price; isolated: zero
  bankruptcySchedule: (leg, fees) => (leg.marginMode === 'isolated' ? ZERO_SCHEDULE : [{ floor: zero(), cap: undefined, rate: fees.taker, constant: zero() }]),
  initialMargin: (leg) => divideBy(legNotional(leg, leg.entryPrice), leg.leverage, 'ceil'),
  liquidationFee: () => zero(),
};

function closeFee(leg: Leg, bankruptcyPrice: Price, taker: Parameters<typeof scale>[1]) {
  return scale(coinValue(faceValue(leg.size, contractSize(leg.market)), bankruptcyPrice, 'ceil'), taker, 'ceil');
}
