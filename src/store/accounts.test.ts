// An account created while another writer's append is in flight (a server's batch that has taken its
// sequence numbers and not committed yet): its opening deposit must come after that batch in the log, in
// sequence and in time, or the replay refuses it (time before the state's time) and the account starts
// empty. Found by src/cli/serve-crash.test.ts on PostgreSQL (an account created beside the running server).
// PostgreSQL only: SQLite has one writer at a time (the creation waits for the open batch to commit; the
// race does not exist there, and one process cannot hold a SQLite write lock open while it creates).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { backends, openFresh, TEST_DATABASE_URL } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));
const postgres = list.find((b) => b.name === 'postgres')!;

describe('accounts on postgres', { skip: postgres.skip }, () => {
  after(() => postgres.cleanup());

  it('an account created during an uncommitted append gets its deposit after it: same time, later seq, replayed without a refusal', async () => {
    const location = postgres.fresh();
    const store = await openFresh(postgres, { location });
    const writer = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await writer.connect();
    try {
      await writer.query(`SET search_path TO ${(location as { schema: string }).schema}`);
      // the other writer: a mark at 7,200,000 ms, its seq taken, not committed
      await writer.query('BEGIN');
      const held = await writer.query(`INSERT INTO commands (account_id, command, time_ms) VALUES (NULL, '{"op":"mark","symbol":"BTCUSDT","price":"50000"}', 7200000) RETURNING seq`);
      const creating = store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '1000' }] });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await writer.query('COMMIT');
      const created = await creating;
      assert.ok(created.deposits[0]!.seq > Number(held.rows[0].seq));
      assert.equal(created.deposits[0]!.timeMs, 7_200_000);
      const replayed = await store.replay(created.accountId);
      assert.deepEqual(replayed.refused, []);
      assert.equal(replayed.applied, 2);
    } finally {
      await writer.end();
      await store.close();
    }
  });
});
