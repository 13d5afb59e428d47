// The SQLite appender on the server's thread: a database another connection holds locked is waited for
// without blocking the thread (no busy timeout: the batch is tried again later), and the batches issued
// meanwhile keep the order of the calls.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openStore } from './store.ts';
import { TEST_SECRET_KEY } from './store-test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-appender-'));
after(() => rmSync(folder, { recursive: true, force: true }));

describe('the SQLite appender', () => {
  it('waits for a write lock held by another connection without blocking the thread, then writes the batches in the order they were issued', async () => {
    const path = join(folder, 'locked.db');
    const store = await openStore({ location: { kind: 'sqlite', path }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
    const blocker = new Database(path);
    try {
      const { accountId } = await store.createAccount({ timeMs: 0 });
      const deposit = (amount: string) => ({ command: { op: 'deposit', account: accountId, asset: 'USDT', amount }, timeMs: 1 });
      await store.append(deposit('1'));
      blocker.exec('BEGIN IMMEDIATE');
      const first = store.appendBatch([deposit('2'), deposit('3')]);
      const second = store.append(deposit('4'));
      // the thread is free while the lock is held: timers run, neither append has been answered
      let answered = false;
      void Promise.race([first, second]).then(() => (answered = true));
      await new Promise((resolve) => setTimeout(resolve, 60));
      assert.equal(answered, false);
      blocker.exec('COMMIT');
      const [seqs, last] = [await first, await second];
      assert.equal(seqs.length, 2);
      assert.ok(seqs[0]! < seqs[1]! && seqs[1]! < last, `${seqs} then ${last}`);
      const amounts: unknown[] = [];
      for await (const c of store.commands({ accountIds: [accountId] })) amounts.push(c.command['amount']);
      assert.deepEqual(amounts.slice(-4), ['1', '2', '3', '4']);
    } finally {
      blocker.close();
      await store.close();
    }
  });
});
