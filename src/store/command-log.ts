// The command log: every command the venue accepted, in one global order, each durable before the
// caller acknowledges it. A command is kept exactly as a journal spells the operation (parseCommand's raw
// JSON form), so `perpguard run` can replay an exported log and the engine's own parser reads it back.
// Trader commands belong to their `account`; the market's (mark, funding) to no account: every account's
// replay applies them (./replay.ts).
import { sql, type Kysely, type Transaction } from 'kysely';
import { commandProblem } from '../engine/commands.ts';
import { InputError } from '../schema/input-error.ts';
import { int64 } from './connection.ts';
import type { SqliteAppender } from './sqlite-appender.ts';
import type { StoreTables } from './tables.ts';

/** A command to append: the journal operation (without `at`), the time it was applied at, the client's id. */
export interface NewCommand {
  readonly command: Readonly<Record<string, unknown>>;
  readonly timeMs: number;
  readonly clientRequestId?: string | undefined;
}

export interface LoggedCommand {
  readonly seq: number;
  /** null for the market's commands (mark, funding). */
  readonly accountId: string | null;
  readonly command: Record<string, unknown>;
  readonly timeMs: number;
  readonly clientRequestId: string | null;
}

/** The market's commands: logged with no account, applied to every account. */
export const MARKET_OPS: ReadonlySet<string> = new Set(['mark', 'funding']);

type CommandRow = { account_id: string | null; command: string; time_ms: number; client_request_id: string | null };

/**
 * A command checkCommand accepted, with its row: the batch's append takes the row from here instead of
 * validating and serializing each command a second time (the schema's parse and the JSON were a tenth of
 * an order's server time, bench/orders.ts). An object of its own, not a WeakMap from the entry: a weak
 * map's entries are ephemerons, which every scavenge (one per ~200 orders) processes apart.
 */
class CheckedCommand implements NewCommand {
  readonly command: Readonly<Record<string, unknown>>;
  readonly timeMs: number;
  readonly clientRequestId: string | undefined;
  constructor(
    entry: NewCommand,
    readonly row: CommandRow,
  ) {
    this.command = entry.command;
    this.timeMs = entry.timeMs;
    this.clientRequestId = entry.clientRequestId;
  }
}

/** The entry to queue for a batch, or InputError naming the field if the log would refuse it. */
export function checkCommand(entry: NewCommand): NewCommand {
  return new CheckedCommand(entry, rowOf(entry, 0));
}

/** A field of the index-th command, as InputError names it (a function of its own: under tsx a closure made per row cost a defineProperty per order). */
const fieldAt = (index: number, field: string): string => `commands[${index}].${field}`;

/** The row of a command, or InputError naming the field: a log must hold only what the engine can replay. */
function rowOf(entry: NewCommand, index: number): CommandRow {
  if (entry instanceof CheckedCommand) return entry.row;
  const problem = commandProblem(entry.command);
  if (problem) throw new InputError(fieldAt(index, `command.${problem.field}`), problem.reason);
  if (!Number.isSafeInteger(entry.timeMs) || entry.timeMs < 0) throw new InputError(fieldAt(index, 'timeMs'), 'must be a whole number of ms since 1970');
  const market = MARKET_OPS.has(String(entry.command['op']));
  const account = entry.command['account'];
  // the schema defaults a missing account to "main": in a multi-account log that would file the command
  // under an account nobody named, so the account must be spelled out
  if (!market && typeof account !== 'string') throw new InputError(fieldAt(index, 'command.account'), 'must name the account (the log keeps no default account)');
  return { account_id: market ? null : (account as string), command: JSON.stringify(entry.command), time_ms: entry.timeMs, client_request_id: entry.clientRequestId ?? null };
}

/**
 * Appends the commands in one transaction (group commit: one sync for the batch) and returns their
 * sequence numbers, in order. Durable when the promise resolves: SQLite in WAL mode with synchronous=FULL
 * syncs at commit, and every PostgreSQL connection sets synchronous_commit=on (./connection.ts). On SQLite
 * the server's store writes through `appender`, durable once a sync of the WAL has followed (./sqlite-appender.ts).
 * A command naming an unknown account is refused by the foreign key and reported as InputError.
 */
