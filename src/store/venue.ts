// The venue's engine set-up (a journal's `setup`: exchange, fees, dated tables, markets), recorded once in
// the meta table when the store is created. Every account's state starts from it, so a replay months later
// builds the same engine even if the server is started with other defaults; a different set-up asked of
// an existing store is refused rather than silently replaying the log under other rules.
import { journalSchema, stateOfSetup, type JournalInput } from '../engine/journal.ts';
import type { EngineState } from '../engine/state.ts';
import { firstProblem } from '../schema/fields.ts';
import { InputError } from '../schema/input-error.ts';
import type { Connection } from './connection.ts';

export type VenueSetup = JournalInput['setup'];

/** Binance USDⓈ-M with its base fees and the newest bracket tables: the paper venue the issue asks for. */
export const DEFAULT_SETUP: VenueSetup = { exchange: 'binance-usdm' };

const SETUP_KEY = 'setup';

export function parseSetup(json: unknown, field = 'setup'): VenueSetup {
  const parsed = journalSchema.shape.setup.safeParse(json);
  if (!parsed.success) {
    const problem = firstProblem(parsed.error);
    throw new InputError(problem.field ? `${field}.${problem.field}` : field, problem.reason);
  }
  return parsed.data;
}

/** The recorded set-up; records `wanted` (default DEFAULT_SETUP) first when the store has none. */
export async function venueSetup(connection: Connection, wanted: VenueSetup | undefined): Promise<VenueSetup> {
  // parsed first: the schema's key order, so the same set-up written another way compares equal
  const text = JSON.stringify(parseSetup(wanted ?? DEFAULT_SETUP));
  // insert-if-absent, then read: two processes opening a new store at once agree on the first one written
  await connection.db.insertInto('meta').values({ key: SETUP_KEY, value: text }).onConflict((c) => c.column('key').doNothing()).execute();
  const row = await connection.db.selectFrom('meta').select('value').where('key', '=', SETUP_KEY).executeTakeFirstOrThrow();
  if (wanted !== undefined && JSON.stringify(parseSetup(JSON.parse(row.value))) !== text) throw new InputError('setup', `the store was created with the set-up ${row.value}, not ${text}`);
  return parseSetup(JSON.parse(row.value));
}

/** A fresh engine state of one account under the venue's set-up (what a replay starts from). */
export function initialAccountState(setup: VenueSetup): EngineState {
  return stateOfSetup(setup).state;
}
