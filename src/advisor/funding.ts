// What holding a perpetual costs in funding, and how funding walks an isolated liquidation price toward the
// mark. Pure: the history is given (../io/market-data.ts loads it), the command is ../cli/advise-funding.ts.
//
// - Windows are counted back from the LAST settlement in the history (not from the clock): latest, last
//   30 days, last 365 days, all. The average is the plain mean of the settlement rates in the window.
// - Annualized rate = rate x settlements per day x 365 (Binance BTC/ETH: 3 a day, 00/08/16 UTC).
// - Cost of a position: side x notional at the mark x rate per settlement (positive = the position pays;
//   longs pay when the rate is positive), per day and per year at that rate.
// - Funding is taken from an isolated position's own wallet, so the margin shrinks and the liquidation
//   price walks toward the mark. For the liquidation price to reach a target T the margin must fall to
//   M_T = MM(T) - UPNL(T) (margin balance at T equals maintenance there); days = (M - M_T) / funding per
//   day, exact as a ratio of two exact amounts (rounded up), and the whole number of settlements it takes
//   (rounded up). The price of the position is held at the mark; at the average rate.
import {
  add,
  divRound,
  gt,
  isPositive,
  lt,
  ratio,
  scale,
  sub,
  times,
  toScaled,
  zero,
  fromScaled,
  neg,
  type Money,
  type Price,
  type Rate,
} from '../domain/fixed.ts';
import { fundingPayment } from '../exchanges/fees.ts';
import { unrealizedPnl, type ExchangeProfile, type FeeRates, type Leg } from '../exchanges/rules.ts';
import type { FundingSeries } from '../sim/data.ts';

export const DAY_MS = 86_400_000;
export const DAYS_PER_YEAR = 365;
/** Binance's 8-hour funding interval: three settlements a day. */
export const SETTLEMENTS_PER_DAY = 3;

export type WindowId = 'latest' | '30d' | '1y' | 'all';
export const WINDOWS: readonly { readonly id: WindowId; readonly title: string; readonly days: number | undefined }[] = [
  { id: 'latest', title: 'latest settlement', days: 0 },
  { id: '30d', title: 'last 30 days', days: 30 },
  { id: '1y', title: 'last 365 days', days: 365 },
  { id: 'all', title: 'all history', days: undefined },
];

export interface WindowStats {
  readonly id: WindowId;
  readonly title: string;
  /** First and last settlement times in the window (epoch ms). */
  readonly fromMs: number;
  readonly toMs: number;
  readonly settlements: number;
  /** Mean rate per settlement (half-even to 18 decimals). */
  readonly average: Rate;
  readonly min: Rate;
  readonly max: Rate;
  /** Share of settlements with a positive rate (longs paid). */
  readonly positiveShare: Rate;
}

/**
 * Statistics of the settlements in (last - days, last]; the latest window is the last settlement alone,
 * `all` is every settlement.
 */
export function windowStats(series: FundingSeries, window: (typeof WINDOWS)[number]): WindowStats {
  const n = series.time.length;
  if (n === 0) throw new RangeError(`${series.source}: no funding settlements`);
  const last = series.time[n - 1]!;
  let start = n - 1;
  if (window.days === undefined) start = 0;
  else if (window.days > 0) {
    const from = last - window.days * DAY_MS;
    start = series.time.findIndex((t) => t > from);
  }
  let total = zero<'Rate'>();
  let lo = series.rate[start]!;
  let hi = lo;
  let positive = 0;
  for (let i = start; i < n; i++) {
    const r = series.rate[i]!;
    total = add(total, r);
    if (lt(r, lo)) lo = r;
    if (gt(r, hi)) hi = r;
    if (isPositive(r)) positive++;
  }
  const count = n - start;
  return {
    id: window.id,
    title: window.title,
    fromMs: series.time[start]!,
    toMs: last,
    settlements: count,
    average: fromScaled(divRound(toScaled(total), BigInt(count), 'halfEven')),
    min: lo,
    max: hi,
    positiveShare: fromScaled(divRound(BigInt(positive) * 10n ** 18n, BigInt(count), 'halfEven')),
  };
}

/** rate x settlements a day x 365. */
export function annualizedRate(rate: Rate, settlementsPerDay: number = SETTLEMENTS_PER_DAY): Rate {
  return times(rate, settlementsPerDay * DAYS_PER_YEAR);
}

export interface FundingCost {
  /** Paid per settlement (negative: received). */
  readonly perSettlement: Money;
  readonly perDay: Money;
  readonly perYear: Money;
  /** perYear / notional: the annualized cost as a fraction of the position (signed like the payments). */
  readonly annualRate: Rate;
}

