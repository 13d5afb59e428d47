// The SQLite log's appends: inserts and commit on the server's thread, the syncs that make them durable on
// libuv's thread pool, answered once durable.
//
// Durable before answered, with the syncs overlapped. A batch is one transaction in WAL mode with
// synchronous=NORMAL: its commit writes every frame of it (the commit frame last) to the WAL file and returns
// without a sync (~0.15 ms for a batch of orders here). The batch is answered only when an fdatasync of the
// WAL file that STARTED AFTER its commit has returned: then its frames are on disk, which is what
// synchronous=FULL's own sync at commit gives. Up to SYNCS_IN_FLIGHT of them run at once on the pool, each
// covering every batch written before it started, and batches are answered in the order written. Why: FULL
// syncs inside the commit, holding the write lock, so a batch's sync waited for the previous one's (and held
// the server's thread); concurrent syncs of one file overlap here. A crash keeps a prefix of the WAL's
// commits (each frame's checksum chains to the one before it, and SQLite's recovery stops at the first bad
// one), so the log after a restart holds every answered batch, perhaps some unanswered ones after them, never
// a gap. Checkpoints sync the WAL before copying it into the database file and sync that after (NORMAL does;
// SQLite runs them inside a commit here, every ~1,000 pages). Which batch a sync made durable, and what a
// failed one fails, is ./wal-syncs.mjs's (tested there).
// While every sync runs, batches are held uncommitted and committed together when one returns (each in a
// savepoint of its own, so the database refusing one refuses it alone): no sync could have covered them
// sooner, and a commit costs ~0.13 ms of locks and WAL writes whatever it holds.
//
// Why the server's thread: the commit without its sync is cheap, and on a thread of its own (as before,
// when the sync was inside the commit) every batch cost two messages between the threads, a structured clone
// of its rows and two thread wake-ups: ~60 µs of CPU per order, more than the inserts themselves
// (bench/orders.ts, per-thread CPU). Reads stay on the store's own connection, which sees a batch once its
// commit returned (WAL: a later read transaction sees every commit before it).
// Never waiting on the lock: the connection has no busy timeout, which on this thread would put the whole
// server to sleep while another connection (`perpguard accounts create` in another process, or this process's
// store connection) writes. A batch that finds the database locked is tried again after RETRY_MS, the batches
// after it waiting behind it (the log's order is the order of the calls), and fails after LOCKED_FOR_MS.
import { closeSync, fdatasync, fsyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { WalSyncs, type SyncAnswer } from './wal-syncs.mjs';

export interface CommandRow {
  readonly account_id: string | null;
  readonly command: string;
  readonly time_ms: number;
  readonly client_request_id: string | null;
}

/** Syncs of the WAL running at once (libuv's pool has 4 threads). */
const SYNCS_IN_FLIGHT = 3;
/** A locked database: the wait before a batch is tried again, and how long it may stay locked (the busy timeout the store's connection has). */
const RETRY_MS = 2;
const LOCKED_FOR_MS = 5_000;

interface Batch {
  readonly id: number;
  readonly rows: readonly CommandRow[];
}

interface Writer {
  readonly database: Database.Database;
  /** The batches in one transaction, each in a savepoint: its sequence numbers, or the error that refused it alone. */
  readonly appendBatches: (batches: readonly Batch[]) => (number[] | Error)[];
  readonly syncs: WalSyncs;
}

export class SqliteAppender {
  private writer: Writer | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (seqs: number[]) => void; reject: (error: unknown) => void }>();
  /** Batches not written yet: while every sync runs, or while the database is locked. */
  private readonly queued: Batch[] = [];
  private retry: NodeJS.Timeout | undefined;
  /** When the database was first found locked by the batch waiting now. */
  private lockedSinceMs: number | undefined;
  /** The WAL file the syncs run on, while this writer is open. */
  private wal: { fd: number } | undefined;
  private readonly descriptors: number[] = [];

  constructor(private readonly path: string) {}

  /** The rows' sequence numbers once their transaction is durable; an error carries SQLite's code. */
  append(rows: readonly CommandRow[]): Promise<number[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.queued.push({ id, rows });
      const writer = (this.writer ??= this.open());
      if (this.retry === undefined && !writer.syncs.full) this.write();
    });
  }

  async close(): Promise<void> {
    if (this.retry !== undefined) clearTimeout(this.retry);
    this.retry = undefined;
    const closed = new Error('the SQLite appender was closed');
    for (const waiter of this.waiting.values()) waiter.reject(closed);
    this.waiting.clear();
    this.queued.length = 0;
    this.writer?.database.close();
    this.writer = undefined;
    // closed behind one more sync on the pool: a sync still queued there must not find its descriptor closed, or reused
    for (const fd of this.descriptors.splice(0)) fdatasync(fd, () => closeSync(fd));
    this.wal = undefined;
  }

  /** Writes the queued batches in one commit, in order; one the database refuses is answered at once, nothing of it written. */
  private write(): void {
    const writer = (this.writer ??= this.open());
    if (this.queued.length === 0) return;
    const batches = this.queued.splice(0);
    let results: (number[] | Error)[];
    try {
      if (writer.syncs.failure !== undefined) throw Object.assign(new Error(writer.syncs.failure.message), { code: writer.syncs.failure.code });
      results = writer.appendBatches(batches);
    } catch (caught) {
      const code = (caught as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_BUSY')) {
        const now = Date.now();
        this.lockedSinceMs ??= now;
        if (now - this.lockedSinceMs < LOCKED_FOR_MS) {
          this.queued.unshift(...batches);
          this.retry = setTimeout(() => {
            this.retry = undefined;
            this.write();
          }, RETRY_MS);
          return;
        }
      }
      results = batches.map(() => (caught instanceof Error ? caught : new Error(String(caught))));
    }
    this.lockedSinceMs = undefined;
    batches.forEach((batch, i) => {
      const result = results[i]!;
      if (Array.isArray(result)) return writer.syncs.written(batch.id, result, false);
      const code = (result as Error & { code?: unknown }).code;
      writer.syncs.refused(batch.id, { message: result.message, ...(typeof code === 'string' ? { code } : {}) });
    });
    // one sync (or the free ones) for the whole commit
    writer.syncs.start();
  }

  private open(): Writer {
    const database = new Database(this.path);
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma('busy_timeout = 0');
    const insert = database.prepare('insert into commands (account_id, command, time_ms, client_request_id) values (?, ?, ?, ?)');
    // one row per statement, in order: the rowid (the sequence number) of each is the insert's own
    const appendRows = database.transaction((rows: readonly CommandRow[]) => {
      const seqs = new Array<number>(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        seqs[i] = Number(insert.run(r.account_id, r.command, r.time_ms, r.client_request_id).lastInsertRowid);
      }
      return seqs;
    });
    // inside it, appendRows is a savepoint (better-sqlite3 nests transactions so): a refusal rolls back its
    // batch alone; a locked database fails the first insert, before anything is written, and fails the whole
    const appendBatches = database.transaction((batches: readonly Batch[]) =>
      batches.map((batch) => {
        try {
          return appendRows(batch.rows);
        } catch (caught) {
          if (String((caught as { code?: unknown }).code).startsWith('SQLITE_BUSY')) throw caught;
          return caught instanceof Error ? caught : new Error(String(caught));
        }
      }),
    );
    const syncs = new WalSyncs(
      (done) => {
        let fd: number;
        try {
          fd = this.walDescriptor();
        } catch (caught) {
          return done(caught);
        }
        fdatasync(fd, (error) => done(error ?? undefined));
      },
      (answer) => this.answer(answer),
      SYNCS_IN_FLIGHT,
      // a sync slot is free: the batches held meanwhile are committed now (unless a lock is being waited for)
      () => {
        if (this.retry === undefined) this.write();
      },
    );
    return { database, appendBatches, syncs };
  }

  private answer(answer: SyncAnswer): void {
    const waiter = this.waiting.get(answer.id);
    this.waiting.delete(answer.id);
    if (!waiter) return;
    if (answer.seqs) waiter.resolve(answer.seqs);
    else waiter.reject(Object.assign(new Error(answer.error?.message ?? 'the SQLite append failed'), { code: answer.error?.code }));
  }

  /**
   * A descriptor of the WAL file, opened after this writer's first commit and kept: SQLite removes or replaces
   * a database's WAL file only when its last connection closes (or its journal mode changes, which nothing
   * here does), and this writer's connection stays open for as long as it syncs. A stat of the path on every
   * sync (to catch a replaced file) was a syscall on the server's thread per sync for a case that cannot
   * happen while the connection is open (a sync's start there: 23 -> 16 us at the median under the bench's load).
   */
  private walDescriptor(): number {
    if (this.wal) return this.wal.fd;
    const walPath = `${this.path}-wal`;
    // closed after one more sync at close(): a sync of it may still be running on the pool (never closed under it)
    const fd = openSync(walPath, 'r+');
    this.descriptors.push(fd);
    this.wal = { fd };
    // a new file's name must survive a crash too, as SQLite's first sync of a WAL makes sure (once per file)
    const folder = openSync(dirname(walPath), 'r');
    try {
      fsyncSync(folder);
    } finally {
      closeSync(folder);
    }
    return fd;
  }
}
