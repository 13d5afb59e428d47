// Operation journals (../shared/vectors/README.md "Operation journal"): a setup and a list of operations,
// applied in order through apply(). This is `perpguard run`'s code path and the tests' harness.
import { z } from 'zod';
import { decimalProblem, neg, parseFixed, toScaled } from '../domain/fixed.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/rules.ts';
import { marketsSchema, resolveMarkets } from '../exchanges/snapshot.ts';
import { InputError } from '../schema/input-error.ts';
import { apply, type EngineEvent } from './apply.ts';
import { commandProblem, parseCommand } from './commands.ts';
import { calendarDate } from '../schema/dates.ts';
import { decimal, feeRate, nonNegativeDecimal } from '../schema/decimal.ts';
import { firstProblem, strictObject } from '../schema/fields.ts';
import { reject } from './codes.ts';
import { audit, EXTERNAL, INSURANCE, type AuditResult, type Transfer } from './ledger.ts';
import { ENGINE_VERSION, tablesOf, versionProblem, type TableIdentity } from './version.ts';
import { initialState, settleAssets, type EngineState } from './state.ts';

export const journalSchema = strictObject({
  id: z.string().optional(),
  source: z.string().optional(),
  setup: strictObject({
      exchange: z.enum(EXCHANGE_IDS as [ExchangeId, ...ExchangeId[]], { error: `must be one of ${EXCHANGE_IDS.join(', ')}` }),
      fees: strictObject({ taker: feeRate, maker: feeRate }).optional(),
      marginCallRatio: decimal.optional(),
      asOf: calendarDate.optional(),
      insuranceFund: nonNegativeDecimal.optional(),
      /** Markets beyond the venue's bundled ones, or facts replacing theirs: the snapshot's `markets` schema. */
      markets: marketsSchema.optional(),
      /** The engine that recorded the log (ENGINE_VERSION, version.ts); a replay on another one is reported. */
      engine: z.string().min(1).optional(),
      /** The market tables the log was recorded with (`perpguard run --json` prints them as `tables`). */
      tables: z
        .array(
          strictObject({
            venue: z.enum(EXCHANGE_IDS as [ExchangeId, ...ExchangeId[]], { error: `must be one of ${EXCHANGE_IDS.join(', ')}` }),
            symbol: z.string().min(1),
            effectiveFrom: z.string().nullable(),
            source: z.string().nullable(),
            hash: z.string().regex(/^[0-9a-f]{16}$/, 'must be 16 hex digits, as `perpguard run --json` prints it'),
          }),
        )
        .optional(),
  }).default({ exchange: 'binance-usdm' }),
  ops: z.array(z.record(z.string(), z.unknown()), { error: 'must be a list of operations' }),
  expect: z.array(z.unknown()).optional(),
});

export type JournalInput = z.infer<typeof journalSchema>;

export interface JournalRun {
  readonly state: EngineState;
  readonly events: EngineEvent[];
  readonly transfers: Transfer[];
  readonly audit: AuditResult;
  /** The running engine and the tables of every market the journal names: what a log records to replay. */
  readonly engine: string;
  readonly tables: TableIdentity[];
  /** When replayed anyway (replayAnyVersion), what differs from the recorded versions. */
  readonly versionMismatch?: { readonly field: string; readonly reason: string };
}

/**
 * Validates a journal. With `refuseMalformedOps` (the CLI), an operation the command schema refuses is bad
 * input naming `ops[i].field`, before anything runs; without it (the engine's tests and the fuzzer) it
 * stays in the journal and runJournal records it as a -1102 rejection, as the exchange would.
 */
export function parseJournal(json: unknown, options: { refuseMalformedOps?: boolean } = {}): JournalInput {
  const parsed = journalSchema.safeParse(json);
  if (!parsed.success) {
    const { field, reason } = firstProblem(parsed.error);
    throw new InputError(field, reason);
  }
  if (options.refuseMalformedOps) {
    parsed.data.ops.forEach((op, i) => {
      const { command, atProblem } = splitAt(op);
      if (atProblem) throw new InputError(`ops[${i}].at`, atProblem);
      const problem = commandProblem(command);
      if (problem) throw new InputError(`ops[${i}].${problem.field}`, problem.reason);
    });
  }
  return parsed.data;
}

/** How the engine runs a journal, beyond what the journal says (the CLI sets it from PERPGUARD_ASSERT=1). */
export interface JournalEngineOptions {
  /** Run the engine's invariants after every command; a violation throws (EngineConfig.assertInvariants). */
  readonly assertInvariants?: boolean;
}

