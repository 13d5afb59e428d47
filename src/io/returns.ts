// The Monte Carlo returns model from the bundled data: BTC, ETH and SOL hourly spot bars 2024-01-21 to
// 2026-01-20 (17,521 aligned hours, no gaps), and the five BTC perpetual crash windows for crash injection.
//
// Building it parses ~53,000 CSV rows into exact prices, about 1.2 s: a fifth of the 10,000-path target
// run. So the built model is also kept in dist/ (git-ignored, next to the worker bundle) as V8's
// serialization of its typed arrays, bit for bit, and read back in milliseconds while it is newer than
// every source file and data file it comes from; otherwise it is built again (and the copy rewritten,
// when dist/ is writable).
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { deserialize, serialize } from 'node:v8';
import { returnsModel, type ReturnsModel } from '../sim/generators.ts';
import { CRASH_WINDOWS, bundled, loadCandles } from './market-data.ts';
import { newestSourceMs, ROOT } from './montecarlo-bundle.ts';

const HOUR = 3_600_000;
export const MC_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const;
/** Binance USD-M tick sizes of those symbols (../exchanges/markets.ts). */
export const MC_TICKS = ['0.1', '0.01', '0.01'] as const;

const HOURLY_FILES = MC_SYMBOLS.map((s) => bundled(`binance-spot-${s}-1h-2024-2026.csv`));
const CRASH_FILES = CRASH_WINDOWS.map((w) => bundled(w.file));
export const MODEL_COPY = join(ROOT, 'dist/returns-model.v8');

let cached: ReturnsModel | undefined;

/** The model, built once per process (or read from its copy in dist/). */
export function bundledReturnsModel(): ReturnsModel {
  cached ??= readCopy() ?? writeCopy(buildBundledReturnsModel());
  return cached;
}

/** The model built from the CSV files. */
export function buildBundledReturnsModel(): ReturnsModel {
  return returnsModel(
    MC_SYMBOLS.map((s, a) => loadCandles(HOURLY_FILES[a]!, s, HOUR)),
    CRASH_WINDOWS.map((w, c) => ({ id: w.id, series: loadCandles(CRASH_FILES[c]!, 'BTCUSDT') })),
  );
}

function newestInputMs(): number {
  return Math.max(newestSourceMs(), ...[...HOURLY_FILES, ...CRASH_FILES].map((f) => statSync(f).mtimeMs));
}

function readCopy(): ReturnsModel | undefined {
  try {
    if (statSync(MODEL_COPY).mtimeMs < newestInputMs()) return undefined;
    return deserialize(readFileSync(MODEL_COPY)) as ReturnsModel;
  } catch {
    return undefined; // no copy, or one this Node cannot read: build the model
  }
}

function writeCopy(model: ReturnsModel): ReturnsModel {
  try {
    mkdirSync(dirname(MODEL_COPY), { recursive: true });
    const temporary = `${MODEL_COPY}.${process.pid}.tmp`;
    writeFileSync(temporary, serialize(model));
    renameSync(temporary, MODEL_COPY);
  } catch {
    // a read-only install: the model is built on each run
  }
  return model;
}
