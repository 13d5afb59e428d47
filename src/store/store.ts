// The store: what the paper-trading server and `perpguard accounts` call. It opens SQLite (a file, the
// default) or PostgreSQL (DATABASE_URL) through one kysely query layer, brings the schema up to date,
// loads the key that seals API secrets, and offers the command log, accounts, replay and snapshots.
import { InputError } from '../schema/input-error.ts';
import { createAccount, credentialsOf, listAccounts, type AccountRow, type CreatedAccount, type NewAccount } from './accounts.ts';
import { appendCommands, readCommands, type LogFilter, type LoggedCommand, type NewCommand } from './command-log.ts';
import { clusterLog, type ClusterLog } from './cluster.ts';
import { connect, type Connection, type StoreLocation } from './connection.ts';
import { recordEngine, type EngineEpoch } from './engine-history.ts';
import { exportJournal, type AccountJournal } from './journal-export.ts';
import { migrate } from './migrations.ts';
import { replayAccounts, type ReplayedAccount, type ReplayOptions } from './replay.ts';
import { loadSecretKey, secretKeySource } from './secret-key.ts';
import { lockServe, unlockServe, type ServeOwner } from './serve-lock.ts';
import { saveSnapshot } from './snapshots.ts';
import { SqliteAppender } from './sqlite-appender.ts';
import { venueSetup, type VenueSetup } from './venue.ts';

export interface StoreOptions {
  readonly location: StoreLocation;
  /** Where PERPGUARD_SECRET_KEY is read from (the process environment, by the caller: the store reads none). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** The key file, when PERPGUARD_SECRET_KEY is not set; default: a SQLite database's path + ".key". */
  readonly keyFile?: string;
  /** The engine set-up of a new store; an existing store's must be the same when given (./venue.ts). */
  readonly setup?: VenueSetup;
}

export interface Store {
  readonly dialect: Connection['dialect'];
  /** The engine set-up every account starts from. */
  readonly setup: VenueSetup;
  /** Every engine that opened the store, oldest first, the running one last (./engine-history.ts). */
  readonly engines: readonly EngineEpoch[];
  /** Appends one command; durable when the promise resolves; its sequence number. */
  append(entry: NewCommand): Promise<number>;
  /** Appends commands in one transaction (one sync for all): their sequence numbers, in order. */
  appendBatch(entries: readonly NewCommand[]): Promise<number[]>;
  /**
   * True when appendBatch calls take their sequence numbers in the order they were made even while earlier
   * ones are not durable yet (a SQLite file: one appender connection, written in call order), so a writer need not wait
   * for one batch before issuing the next (./group-commit.ts).
   */
  readonly appendsQueued: boolean;
  /** The log in sequence order (optionally some accounts' and the market's, after a sequence number). */
  commands(filter?: LogFilter): AsyncGenerator<LoggedCommand>;
  /** An account with its opening deposits; the secret is returned here and never again. */
  createAccount(input: NewAccount): Promise<CreatedAccount>;
  /** The account and secret an API key names, to verify a request's signature; undefined for an unknown key. */
  credentials(apiKey: string): Promise<{ accountId: string; secret: string } | undefined>;
  accounts(): Promise<AccountRow[]>;
  /** One account's state after the whole log (from its newest snapshot of this engine, if any). */
  replay(accountId: string, options?: ReplayOptions): Promise<ReplayedAccount>;
  /** Several accounts' states in one pass over the log; all accounts when `accountIds` is omitted. */
  replayAccounts(accountIds?: readonly string[], options?: ReplayOptions): Promise<Map<string, ReplayedAccount>>;
  /** The account's commands and the market's as a journal that `perpguard run` replays. */
  exportJournal(accountId: string): Promise<AccountJournal>;
  /** Records an account's state as of `seq` (what replay returned), so a restart replays only what follows; keeps the newest two. */
  saveSnapshot(accountId: string, replayed: Pick<ReplayedAccount, 'state' | 'seq'>, createdMs: number): Promise<void>;
  /** PostgreSQL: the leases of several serve processes on this database (./cluster.ts); undefined on SQLite. */
  readonly cluster: ClusterLog | undefined;
  /** SQLite: marks this process as the one serving the file, or throws InputError naming the one that does (./serve-lock.ts). */
  lockServe(owner: ServeOwner): Promise<void>;
  /** Removes this process's mark (a clean shutdown). */
  unlockServe(owner: ServeOwner): Promise<void>;
  close(): Promise<void>;
}

export async function openStore(options: StoreOptions): Promise<Store> {
  // the key first: a store that could not open its secrets should not be created or migrated either
  const key = loadSecretKey(secretKeySource(options.location, options.env ?? {}, options.keyFile));
  const connection = await connect(options.location);
  try {
    await migrate(connection);
    const setup = await venueSetup(connection, options.setup);
    // a file's appends on their own thread (a ":memory:" database exists only on its own connection)
    const appender = options.location.kind === 'sqlite' && options.location.path !== ':memory:' ? new SqliteAppender(options.location.path) : undefined;
    return storeOver(connection, key, setup, await recordEngine(connection), appender);
  } catch (caught) {
    await connection.close();
    throw caught;
  }
}

function storeOver(connection: Connection, key: Buffer, setup: VenueSetup, engines: readonly EngineEpoch[], appender: SqliteAppender | undefined): Store {
  const { db } = connection;
  const replayMany = async (ids: readonly string[] | undefined, options: ReplayOptions = {}) =>
    replayAccounts(db, setup, ids ?? (await listAccounts(db)).map((a) => a.accountId), options);
  return {
    dialect: connection.dialect,
    setup,
    engines,
    append: async (entry) => (await appendCommands(db, [entry], appender))[0]!,
    appendBatch: (entries) => appendCommands(db, entries, appender),
    appendsQueued: appender !== undefined,
    commands: (filter) => readCommands(db, filter),
    createAccount: (input) => createAccount(db, key, setup, input, connection.dialect),
    credentials: (apiKey) => credentialsOf(db, key, apiKey),
    accounts: () => listAccounts(db),
    async replay(accountId, options) {
      if (!(await db.selectFrom('accounts').select('id').where('id', '=', accountId).executeTakeFirst())) throw new InputError('account', `no account ${accountId} in the store`);
      return (await replayMany([accountId], options)).get(accountId)!;
    },
    replayAccounts: replayMany,
    exportJournal: (accountId) => exportJournal(db, setup, accountId),
    saveSnapshot: (accountId, replayed, createdMs) => saveSnapshot(db, accountId, replayed.seq, replayed.state, createdMs),
    cluster: connection.dialect === 'postgres' ? clusterLog(db) : undefined,
    lockServe: (owner) => lockServe(db, owner),
    unlockServe: (owner) => unlockServe(db, owner),
    async close() {
      await appender?.close();
      await connection.close();
    },
  };
}
