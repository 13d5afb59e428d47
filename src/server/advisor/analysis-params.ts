// The parameters the dashboard's analysis routes share (study, Monte Carlo, mode and leverage advice), read in
// Binance's style (../binance/params.ts: every refusal names its field, and a parameter no route reads is
// -1104): bounded whole numbers, probabilities, the margin modes, and the portfolio to run ("account": the
// signed-in account's positions, or a bundled example by name). Also the caps that keep one request to seconds
// on the analysis thread.
import { formatFixed } from '../../domain/fixed.ts';
import { exampleSpecs } from '../../io/example-specs.ts';
import { MODES, type ModeName, type Spec } from '../../sim/spec.ts';
import { binanceError } from '../binance/errors.ts';
import type { Reader } from '../binance/params.ts';

/**
 * At most this many simulated path-hours per request (paths x hours): about 7 s of the analysis thread on this
 * 2-core machine (50 paths x 168 h x 3 modes take 0.6 s). The CLI has no cap; this is the shared venue's.
 */
export const MAX_PATH_HOURS = 100_000;
export const MAX_PATHS = 2_000;
export const MAX_HOURS = 24 * 30;

export function whole(r: Reader, name: string, min: number, max: number, fallback: number): number {
  const n = r.integer(name) ?? fallback;
  if (n < min || n > max) r.refuse(binanceError('INVALID_PARAMETER', [name], `${name}: must be a whole number from ${min} to ${max}, got ${n}`));
  return n;
}

/** A probability or fraction from `low` to `high` as a decimal string ("0.2"), as a float for the statistics. */
export function probability(r: Reader, name: string, fallback: number, low = 0, high = 1): number {
  const value = r.decimal<'Rate'>(name);
  const p = value === undefined ? fallback : Number(formatFixed(value));
  if (!(p >= low && p <= high)) r.refuse(binanceError('INVALID_PARAMETER', [name], `${name}: must be from ${low} to ${high}, got ${p}`));
  return p;
}

/** The margin modes to run ("isolated,cross,mixed", the default all three). */
export function modes(r: Reader): ModeName[] {
  const text = r.string('modes');
  if (text === undefined) return [...MODES];
  const list = text.split(',').map((m) => m.trim());
  for (const m of list) if (!(MODES as readonly string[]).includes(m)) r.refuse(binanceError('INVALID_PARAMETER', ['modes'], `modes: "${m}" is not one of ${MODES.join(', ')}`));
  return [...new Set(list)] as ModeName[];
}

/** The cap on one request's simulation: paths x hours. */
export function capPathHours(r: Reader, paths: number, hours: number): void {
  if (paths * hours > MAX_PATH_HOURS) {
    r.refuse(binanceError('INVALID_PARAMETER', ['paths'], `paths: ${paths} paths x ${hours} h is over the dashboard's ${MAX_PATH_HOURS.toLocaleString('en-US')} path-hours; run perpguard montecarlo for more`));
  }
}

/** `spec`: "account" (the account's own positions, built by `ofAccount`) or the name of a bundled example. */
export function specParam(r: Reader, ofAccount: () => Spec | { problem: string }): Spec {
  const examples = exampleSpecs();
  const name = r.string('spec') ?? 'account';
  if (name === 'account') {
    const spec = ofAccount();
    return 'problem' in spec ? r.refuse(binanceError('INVALID_PARAMETER', ['spec'], `spec: ${spec.problem}`)) : spec;
  }
  const example = examples.get(name);
  if (!example) r.refuse(binanceError('INVALID_PARAMETER', ['spec'], `spec: must be account or an example (${[...examples.keys()].join(', ')}), got "${name}"`));
  return example;
}