/** The engine state a journal's setup describes. */
export function stateOfSetup(setup: JournalInput['setup'], engine: JournalEngineOptions = {}): { state: EngineState; transfers: Transfer[] } {
  const state = initialState({
    exchange: setup.exchange,
    assertInvariants: engine.assertInvariants ?? false,
    ...(setup.fees ? { fees: { taker: parseFixed(setup.fees.taker), maker: parseFixed(setup.fees.maker) } } : {}),
    ...(setup.marginCallRatio ? { marginCallRatio: parseFixed(setup.marginCallRatio) } : {}),
    brackets: setup.asOf ? { day: setup.asOf } : 'newest',
    // keyed by symbol (a journal's operations name symbols); tables in force on asOf, newest without
    ...(setup.markets ? { markets: resolveMarkets(setup.exchange, setup.markets, setup.asOf, 'setup.markets') } : {}),
  });
  const transfers: Transfer[] = [];
  // an insurance fund of 0 is valid: it is simply not seeded (a transfer of 0 is not a transfer)
  if (setup.insuranceFund && toScaled(parseFixed<'Money'>(setup.insuranceFund)) !== 0n) {
    const asset = settleAssets(state)[0]!;
    const amount = parseFixed<'Money'>(setup.insuranceFund);
    state.balances[asset] = { [EXTERNAL]: neg(amount), [INSURANCE]: amount };
    // the seed is the log's first transfer: it takes id 0 from the state's counter
    transfers.push({ seq: state.nextTransferId, from: EXTERNAL, to: INSURANCE, asset, amount, reason: 'insuranceSeed', op: -1, time: state.time });
    state.nextTransferId += 1;
  }
  return { state, transfers };
}

/**
 * An operation's command time, `at` (epoch ms), is not a command field: a log of a running server gives
 * each command the time it was applied, and a replay applies it at that time. Without `at` an operation
 * runs at the state's time (vendored journals carry no clock: their ops all run at time 0; funding ops
 * name their own funding time).
 */
function splitAt(op: Record<string, unknown>): { command: Record<string, unknown>; at: number | undefined; atProblem?: string } {
  if (!('at' in op)) return { command: op, at: undefined };
  const { at, ...command } = op;
  if (typeof at !== 'number' || !Number.isSafeInteger(at) || at < 0) return { command, at: undefined, atProblem: 'must be the time in whole ms since 1970' };
  return { command, at };
}

/**
 * Applies every operation at its `at` time or the state's (splitAt). Transfer ids come from the state's
 * counter, so they number the whole run; every event and transfer carries its operation's time.
 */
export function runJournal(input: JournalInput, onStep?: (i: number, state: EngineState) => void, options: JournalEngineOptions & { readonly replayAnyVersion?: boolean } = {}): JournalRun {
  let { state, transfers } = stateOfSetup(input.setup, options);
  // A log recorded by another engine or with other tables would replay to other numbers: refused, naming
  // the field and both versions, unless the caller asks to replay it anyway (then reported in the run).
  const versionMismatch = versionProblem(input.setup, state);
  if (versionMismatch && !options.replayAnyVersion) throw new InputError(versionMismatch.field, `${versionMismatch.reason} (replay it anyway with --replay-any-version)`);
  const tables = tablesOf(state, [...input.ops.flatMap((op) => (typeof op['symbol'] === 'string' ? [op['symbol']] : [])), ...Object.keys(state.config.markets)]);
  const events: EngineEvent[] = [];
  input.ops.forEach((raw, i) => {
    const { command, at, atProblem } = splitAt(raw);
    const parsed = atProblem ? { rejection: reject('MALFORMED', 'at', atProblem) } : parseCommand(command);
    if ('rejection' in parsed) {
      const r = parsed.rejection;
      events.push({ type: 'rejected', op: i, time: at ?? state.time, code: r.code, message: r.message, field: r.field, command: String(raw['op'] ?? '?') });
      return;
    }
    const result = apply(state, parsed.command, at ?? state.time, i);
    state = result.state;
    events.push(...result.events);
    transfers.push(...result.transfers);
    onStep?.(i, state);
  });
  return { state, events, transfers, audit: audit(state.balances, transfers), engine: ENGINE_VERSION, tables, ...(versionMismatch ? { versionMismatch } : {}) };
}
