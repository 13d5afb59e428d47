// The one decimal of perpguard's input: a decimal string (never a JSON number: it would not stay exact) as
// a zod schema for every parser's JSON (snapshots, journals, commands, specs, the CLI's JSON files), and
// as text for command-line flags and answers. The rule itself (digits, at most 18 decimals, magnitude) is
// decimalProblem in domain/fixed.ts, so the two spellings cannot drift apart. Pure: no I/O.
import { z } from 'zod';
import { decimalProblem, parseFixed, type Fixed } from '../domain/fixed.ts';
import { InputError } from './input-error.ts';

/**
 * A decimal string (never a JSON number: it would not stay exact), at most 18 decimals, magnitude at
 * most 1e15 unless `maxMagnitude` says otherwise (bracket caps).
 */
export function decimalSchema(maxMagnitude?: string) {
  return z
    .string({ error: (issue) => decimalProblem(issue.input, maxMagnitude) ?? 'must be a decimal string' })
    .check((ctx) => {
      const problem = decimalProblem(ctx.value, maxMagnitude);
      if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
    });
}

/** The decimal of every amount, price, rate and size in perpguard's input. */
export const decimal = decimalSchema();

/** A decimal that must not be negative (wallets, margins, notionals). */
export const nonNegativeDecimal = decimal.refine((t) => !t.trim().startsWith('-') || /^-0*(\.0*)?(e[+-]?\d+)?$/i.test(t.trim()), { error: (issue) => `must not be negative, got "${String(issue.input)}"` });

/** A fee rate: negative for a maker rebate, at most 10 % either way (Binance's base taker rate is 0.05 %). */
export const feeRate = decimalSchema('0.1');

/** A decimal above zero (sizes, prices, a spec's wallet and notional). */
export const positiveDecimal = decimal.refine((t) => /[1-9]/.test(t.replace(/[eE].*$/, '')) && !t.trim().startsWith('-'), { error: (issue) => `must be above zero, got "${String(issue.input)}"` });

/**
 * A decimal typed as text (a flag, an answer) with its "1,000" and "1_000" grouping removed, or an
 * InputError naming `field`. The same rule as the JSON schema above (decimalProblem), so a value that a
 * flag accepts a snapshot accepts too.
 */
export function checkedDecimalText(field: string, text: string): string {
  const t = text.trim().replace(/[,_]/g, '');
  const problem = decimalProblem(t);
  if (problem) throw new InputError(field, problem);
  return t;
}

/** checkedDecimalText as an exact value. */
export function decimalText<U extends string>(field: string, text: string): Fixed<U> {
  return parseFixed<U>(checkedDecimalText(field, text));
}