export async function appendCommands(db: Kysely<StoreTables>, entries: readonly NewCommand[], appender?: SqliteAppender): Promise<number[]> {
  const rows = entries.map(rowOf); // refused before the transaction opens
  if (entries.length === 0) return [];
  try {
    if (appender) return await appender.append(rows);
    return (await db.transaction().execute((tx) => insertCommands(tx, entries))).map((c) => c.seq);
  } catch (caught) {
    const code = (caught as { code?: unknown }).code;
    if (code === 'SQLITE_CONSTRAINT_FOREIGNKEY' || code === '23503') throw new InputError('command.account', 'no such account in the store');
    throw caught;
  }
}

/**
 * The inserts of appendCommands inside the caller's transaction. `atLogTime`: each command takes the
 * newest time in the log (0 for an empty log) instead of its own, read by the insert itself: what a
 * process without the venue's clock appends (an account's opening deposit from `perpguard accounts
 * create` beside a server whose feed runs in 2020) then never goes back in time against the commands
 * logged before it, which the replay would refuse.
 */
export async function insertCommands(tx: Transaction<StoreTables>, entries: readonly NewCommand[], options: { atLogTime?: boolean; dialect?: 'sqlite' | 'postgres' } = {}): Promise<{ seq: number; timeMs: number }[]> {
  const rows = entries.map(rowOf);
  const logged: { seq: number; timeMs: number }[] = [];
  // PostgreSQL: the newest time must be read with no other append in flight. Under READ COMMITTED the
  // insert's subquery does not see a server's batch that has taken its sequence numbers and not committed
  // yet: this command would take a later seq and an earlier time than that batch's, and the replay refuses
  // it (time before the state's time; the account's opening deposit lost, found by src/cli/serve-crash.test.ts).
  // SHARE ROW EXCLUSIVE waits for every open insert to commit and holds new ones until this transaction
  // commits. SQLite needs nothing: it has one writer at a time, and the account row's insert took the lock.
  if (options.atLogTime && options.dialect === 'postgres') await sql`LOCK TABLE commands IN SHARE ROW EXCLUSIVE MODE`.execute(tx);
  // one insert per row: neither dialect promises RETURNING's order for a multi-row insert
  for (const row of rows) {
    const values = options.atLogTime ? { ...row, time_ms: sql<number>`(select coalesce(max(c.time_ms), 0) from commands c)` } : row;
    const inserted = await tx.insertInto('commands').values(values).returning(['seq', 'time_ms']).executeTakeFirstOrThrow();
    logged.push({ seq: int64(inserted.seq), timeMs: int64(inserted.time_ms) });
  }
  return logged;
}

export interface LogFilter {
  /** Only these accounts' commands and the market's; all commands when undefined. */
  readonly accountIds?: readonly string[] | undefined;
  /** Only commands after this sequence number. */
  readonly afterSeq?: number;
  /** Rows read per query (default 2,000). */
  readonly pageRows?: number;
}

const PAGE_ROWS = 2_000;

/** The log in sequence order, read a page at a time (a long log is never held whole in memory). */
export async function* readCommands(db: Kysely<StoreTables>, filter: LogFilter = {}): AsyncGenerator<LoggedCommand> {
  let after = filter.afterSeq ?? 0;
  for (;;) {
    let query = db.selectFrom('commands').selectAll().where('seq', '>', after);
    const ids = filter.accountIds;
    if (ids !== undefined) query = query.where((eb) => (ids.length > 0 ? eb.or([eb('account_id', 'is', null), eb('account_id', 'in', ids)]) : eb('account_id', 'is', null)));
    const pageRows = filter.pageRows ?? PAGE_ROWS;
    const rows = await query.orderBy('seq').limit(pageRows).execute();
    for (const row of rows) {
      yield { seq: int64(row.seq), accountId: row.account_id, command: JSON.parse(row.command) as Record<string, unknown>, timeMs: int64(row.time_ms), clientRequestId: row.client_request_id };
    }
    if (rows.length < pageRows) return;
    after = int64(rows[rows.length - 1]!.seq);
  }
}
