// Option parsing and data loading shared by `advise leverage`, `advise mode` and `advise chasing`: flags
// into exact values or an InputError naming the flag (main.ts prints it and exits with 2).
import { readFileSync } from 'node:fs';
import { isPositive, type Fixed } from '../domain/fixed.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/rules.ts';
import { decimalText } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { parseTimeframe } from '../io/market-data.ts';
// the history loaders moved to ../io/history.ts (the server's advisor routes read the same history)
export { bundledHourly, lastClose, loadHistory } from '../io/history.ts';


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
