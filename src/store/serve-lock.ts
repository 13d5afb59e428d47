// One `perpguard serve` per SQLite file. The venue keeps every account in memory and appends in the order it
// applied commands; a second server on the same file would interleave its own appends with the first's and
// each would replay a log it did not write (PostgreSQL scales out with leases instead: ./cluster.ts). The
// serving process is recorded in the meta table (pid, host); a second serve on the same machine is refused
// while that pid is alive, and a mark left by a killed server (its pid gone) is taken over.
import type { Kysely } from 'kysely';
import { InputError } from '../schema/input-error.ts';
import type { StoreTables } from './tables.ts';

export interface ServeOwner {
  readonly pid: number;
  readonly host: string;
}

const KEY = 'serve-owner';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (caught) {
    // EPERM: the process exists but belongs to another user
    return (caught as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export async function lockServe(db: Kysely<StoreTables>, owner: ServeOwner): Promise<void> {
  const mine = JSON.stringify(owner);
  for (let attempt = 0; attempt < 3; attempt++) {
    await db.insertInto('meta').values({ key: KEY, value: mine }).onConflict((c) => c.column('key').doNothing()).execute();
    const row = await db.selectFrom('meta').select('value').where('key', '=', KEY).executeTakeFirstOrThrow();
    if (row.value === mine) return;
    const other = JSON.parse(row.value) as ServeOwner;
    if (other.host !== owner.host || alive(other.pid)) {
      throw new InputError('--db', `the SQLite file is already served by process ${other.pid} on ${other.host}: one perpguard serve per SQLite file (several processes share a PostgreSQL database: DATABASE_URL)`);
    }
    // a server killed without its clean shutdown: take its mark over, unless another process just did
    await db.updateTable('meta').set({ value: mine }).where('key', '=', KEY).where('value', '=', row.value).execute();
  }
  throw new InputError('--db', 'another perpguard serve is starting on this SQLite file at the same time');
}

export async function unlockServe(db: Kysely<StoreTables>, owner: ServeOwner): Promise<void> {
  await db.deleteFrom('meta').where('key', '=', KEY).where('value', '=', JSON.stringify(owner)).execute();
}
