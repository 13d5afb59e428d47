// Hyperliquid margin tiers per asset (linear, USDC notional), dated. Max leverage per tier is published;
// MMR and deduction follow the page's own rules (../shared/reference/tiers.md §4):
//   maintenance_margin_rate(tier n) = (initial margin rate at max leverage of tier n) / 2 = 1 / (2 x maxLev)
//   maintenance_deduction(n) = maintenance_deduction(n-1) + lower_bound(n) x (mmr(n) - mmr(n-1))
// so the tables are on the same recurrence as Binance's. A tier starts AT its lower bound (floor-inclusive).
// The top tier has no published cap: it is given 1e15 USDC, perpguard's bound on any notional.
// - 2025-01-18: https://hyperliquid.gitbook.io/hyperliquid-docs/trading/margin-tiers (mainnet) [OFFICIAL].
//   The page is undated; it lists TRUMP (listed 2025-01-18), so it is in force no earlier than that day.
// - 2024-03-15: one tier per asset at its meta universe maxLeverage, from ccxt
//   ts/src/test/static/markets/hyperliquid.json @ 09bbcae0e3280c85b2bea61ee97d2e661cf4046c (info.maxLeverage;
//   date inferred from the snapshot's prices, UNSURE; the ≈2024-09 version 3802e1a243 has the same values)
//   [API-DUMP]. Before margin tables existed every asset had one tier: MMR = 1/(2 x maxLeverage), no deduction.
import type { BracketTableSpec } from '../../domain/tiers.ts';

const NO_CAP = '1000000000000000';
const DOCS = 'Hyperliquid docs "Margin tiers" (mainnet; MMR = 1/(2 x max leverage), deduction by the page\'s recurrence)';
const CCXT = 'ccxt markets/hyperliquid.json @ 09bbcae0e3 info.maxLeverage (one tier, MMR = 1/(2 x max leverage))';

function twoTiers(symbol: string, lowerBound: string, lev0: number, mmr0: string, lev1: number, mmr1: string, deduction: string): BracketTableSpec {
  return {
    symbol,
    effectiveFrom: '2025-01-18',
    source: DOCS,
    brackets: [
      { bracket: 1, floor: '0', cap: lowerBound, mmrPercent: mmr0, maxLeverage: lev0, cum: '0' },
      { bracket: 2, floor: lowerBound, cap: NO_CAP, mmrPercent: mmr1, maxLeverage: lev1, cum: deduction },
    ],
  };
}

function oneTier(symbol: string, maxLeverage: number, mmrPercent: string): BracketTableSpec {
  return {
    symbol,
    effectiveFrom: '2024-03-15',
    source: CCXT,
    brackets: [{ bracket: 1, floor: '0', cap: NO_CAP, mmrPercent, maxLeverage, cum: '0' }],
  };
}

// "DOGE, kPEPE, SUI, ... HYPE, FARTCOIN: 0 -> 10x, 20,000,000 -> 5x" on the docs page
const TEN_X_20M = ['DOGE', 'kPEPE', 'SUI', 'WLD', 'TRUMP', 'LTC', 'ENA', 'POPCAT', 'WIF', 'AAVE', 'kBONK', 'LINK', 'CRV', 'AVAX', 'ADA', 'UNI', 'NEAR', 'TIA', 'APT', 'BCH', 'HYPE', 'FARTCOIN'];
// "OP, ARB, ... DOT: 0 -> 10x, 3,000,000 -> 5x"
const TEN_X_3M = ['OP', 'ARB', 'LDO', 'TON', 'MKR', 'ONDO', 'JUP', 'INJ', 'kSHIB', 'SEI', 'TRX', 'BNB', 'DOT'];

export const hyperliquidTierSpecs: readonly BracketTableSpec[] = [
  // 150,000,000 x (2.5 % - 1.25 %) = 1,875,000
  twoTiers('BTC', '150000000', 40, '1.25', 20, '2.5', '1875000'),
  // MMR at 15x is 1/30 = 3.33...%: 18 decimals; 100,000,000 x (1/30 - 2 %) = 1,333,333.33... (rounding UNSURE)
  twoTiers('ETH', '100000000', 25, '2', 15, '3.3333333333333333', '1333333.3333333333'),
  twoTiers('SOL', '70000000', 20, '2.5', 10, '5', '1750000'),
  twoTiers('XRP', '40000000', 20, '2.5', 10, '5', '1000000'),
  ...TEN_X_20M.map((s) => twoTiers(s, '20000000', 10, '5', 5, '10', '1000000')),
  ...TEN_X_3M.map((s) => twoTiers(s, '3000000', 10, '5', 5, '10', '150000')),
  oneTier('BTC', 50, '1'),
  oneTier('ETH', 50, '1'),
  oneTier('SOL', 20, '2.5'),
  oneTier('ADA', 20, '2.5'),
  oneTier('MEME', 10, '5'),
];
