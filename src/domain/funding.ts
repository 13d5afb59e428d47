// Funding-rate arithmetic (Binance "Introduction to Binance Futures Funding Rates", FAQ 360033525031,
// ../shared/reference/exchange-margin.md part 2 §4). The payment itself depends on the contract kind and
// lives with the notional in ../exchanges/rules.ts (fundingPayment).
import { add, fromInt, lt, max, min, neg, rate, sub, times, type Money, type Rate } from './fixed.ts';

/** Binance's +/-0.05 % clamp on (interest - premium). */
export const BINANCE_FUNDING_CLAMP: Rate = rate('0.0005');
/** Binance's interest rate per 8-hour interval: 0.03 % a day = 0.01 % per interval. */
export const BINANCE_INTEREST_PER_8H: Rate = rate('0.0001');

/** F = P + clamp(I - P, -0.05 %, +0.05 %)  ("Funding Rate = Premium Index + clamp(Interest Rate - Premium Index, 0.05%, -0.05%)"). */
export function binanceFundingRate(premiumIndex: Rate, interestRate: Rate = BINANCE_INTEREST_PER_8H, bound: Rate = BINANCE_FUNDING_CLAMP): Rate {
  return add(premiumIndex, clamp(sub(interestRate, premiumIndex), neg(bound), bound));
}

/** A funding rate held inside the symbol's cap and floor (per-symbol, per-date data). */
export function capFundingRate(value: Rate, floor: Rate, cap: Rate): Rate {
  if (lt(cap, floor)) throw new RangeError('funding cap below floor');
  return clamp(value, floor, cap);
}

/** Impact margin notional = 200 USDT / initial margin rate at max leverage = 200 x max leverage. */
export function impactMarginNotional(maxLeverage: number, base: Money = fromInt(200)): Money {
  return times(base, maxLeverage);
}

function clamp(value: Rate, low: Rate, high: Rate): Rate {
  return max(low, min(high, value));
}

/** Binance's funding interval: "every 8 hours at 00:00 UTC, 08:00 UTC, and 16:00 UTC". */
export const BINANCE_FUNDING_INTERVAL_MS = 8 * 3_600_000;

/**
 * The funding settlement instants in (fromMs, toMs]: multiples of the interval since the epoch, which for
 * 8 h are 00:00, 08:00 and 16:00 UTC (4 h and 1 h symbols likewise). Only positions open at an instant pay
 * or receive ("Traders are only liable for funding payments ... if they have open positions at the
 * pre-specified funding times").
 */
export function fundingTimes(fromMs: number, toMs: number, intervalMs: number = BINANCE_FUNDING_INTERVAL_MS): number[] {
  if (!(intervalMs > 0) || !Number.isInteger(intervalMs)) throw new RangeError('funding interval must be a positive whole number of ms');
  const out: number[] = [];
  for (let t = Math.floor(fromMs / intervalMs) * intervalMs + intervalMs; t <= toMs; t += intervalMs) out.push(t);
  return out;
}
