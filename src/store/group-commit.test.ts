// Group commit: many concurrent appends, few transactions, and the log in the order of the calls.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../schema/input-error.ts';
import { GroupCommit } from './group-commit.ts';
import { backends, openFresh } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

describe('group commit to a store whose appends keep their order (appendsQueued: the SQLite appender)', () => {
  it("issues each turn's batch at once, before the last one is durable, and answers each when its own is", async () => {
    const issued: { entries: number; durable: (seqs: number[]) => void }[] = [];
    const store = { appendsQueued: true, appendBatch: (entries: readonly unknown[]) => new Promise<number[]>((durable) => issued.push({ entries: entries.length, durable })) };
    const log = new GroupCommit(store);
    const deposit = (amount: string) => ({ command: { op: 'deposit', account: 'a', asset: 'USDT', amount }, timeMs: 1 });
    const first = [log.append(deposit('1')), log.append(deposit('2'))];
    await new Promise((resolve) => setImmediate(resolve));
    const second = log.append(deposit('3'));
    await new Promise((resolve) => setImmediate(resolve));
    // a serial store would still hold the second batch until the first one's promise settled
    assert.deepEqual(issued.map((b) => b.entries), [2, 1]);
    issued[1]!.durable([3]);
    assert.equal(await second, 3);
    issued[0]!.durable([1, 2]);
    assert.deepEqual(await Promise.all(first), [1, 2]);
    assert.equal(log.batches, 2);
  });
});

describe('group commit', { concurrency: true }, () => {
  for (const backend of list) {
    describe(`on ${backend.name}`, { skip: backend.skip }, () => {
      after(() => backend.cleanup());

      it('writes 300 concurrent appends in a few transactions, numbered in the order of the calls', async () => {
        const store = await openFresh(backend);
        try {
          const ids: string[] = [];
          for (let i = 0; i < 3; i++) ids.push((await store.createAccount({ timeMs: 0 })).accountId);
          const log = new GroupCommit(store);
          const entries = Array.from({ length: 300 }, (_, i) =>
            i % 10 === 0
              ? { command: { op: 'mark', symbol: 'BTCUSDT', price: `${60_000 + i}.5` }, timeMs: i }
              : { command: { op: 'deposit', account: ids[i % 3]!, asset: 'USDT', amount: `${i}.000000000000000001` }, timeMs: i },
          );
          const seqs = await Promise.all(entries.map((e) => log.append(e)));
          for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i]! > seqs[i - 1]!, `call ${i} got ${seqs[i]} after ${seqs[i - 1]}`);
          // all 300 are queued before the batch starts (it starts after this turn's callbacks)
          assert.ok(log.batches <= 1, `${log.batches} transactions`);
          const stored = [];
          for await (const c of store.commands()) if (c.seq >= seqs[0]!) stored.push(JSON.stringify(c.command));
          assert.deepEqual(stored, entries.map((e) => JSON.stringify(e.command)));
        } finally {
          await store.close();
        }
      });

      it('joins appends issued by separate callbacks of one event-loop turn (as requests arrive) in one transaction', async () => {
        const store = await openFresh(backend);
        try {
          const { accountId } = await store.createAccount({ timeMs: 0 });
          const log = new GroupCommit(store);
          // ten callbacks of one check phase, each appending alone, as ten requests of one poll phase do
          const seqs = await Promise.all(
            Array.from({ length: 10 }, (_, i) => new Promise<number>((resolve, reject) => setImmediate(() => log.append({ command: { op: 'deposit', account: accountId, asset: 'USDT', amount: `${i + 1}` }, timeMs: 1 }).then(resolve, reject)))),
          );
          assert.equal(log.batches, 1);
          assert.deepEqual(seqs, seqs.map((_, i) => seqs[0]! + i));
        } finally {
          await store.close();
        }
      });

      it('writes each command as it was checked at its call (validated and serialized once, not again in the batch)', async () => {
        const store = await openFresh(backend);
        try {
          const { accountId } = await store.createAccount({ timeMs: 0 });
          const log = new GroupCommit(store);
          const command: Record<string, unknown> = { op: 'deposit', account: accountId, asset: 'USDT', amount: '1' };
          const written = log.append({ command, timeMs: 1 });
          // changed after the call, before the batch (a readonly entry never is; this shows which one is written)
          command['amount'] = 'not a decimal';
          const seq = await written;
          const stored = [];
          for await (const c of store.commands({ afterSeq: seq - 1 })) stored.push(c.command);
          assert.deepEqual(stored, [{ op: 'deposit', account: accountId, asset: 'USDT', amount: '1' }]);
        } finally {
          await store.close();
        }
      });

      it('refuses a malformed command alone, and fails a batch the database refuses as a whole', async () => {
        const store = await openFresh(backend);
        try {
          const { accountId } = await store.createAccount({ timeMs: 0 });
          const log = new GroupCommit(store);
          const good = { command: { op: 'deposit', account: accountId, asset: 'USDT', amount: '1' }, timeMs: 1 };
          const results = await Promise.allSettled([log.append(good), log.append({ command: { op: 'deposit', account: accountId, asset: 'USDT', amount: 1 }, timeMs: 1 }), log.append(good)]);
          assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected', 'fulfilled']);
          assert.ok(results[1]!.status === 'rejected' && results[1].reason instanceof InputError);
          await log.append(good);
          // an unknown account passes the checks but not the foreign key: its batch (the two together) fails
          const queued = await Promise.allSettled([log.append(good), log.append({ command: { op: 'deposit', account: 'nobody', asset: 'USDT', amount: '1' }, timeMs: 2 })]);
          assert.deepEqual(queued.map((r) => r.status), ['rejected', 'rejected']);
          let count = 0;
          for await (const _ of store.commands()) count += 1;
          assert.equal(count, 3);
        } finally {
          await store.close();
        }
      });
    });
  }
});
