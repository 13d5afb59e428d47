// Hyperliquid perpetuals: linear, USDC-margined.
//
// "the maintenance margin is half of the initial margin at max leverage": MM = notional x 1/(2 x maxLeverage);
// liquidation when account value (cross) or isolated margin + UPNL falls below it, on the mark price
// ("Liquidations use the mark price", https://hyperliquid.gitbook.io/hyperliquid-docs/trading/liquidations).
// LP = EP - side x (margin - EP x size x l) / size / (1 - l x side), l = 1/(2 maxLeverage)
// (../shared/vectors/README.md; checked against exchange-reported liquidationPx values there).
import { rateOfLeverage, zero } from '../domain/fixed.ts';
import { fixedSchedule, notionalOverLeverage, ZERO_SCHEDULE, type ExchangeRules } from './rules.ts';

export const hyperliquid: ExchangeRules = {
  id: 'hyperliquid',
  title: 'Hyperliquid perpetuals (linear, USDC)',
  kinds: ['linear'],
  covers: 'isolated and cross, maintenance = half the initial margin at the market\'s max leverage',
  notCovered: 'margin tiers of large positions (the tiered maintenance table), spot collateral, the backstop-liquidation vault',
  maintenanceSchedule: (leg) =>
    leg.maintenance
      ? fixedSchedule(leg.maintenance.rate, leg.maintenance.amount)
      : fixedSchedule(rateOfLeverage(2 * leg.market.maxLeverage, 'ceil'), zero()),
  bankruptcySchedule: () => ZERO_SCHEDULE,
  initialMargin: notionalOverLeverage,
  // Hyperliquid documents no separate clearance fee: the liquidation trades at market with the taker fee
  liquidationFee: () => zero(),
};
