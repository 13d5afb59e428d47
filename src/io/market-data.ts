// Market data: the bundled candles, funding and mark-price files (data/README.md), Binance's 12-column
// kline dumps and ccxt fetchOHLCV JSON. Every bar is validated; a bad one is an error naming the file and
// line. Prices stay exact (decimal strings parsed to fixed point) and get a float64 copy for screening.
import { readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { decimalProblem, eq, gt, isZero, lt, parseFixed, type Rate } from '../domain/fixed.ts';
import type { CandleSeries, FundingSeries } from '../sim/data.ts';

export type { CandleSeries, FundingSeries } from '../sim/data.ts';
export { slice, splice } from '../sim/data.ts';
import { emptySeries } from '../sim/data.ts';
import { COPIES_DIR, keptCopy } from './kept-copy.ts';

export class DataError extends Error {
  override readonly name = 'DataError';
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    reason: string,
  ) {
    super(`${file}${line !== undefined ? `:${line}` : ''}: ${reason}`);
  }
}

export interface RawBar {
  readonly time: number;
  readonly open: string;
  readonly high: string;
  readonly low: string;
  readonly close: string;
  readonly volume: string | undefined;
  readonly line: number;
}

const packageRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The data/ folder bundled with the package. */
export const DATA_DIR = join(packageRoot, 'data');

function decimalField(file: string, line: number, name: string, value: unknown, maxMagnitude?: string): string {
  const text = typeof value === 'number' ? String(value) : value;
  const problem = decimalProblem(text, maxMagnitude);
  if (problem !== undefined) throw new DataError(file, line, `${name} ${problem}`);
  return text as string;
}

/** Volumes of small-priced coins in base units pass 1e15 (1,000 PEPE bars); they are only checked for zero. */
const MAX_VOLUME = '1e30';

/**
 * CSV rows with the line each starts on (blank lines counted), short rows kept so that the caller names
 * the missing column; a malformed file (an unclosed quote) is a DataError on its line, not csv-parse's.
 */
function csvRows<T>(file: string, text: string, columns: boolean): { row: T; line: number }[] {
  try {
    const records = parse(text, { columns, skip_empty_lines: true, trim: true, relax_column_count: true, info: true }) as unknown as { record: T; info: { lines: number } }[];
    return records.map((r) => ({ row: r.record, line: r.info.lines }));
  } catch (error) {
    const lines = (error as { lines?: number }).lines;
    throw new DataError(file, lines, `not a CSV file this loader reads: ${(error as Error).message.split('\n')[0]}`);
  }
}

/**
 * The bar duration from the timestamps, for a file whose name does not say it: the smallest step between
 * consecutive bars (a gap in the data is longer than a bar, never shorter).
 */
export function timeframeOfTimes(file: string, times: readonly number[]): number {
  let step = Infinity;
  for (let i = 1; i < times.length; i++) {
    const d = times[i]! - times[i - 1]!;
    if (d > 0 && d < step) step = d;
  }
  if (!Number.isFinite(step)) throw new DataError(file, undefined, 'cannot tell the timeframe from one bar: name the file -1m-/-1h-/-1d or give --timeframe');
  return step;
}

/** The timeframe from the file name when it says it (-1m-, -1h-, -1d), else from the timestamps. */
function timeframeFor(name: string, times: readonly number[]): number {
  return /-(\d+)([mhd])(?:-|\.|$)/.test(name) ? timeframeOfName(name) : timeframeOfTimes(name, times);
}

/** A timeframe option such as 1m, 15m, 1h, 4h, 1d, as milliseconds. */
export function parseTimeframe(text: string): number | undefined {
  const m = /^(\d+)([smhdw])$/.exec(text.trim());
  if (!m || Number(m[1]) === 0) return undefined;
  const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[m[2] as 's' | 'm' | 'h' | 'd' | 'w'];
  return Number(m[1]) * unit;
}

/**
 * Validates bars and builds a series: timestamps strictly increasing (unsorted or duplicated bars are
 * errors), low <= open, close <= high, prices positive. `timeframeMs` is the bar duration.
 */