/**
 * What a position of `notional` (at the mark, in the settlement asset) pays at a constant rate:
 * side x notional x rate per settlement (half-even, as fundingPayment settles it), per day, per year.
 */
export function fundingCost(notional: Money, side: 1 | -1, rate: Rate, settlementsPerDay: number = SETTLEMENTS_PER_DAY): FundingCost {
  const paid = scale(notional, rate, 'halfEven');
  const perSettlement: Money = side === 1 ? paid : neg(paid);
  const perDay = times(perSettlement, settlementsPerDay);
  const annual = annualizedRate(rate, settlementsPerDay);
  return {
    perSettlement,
    perDay,
    perYear: times(perDay, DAYS_PER_YEAR),
    annualRate: side === 1 ? annual : neg(annual),
  };
}

export interface FundingDrift {
  /** The isolated liquidation price now, with the leg's margin. */
  readonly liquidationPrice: Price | undefined;
  /** The target: the liquidation price moved toward the mark by the asked amount. */
  readonly target: Price | undefined;
  /** Margin the funding must take for the liquidation price to reach the target. */
  readonly marginToLose: Money | undefined;
  /** Funding per settlement at the rate (positive = paid out of the isolated wallet). */
  readonly perSettlement: Money;
  /** Whole settlements until the liquidation price has moved at least that far (undefined: never, funding is received). */
  readonly settlements: number | undefined;
  /** marginToLose / funding per day, exact ratio rounded up. */
  readonly days: Rate | undefined;
  /** The same for the liquidation price reaching the mark (the position liquidated by funding alone). */
  readonly settlementsToLiquidation: number | undefined;
  readonly daysToLiquidation: Rate | undefined;
  /** True when the asked move is at or past the mark: the target is the mark itself. */
  readonly targetIsMark: boolean;
}

/**
 * How long funding at `rate` takes to move the isolated liquidation price of `leg` (isolated, at its mark)
 * by `move` toward the mark, and to liquidate it with the price unchanged.
 */
export function fundingDrift(profile: ExchangeProfile, leg: Leg, fees: FeeRates, rate: Rate, move: Price, settlementsPerDay: number = SETTLEMENTS_PER_DAY): FundingDrift {
  const account = { exchange: profile.id, positionMode: 'one-way' as const, crossWallet: zero<'Money'>(), legs: [leg], fees };
  const liquidationPrice = profile.liquidationPrice(account, 0);
  const perSettlement = fundingPayment(leg, leg.markPrice, rate);
  const margin = leg.isolatedWallet;
  const toMark = marginAt(profile, leg, fees, leg.markPrice);
  const lossToMark = sub(margin, toMark);
  const paying = isPositive(perSettlement);
  const count = (loss: Money): { settlements: number | undefined; days: Rate | undefined } => {
    if (!isPositive(loss)) return { settlements: 0, days: zero() };
    if (!paying) return { settlements: undefined, days: undefined };
    return {
      settlements: Number(divRound(toScaled(loss), toScaled(perSettlement), 'ceil')),
      days: ratio(loss, times(perSettlement, settlementsPerDay), 'ceil'),
    };
  };
  const toLiquidation = count(lossToMark);
  if (liquidationPrice === undefined) {
    return {
      liquidationPrice,
      target: undefined,
      marginToLose: undefined,
      perSettlement,
      settlements: undefined,
      days: undefined,
      settlementsToLiquidation: toLiquidation.settlements,
      daysToLiquidation: toLiquidation.days,
      targetIsMark: false,
    };
  }
  // toward the mark: a long's liquidation price rises, a short's falls
  let target = leg.side === 1 ? add(liquidationPrice, move) : sub(liquidationPrice, move);
  const targetIsMark = leg.side === 1 ? !lt(target, leg.markPrice) : !gt(target, leg.markPrice);
  if (targetIsMark) target = leg.markPrice;
  const marginToLose = targetIsMark ? lossToMark : sub(margin, marginAt(profile, leg, fees, target));
  const toTarget = count(marginToLose);
  return {
    liquidationPrice,
    target,
    marginToLose,
    perSettlement,
    settlements: toTarget.settlements,
    days: toTarget.days,
    settlementsToLiquidation: toLiquidation.settlements,
    daysToLiquidation: toLiquidation.days,
    targetIsMark,
  };
}

/** The isolated margin with which the leg's liquidation price is `price`: MM(price) - UPNL(price). */
export function marginAt(profile: ExchangeProfile, leg: Leg, fees: FeeRates, price: Price): Money {
  return sub(profile.maintenanceMargin(leg, fees, price).amount, unrealizedPnl(leg, price));
}
