// The SQLite appender's thread (./sqlite-appender.ts): the log's inserts and the syncs that make them durable
// run here, so the server's thread keeps reading and applying requests meanwhile. Plain JavaScript: a worker
// thread does not inherit the TypeScript loader the CLI registers.
//
// Durable before answered, with the syncs overlapped. A batch is one transaction in WAL mode with
// synchronous=NORMAL: its commit writes every frame of it (the commit frame last) to the WAL file and returns
// without a sync. The batch is answered only when an fdatasync of the WAL file that STARTED AFTER its commit
// has returned: then its frames are on disk, which is what synchronous=FULL's own sync at commit gives. Up to
// SYNCS_IN_FLIGHT of them run at once on libuv's pool, each covering every batch written before it started,
// and batches are answered in the order written. Why: FULL syncs inside the commit, holding the write lock,
// so a batch's sync waited for the previous one's to end; at 16 connections the clients split into two
// halves taking turns, 8 orders per sync (bench/orders.ts), while concurrent syncs of one file overlap here.
// A crash keeps a prefix of the WAL's commits (each frame's checksum chains to the one before it, and SQLite's
// recovery stops at the first bad one), so the log after a restart holds every answered batch, perhaps some
// unanswered ones after them, never a gap. Checkpoints sync the WAL before copying it into the database file
// and sync that after (NORMAL does; SQLite runs them in this thread's commits). Which batch a sync made
// durable, and what a failed one fails, is ./wal-syncs.mjs's (tested there).
import { closeSync, fdatasync, fstatSync, fsyncSync, openSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { WalSyncs } from './wal-syncs.mjs';

/** Syncs of the WAL running at once (libuv's pool has 4 threads, shared with the server's thread). */
const SYNCS_IN_FLIGHT = 3;

const database = new Database(workerData.path);
database.pragma('journal_mode = WAL');
database.pragma('synchronous = NORMAL');
database.pragma('foreign_keys = ON');
database.pragma('busy_timeout = 5000');
const insert = database.prepare('insert into commands (account_id, command, time_ms, client_request_id) values (?, ?, ?, ?)');
// one row per statement, in order: the rowid (the sequence number) of each is the insert's own
const appendRows = database.transaction((rows) => rows.map((r) => Number(insert.run(r.account_id, r.command, r.time_ms, r.client_request_id).lastInsertRowid)));

const walPath = `${workerData.path}-wal`;
/** The WAL file this thread syncs: its descriptor and inode. */
let wal;

/** A descriptor of the WAL file the last commit wrote to (SQLite keeps one WAL file while a connection is open; checked anyway). */
function walDescriptor() {
  const inode = statSync(walPath).ino;
  if (wal?.inode === inode) return wal.fd;
  // an old descriptor is left open: a sync of it may still be running on the pool (never closed under it)
  const fd = openSync(walPath, 'r+');
  wal = { fd, inode: fstatSync(fd).ino };
  // a new file's name must survive a crash too, as SQLite's first sync of a WAL makes sure (once per file)
  const folder = openSync(dirname(walPath), 'r');
  try {
    fsyncSync(folder);
  } finally {
    closeSync(folder);
  }
  return wal.fd;
}

const syncs = new WalSyncs(
  (done) => {
    let fd;
    try {
      fd = walDescriptor();
    } catch (caught) {
      return done(caught);
    }
    fdatasync(fd, (error) => done(error ?? undefined));
  },
  (message) => parentPort.postMessage(message),
  SYNCS_IN_FLIGHT,
);

parentPort.on('message', (message) => {
  let seqs;
  try {
    if (syncs.failure !== undefined) throw Object.assign(new Error(syncs.failure.message), { code: syncs.failure.code });
    seqs = appendRows(message.rows);
  } catch (caught) {
    // refused: nothing of this batch was written (the transaction rolled back)
    return syncs.refused(message.id, { message: caught instanceof Error ? caught.message : String(caught), code: caught?.code });
  }
  syncs.written(message.id, seqs);
});