export function seriesFromBars(symbol: string, file: string, bars: readonly RawBar[], timeframeMs: number): CandleSeries {
  const n = bars.length;
  if (n === 0) throw new DataError(file, undefined, 'has no bars');
  const series = emptySeries(symbol, file, n, timeframeMs);
  let previous = -Infinity;
  bars.forEach((bar, i) => {
    // 8.64e15 ms is the last instant a Date can hold (year 275760)
    if (!Number.isSafeInteger(bar.time) || bar.time < 0 || bar.time > 8.64e15) throw new DataError(file, bar.line, `timestamp ${bar.time} is not epoch milliseconds`);
    if (bar.time === previous) throw new DataError(file, bar.line, `duplicate bar at ${new Date(bar.time).toISOString()}`);
    if (bar.time < previous) throw new DataError(file, bar.line, `bars are not sorted: ${new Date(bar.time).toISOString()} comes after ${new Date(previous).toISOString()}`);
    previous = bar.time;
    const o = parseFixed<'Price'>(bar.open);
    const h = parseFixed<'Price'>(bar.high);
    const l = parseFixed<'Price'>(bar.low);
    const c = parseFixed<'Price'>(bar.close);
    if (!gt(l, parseFixed('0'))) throw new DataError(file, bar.line, `low ${bar.low} must be above zero`);
    if (lt(h, l)) throw new DataError(file, bar.line, `impossible bar: high ${bar.high} is below low ${bar.low}`);
    if (lt(o, l) || gt(o, h)) throw new DataError(file, bar.line, `impossible bar: open ${bar.open} is outside [low ${bar.low}, high ${bar.high}]`);
    if (lt(c, l) || gt(c, h)) throw new DataError(file, bar.line, `impossible bar: close ${bar.close} is outside [low ${bar.low}, high ${bar.high}]`);
    series.time[i] = bar.time;
    series.open[i] = o;
    series.high[i] = h;
    series.low[i] = l;
    series.close[i] = c;
    series.openF[i] = Number(bar.open);
    series.highF[i] = Number(bar.high);
    series.lowF[i] = Number(bar.low);
    series.closeF[i] = Number(bar.close);
    const flat = eq(o, h) && eq(h, l) && eq(l, c);
    const zeroVolume = bar.volume !== undefined && isZero(parseFixed(bar.volume));
    series.noTrading[i] = flat && zeroVolume ? 1 : 0;
  });
  return series;
}

/** The timeframe of a bundled file from its name (`…-1m-…`, `…-1h-…`, `…-1d…`, `…-8h…`). */
export function timeframeOfName(name: string): number {
  const m = /-(\d+)([mhd])(?:-|\.|$)/.exec(name);
  if (!m) throw new DataError(name, undefined, 'cannot tell the timeframe from the file name (expected -1m-, -1h- or -1d)');
  const unit = m[2] === 'm' ? 60_000 : m[2] === 'h' ? 3_600_000 : 86_400_000;
  return Number(m[1]) * unit;
}

/** A candle CSV with a header `timestamp_ms,open,high,low,close[,volume]` (the bundled form). */
export function parseCandleCsv(symbol: string, file: string, text: string, timeframeMs?: number): CandleSeries {
  const bars = csvRows<Record<string, string | undefined>>(file, text, true).map(({ row, line }) => {
    for (const column of ['timestamp_ms', 'open', 'high', 'low', 'close']) {
      if (row[column] === undefined || row[column] === '') throw new DataError(file, line, `missing column ${column} (expected timestamp_ms,open,high,low,close[,volume])`);
    }
    return {
      time: Number(row['timestamp_ms']),
      open: decimalField(file, line, 'open', row['open']),
      high: decimalField(file, line, 'high', row['high']),
      low: decimalField(file, line, 'low', row['low']),
      close: decimalField(file, line, 'close', row['close']),
      volume: row['volume'] === undefined || row['volume'] === '' ? undefined : decimalField(file, line, 'volume', row['volume'], MAX_VOLUME),
      line,
    };
  });
  return seriesFromBars(symbol, file, bars, timeframeMs ?? timeframeFor(file, bars.map((b) => b.time)));
}

