// The store's schema as a versioned list of migrations, run by kysely's Migrator (which records what ran
// in kysely_migration and takes a lock, so two processes starting at once do not both migrate). A
// migration is never edited once released: a change is a new entry. Only two column types know the
// dialect: the log's sequence number and the decimal.
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Connection } from './connection.ts';

/**
 * A decimal column: TEXT on SQLite (its NUMERIC affinity would turn "0.1" into a float), NUMERIC without a
 * scale on PostgreSQL (exact at any precision, keeps the scale it was given; pg returns it as a string).
 */
export function decimalType(dialect: Connection['dialect']): 'text' | 'numeric' {
  return dialect === 'postgres' ? 'numeric' : 'text';
}

function migrations(dialect: Connection['dialect']): Record<string, Migration> {
  return {
    '0001-accounts-commands-snapshots': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('accounts')
          .addColumn('id', 'text', (c) => c.primaryKey())
          .addColumn('api_key', 'text', (c) => c.notNull().unique())
          .addColumn('secret_sealed', 'text', (c) => c.notNull())
          .addColumn('created_ms', 'bigint', (c) => c.notNull())
          .execute();
        // the global sequence: an INTEGER PRIMARY KEY AUTOINCREMENT on SQLite (never reused, even after the
        // newest row is deleted), a bigserial on PostgreSQL
        await db.schema
          .createTable('commands')
          .addColumn('seq', dialect === 'postgres' ? 'bigserial' : 'integer', (c) => (dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('account_id', 'text', (c) => c.references('accounts.id'))
          .addColumn('command', 'text', (c) => c.notNull())
          .addColumn('time_ms', 'bigint', (c) => c.notNull())
          .addColumn('client_request_id', 'text')
          .execute();
        // a replay of one account reads its commands and the market's (account_id null) in order
        await db.schema.createIndex('commands_account_seq').on('commands').columns(['account_id', 'seq']).execute();
        await db.schema
          .createTable('snapshots')
          .addColumn('account_id', 'text', (c) => c.notNull().references('accounts.id'))
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('state', 'text', (c) => c.notNull())
          .addColumn('engine_version', 'text', (c) => c.notNull())
          .addColumn('created_ms', 'bigint', (c) => c.notNull())
          .addPrimaryKeyConstraint('snapshots_pk', ['account_id', 'seq'])
          .execute();
        await db.schema
          .createTable('meta')
          .addColumn('key', 'text', (c) => c.primaryKey())
          .addColumn('value', 'text', (c) => c.notNull())
          .execute();
      },
    },
    // the leases of a PostgreSQL cluster (../server/cluster/): several `perpguard serve` processes on one
    // database, each owning a disjoint set of accounts. Created on SQLite too (one schema for both), where
    // nothing uses them: SQLite is served by one process.
    '0002-cluster-leases': {
      async up(db: Kysely<any>) {
        await db.schema
          .createTable('cluster_nodes')
          .addColumn('node_id', 'text', (c) => c.primaryKey())
          .addColumn('url', 'text', (c) => c.notNull())
          .addColumn('expires_ms', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('account_leases')
          .addColumn('account_id', 'text', (c) => c.primaryKey().references('accounts.id'))
          .addColumn('node_id', 'text', (c) => c.notNull().references('cluster_nodes.node_id').onDelete('cascade'))
          .execute();
        await db.schema
          .createTable('market_head')
          .addColumn('id', 'integer', (c) => c.primaryKey())
          .addColumn('seq', 'bigint', (c) => c.notNull())
          .addColumn('leader', 'text', (c) => c.references('cluster_nodes.node_id').onDelete('set null'))
          .execute();
        await db.insertInto('market_head').values({ id: 1, seq: 0, leader: null }).execute();
      },
    },
    // SQLite's log without the (account_id, seq) index. Every read of an account's log reads the market's
    // rows too (account_id null: the feed's marks and fundings, most of a venue's log), so the index only
    // skipped the other accounts' rows of a read that happens when an account is first loaded; an append
    // paid for it on every command: with the index a commit of a few orders wrote a WAL page per account it
    // touched besides the table's one page (bench/orders.ts: ~half of the commit's time on the server's
    // thread). Without it a read walks the log in sequence order from where it starts (the rowid), which
    // is also the order it returns. PostgreSQL keeps it: a cluster node loads accounts whenever it takes a
    // lease over (../server/cluster/).
    '0003-sqlite-log-without-account-index': {
      async up(db: Kysely<any>) {
        if (dialect === 'sqlite') await db.schema.dropIndex('commands_account_seq').execute();
      },
    },
  };
}

/** Brings the schema to the newest migration; throws (naming the migration) if one fails. */
export async function migrate(connection: Connection): Promise<void> {
  const migrator = new Migrator({ db: connection.db, ...(connection.schema !== undefined ? { migrationTableSchema: connection.schema } : {}), provider: { getMigrations: async () => migrations(connection.dialect) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'the migration table';
    throw new Error(`store migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
}
