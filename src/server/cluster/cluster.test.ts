// Scale-out on PostgreSQL with two real `perpguard serve` processes on one database (one schema of the test
// database), the feed at x1000 so marks are logged while orders flow: orders for an account sent to either
// process land once, in the order sent, whichever node owns the account (the other forwards the signed
// request as received); one feed for both; then the owner of both accounts is killed with SIGKILL and the
// other takes them over (its lease expires), replaying them from the log, with every acknowledged order
// there. At the end the log replays every account without a refused command, to the positions the servers
// reported. (SQLite stays single-process: ../../store/serve-lock.test.ts.)
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { openStore, type Store } from '../../store/store.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { client, type SignedClient } from '../http/http-test-support.ts';

const BIN = fileURLToPath(new URL('../../../bin/perpguard.mjs', import.meta.url));
const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));
const postgres = list.find((b) => b.name === 'postgres')!;

interface Node {
  readonly child: ChildProcess;
  readonly url: string;
  readonly stderr: string[];
}

/** `perpguard serve --port 0 --json` with `env`; resolves with its URL once it listens. */
function serve(env: Record<string, string>, args: readonly string[] = []): Promise<Node> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const stderr: string[] = [];
  createInterface({ input: child.stderr! }).on('line', (line) => stderr.push(line));
  return new Promise((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', (line) => resolve({ child, url: (JSON.parse(line) as { url: string }).url, stderr }));
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before listening: ${stderr.join(' | ')}`)));
  });
}

async function stop(node: Node, signal: NodeJS.Signals): Promise<number | null> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return node.child.exitCode;
  const exited = new Promise<number | null>((resolve) => node.child.once('exit', (code) => resolve(code)));
  node.child.kill(signal);
  return exited;
}

const order = (api: SignedClient, side: 'BUY' | 'SELL', id: string) =>
  api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side, type: 'MARKET', quantity: '0.01', newClientOrderId: id, newOrderRespType: 'RESULT' });

describe('two perpguard serve processes on one PostgreSQL database', { skip: postgres.skip, timeout: 120_000 }, () => {
  const location = postgres.skip ? undefined : postgres.fresh();
  const env: Record<string, string> = location?.kind === 'postgres' ? { DATABASE_URL: `${location.url}?schema=${location.schema}`, PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } : {};
  let nodes: Node[] = [];
  let accounts: { accountId: string; apiKey: string; secret: string }[] = [];
  /** Client order ids acknowledged (HTTP 200), per account, in the order sent. */
  const acknowledged = new Map<string, string[]>();
  const api = (node: Node, a: number) => client(node.url, accounts[a]!.apiKey, accounts[a]!.secret);

  before(async () => {
    const store = await openStore({ location: location!, env });
    accounts = [];
    for (let i = 0; i < 2; i++) accounts.push(await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '100000' }] }));
    await store.close();
    nodes = await Promise.all([serve(env, ['--speed', '1000']), serve(env, ['--speed', '1000'])]);
    // a market order needs a mark: wait until the feed's leader has logged BTC's first and both nodes applied
    // it (the follower from the log); on a loaded machine the first orders otherwise came before it (-4131)
    for (const node of nodes) {
      const deadline = Date.now() + 30_000;
      for (;;) {
        const index = await client(node.url, '', '').get('/fapi/v1/premiumIndex?symbol=BTCUSDT');
        if (index.status === 200 && Number(index.body.markPrice) > 0) break;
        if (Date.now() > deadline) assert.fail(`no BTCUSDT mark on ${node.url} after 30 s: ${JSON.stringify(index.body)}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  });
  after(async () => {
    await Promise.all(nodes.map((n) => stop(n, 'SIGTERM')));
    await postgres.cleanup();
  });

  it('orders for one account sent to either process land once, in the order sent; the non-owner forwards them signed as they came', async () => {
    for (let a = 0; a < 2; a++) {
      const sent: string[] = [];
      for (let i = 0; i < 12; i++) {
        const id = `scale-${a}-${i}`;
        // account 0 starts on node 0, account 1 on node 1: each is leased where it is first used
        const reply = await order(api(nodes[(a + i) % 2]!, a), i % 3 === 2 ? 'SELL' : 'BUY', id);
        assert.equal(reply.status, 200, JSON.stringify(reply.body));
        assert.equal(reply.body.clientOrderId, id);
        assert.equal(reply.body.status, 'FILLED');
        sent.push(id);
      }
      acknowledged.set(accounts[a]!.accountId, sent);
      for (const node of nodes) {
        const all = await api(node, a).signed('GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' });
        assert.equal(all.status, 200);
        assert.deepEqual(all.body.map((o: { clientOrderId: string }) => o.clientOrderId), sent);
        const ids = all.body.map((o: { orderId: number }) => o.orderId);
        assert.deepEqual(ids, [...ids].sort((x: number, y: number) => x - y));
      }
    }
    // each account is in the log once per order, and the process it was first sent to logged it
    const store = await openStore({ location: location!, env });
    try {
      for (const [accountId, sent] of acknowledged) {
        const logged: string[] = [];
        for await (const c of store.commands({ accountIds: [accountId] })) if (c.accountId !== null && c.command['op'] === 'order') logged.push(String(c.command['clientOrderId']));
        assert.deepEqual(logged, sent);
      }
    } finally {
      await store.close();
    }
  });

  it('one feed for both: every market command is logged once (no symbol has two marks at one feed time), and both serve its marks', async () => {
    const store = await openStore({ location: location!, env });
    let marks = 0;
    try {
      // read the log until the feed has logged more than 3 marks (at x1000 a few seconds at most), not a fixed wait
      for (const deadline = Date.now() + 30_000; marks <= 3 && Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
        const seen = new Set<string>();
        marks = 0;
        for await (const c of store.commands({ accountIds: [] })) {
          if (c.command['op'] !== 'mark') continue;
          const key = `${String(c.command['symbol'])} ${c.timeMs}`;
          assert.ok(!seen.has(key), `two marks for ${key}`);
          seen.add(key);
          marks += 1;
        }
      }
    } finally {
      await store.close();
    }
    assert.ok(marks > 3, `${marks} marks logged`);
    const leaders = nodes.filter((n) => n.stderr.some((l) => l.includes('runs the feed now')));
    assert.equal(leaders.length, 1, nodes.map((n) => n.stderr.join('\n')).join('\n----\n'));
    for (const node of nodes) assert.equal((await client(node.url, '', '').get('/fapi/v1/premiumIndex?symbol=BTCUSDT')).status, 200);
  });

  it('SIGKILL of the owner: the other process takes its accounts over once the lease expires, with every acknowledged order', async () => {
    // node 0 owns account 0 (first sent there), node 1 account 1
    const victim = nodes[0]!;
    const survivor = nodes[1]!;
    assert.equal(await stop(victim, 'SIGKILL'), null);
    const started = Date.now();
    const sent = acknowledged.get(accounts[0]!.accountId)!;
    const reply = await order(api(survivor, 0), 'SELL', 'scale-0-after-kill');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    sent.push('scale-0-after-kill');
    const tookMs = Date.now() - started;
    assert.ok(tookMs < 9_000, `takeover took ${tookMs} ms`);
    for (let a = 0; a < 2; a++) {
      const all = await api(survivor, a).signed('GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' });
      assert.deepEqual(all.body.map((o: { clientOrderId: string }) => o.clientOrderId), acknowledged.get(accounts[a]!.accountId));
    }
    // 12 orders: 8 buys and 4 sells of 0.01 (i % 3 === 2 sells), then one more sell on account 0
    const position = async (a: number) => {
      const rows = (await api(survivor, a).signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })).body as { positionAmt: string }[];
      return rows.map((r) => r.positionAmt);
    };
    assert.deepEqual(await position(0), ['0.03']);
    assert.deepEqual(await position(1), ['0.04']);
  });

  it('after a clean stop, the log replays both accounts with no refused command, to the positions served', async () => {
    assert.equal(await stop(nodes[1]!, 'SIGTERM'), 0);
    const store: Store = await openStore({ location: location!, env });
    try {
      const text = (value: unknown) => JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? v.toString() : v));
      for (const { accountId } of accounts) {
        const replay = await store.replay(accountId, { useSnapshots: false });
        assert.deepEqual(replay.refused, []);
        // the survivor's shutdown snapshot of the state it served, and the log from the start, agree
        const withSnapshots = await store.replay(accountId);
        assert.ok(withSnapshots.fromSeq > 0, 'a snapshot was written at the clean stop');
        assert.equal(text(withSnapshots.state.users[accountId]), text(replay.state.users[accountId]));
      }
    } finally {
      await store.close();
    }
  });
});