/**
 * Binance's public kline dump (data.binance.vision): 12 columns open_time, open, high, low, close, volume,
 * close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume, ignore; with or without a
 * header row. The timeframe is close_time + 1 - open_time.
 */
export function parseBinanceKlineCsv(symbol: string, file: string, text: string): CandleSeries {
  const rows = csvRows<string[]>(file, text, false);
  const start = rows[0] && !/^\d+$/.test(rows[0].row[0] ?? '') ? 1 : 0;
  let timeframeMs: number | undefined;
  const bars: RawBar[] = rows.slice(start).map(({ row, line }) => {
    if (row.length !== 12) throw new DataError(file, line, `expected the 12 columns of a Binance kline dump, got ${row.length}`);
    const open = Number(row[0]);
    const closeTime = Number(row[6]);
    timeframeMs ??= closeTime + 1 - open;
    return {
      time: open,
      open: decimalField(file, line, 'open', row[1]),
      high: decimalField(file, line, 'high', row[2]),
      low: decimalField(file, line, 'low', row[3]),
      close: decimalField(file, line, 'close', row[4]),
      volume: decimalField(file, line, 'volume', row[5], MAX_VOLUME),
      line,
    };
  });
  if (timeframeMs === undefined || !(timeframeMs > 0)) throw new DataError(file, undefined, 'cannot tell the timeframe (close_time - open_time)');
  return seriesFromBars(symbol, file, bars, timeframeMs);
}

/**
 * ccxt fetchOHLCV output: [[timestamp, open, high, low, close, volume], ...] as JSON. A JSON file has no
 * lines to speak of, so errors name the bar's index: `file.json: [3]: ...` (reported as line index + 1
 * would mislead when the file is pretty-printed).
 */
export function parseCcxtOhlcv(symbol: string, file: string, json: unknown, timeframeMs?: number): CandleSeries {
  if (!Array.isArray(json)) throw new DataError(file, undefined, 'expected ccxt fetchOHLCV output: an array of [timestamp, open, high, low, close, volume]');
  const bars = json.map((row: unknown, i): RawBar => {
    const at = `[${i}]`;
    const where = (reason: string) => new DataError(file, undefined, `${at}: ${reason}`);
    if (!Array.isArray(row) || row.length < 5 || row.length > 6) throw where(`each bar must be [timestamp, open, high, low, close, volume], got ${JSON.stringify(row)?.slice(0, 60)}`);
    if (typeof row[0] !== 'number' || !Number.isSafeInteger(row[0])) throw where(`timestamp ${JSON.stringify(row[0])} is not epoch milliseconds`);
    const field = (name: string, value: unknown, max?: string) => {
      const text = typeof value === 'number' ? String(value) : value;
      const problem = decimalProblem(text, max);
      if (problem !== undefined) throw where(`${name} ${problem}`);
      return text as string;
    };
    return {
      time: row[0],
      open: field('open', row[1]),
      high: field('high', row[2]),
      low: field('low', row[3]),
      close: field('close', row[4]),
      volume: row[5] === undefined || row[5] === null ? undefined : field('volume', row[5], MAX_VOLUME),
      line: i,
    };
  });
  try {
    return seriesFromBars(symbol, file, bars, timeframeMs ?? timeframeFor(file, bars.map((b) => b.time)));
  } catch (error) {
    // seriesFromBars names a line; in JSON that is the bar's index
    if (error instanceof DataError && error.line !== undefined) throw new DataError(file, undefined, `[${error.line}]: ${error.message.slice(error.message.indexOf(': ') + 2)}`);
    throw error;
  }
}

