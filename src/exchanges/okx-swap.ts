// OKX perpetual swaps (USDT-margined linear and coin-margined inverse), isolated and cross.
//
// Liquidation when equity <= maintenance margin + liquidation fees: "when your margin ratio falls to 100%,
// meaning your account equity is equal to or less than the required maintenance margin plus any applicable
// liquidation fees" (OKX "Tiered maintenance margin ratio rules",
// https://www.okx.com/help/v-tiered-maintenance-margin-ratio-rules); the isolated per-position form
// "(margin balance + UPL) / (faceValue x |contracts| x markPrice x (MMR_tier + takerFee))" (reference part 2 §7).
// So the maintenance schedule is notional x (MMR + taker fee): long LP = (EP - margin/size)/(1 - m), short
// (EP + margin/size)/(1 + m) with m = MMR + taker, as in freqtrade's OKX implementation.
// Margin ratio is reported in Binance orientation (MM / equity); OKX shows the inverse (equity / MM).
import { add, scale } from '../domain/fixed.ts';
import { tierForSize } from '../domain/tiers.ts';
import type { MarginSegment } from '../domain/solver.ts';
import {
  fixedSchedule,
  legNotional,
  notionalOverLeverage,
  scheduleFromBrackets,
  ZERO_SCHEDULE,
  type ExchangeRules,
} from './rules.ts';
import { MissingBracketsError } from './schedules.ts';

export const okxSwap: ExchangeRules = {
  id: 'okx-swap',
  title: 'OKX perpetual swaps (linear and inverse)',
  kinds: ['linear', 'inverse'],
  covers: 'isolated and cross, maintenance = notional x (tier MMR + taker fee), linear and coin-margined, tiers at the liquidation price',
  notCovered:
    'multi-currency and portfolio margin; partial liquidation by tier; OKX sizes linear swaps in contracts of ctVal, perpguard in base quantity (bundled tier caps are converted)',
  maintenanceSchedule: (leg, fees) => {
    if (leg.maintenance) return fixedSchedule(leg.maintenance.rate, leg.maintenance.amount, fees.taker);
    // OKX position tiers go by size: the tier of the position's size, its MMR on the whole notional
    if (leg.market.sizeTiers) {
      const { bracket } = tierForSize(leg.market.sizeTiers, leg.size);
      const [segment] = fixedSchedule(bracket.maintenanceMarginRate, bracket.maintenanceAmount, fees.taker) as [MarginSegment];
      return [{ ...segment, bracket: bracket.bracket }];
    }
    if (leg.market.brackets) return scheduleFromBrackets(leg.market.brackets, fees.taker);
    throw new MissingBracketsError('okx-swap', leg.symbol);
  },
  bankruptcySchedule: () => ZERO_SCHEDULE,
  // OKX displays liqPx one tick toward the mark from the formula's value rounded toward the mark (7 of
  // 8 OKX-reported positions measured in issue 9); liquidationPrice stays the formula's exact value
  liquidationDisplayTicks: 1,
  initialMargin: notionalOverLeverage,
  // OKX charges the liquidation at the taker rate on the liquidated notional (the "+ takerFee" term above)
  liquidationFee: (leg, quantity, price, fees) =>
    scale(legNotional({ size: quantity, market: leg.market }, price), add(fees.taker, leg.market.liquidationFeeRate), 'ceil'),
};
