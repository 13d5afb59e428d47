// A sweep's grid axis as the trader writes it, for `perpguard sweep --leverage/--allocation` and the
// dashboard's sweep route (../server/advisor/sweep-request.ts) alike, so the same text gives the same grid.
// Outside the core: its values are floats rounded with toFixed (leverages and shares of the wallet, not money;
// the cells turn a share into exact margin in ../sim/sweep-grid.ts), which the core's rules keep out of it.
import { InputError } from '../schema/input-error.ts';
import { CRASH_WINDOWS } from './market-data.ts';

export interface AxisBounds {
  readonly min: number;
  readonly max: number;
  /** Values are rounded to this many decimal places. */
  readonly decimals: number;
  /** Values of a range "A..B" written without a count. */
  readonly defaultCount: number;
}

export const LEVERAGE_AXIS: AxisBounds = { min: 1, max: 200, decimals: 0, defaultCount: 6 };
export const ALLOCATION_AXIS: AxisBounds = { min: 0.0001, max: 1, decimals: 4, defaultCount: 4 };

/**
 * A grid axis: a list ("2,5,10"), a range "A..B" (`defaultCount` values evenly spaced, ends included) or
 * "A..B:N" (N values). Values are rounded to `decimals` places and kept unique, in rising order. A bad text is
 * an InputError naming `flag`.
 */
export function parseAxis(flag: string, text: string, options: AxisBounds): number[] {
  const fail = (why: string): never => {
    throw new InputError(flag, `${why}; write a list (2,5,10), a range (${options.min}..${options.max}) or a range with a count (2..50:6), got "${text}"`);
  };
  const number = (t: string): number => {
    const n = Number(t);
    if (t.trim() === '' || !Number.isFinite(n)) fail(`"${t}" is not a number`);
    if (n < options.min || n > options.max) fail(`${t} is outside ${options.min} to ${options.max}`);
    return n;
  };
  const round = (n: number) => Number(n.toFixed(options.decimals));
  let values: number[];
  const range = /^\s*([^,:]+?)\.\.([^,:]+?)(?::(\d+))?\s*$/.exec(text);
  if (text.includes('..')) {
    if (!range) return fail('malformed range');
    const from = number(range[1]!);
    const to = number(range[2]!);
    if (to < from) fail('a range goes from low to high');
    const count = range[3] === undefined ? options.defaultCount : Number(range[3]);
    if (!(count >= 1 && count <= 100)) fail('the count after ":" must be 1 to 100');
    values = count === 1 ? [from] : Array.from({ length: count }, (_, i) => round(from + ((to - from) * i) / (count - 1)));
  } else {
    values = text.split(',').map((t) => round(number(t)));
  }
  return [...new Set(values)].sort((a, b) => a - b);
}

/**
 * The bundled crash windows a sweep replays: `all`, `none`, or window ids separated by commas, in time order
 * whatever order they were given in ("the first crash window that liquidates"). `flag` names the field in
 * the refusal (--crashes, or the route's crashes).
 */
export function parseCrashWindows(flag: string, text: string): string[] {
  const ids: readonly string[] = CRASH_WINDOWS.map((w) => w.id);
  if (text === 'none') return [];
  if (text === 'all') return [...ids];
  const wanted = text.split(',').map((t) => t.trim());
  for (const id of wanted) if (!ids.includes(id)) throw new InputError(flag, `"${id}" is not a bundled crash window (${ids.join(', ')}, or all, or none)`);
  return ids.filter((id) => wanted.includes(id));
}