/** A funding CSV `timestamp_ms,funding_rate`. */
export function parseFundingCsv(symbol: string, file: string, text: string): FundingSeries {
  const time: number[] = [];
  const rates: Rate[] = [];
  const rows = csvRows<Record<string, string | undefined>>(file, text, true);
  if (rows.length === 0) throw new DataError(file, undefined, 'has no funding rows (expected timestamp_ms,funding_rate)');
  rows.forEach(({ row, line }) => {
    if (row['timestamp_ms'] === undefined || row['funding_rate'] === undefined) throw new DataError(file, line, 'expected the columns timestamp_ms,funding_rate');
    const t = Number(row['timestamp_ms']);
    if (!Number.isSafeInteger(t)) throw new DataError(file, line, 'timestamp_ms must be epoch milliseconds');
    if (time.length > 0 && t <= time[time.length - 1]!) throw new DataError(file, line, 'funding times must increase');
    time.push(t);
    // a rate is a fraction per interval; venues cap it far below 1 (Binance: +-3 % for BTC)
    rates.push(parseFixed(decimalField(file, line, 'funding_rate', row['funding_rate'], '1')));
  });
  return { symbol, source: file, time, rate: rates };
}

// ------------------------------------------------------------------------------------------- files

const cache = new Map<string, CandleSeries | FundingSeries>();

/** Loads a candle file: the bundled CSV form, a Binance 12-column dump, or ccxt JSON (by content). */
export function loadCandles(path: string, symbol?: string, timeframeMs?: number): CandleSeries {
  const key = `${path}|${symbol ?? ''}|${timeframeMs ?? ''}`;
  const hit = cache.get(key);
  if (hit) return hit as CandleSeries;
  const name = basename(path);
  const series = isBundled(path) ? keptCopy(copyOf(name, `${symbol ?? ''}.${timeframeMs ?? ''}`), [path], () => readCandles(path, name, symbol, timeframeMs)) : readCandles(path, name, symbol, timeframeMs);
  cache.set(key, series);
  return series;
}

function readCandles(path: string, name: string, symbol: string | undefined, timeframeMs: number | undefined): CandleSeries {
  const sym = symbol ?? /(BTC|ETH|SOL|XRP)USDT/.exec(name)?.[0] ?? name;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataError(path, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  const start = text.trimStart();
  if (start.startsWith('[') || start.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new DataError(name, undefined, `is not valid JSON (${(error as Error).message})`);
    }
    return parseCcxtOhlcv(sym, name, json, timeframeMs);
  }
  return /^timestamp_ms,/.test(text) ? parseCandleCsv(sym, name, text, timeframeMs) : parseBinanceKlineCsv(sym, name, text);
}

export function loadFunding(path: string, symbol: string): FundingSeries {
  const key = `funding|${path}|${symbol}`;
  const hit = cache.get(key);
  if (hit) return hit as FundingSeries;
  const series = isBundled(path) ? keptCopy(copyOf(basename(path), symbol), [path], () => readFunding(path, symbol)) : readFunding(path, symbol);
  cache.set(key, series);
  return series;
}

function readFunding(path: string, symbol: string): FundingSeries {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new DataError(path, undefined, `cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  return parseFundingCsv(symbol, basename(path), text);
}

// The bundled files are parsed once per checkout, not once per process: their parsed series are kept in
// dist/ (./kept-copy.ts). A user's own file is read each time (it may change under the same name).
const isBundled = (path: string): boolean => dirname(resolve(path)) === DATA_DIR;
const copyOf = (name: string, variant: string): string => join(COPIES_DIR, 'data', `${name}.${variant}.v8`);

/** The bundled crash windows: Binance BTCUSDT perpetual, 1 minute. */
export const CRASH_WINDOWS = [
  { id: '2020-03-12', title: 'Black Thursday 2020', file: 'binance-futures-BTCUSDT-1m-crash-2020-03-12.csv' },
  { id: '2021-05-19', title: 'May 2021 crash', file: 'binance-futures-BTCUSDT-1m-crash-2021-05-19.csv' },
  { id: '2022-05-12', title: 'LUNA collapse', file: 'binance-futures-BTCUSDT-1m-crash-2022-05-12.csv' },
  { id: '2022-11-08', title: 'FTX collapse', file: 'binance-futures-BTCUSDT-1m-crash-2022-11-08.csv' },
  { id: '2024-08-05', title: '5 August 2024', file: 'binance-futures-BTCUSDT-1m-crash-2024-08-05.csv' },
] as const;

export const bundled = (file: string): string => join(DATA_DIR, file);
