// Binance COIN-M (inverse) leverage brackets for BTCUSD_PERP, dated. Floors and caps are coin notional
// (contracts x 100 USD / mark price, in BTC), cum in BTC. From ../shared/reference/tiers.md §1:
// - 2021-07-27: floors and MMR from ccxt ts/src/test/static/response/binance.json
//   options.leverageBrackets["BTC/USD:BTC"] (ccxt/ccxt @ 05776890e288bf88d1aeba7b62da9e697d3e37f5) [3RD];
//   max leverage and caps from the Binance FAQ "Leverage and Margin in Coin-Margined Futures Contracts"
//   (https://www.binance.com/en-NG/support/faq/be2c7d9d95b04a7e8044ed02dd7dfe5c, 2021 text with the
//   2021-07-27 note) [OFFICIAL]; the 10th cap (2,500 BTC) only from a white-label copy [3RD, UNSURE]. cum
//   from the recurrence, and checked: the COIN-M liquidation FAQ gives a 300 BTC position MMR 12.5 % and
//   maintenance amount 11.605 BTC (bracket 7 here), and 100 contracts @ 25,000 MM 0.0016 BTC (bracket 1).
//   By 2024-07-27 a /dapi positionRisk shows BTCUSD_PERP 20x with maxQty 150, so the table changed again;
//   the current rows were not found, so this table stays the newest.
// - 2020-06-11: the FAQ's original table (caps and leverage [OFFICIAL]), MMR chosen so that the 2021-02-05
//   liquidation FAQ's published maintenance amounts hold (1.81 BTC at level 5, 11.81 BTC for 300 BTC);
//   only rows 1-7 are confirmed that way, so rows 8-9 (UNSURE) are left out: a position above 400 BTC
//   uses bracket 7's rate, flagged beyond the cap.
// ETHUSD_PERP: no published MMR at any date (tiers.md §1.3); give it "markets" brackets.
import type { BracketTableSpec } from '../../domain/tiers.ts';

export const binanceCoinmBracketSpecs: readonly BracketTableSpec[] = [
  {
    symbol: 'BTCUSD_PERP',
    effectiveFrom: '2020-06-11',
    source: 'Binance FAQ be2c7d9d95b04a7e8044ed02dd7dfe5c (2020-06-11 caps/leverage) + liquidation FAQ ceccfcfb4e3a45e3b48b0b1bb1a8ae46 (1.81 / 11.81 BTC); rows 1-7',
    brackets: [
      { bracket: 1, floor: '0', cap: '10', mmrPercent: '0.4', maxLeverage: 125, cum: '0' },
      { bracket: 2, floor: '10', cap: '20', mmrPercent: '0.5', maxLeverage: 100, cum: '0.01' },
      { bracket: 3, floor: '20', cap: '30', mmrPercent: '1', maxLeverage: 50, cum: '0.11' },
      { bracket: 4, floor: '30', cap: '50', mmrPercent: '2.5', maxLeverage: 20, cum: '0.56' },
      { bracket: 5, floor: '50', cap: '100', mmrPercent: '5', maxLeverage: 10, cum: '1.81' },
      { bracket: 6, floor: '100', cap: '200', mmrPercent: '10', maxLeverage: 5, cum: '6.81' },
      { bracket: 7, floor: '200', cap: '400', mmrPercent: '12.5', maxLeverage: 4, cum: '11.81' },
    ],
  },
  {
    symbol: 'BTCUSD_PERP',
    effectiveFrom: '2021-07-27',
    source: 'ccxt binance.json options.leverageBrackets BTC/USD:BTC @ 05776890e2 (floors, MMR) + Binance FAQ be2c7d9d95b04a7e8044ed02dd7dfe5c (caps, leverage); cum by the recurrence, 11.605 BTC at 300 BTC as the FAQ',
    brackets: [
      { bracket: 1, floor: '0', cap: '5', mmrPercent: '0.4', maxLeverage: 125, cum: '0' },
      { bracket: 2, floor: '5', cap: '10', mmrPercent: '0.5', maxLeverage: 100, cum: '0.005' },
      { bracket: 3, floor: '10', cap: '20', mmrPercent: '1', maxLeverage: 50, cum: '0.055' },
      { bracket: 4, floor: '20', cap: '50', mmrPercent: '2.5', maxLeverage: 20, cum: '0.355' },
      { bracket: 5, floor: '50', cap: '100', mmrPercent: '5', maxLeverage: 10, cum: '1.605' },
      { bracket: 6, floor: '100', cap: '200', mmrPercent: '10', maxLeverage: 5, cum: '6.605' },
      { bracket: 7, floor: '200', cap: '400', mmrPercent: '12.5', maxLeverage: 4, cum: '11.605' },
      { bracket: 8, floor: '400', cap: '1000', mmrPercent: '15', maxLeverage: 3, cum: '21.605' },
      { bracket: 9, floor: '1000', cap: '1500', mmrPercent: '25', maxLeverage: 2, cum: '121.605' },
      { bracket: 10, floor: '1500', cap: '2500', mmrPercent: '50', maxLeverage: 1, cum: '496.605' },
    ],
  },
];
