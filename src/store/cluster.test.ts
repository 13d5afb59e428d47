// The cluster's leases and fenced appends on PostgreSQL (./cluster.ts), two nodes as two ids on one store:
// an account is leased once; an expired node is reaped with its leases and the feed; a reaped node writes
// nothing more; a follower's append is refused when a newer market command is logged; and the two locks on
// market_head, shown with a transaction held open by hand: a leader's market append waits for an open
// follower append (so the mark is numbered after the command the follower applied without it), and a
// follower's append waits for an open market append and is then refused.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { LeaseLost, MarketMoved } from './cluster.ts';
import { openStore } from './store.ts';
import { backends, openFresh, TEST_SECRET_KEY } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));
const postgres = list.find((b) => b.name === 'postgres')!;

/** A fresh store and a raw connection to its schema (to hold a transaction open by hand). */
async function storeAndClient() {
  const location = postgres.fresh();
  const store = await openStore({ location, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
  if (location.kind !== 'postgres') throw new Error('a PostgreSQL location');
  const raw = new pg.Client({ connectionString: location.url, options: `-c search_path=${location.schema}` });
  await raw.connect();
  return { store, raw };
}

const mark = (price: string) => ({ command: { op: 'mark', symbol: 'BTCUSDT', price }, timeMs: 1_000 });

describe('cluster leases on PostgreSQL', { skip: postgres.skip }, () => {
  after(() => postgres.cleanup());

  it('leases an account to the first node that claims it, frees it when that node is reaped, and fences the reaped node', async () => {
    const store = await openFresh(postgres);
    try {
      const cluster = store.cluster!;
      const { accountId } = await store.createAccount({ timeMs: 0, deposits: [{ asset: 'USDT', amount: '100' }] });
      await cluster.join('node-a', 'http://a:1', 60_000);
      await cluster.join('node-b', 'http://b:1', 300);
      assert.deepEqual(await cluster.claim(accountId, 'node-b'), { nodeId: 'node-b', url: 'http://b:1' });
      assert.deepEqual(await cluster.claim(accountId, 'node-a'), { nodeId: 'node-b', url: 'http://b:1' });
      assert.equal(await cluster.claimFeed('node-b'), true);
      assert.equal(await cluster.claimFeed('node-a'), false);
      const deposit = { command: { op: 'deposit', account: accountId, asset: 'USDT', amount: '1' }, timeMs: 1_000 };
      assert.equal((await cluster.appendGuarded([deposit], { nodeId: 'node-b', leader: true, marketSeq: 0 })).length, 1);
      // node-b stops renewing: past its 300 ms it is reaped, its lease and the feed go with it
      await new Promise((resolve) => setTimeout(resolve, 400));
      assert.equal(await cluster.renew('node-a', 60_000), true);
      assert.deepEqual(await cluster.reap(), ['node-b']);
      assert.equal(await cluster.renew('node-b', 60_000), false);
      await assert.rejects(cluster.appendGuarded([deposit], { nodeId: 'node-b', leader: false, marketSeq: 0 }), LeaseLost);
      assert.deepEqual(await cluster.claim(accountId, 'node-a'), { nodeId: 'node-a', url: 'http://a:1' });
      assert.equal(await cluster.claimFeed('node-a'), true);
      await cluster.leave('node-a');
      let deposits = 0;
      for await (const c of store.commands({ accountIds: [accountId] })) if (c.command['op'] === 'deposit') deposits += 1;
      assert.equal(deposits, 2, 'the opening deposit and node-b\'s one append before it was reaped');
    } finally {
      await store.close();
    }
  });

  it("refuses a follower's append once a newer market command is logged; the leader records the market's head", async () => {
    const store = await openFresh(postgres);
    try {
      const cluster = store.cluster!;
      const { accountId } = await store.createAccount({ timeMs: 0 });
      await cluster.join('leader', 'http://l:1', 60_000);
      await cluster.join('follower', 'http://f:1', 60_000);
      assert.equal(await cluster.claimFeed('leader'), true);
      const [first] = await cluster.appendGuarded([mark('60000')], { nodeId: 'leader', leader: true, marketSeq: 0 });
      assert.equal(await cluster.marketHead(), first);
      const deposit = { command: { op: 'deposit', account: accountId, asset: 'USDT', amount: '5' }, timeMs: 1_000 };
      await assert.rejects(cluster.appendGuarded([deposit], { nodeId: 'follower', leader: false, marketSeq: 0 }), MarketMoved);
      const [seq] = await cluster.appendGuarded([deposit], { nodeId: 'follower', leader: false, marketSeq: first! });
      assert.ok(seq! > first!);
      assert.deepEqual((await cluster.marketAfter(0)).map((c) => c.seq), [first]);
      // a node that is not the leader cannot write as one
      await assert.rejects(cluster.appendGuarded([mark('60001')], { nodeId: 'follower', leader: true, marketSeq: first! }), LeaseLost);
      assert.equal(await cluster.logTimeMs(), 1_000);
    } finally {
      await store.close();
    }
  });

  it("a leader's market append waits for a follower's open append, so the follower's command is numbered first", async () => {
    const { store, raw } = await storeAndClient();
    try {
      const cluster = store.cluster!;
      const { accountId } = await store.createAccount({ timeMs: 0 });
      await cluster.join('leader', 'http://l:1', 60_000);
      await cluster.join('follower', 'http://f:1', 60_000);
      await cluster.claimFeed('leader');
      // the follower's append, held open after its guard (as appendGuarded does it, by hand)
      await raw.query('BEGIN');
      assert.equal((await raw.query("select seq from market_head where id = 1 for share")).rows[0].seq, '0');
      let markDone = false;
      const marking = cluster.appendGuarded([mark('60000')], { nodeId: 'leader', leader: true, marketSeq: 0 }).then((seqs) => ((markDone = true), seqs[0]!));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(markDone, false, 'the market append waited for the open follower append');
      const followerSeq = Number((await raw.query("insert into commands (account_id, command, time_ms) values ($1, $2, 1000) returning seq", [accountId, JSON.stringify({ op: 'deposit', account: accountId, asset: 'USDT', amount: '1' })])).rows[0].seq);
      await raw.query('COMMIT');
      assert.ok((await marking) > followerSeq, 'the mark is numbered after the command applied before it');
    } finally {
      await raw.end();
      await store.close();
    }
  });

  it("a follower's append waits for the leader's open market append, then is refused (its market is older)", async () => {
    const { store, raw } = await storeAndClient();
    try {
      const cluster = store.cluster!;
      const { accountId } = await store.createAccount({ timeMs: 0 });
      await cluster.join('leader', 'http://l:1', 60_000);
      await cluster.join('follower', 'http://f:1', 60_000);
      await cluster.claimFeed('leader');
      // the leader's market append, held open after its insert (by hand)
      await raw.query('BEGIN');
      await raw.query("select seq from market_head where id = 1 for update");
      const markSeq = Number((await raw.query("insert into commands (account_id, command, time_ms) values (null, $1, 1000) returning seq", [JSON.stringify({ op: 'mark', symbol: 'BTCUSDT', price: '60000' })])).rows[0].seq);
      await raw.query('update market_head set seq = $1 where id = 1', [markSeq]);
      const deposit = { command: { op: 'deposit', account: accountId, asset: 'USDT', amount: '1' }, timeMs: 1_000 };
      const following = cluster.appendGuarded([deposit], { nodeId: 'follower', leader: false, marketSeq: 0 });
      // settled or not, observed from now on (a rejection before the commit would otherwise go unhandled)
      let settledBeforeCommit = false;
      const outcome = following.then(
        () => 'appended',
        (error: unknown) => error,
      );
      void outcome.then(() => (settledBeforeCommit = true));
      await new Promise((resolve) => setTimeout(resolve, 300));
      assert.equal(settledBeforeCommit, false, "the follower's append did not wait for the leader's open market append");
      await raw.query('COMMIT');
      assert.ok((await outcome) instanceof MarketMoved);
    } finally {
      await raw.end();
      await store.close();
    }
  });
});
