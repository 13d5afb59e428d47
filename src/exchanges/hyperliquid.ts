// Hyperliquid perpetuals: linear, USDC-margined.
//
// "the maintenance margin is half of the initial margin at max leverage": MM = notional x 1/(2 x maxLeverage);
// liquidation when account value (cross) or isolated margin + UPNL falls below it, on the mark price
// ("Liquidations use the mark price", https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations).
// LP = EP - side x (margin - EP x size x l) / size / (1 - l x side), l = 1/(2 maxLeverage)
// (../shared/vectors/README.md; checked against exchange-reported liquidationPx values there).
// Margin tiers ("Margin tiers" docs page): MM = notional x MMR(tier) - deduction, MMR = 1/(2 x tier max
// leverage), deduction on the Binance recurrence, so a market with a tier table (bundled per asset in
// ./data/hyperliquid-tiers.ts) uses it like Binance's brackets, the tier chosen at the liquidation price;
// a market given only a max leverage has the single tier 1/(2 x maxLeverage).
import { rateOfLeverage, zero } from '../domain/fixed.ts';
import { fixedSchedule, notionalOverLeverage, scheduleFromBrackets, ZERO_SCHEDULE, type ExchangeRules } from './rules.ts';

export const hyperliquid: ExchangeRules = {
  id: 'hyperliquid',
  title: 'Hyperliquid perpetuals (linear, USDC)',
  kinds: ['linear'],
  covers: 'isolated and cross, maintenance = half the initial margin at the tier\'s max leverage, bundled per-asset margin tiers',
  notCovered: 'spot collateral, the backstop-liquidation vault',
  maintenanceSchedule: (leg) => {
    if (leg.maintenance) return fixedSchedule(leg.maintenance.rate, leg.maintenance.amount);
    if (leg.market.brackets) return scheduleFromBrackets(leg.market.brackets);
    return fixedSchedule(rateOfLeverage(2 * leg.market.maxLeverage, 'ceil'), zero());
  },
  bankruptcySchedule: () => ZERO_SCHEDULE,
  initialMargin: notionalOverLeverage,
  // Hyperliquid documents no separate clearance fee: the liquidation trades at market with the taker fee
  liquidationFee: () => zero(),
};
