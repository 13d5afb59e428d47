// Which engines wrote the log. A command's outcome is the engine's (version.ts: a rule or a rounding may
// change between revisions), and the log keeps commands, not outcomes: a log written by one engine and
// replayed by another can reach other numbers. So the store records, in the meta table, every engine
// that opened it and the first sequence number it could have written; the server compares it with the
// running engine and says so (a replay's `refused` list is the other half of that check).
import { sql } from 'kysely';
import { ENGINE_VERSION } from '../engine/version.ts';
import { int64, type Connection } from './connection.ts';

export interface EngineEpoch {
  readonly engine: string;
  /** The first sequence number this engine could have written. */
  readonly fromSeq: number;
}

const ENGINES_KEY = 'engines';

/** The epochs, with the running engine added when it differs from the newest one (in one transaction). */
export async function recordEngine(connection: Connection): Promise<EngineEpoch[]> {
  return connection.db.transaction().execute(async (tx) => {
    // PostgreSQL: two servers starting at once would both read then write; the row lock makes them queue
    const row = await (connection.dialect === 'postgres'
      ? tx.selectFrom('meta').select('value').where('key', '=', ENGINES_KEY).forUpdate()
      : tx.selectFrom('meta').select('value').where('key', '=', ENGINES_KEY)
    ).executeTakeFirst();
    const epochs = row ? (JSON.parse(row.value) as EngineEpoch[]) : [];
    if (epochs[epochs.length - 1]?.engine === ENGINE_VERSION) return epochs;
    const { rows } = await sql<{ newest: number | string | null }>`select max(seq) as newest from commands`.execute(tx);
    const next = [...epochs, { engine: ENGINE_VERSION, fromSeq: int64(rows[0]?.newest ?? 0) + 1 }];
    const value = JSON.stringify(next);
    if (row) await tx.updateTable('meta').set({ value }).where('key', '=', ENGINES_KEY).execute();
    else await tx.insertInto('meta').values({ key: ENGINES_KEY, value }).onConflict((c) => c.column('key').doUpdateSet({ value })).execute();
    return next;
  });
}

/** The engines other than the running one that wrote commands to a non-empty log, if any. */
export function otherEngines(epochs: readonly EngineEpoch[]): EngineEpoch[] {
  return epochs.filter((e) => e.engine !== ENGINE_VERSION);
}
