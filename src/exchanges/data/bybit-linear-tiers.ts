// Bybit USDT perpetual risk-limit tiers (linear), dated. Copied from ../shared/reference/tiers.md §3.2 (c) and
// §3.4, which read them from a freqtrade leverage-tier cache of ccxt fetch_leverage_tiers(), i.e. Bybit
// GET /v5/market/risk-limit?category=linear rows (id, riskLimitValue, maintenanceMargin, maxLeverage,
// mmDeduction): mohsenjfar/user_data data/bybit/futures/leverage_tiers_USDT.json at commit
// de73dbb87370e81f1c90832cf7da21520d95cb1e, "updated": "2024-12-25 12:17:38" [API-DUMP].
// floor_n = riskLimitValue_(n-1), cap = riskLimitValue, cum = mmDeduction (tier 1's "" is 0); upper bound
// inclusive (Bybit "Maintenance Margin (USDT Contract)": "position value of 2,000,000 USDT or below").
// The recurrence holds on every row (checked again by src/domain/tiers.ts when the table is built).
// BTCUSDT tiers 1-20 equal Bybit's "Margin Parameters" page and tiers 1-4 the API snapshot of 2026-08-05
// (reference exchange-margin.md part 2 §6.5), so this table is used for later dates as well.
// SOLUSDT: no published ladder was found at any date (tiers.md §3.5); give it "markets" brackets.
import type { BracketTableSpec } from '../../domain/tiers.ts';

const SOURCE = 'Bybit /v5/market/risk-limit (linear) via mohsenjfar/user_data leverage_tiers_USDT.json @ de73dbb873 (2024-12-25)';

