// The leases of a PostgreSQL cluster: several `perpguard serve` processes share one database, each owning a
// disjoint set of accounts (../server/cluster/ says why leases in a table and not advisory locks).
//  - A node is alive while its row's expires_ms, on the DATABASE's clock (machines' clocks disagree), is
//    ahead; it renews it every second. A node past its expiry is reaped by any other: its account leases go
//    with it (ON DELETE CASCADE) and the feed's leadership is freed (ON DELETE SET NULL).
//  - An account is leased on first use (insert if absent); the lease names the node, and the node its URL.
//  - Every append is fenced in its own transaction: the node's row must still be alive (read FOR SHARE, so
//    a reaper's DELETE waits for the append's commit, or the append sees the row gone and writes nothing).
//    A node that lost its lease writes nothing more: its process stops (fail-stop, as on a failed append).
//  - The market's commands (marks, funding) are written by one node, the feed's leader. The log's order must
//    be the order in which each node applied commands in memory, so a follower's append carries the newest
//    market command it has applied: it reads market_head FOR SHARE and writes only if no newer market command
//    is in the log (MarketMoved otherwise: the follower catches up and applies its command again). The
//    leader's append takes market_head FOR UPDATE before its inserts, so a market command's sequence number
//    is taken only once no follower's append that did not see it is still open.
import { sql, type Kysely, type Transaction } from 'kysely';
import { insertCommands, MARKET_OPS, readCommands, type LoggedCommand, type NewCommand } from './command-log.ts';
import { int64 } from './connection.ts';
import type { StoreTables } from './tables.ts';

/** The database's clock in ms: every expiry is written and compared on it. */
const NOW_MS = sql<string>`(extract(epoch from clock_timestamp()) * 1000)::bigint`;

/** A follower's append found a market command newer than the ones it applied: nothing was written. */
export class MarketMoved extends Error {
  override readonly name = 'MarketMoved';
}

/** The node's lease expired (it was paused, or cut off from the database) or the feed is no longer its own. */
export class LeaseLost extends Error {
  override readonly name = 'LeaseLost';
}

export interface AppendGuard {
  readonly nodeId: string;
  /** The node writes the market's commands (it holds the feed). */
  readonly leader: boolean;
  /** A follower: the newest market command it has applied (its commands come after it and before any newer). */
  readonly marketSeq: number;
}

export interface ClusterLog {
  /** Registers a node alive for `ttlMs`. */
  join(nodeId: string, url: string, ttlMs: number): Promise<void>;
  /** Extends the node's lease by `ttlMs`; false when it had expired or was reaped (the node must stop). */
  renew(nodeId: string, ttlMs: number): Promise<boolean>;
  /** Removes expired nodes (their account leases and leadership with them); the ids removed. */
  reap(): Promise<string[]>;
  /** Leaves: the node's leases and leadership are freed at once (a clean shutdown). */
  leave(nodeId: string): Promise<void>;
  /** The account's owner, leasing it to `nodeId` if no live node has it. */
  claim(accountId: string, nodeId: string): Promise<{ nodeId: string; url: string }>;
  /** Takes the feed if no node has it; true when `nodeId` holds it (now or already). */
  claimFeed(nodeId: string): Promise<boolean>;
  /** The newest market command's sequence number as the leader recorded it. */
  marketHead(): Promise<number>;
  /** The market's commands after `seq`, in order. */
  marketAfter(seq: number): Promise<LoggedCommand[]>;
  /** The newest time in the whole log (0 when empty): a new leader's feed resumes after it. */
  logTimeMs(): Promise<number>;
  /** Appends as appendBatch does, fenced by the node's lease and ordered against the market (see above). */
  appendGuarded(entries: readonly NewCommand[], guard: AppendGuard): Promise<number[]>;
}

