// The admin API's request bodies: strict JSON objects (an unknown field is an error naming it), each
// refusal one line naming the field and the reason, as the CLI's bad input is.
import { z } from 'zod';
import { positiveDecimal } from '../../schema/decimal.ts';
import { firstProblem, strictObject } from '../../schema/fields.ts';
import { InputError } from '../../schema/input-error.ts';
import { MAX_SPEED, MIN_SPEED } from '../feed/replay-feed.ts';

/** At most this many ticks per step call: a step is applied in one go, and 100,000 ticks is ~3 years of the bundled hourly history. */
export const MAX_STEP_TICKS = 100_000;
/** At most this many marks per push. */
export const MAX_PUSHED_MARKS = 100;

const speed = z.number({ error: 'must be a number' }).min(MIN_SPEED, `must be at least ${MIN_SPEED} (real time)`).max(MAX_SPEED, `must be at most ${MAX_SPEED}`);
const symbol = z.string({ error: 'must be a symbol such as "BTCUSDT"' }).regex(/^[A-Z0-9_]{1,32}$/, 'must be a symbol such as "BTCUSDT"');

export const emptySchema = strictObject({}, 'must be a JSON object (or no body)');
export const resumeSchema = strictObject({ speed: speed.optional() }, 'must be a JSON object such as {"speed": 60}');
export const speedSchema = strictObject({ speed }, 'must be a JSON object such as {"speed": 60}');
export const stepSchema = strictObject(
  { ticks: z.number({ error: 'must be a whole number' }).int('must be a whole number').min(1, 'must be at least 1').max(MAX_STEP_TICKS, `must be at most ${MAX_STEP_TICKS}`) },
  'must be a JSON object such as {"ticks": 10}',
);
export const marksSchema = strictObject(
  {
    marks: z
      .array(strictObject({ symbol, price: positiveDecimal }, 'must be an object such as {"symbol": "BTCUSDT", "price": "50000"}'), { error: 'must be a list of {"symbol", "price"}' })
      .min(1, 'must list at least one mark')
      .max(MAX_PUSHED_MARKS, `must list at most ${MAX_PUSHED_MARKS} marks`),
  },
  'must be a JSON object such as {"marks": [{"symbol": "BTCUSDT", "price": "50000"}]}',
);
export const accountSchema = strictObject(
  { deposit: positiveDecimal, asset: z.string({ error: 'must be an asset such as "USDT"' }).regex(/^[A-Z0-9]{2,12}$/, 'must be an asset such as "USDT"').optional() },
  'must be a JSON object such as {"deposit": "10000"}',
);

/** The body text (undefined or empty: no body) parsed by `schema`, or InputError naming the field. */
export function parseBody<T>(schema: z.ZodType<T>, text: string | undefined): T {
  let json: unknown = {};
  if (text !== undefined && text.trim() !== '') {
    try {
      json = JSON.parse(text);
    } catch {
      throw new InputError('body', 'is not valid JSON');
    }
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const problem = firstProblem(parsed.error);
    throw new InputError(problem.field || 'body', problem.reason);
  }
  return parsed.data;
}
