// Snapshots: the newest two per account are kept, and only this engine's are used.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runJournal, parseJournal } from '../engine/journal.ts';
import { serialize } from '../engine/invariants.ts';
import { connect } from './connection.ts';
import { migrate } from './migrations.ts';
import { newestSnapshot, saveSnapshot } from './snapshots.ts';
import { backends } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const { state } = runJournal(parseJournal({ ops: [{ op: 'deposit', account: 'acc', asset: 'USDT', amount: '250.5' }] }));

describe('snapshots', { concurrency: true }, () => {
  for (const backend of list) {
    describe(`on ${backend.name}`, { skip: backend.skip }, () => {
      after(() => backend.cleanup());

      it('keeps the newest two of an account and reads the newest of this engine', async () => {
        const connection = await connect(backend.fresh());
        try {
          await migrate(connection);
          const { db } = connection;
          await db.insertInto('accounts').values({ id: 'acc', api_key: 'k', secret_sealed: 'v1.x', created_ms: 0 }).execute();
          for (const seq of [10, 20, 30]) await saveSnapshot(db, 'acc', seq, state, seq);
          const rows = await db.selectFrom('snapshots').select('seq').where('account_id', '=', 'acc').orderBy('seq').execute();
          assert.deepEqual(rows.map((r) => Number(r.seq)), [20, 30]);
          // a newer snapshot by another engine is not used: it may hold other numbers for the same commands
          await db.insertInto('snapshots').values({ account_id: 'acc', seq: 40, state: '{}', engine_version: '0.0.1+engine.0', created_ms: 40 }).execute();
          const newest = await newestSnapshot(db, 'acc', state.config);
          assert.equal(newest?.seq, 30);
          assert.equal(serialize(newest!.state), serialize(state));
          assert.equal(await newestSnapshot(db, 'other', state.config), undefined);
        } finally {
          await connection.close();
        }
      });
    });
  }
});
