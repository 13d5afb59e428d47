// The Monte Carlo returns model from the bundled data: BTC, ETH and SOL hourly spot bars 2024-01-21 to
// 2026-01-20 (17,521 aligned hours, no gaps), and the five BTC perpetual crash windows for crash injection.
//
// Building it parses ~53,000 CSV rows into exact prices, about 1.2 s: a fifth of the 10,000-path target
// run. So the built model is kept in dist/ (./kept-copy.ts) and read back in milliseconds.
import { join } from 'node:path';
import { returnsModel, type ReturnsModel } from '../sim/generators.ts';
import { CRASH_WINDOWS, bundled, loadCandles } from './market-data.ts';
import { COPIES_DIR, keptCopy } from './kept-copy.ts';

const HOUR = 3_600_000;
export const MC_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const;
/** Binance USD-M tick sizes of those symbols (../exchanges/markets.ts). */
export const MC_TICKS = ['0.1', '0.01', '0.01'] as const;

const HOURLY_FILES = MC_SYMBOLS.map((s) => bundled(`binance-spot-${s}-1h-2024-2026.csv`));
const CRASH_FILES = CRASH_WINDOWS.map((w) => bundled(w.file));
export const MODEL_COPY = join(COPIES_DIR, 'returns-model.v8');

let cached: ReturnsModel | undefined;

/** The model, built once per process (or read from its copy in dist/). */
export function bundledReturnsModel(): ReturnsModel {
  cached ??= keptCopy(MODEL_COPY, [...HOURLY_FILES, ...CRASH_FILES], buildBundledReturnsModel);
  return cached;
}

/** The model built from the CSV files. */
export function buildBundledReturnsModel(): ReturnsModel {
  return returnsModel(
    MC_SYMBOLS.map((s, a) => loadCandles(HOURLY_FILES[a]!, s, HOUR)),
    CRASH_WINDOWS.map((w, c) => ({ id: w.id, series: loadCandles(CRASH_FILES[c]!, 'BTCUSDT') })),
  );
}