export const bybitLinearTierSpecs: readonly BracketTableSpec[] = [
  {
    symbol: 'BTCUSDT',
    effectiveFrom: '2024-12-25',
    source: `${SOURCE}, key BTC/USDT:USDT, risk ids 1-35`,
    boundary: 'cap-inclusive',
    brackets: [
      { bracket: 1, floor: '0', cap: '2000000', mmrPercent: '0.5', maxLeverage: 100, cum: '0' },
      { bracket: 2, floor: '2000000', cap: '2600000', mmrPercent: '0.56', maxLeverage: 90, cum: '1200' },
      { bracket: 3, floor: '2600000', cap: '3200000', mmrPercent: '0.63', maxLeverage: 80, cum: '3020' },
      { bracket: 4, floor: '3200000', cap: '3800000', mmrPercent: '0.67', maxLeverage: 75, cum: '4300' },
      { bracket: 5, floor: '3800000', cap: '4400000', mmrPercent: '0.71', maxLeverage: 70, cum: '5820' },
      { bracket: 6, floor: '4400000', cap: '5000000', mmrPercent: '0.77', maxLeverage: 65, cum: '8460' },
      { bracket: 7, floor: '5000000', cap: '5600000', mmrPercent: '0.91', maxLeverage: 55, cum: '15460' },
      { bracket: 8, floor: '5600000', cap: '8500000', mmrPercent: '1', maxLeverage: 50, cum: '20500' },
      { bracket: 9, floor: '8500000', cap: '10000000', mmrPercent: '1.3', maxLeverage: 45, cum: '46000' },
      { bracket: 10, floor: '10000000', cap: '14000000', mmrPercent: '1.5', maxLeverage: 40, cum: '66000' },
      { bracket: 11, floor: '14000000', cap: '20000000', mmrPercent: '1.6', maxLeverage: 35, cum: '80000' },
      { bracket: 12, floor: '20000000', cap: '28000000', mmrPercent: '2', maxLeverage: 30, cum: '160000' },
      { bracket: 13, floor: '28000000', cap: '38000000', mmrPercent: '2.5', maxLeverage: 25, cum: '300000' },
      { bracket: 14, floor: '38000000', cap: '50000000', mmrPercent: '2.9', maxLeverage: 20, cum: '452000' },
      { bracket: 15, floor: '50000000', cap: '55000000', mmrPercent: '3', maxLeverage: 19, cum: '502000' },
      { bracket: 16, floor: '55000000', cap: '60000000', mmrPercent: '3.5', maxLeverage: 18, cum: '777000' },
      { bracket: 17, floor: '60000000', cap: '65000000', mmrPercent: '3.6', maxLeverage: 17, cum: '837000' },
      { bracket: 18, floor: '65000000', cap: '70000000', mmrPercent: '3.8', maxLeverage: 16, cum: '967000' },
      { bracket: 19, floor: '70000000', cap: '75000000', mmrPercent: '4', maxLeverage: 15, cum: '1107000' },
      { bracket: 20, floor: '75000000', cap: '80000000', mmrPercent: '4.5', maxLeverage: 14, cum: '1482000' },
      { bracket: 21, floor: '80000000', cap: '85000000', mmrPercent: '5', maxLeverage: 13, cum: '1882000' },
      { bracket: 22, floor: '85000000', cap: '90000000', mmrPercent: '5.5', maxLeverage: 12, cum: '2307000' },
      { bracket: 23, floor: '90000000', cap: '95000000', mmrPercent: '6', maxLeverage: 11, cum: '2757000' },
      { bracket: 24, floor: '95000000', cap: '100000000', mmrPercent: '6.5', maxLeverage: 10, cum: '3232000' },
      { bracket: 25, floor: '100000000', cap: '105000000', mmrPercent: '7', maxLeverage: 9, cum: '3732000' },
      { bracket: 26, floor: '105000000', cap: '110000000', mmrPercent: '8.5', maxLeverage: 8, cum: '5307000' },
      { bracket: 27, floor: '110000000', cap: '115000000', mmrPercent: '9.5', maxLeverage: 7, cum: '6407000' },
      { bracket: 28, floor: '115000000', cap: '120000000', mmrPercent: '10', maxLeverage: 6, cum: '6982000' },
      { bracket: 29, floor: '120000000', cap: '150000000', mmrPercent: '12', maxLeverage: 5, cum: '9382000' },
      { bracket: 30, floor: '150000000', cap: '200000000', mmrPercent: '14', maxLeverage: 4, cum: '12382000' },
      { bracket: 31, floor: '200000000', cap: '250000000', mmrPercent: '18', maxLeverage: 3, cum: '20382000' },
      { bracket: 32, floor: '250000000', cap: '400000000', mmrPercent: '30', maxLeverage: 2, cum: '50382000' },
      { bracket: 33, floor: '400000000', cap: '600000000', mmrPercent: '42', maxLeverage: 1.43, cum: '98382000' },
      { bracket: 34, floor: '600000000', cap: '800000000', mmrPercent: '50', maxLeverage: 1.28, cum: '146382000' },
      { bracket: 35, floor: '800000000', cap: '1200000000', mmrPercent: '60', maxLeverage: 1, cum: '226382000' },
    ],
  },
  {
    symbol: 'ETHUSDT',
    effectiveFrom: '2024-12-25',
    source: `${SOURCE}, key ETH/USDT:USDT, risk ids 11-45`,
    boundary: 'cap-inclusive',
    brackets: [
      { bracket: 1, floor: '0', cap: '900000', mmrPercent: '0.5', maxLeverage: 100, cum: '0' },
      { bracket: 2, floor: '900000', cap: '1200000', mmrPercent: '0.56', maxLeverage: 90, cum: '540' },
      { bracket: 3, floor: '1200000', cap: '1500000', mmrPercent: '0.63', maxLeverage: 80, cum: '1380' },
      { bracket: 4, floor: '1500000', cap: '1800000', mmrPercent: '0.67', maxLeverage: 75, cum: '1980' },
      { bracket: 5, floor: '1800000', cap: '2400000', mmrPercent: '0.71', maxLeverage: 70, cum: '2700' },
      { bracket: 6, floor: '2400000', cap: '3200000', mmrPercent: '0.77', maxLeverage: 65, cum: '4140' },
      { bracket: 7, floor: '3200000', cap: '4000000', mmrPercent: '0.91', maxLeverage: 55, cum: '8620' },
      { bracket: 8, floor: '4000000', cap: '5000000', mmrPercent: '1', maxLeverage: 50, cum: '12220' },
      { bracket: 9, floor: '5000000', cap: '8000000', mmrPercent: '1.2', maxLeverage: 45, cum: '22220' },
      { bracket: 10, floor: '8000000', cap: '12000000', mmrPercent: '1.3', maxLeverage: 40, cum: '30220' },
      { bracket: 11, floor: '12000000', cap: '16000000', mmrPercent: '1.4', maxLeverage: 35, cum: '42220' },
      { bracket: 12, floor: '16000000', cap: '22000000', mmrPercent: '1.5', maxLeverage: 30, cum: '58220' },
      { bracket: 13, floor: '22000000', cap: '28000000', mmrPercent: '2', maxLeverage: 25, cum: '168220' },
      { bracket: 14, floor: '28000000', cap: '32000000', mmrPercent: '2.5', maxLeverage: 20, cum: '308220' },
      { bracket: 15, floor: '32000000', cap: '34000000', mmrPercent: '3', maxLeverage: 19, cum: '468220' },
      { bracket: 16, floor: '34000000', cap: '36000000', mmrPercent: '3.3', maxLeverage: 18, cum: '570220' },
      { bracket: 17, floor: '36000000', cap: '38000000', mmrPercent: '3.5', maxLeverage: 17, cum: '642220' },
      { bracket: 18, floor: '38000000', cap: '40000000', mmrPercent: '3.8', maxLeverage: 16, cum: '756220' },
      { bracket: 19, floor: '40000000', cap: '42000000', mmrPercent: '3.9', maxLeverage: 15, cum: '796220' },
      { bracket: 20, floor: '42000000', cap: '44000000', mmrPercent: '4.2', maxLeverage: 14, cum: '922220' },
      { bracket: 21, floor: '44000000', cap: '46000000', mmrPercent: '4.5', maxLeverage: 13, cum: '1054220' },
      { bracket: 22, floor: '46000000', cap: '48000000', mmrPercent: '5', maxLeverage: 12, cum: '1284220' },
      { bracket: 23, floor: '48000000', cap: '50000000', mmrPercent: '5.5', maxLeverage: 11, cum: '1524220' },
      { bracket: 24, floor: '50000000', cap: '52000000', mmrPercent: '6', maxLeverage: 10, cum: '1774220' },
      { bracket: 25, floor: '52000000', cap: '54000000', mmrPercent: '6.8', maxLeverage: 9, cum: '2190220' },
      { bracket: 26, floor: '54000000', cap: '58000000', mmrPercent: '7.5', maxLeverage: 8, cum: '2568220' },
      { bracket: 27, floor: '58000000', cap: '62000000', mmrPercent: '9', maxLeverage: 7, cum: '3438220' },
      { bracket: 28, floor: '62000000', cap: '66000000', mmrPercent: '10', maxLeverage: 6, cum: '4058220' },
      { bracket: 29, floor: '66000000', cap: '72000000', mmrPercent: '12', maxLeverage: 5, cum: '5378220' },
      { bracket: 30, floor: '72000000', cap: '80000000', mmrPercent: '14', maxLeverage: 4, cum: '6818220' },
      { bracket: 31, floor: '80000000', cap: '100000000', mmrPercent: '18', maxLeverage: 3, cum: '10018220' },
      { bracket: 32, floor: '100000000', cap: '200000000', mmrPercent: '30', maxLeverage: 2, cum: '22018220' },
      { bracket: 33, floor: '200000000', cap: '400000000', mmrPercent: '42', maxLeverage: 1.43, cum: '46018220' },
      { bracket: 34, floor: '400000000', cap: '600000000', mmrPercent: '50', maxLeverage: 1.28, cum: '78018220' },
      { bracket: 35, floor: '600000000', cap: '1000000000', mmrPercent: '60', maxLeverage: 1, cum: '138018220' },
    ],
  },
];
