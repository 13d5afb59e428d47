// The store's tables as kysely sees them: one description for SQLite and PostgreSQL. 64-bit integers come
// back as numbers from better-sqlite3 and as strings from pg (int8), so they are read as `number | string`
// and turned into numbers where they are read (./rows.ts); decimals are text on SQLite and NUMERIC on
// PostgreSQL, and pg returns NUMERIC as a string: both read back as the exact decimal string.
import type { ColumnType, Generated } from 'kysely';

/** A BIGINT column: written as a number, read as a number (SQLite) or a decimal string (pg's int8). */
export type Int64 = ColumnType<number | string, number, number>;

export interface AccountsTable {
  /** The engine's account name (a random UUID): commands name it in their `account` field. */
  readonly id: string;
  /** Public, random, unique: the X-MBX-APIKEY header names the account by it. */
  readonly api_key: string;
  /** The API secret sealed with AES-256-GCM (./secret-box.ts); never the secret itself. */
  readonly secret_sealed: string;
  readonly created_ms: Int64;
}

export interface CommandsTable {
  /** The global order of the log: a replay applies commands in this order. */
  readonly seq: Generated<number | string>;
  /** The command's account; null for the market's commands (mark, funding), which every account sees. */
  readonly account_id: string | null;
  /** The command exactly as a journal's operation spells it (parseCommand's raw JSON form), without `at`. */
  readonly command: string;
  /** The time the engine applied it at (epoch ms): the journal's `at`. */
  readonly time_ms: Int64;
  /** The client's id for the request that made it (newClientOrderId, a request id), if any. */
  readonly client_request_id: string | null;
}

export interface SnapshotsTable {
  readonly account_id: string;
  /** The state includes every command of the account (and of the market) up to this sequence number. */
  readonly seq: Int64;
  /** The engine state as ./state-codec.ts writes it. */
  readonly state: string;
  /** ENGINE_VERSION of the engine that wrote it: a snapshot of another engine is not used. */
  readonly engine_version: string;
  readonly created_ms: Int64;
}

/** Facts about the whole venue, one row each (the engine set-up every account's state starts from). */
export interface MetaTable {
  readonly key: string;
  readonly value: string;
}

/** A `perpguard serve` process of a PostgreSQL cluster, alive while expires_ms (the database's clock) is ahead. */
export interface ClusterNodesTable {
  readonly node_id: string;
  /** Where the node answers requests (proxied there by the other nodes). */
  readonly url: string;
  readonly expires_ms: Int64;
}

/** Which node owns an account now; removed with its node (ON DELETE CASCADE) when that node's lease is reaped. */
export interface AccountLeasesTable {
  readonly account_id: string;
  readonly node_id: string;
}

/** One row (id 1): the newest market command's sequence number and the node whose feed writes them. */
export interface MarketHeadTable {
  readonly id: number;
  readonly seq: Int64;
  readonly leader: string | null;
}

export interface StoreTables {
  accounts: AccountsTable;
  cluster_nodes: ClusterNodesTable;
  account_leases: AccountLeasesTable;
  market_head: MarketHeadTable;
  commands: CommandsTable;
  snapshots: SnapshotsTable;
  meta: MetaTable;
}
