// The SQLite appender's thread (./sqlite-appender.ts): the log's inserts and the commit's fsync run here, so
// the server's thread keeps reading and applying requests while a batch is made durable. Its own connection
// with the same pragmas as ./connection.ts (WAL, synchronous=FULL: durable at commit; foreign keys; a busy
// timeout for the other connections of the file). Plain JavaScript: a worker thread does not inherit the
// TypeScript loader the CLI registers.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const database = new Database(workerData.path);
database.pragma('journal_mode = WAL');
database.pragma('synchronous = FULL');
database.pragma('foreign_keys = ON');
database.pragma('busy_timeout = 5000');
const insert = database.prepare('insert into commands (account_id, command, time_ms, client_request_id) values (?, ?, ?, ?)');
// one row per statement, in order: the rowid (the sequence number) of each is the insert's own
const appendRows = database.transaction((rows) => rows.map((r) => Number(insert.run(r.account_id, r.command, r.time_ms, r.client_request_id).lastInsertRowid)));

parentPort.on('message', (message) => {
  try {
    parentPort.postMessage({ id: message.id, seqs: appendRows(message.rows) });
  } catch (caught) {
    parentPort.postMessage({ id: message.id, error: { message: caught instanceof Error ? caught.message : String(caught), code: caught?.code } });
  }
});
