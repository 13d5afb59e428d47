// The benchmark's account: one Binance USD-M cross account in one-way mode holding 20 positions on 20
// distinct symbols, written as the snapshot JSON `perpguard calc` reads, so it goes through
// resolveSnapshot exactly as a user's file would.
//
// BTCUSDT, ETHUSDT and SOLUSDT use the bundled Binance bracket tables in force on `asOf` (2024-10-24
// tables). The other 17 symbols get explicit tables through `markets.<SYMBOL>.brackets`, shaped like
// Binance's altcoin tables (MMR rising from 0.5-1 % to 50 %, max leverage falling to 1x); their
// maintenance amounts ("cum") are left out so the snapshot derives them from the recurrence
// cum_n = cum_{n-1} + floor_n x (MMR_n - MMR_{n-1}), as it would for a user's table.
//
// Marks are late-2024 levels; entries sit a few percent away in both directions so UPNLs have both
// signs. Notionals run from ~24k to ~2.8M USDT (~8.6M in all), so the positions sit in brackets 2 to 4
// at their marks, and several liquidation prices fall in a different bracket than the mark's (LINK, LTC,
// AVAX, DOT...: the solver must pick the bracket at the solution, not at the mark). The 300k wallet is
// small against the notional (~17x on the margin balance) so that 14 of the 20 positions, including
// the larger longs, have a liquidation price; longs smaller than the cross pool have none, which is the
// correct answer for them and costs the solver a full scan of the brackets.
import { resolveSnapshot } from '../src/exchanges/snapshot.ts';
import type { AccountSnapshot } from '../src/exchanges/rules.ts';

interface BracketRow {
  readonly floor: string;
  readonly cap: string;
  readonly maintenanceMarginRate: string;
  readonly maxLeverage: number;
}

/** [cap in USDT, MMR as a fraction, max leverage] per bracket; floors follow from the previous cap. */
type TableShape = readonly (readonly [capUsdt: number, maintenanceMarginRate: string, maxLeverage: number])[];

// A large-cap altcoin table (XRP, DOGE, ADA, LINK, AVAX, LTC, BCH, TRX-like).
const LARGE_CAP_ALT: TableShape = [
  [10_000, '0.005', 75],
  [50_000, '0.01', 50],
  [250_000, '0.02', 25],
  [1_000_000, '0.025', 20],
  [5_000_000, '0.05', 10],
  [10_000_000, '0.1', 5],
  [15_000_000, '0.125', 4],
  [25_000_000, '0.25', 2],
  [50_000_000, '0.5', 1],
];

// A mid-cap altcoin table: smaller brackets, steeper rates.
const MID_CAP_ALT: TableShape = [
  [5_000, '0.01', 50],
  [25_000, '0.025', 20],
  [100_000, '0.05', 10],
  [250_000, '0.1', 5],
  [1_000_000, '0.125', 4],
  [3_000_000, '0.25', 2],
  [5_000_000, '0.5', 1],
];

function bracketRows(shape: TableShape): BracketRow[] {
  let floorUsdt = 0;
  return shape.map(([capUsdt, maintenanceMarginRate, maxLeverage]) => {
    const row = { floor: String(floorUsdt), cap: String(capUsdt), maintenanceMarginRate, maxLeverage };
    floorUsdt = capUsdt;
    return row;
  });
}

interface PositionRow {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly size: string;
  readonly entryPrice: string;
  readonly markPrice: string;
  readonly leverage: number;
  /** Synthetic symbols only: the bracket table given in the snapshot. */
  readonly table?: TableShape;
}

