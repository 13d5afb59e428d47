// Bybit BTCUSDT risk-limit tiers, API GET /v5/market/risk-limit snapshot of 2026-08-05, first four of 35
// tiers as quoted in ../shared/reference/exchange-margin.md part 2 §6.5 ([EXCHANGE-OUTPUT via 3RD]).
// Upper bound inclusive (Bybit "Maintenance Margin (USDT Contract)"). Positions above 3.8M USDT get the
// fourth tier's rates: the rest of the table is not in the reference.
import type { BracketTableSpec } from '../../domain/tiers.ts';

export const bybitLinearTierSpecs: readonly BracketTableSpec[] = [
  {
    symbol: 'BTCUSDT',
    effectiveFrom: '2026-08-05',
    source: 'Bybit /v5/market/risk-limit BTCUSDT, first 4 tiers (reference part 2 §6.5)',
    boundary: 'cap-inclusive',
    brackets: [
      { bracket: 1, floor: '0', cap: '2000000', mmrPercent: '0.5', maxLeverage: 100, cum: '0' },
      { bracket: 2, floor: '2000000', cap: '2600000', mmrPercent: '0.56', maxLeverage: 90, cum: '1200' },
      { bracket: 3, floor: '2600000', cap: '3200000', mmrPercent: '0.63', maxLeverage: 80, cum: '3020' },
      { bracket: 4, floor: '3200000', cap: '3800000', mmrPercent: '0.67', maxLeverage: 75, cum: '4300' },
    ],
  },
];
