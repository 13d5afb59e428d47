// The Monte Carlo returns model from the bundled data: BTC, ETH and SOL hourly spot bars 2024-01-21 to
// 2026-01-20 (17,521 aligned hours, no gaps), and the five BTC perpetual crash windows for crash injection.
import { returnsModel, type ReturnsModel } from '../sim/generators.ts';
import { CRASH_WINDOWS, bundled, loadCandles } from './market-data.ts';

const HOUR = 3_600_000;
export const MC_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const;
/** Binance USD-M tick sizes of those symbols (../exchanges/markets.ts). */
export const MC_TICKS = ['0.1', '0.01', '0.01'] as const;

let cached: ReturnsModel | undefined;

export function bundledReturnsModel(): ReturnsModel {
  cached ??= returnsModel(
    MC_SYMBOLS.map((s) => loadCandles(bundled(`binance-spot-${s}-1h-2024-2026.csv`), s, HOUR)),
    CRASH_WINDOWS.map((w) => ({ id: w.id, series: loadCandles(bundled(w.file), 'BTCUSDT') })),
  );
  return cached;
}
