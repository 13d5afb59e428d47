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
import {
  fixedSchedule,
  legNotional,
  notionalOverLeverage,
  scheduleFromBrackets,
  ZERO_SCHEDULE,
  type ExchangeRules,
} from './rules.ts';
import { MissingBracketsError } from './binance-usdm.ts';

export const okxSwap: ExchangeRules = {
  id: 'okx-swap',
  title: 'OKX perpetual swaps (linear and inverse)',
  kinds: ['linear', 'inverse'],
  covers: 'isolated and cross, maintenance = notional x (tier MMR + taker fee), linear and coin-margined, tiers at the liquidation price',
  notCovered:
    'no bundled OKX tier tables (none in the reference): give "maintenance" or market "brackets"; multi-currency and portfolio margin; OKX sizes linear swaps in contracts of ctVal, perpguard in base quantity',
  maintenanceSchedule: (leg, fees) => {
    if (leg.maintenance) return fixedSchedule(leg.maintenance.rate, leg.maintenance.amount, fees.taker);
    if (leg.market.brackets) return scheduleFromBrackets(leg.market.brackets, fees.taker);
    throw new MissingBracketsError('okx-swap', leg.symbol);
  },
  bankruptcySchedule: () => ZERO_SCHEDULE,
  initialMargin: notionalOverLeverage,
  // OKX charges the liquidation at the taker rate on the liquidated notional (the "+ takerFee" term above)
  liquidationFee: (leg, quantity, price, fees) =>
    scale(legNotional({ size: quantity, market: leg.market }, price), add(fees.taker, leg.market.liquidationFeeRate), 'ceil'),
};
