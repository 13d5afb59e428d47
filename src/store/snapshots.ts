// Snapshots: an account's engine state as of a sequence number, so a restart replays only the log after
// it. A snapshot is written by the engine version that made it and read only by the same one: another
// engine could have reached other numbers from the same commands (version.ts), so it replays from the
// start instead (the log, not the snapshot, is the truth).
import type { Kysely } from 'kysely';
import type { EngineConfig, EngineState } from '../engine/state.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { int64 } from './connection.ts';
import { decodeState, encodeState } from './state-codec.ts';
import type { StoreTables } from './tables.ts';

/** Snapshots kept per account: the newest, and the one before it in case the newest cannot be read. */
export const SNAPSHOTS_KEPT = 2;

/** Records the snapshot and drops the account's older ones beyond SNAPSHOTS_KEPT, in one transaction. */
export async function saveSnapshot(db: Kysely<StoreTables>, accountId: string, seq: number, state: EngineState, createdMs: number): Promise<void> {
  const text = encodeState(state);
  await db.transaction().execute(async (tx) => {
    await tx
      .insertInto('snapshots')
      .values({ account_id: accountId, seq, state: text, engine_version: ENGINE_VERSION, created_ms: createdMs })
      .onConflict((c) => c.columns(['account_id', 'seq']).doNothing())
      .execute();
    const kept = await tx.selectFrom('snapshots').select('seq').where('account_id', '=', accountId).orderBy('seq', 'desc').limit(SNAPSHOTS_KEPT).execute();
    if (kept.length === SNAPSHOTS_KEPT) await tx.deleteFrom('snapshots').where('account_id', '=', accountId).where('seq', '<', int64(kept[SNAPSHOTS_KEPT - 1]!.seq)).execute();
  });
}

/** The newest snapshot of the account this engine can use, decoded under `config`; undefined if none. */
export async function newestSnapshot(db: Kysely<StoreTables>, accountId: string, config: EngineConfig): Promise<{ seq: number; state: EngineState } | undefined> {
  const row = await db
    .selectFrom('snapshots')
    .select(['seq', 'state'])
    .where('account_id', '=', accountId)
    .where('engine_version', '=', ENGINE_VERSION)
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { seq: int64(row.seq), state: decodeState(row.state, config) } : undefined;
}