export function clusterLog(db: Kysely<StoreTables>): ClusterLog {
  return {
    async join(nodeId, url, ttlMs) {
      await db.insertInto('cluster_nodes').values({ node_id: nodeId, url, expires_ms: sql<number>`${NOW_MS} + ${ttlMs}` }).execute();
    },
    async renew(nodeId, ttlMs) {
      const rows = await db
        .updateTable('cluster_nodes')
        .set({ expires_ms: sql<number>`${NOW_MS} + ${ttlMs}` })
        .where('node_id', '=', nodeId)
        .where('expires_ms', '>', NOW_MS)
        .returning('node_id')
        .execute();
      return rows.length === 1;
    },
    async reap() {
      const rows = await db.deleteFrom('cluster_nodes').where('expires_ms', '<=', NOW_MS).returning('node_id').execute();
      return rows.map((r) => r.node_id);
    },
    async leave(nodeId) {
      await db.deleteFrom('cluster_nodes').where('node_id', '=', nodeId).execute();
    },
    async claim(accountId, nodeId) {
      await db.insertInto('account_leases').values({ account_id: accountId, node_id: nodeId }).onConflict((c) => c.column('account_id').doNothing()).execute();
      const owner = await db
        .selectFrom('account_leases as l')
        .innerJoin('cluster_nodes as n', 'n.node_id', 'l.node_id')
        .select(['n.node_id', 'n.url'])
        .where('l.account_id', '=', accountId)
        .executeTakeFirst();
      // the owner's row was reaped between the two statements: its lease went with it, claim again
      return owner ? { nodeId: owner.node_id, url: owner.url } : this.claim(accountId, nodeId);
    },
    async claimFeed(nodeId) {
      await db.updateTable('market_head').set({ leader: nodeId }).where('id', '=', 1).where('leader', 'is', null).execute();
      const head = await db.selectFrom('market_head').select('leader').where('id', '=', 1).executeTakeFirstOrThrow();
      return head.leader === nodeId;
    },
    async marketHead() {
      return int64((await db.selectFrom('market_head').select('seq').where('id', '=', 1).executeTakeFirstOrThrow()).seq);
    },
    async marketAfter(seq) {
      const out: LoggedCommand[] = [];
      for await (const c of readCommands(db, { accountIds: [], afterSeq: seq })) out.push(c);
      return out;
    },
    async logTimeMs() {
      const row = await db.selectFrom('commands').select((eb) => eb.fn.max('time_ms').as('newest')).executeTakeFirst();
      return row?.newest == null ? 0 : int64(row.newest);
    },
    appendGuarded: (entries, guard) => db.transaction().execute((tx) => guardedInsert(tx, entries, guard)),
  };
}

async function guardedInsert(tx: Transaction<StoreTables>, entries: readonly NewCommand[], guard: AppendGuard): Promise<number[]> {
  const node = await tx.selectFrom('cluster_nodes').select(sql<boolean>`expires_ms > ${NOW_MS}`.as('alive')).where('node_id', '=', guard.nodeId).forShare().executeTakeFirst();
  if (!node?.alive) throw new LeaseLost(`node ${guard.nodeId}: its lease expired or was reaped`);
  const head = guard.leader
    ? await tx.selectFrom('market_head').select(['seq', 'leader']).where('id', '=', 1).forUpdate().executeTakeFirstOrThrow()
    : await tx.selectFrom('market_head').select(['seq', 'leader']).where('id', '=', 1).forShare().executeTakeFirstOrThrow();
  if (guard.leader && head.leader !== guard.nodeId) throw new LeaseLost(`node ${guard.nodeId}: no longer holds the feed`);
  if (!guard.leader && int64(head.seq) > guard.marketSeq) throw new MarketMoved(`market command ${head.seq} is newer than ${guard.marketSeq}`);
  const logged = await insertCommands(tx, entries);
  const market = logged.filter((_, i) => MARKET_OPS.has(String(entries[i]!.command['op'])));
  if (guard.leader && market.length > 0) await tx.updateTable('market_head').set({ seq: market[market.length - 1]!.seq }).where('id', '=', 1).execute();
  return logged.map((l) => l.seq);
}
