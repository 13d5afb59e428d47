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

  it('batches committed together (held while the database was locked) each stand alone: one naming no account is refused, the others written in order', async () => {
    const path = join(folder, 'together.db');
    const store = await openStore({ location: { kind: 'sqlite', path }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
    const blocker = new Database(path);
    try {
      const { accountId } = await store.createAccount({ timeMs: 0 });
      const deposit = (account: string, amount: string) => ({ command: { op: 'deposit', account, asset: 'USDT', amount }, timeMs: 1 });
      await store.append(deposit(accountId, '1'));
      blocker.exec('BEGIN IMMEDIATE');
      const results = [store.append(deposit(accountId, '2')), store.append(deposit('nobody', '3')), store.append(deposit(accountId, '4'))].map((p) => p.then((seq) => seq, (error: Error) => error));
      await new Promise((resolve) => setTimeout(resolve, 20));
      blocker.exec('COMMIT');
      const [two, nobody, four] = await Promise.all(results);
      assert.ok(nobody instanceof Error && /no such account/.test(nobody.message), String(nobody));
      assert.ok(typeof two === 'number' && typeof four === 'number' && two < four);
      const amounts: unknown[] = [];
      for await (const c of store.commands()) amounts.push(c.command['amount']);
      assert.deepEqual(amounts.slice(-3), ['1', '2', '4']);
    } finally {
      blocker.close();
      await store.close();
    }
  });
});
