// Where the store lives and the one kysely query layer over it: SQLite in one file by default (no server
// to run), PostgreSQL when DATABASE_URL is set. Every query of the store is written once, against kysely;
// only opening the connection and two column types (./migrations.ts) know the dialect.
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { InputError } from '../schema/input-error.ts';
import { CurrentSchemaPostgresDialect } from './schema-introspector.ts';
import type { StoreTables } from './tables.ts';

export type StoreLocation =
  | { readonly kind: 'sqlite'; readonly path: string }
  /** `schema`: the PostgreSQL schema to keep the tables in (created if missing); default: the server's search_path. */
  | { readonly kind: 'postgres'; readonly url: string; readonly schema?: string };

/** The file `perpguard serve` and `perpguard accounts` use without --db. */
export const DEFAULT_DATABASE_FILE = 'perpguard.db';

/** DATABASE_URL (a postgres:// URL) wins over --db: the same code serves both, as the issue asks. */
export function storeLocation(env: Readonly<Record<string, string | undefined>>, dbFile: string | undefined): StoreLocation {
  const url = env['DATABASE_URL'];
  if (url !== undefined && url !== '') {
    if (!/^postgres(ql)?:\/\//.test(url)) throw new InputError('DATABASE_URL', 'must be a postgres:// or postgresql:// URL');
    // ?schema=NAME keeps the venue's tables in that schema (as Prisma spells it): several venues, or test
    // runs, share one database; the parameter is perpguard's, so it is taken off the URL pg connects with
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema');
    if (schema === null) return { kind: 'postgres', url };
    parsed.searchParams.delete('schema');
    if (!SCHEMA_NAME.test(schema)) throw new InputError('DATABASE_URL', 'its schema parameter must be lower-case letters, digits and _ (at most 63)');
    return { kind: 'postgres', url: parsed.toString(), schema };
  }
  return { kind: 'sqlite', path: dbFile ?? DEFAULT_DATABASE_FILE };
}

export interface Connection {
  readonly db: Kysely<StoreTables>;
  readonly dialect: 'sqlite' | 'postgres';
  /**
   * PostgreSQL: the schema the tables live in (the given one, else the server's current_schema()).
   * Migrations name it: kysely's Migrator otherwise finds its tables in any schema of the database and
   * would take another store's (a test run's, another venue's) for its own.
   */
  readonly schema?: string;
  close(): Promise<void>;
}

export async function connect(location: StoreLocation): Promise<Connection> {
  return location.kind === 'sqlite' ? connectSqlite(location.path) : connectPostgres(location.url, location.schema);
}

function connectSqlite(path: string): Connection {
  let database: Database.Database;
  try {
    database = new Database(path);
  } catch (caught) {
    throw new InputError('--db', `cannot open ${path} as a SQLite database: ${(caught as Error).message}`);
  }
  // Durable at commit: WAL with synchronous=FULL syncs the log on every commit, so an append whose promise
  // resolved survives a crash of the process or of the machine (NORMAL would survive only the process).
  database.pragma('journal_mode = WAL');
  database.pragma('synchronous = FULL');
  database.pragma('foreign_keys = ON');
  // a second process (`perpguard accounts create` beside a running server) waits instead of failing at once
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<StoreTables>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function connectPostgres(url: string, schema: string | undefined): Promise<Connection> {
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) throw new InputError('schema', 'must be lower-case letters, digits and _ (at most 63)');
  if (schema !== undefined) {
    // the schema must exist before the pool's connections put it first on their search_path
    const client = new pg.Client({ connectionString: url });
    try {
      await client.connect();
      await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    } catch (caught) {
      throw unreachable(url, caught);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  // start-up options, so every connection of the pool has them before its first query: the schema first on
  // the search_path, and synchronous_commit on whatever the server's default (off, a commit returns before
  // its WAL reaches the disk and an acknowledged append can be lost in a crash of the server)
  const options = [...(schema !== undefined ? [`-c search_path=${schema}`] : []), '-c synchronous_commit=on'].join(' ');
  const pool = new pg.Pool({ connectionString: url, max: 10, options });
  // an idle connection that breaks (a server restart) is dropped by the pool, and the next query opens a new
  // one or fails itself; without a listener the pool's 'error' event would end the process
  pool.on('error', () => undefined);
  const db = new Kysely<StoreTables>({ dialect: new CurrentSchemaPostgresDialect({ pool }) });
  let current: string | null | undefined;
  try {
    current = (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema;
  } catch (caught) {
    await db.destroy();
    throw unreachable(url, caught);
  }
  if (!current) {
    await db.destroy();
    throw new InputError('DATABASE_URL', 'the connection has no current schema (an empty search_path?)');
  }
  return { db, dialect: 'postgres', schema: current, close: () => db.destroy() };
}

/** A connection failure as bad input naming where, without the URL's user or password. */
function unreachable(url: string, caught: unknown): InputError {
  let where = 'the DATABASE_URL';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname || 'localhost'}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    // a URL that does not parse is named without its text, which may hold a password
  }
  const reason = caught instanceof Error ? caught.message : String(caught);
  return new InputError('DATABASE_URL', `cannot use PostgreSQL at ${where}: ${reason}`);
}

/** A BIGINT as read back: better-sqlite3 gives a number, pg gives int8 as a decimal string. */
export function int64(value: number | string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) throw new Error(`a stored integer is not a safe integer: ${value}`);
  return n;
}
