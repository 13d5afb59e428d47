// Option parsing and data loading shared by `advise leverage`, `advise mode` and `advise chasing`: flags
// into exact values or an InputError naming the flag (main.ts prints it and exits with 2).
import { readFileSync } from 'node:fs';
import { isPositive, type Fixed } from '../domain/fixed.ts';
import { baseOf } from '../exchanges/markets.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/rules.ts';
import { decimalText } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { bundled, loadCandles, parseTimeframe, type CandleSeries } from '../io/market-data.ts';

const HOUR = 3_600_000;

export function positiveOption<U extends string>(flag: string, text: string): Fixed<U> {
  const value = decimalText<U>(flag, text);
  if (!isPositive(value)) throw new InputError(flag, `must be above zero, got "${text}"`);
  return value;
}

export function wholeOption(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(flag, `must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

export function probabilityOption(flag: string, text: string, low = 0, high = 1): number {
  const n = Number(text);
  if (text.trim() === '' || !(n >= low && n <= high)) throw new InputError(flag, `must be a number from ${low} to ${high}, got "${text}"`);
  return n;
}

export function choiceOption<T extends string>(flag: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) throw new InputError(flag, `must be one of ${choices.join(', ')}, got "${text}"`);
  return text as T;
}

export function exchangeOption(text: string): ExchangeId {
  return choiceOption('--exchange', text, EXCHANGE_IDS);
}

export function leverageList(flag: string, text: string): number[] {
  const list = text.split(',').map((t) => wholeOption(flag, t.trim(), 1, 1000));
  return [...new Set(list)].sort((a, b) => a - b);
}

/**
 * The bundled hourly spot files of a symbol (2019-2021 and 2024-2026), or none. Any venue's symbol maps by
 * its base asset (BTC-USDT-SWAP, BTCUSD_PERP, BTC: the BTCUSDT files), as in the simulator.
 */
export function bundledHourly(symbol: string): string[] {
  const base = baseOf(symbol);
  return ['BTC', 'ETH', 'SOL'].includes(base)
    ? [`binance-spot-${base}USDT-1h-2019-2021.csv`, `binance-spot-${base}USDT-1h-2024-2026.csv`]
    : [];
}

/**
 * Candle files for a symbol: `--data` entries (FILE, SYMBOL=FILE, bundled:NAME), else the bundled hourly
 * history. Plain files get the timeframe from their name (-1h-, -1d) or their content.
 */
export function loadHistory(symbol: string, data: readonly string[] | undefined, timeframeMs?: number): CandleSeries[] {
  const entries = data && data.length > 0 ? data : bundledHourly(symbol).map((f) => `bundled:${f}`);
  if (entries.length === 0) throw new InputError('--data', `no bundled history for ${symbol}: give candle files with --data`);
  return entries.map((entry) => {
    const eq = entry.indexOf('=');
    const file = eq > 0 && !entry.startsWith('bundled:') ? entry.slice(eq + 1) : entry;
    const named = eq > 0 && !entry.startsWith('bundled:') ? entry.slice(0, eq) : symbol;
    const path = file.startsWith('bundled:') ? bundled(file.slice(8)) : file;
    return loadCandles(path, named, timeframeMs ?? (/-1h-/.test(file) ? HOUR : undefined));
  });
}

/** The last close of the latest series, with where it comes from. */
export function lastClose(series: readonly CandleSeries[]): { price: CandleSeries['close'][number]; source: string; time: number } {
  const latest = [...series].sort((a, b) => a.time[a.time.length - 1]! - b.time[b.time.length - 1]!).pop()!;
  const i = latest.time.length - 1;
  return { price: latest.close[i]!, source: latest.source, time: latest.time[i]! };
}

/** --timeframe (1m, 1h, 4h, 1d, ...) as milliseconds, or undefined when not given. */
export function timeframeOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const ms = parseTimeframe(text);
  if (ms === undefined) throw new InputError('--timeframe', `must be a bar length such as 1m, 15m, 1h, 4h or 1d, got "${text}"`);
  return ms;
}

export function readJsonFile(flag: string, file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(flag, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(flag, `${file} is not valid JSON (${(error as Error).message})`);
  }
}