// Notional at the mark in the comment of each row (size x mark, USDT).
const POSITIONS: readonly PositionRow[] = [
  { symbol: 'BTCUSDT', side: 'long', size: '40', entryPrice: '67400', markPrice: '69250.5', leverage: 20 }, // 2.77M, bracket 3
  { symbol: 'ETHUSDT', side: 'short', size: '700', entryPrice: '2550', markPrice: '2480.25', leverage: 20 }, // 1.74M, bracket 3
  { symbol: 'SOLUSDT', side: 'long', size: '3000', entryPrice: '158', markPrice: '170.4', leverage: 20 }, // 511k, bracket 3
  { symbol: 'XRPUSDT', side: 'long', size: '1500000', entryPrice: '0.51', markPrice: '0.5234', leverage: 10, table: LARGE_CAP_ALT }, // 785k, bracket 4
  { symbol: 'DOGEUSDT', side: 'short', size: '3000000', entryPrice: '0.118', markPrice: '0.1212', leverage: 10, table: LARGE_CAP_ALT }, // 364k, bracket 4
  { symbol: 'ADAUSDT', side: 'long', size: '400000', entryPrice: '0.36', markPrice: '0.3541', leverage: 10, table: LARGE_CAP_ALT }, // 142k, bracket 3
  { symbol: 'AVAXUSDT', side: 'short', size: '4000', entryPrice: '26.2', markPrice: '27.31', leverage: 10, table: LARGE_CAP_ALT }, // 109k, bracket 3
  { symbol: 'LINKUSDT', side: 'long', size: '40000', entryPrice: '10.95', markPrice: '11.482', leverage: 10, table: LARGE_CAP_ALT }, // 459k, bracket 4
  { symbol: 'DOTUSDT', side: 'short', size: '10000', entryPrice: '4.4', markPrice: '4.213', leverage: 10, table: MID_CAP_ALT }, // 42k, bracket 3
  { symbol: 'LTCUSDT', side: 'long', size: '6000', entryPrice: '71.2', markPrice: '68.55', leverage: 10, table: LARGE_CAP_ALT }, // 411k, bracket 4
  { symbol: 'BCHUSDT', side: 'short', size: '500', entryPrice: '352', markPrice: '361.2', leverage: 10, table: LARGE_CAP_ALT }, // 181k, bracket 3
  { symbol: 'TRXUSDT', side: 'long', size: '2000000', entryPrice: '0.158', markPrice: '0.16021', leverage: 10, table: LARGE_CAP_ALT }, // 320k, bracket 4
  { symbol: 'NEARUSDT', side: 'short', size: '5000', entryPrice: '4.95', markPrice: '4.812', leverage: 5, table: MID_CAP_ALT }, // 24k, bracket 2
  { symbol: 'ATOMUSDT', side: 'long', size: '8000', entryPrice: '4.71', markPrice: '4.536', leverage: 5, table: MID_CAP_ALT }, // 36k, bracket 3
  { symbol: 'UNIUSDT', side: 'short', size: '6000', entryPrice: '7.2', markPrice: '7.514', leverage: 5, table: MID_CAP_ALT }, // 45k, bracket 3
  { symbol: 'APTUSDT', side: 'long', size: '15000', entryPrice: '9.35', markPrice: '8.921', leverage: 5, table: MID_CAP_ALT }, // 134k, bracket 4
  { symbol: 'ARBUSDT', side: 'short', size: '200000', entryPrice: '0.58', markPrice: '0.5512', leverage: 5, table: MID_CAP_ALT }, // 110k, bracket 4
  { symbol: 'OPUSDT', side: 'long', size: '60000', entryPrice: '1.55', markPrice: '1.642', leverage: 5, table: MID_CAP_ALT }, // 99k, bracket 3
  { symbol: 'FILUSDT', side: 'short', size: '12000', entryPrice: '3.9', markPrice: '3.718', leverage: 5, table: MID_CAP_ALT }, // 45k, bracket 3
  { symbol: 'SUIUSDT', side: 'long', size: '120000', entryPrice: '1.75', markPrice: '1.9133', leverage: 5, table: MID_CAP_ALT }, // 230k, bracket 4
];

/** Cross wallet balance, USDT. */
const WALLET_BALANCE_USDT = '300000';

/** The snapshot JSON, as a user would write it. */
export function crossAccountJson(): unknown {
  const markets: Record<string, { brackets: BracketRow[] }> = {};
  for (const p of POSITIONS) if (p.table) markets[p.symbol] = { brackets: bracketRows(p.table) };
  return {
    exchange: 'binance-usdm',
    positionMode: 'one-way',
    asOf: '2024-11-01',
    walletBalance: WALLET_BALANCE_USDT,
    positions: POSITIONS.map(({ table: _table, ...p }) => ({ ...p, marginMode: 'cross' })),
    markets,
  };
}

/** The benchmark account, resolved through the same path as `perpguard calc`. */
export function crossAccount(): AccountSnapshot {
  return resolveSnapshot(crossAccountJson());
}
