// The user data stream over a real socket (the `ws` client), against the REST answers of the same server:
// listenKey create / keepalive / close with the API key only; two accounts, each hearing its own orders and
// balances and never the other's; a message only once its command is durable (a held append holds it, a
// refused append drops it); expiry pushes listenKeyExpired and closes. SQLite always, PostgreSQL when reachable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../store/store-test-support.ts';
import { client } from '../http/http-test-support.ts';
import { AppendGate, listenKeyCall, Reader, startVenue, type TestVenue } from './ws-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const kinds = (messages: readonly any[]) => messages.map((m) => (m.e === 'ORDER_TRADE_UPDATE' ? `OTU ${m.o.x}` : m.e));

for (const backend of list) describe(`user data streams on ${backend.name}`, { skip: backend.skip }, () => {
  let v: TestVenue;
  let alice: { accountId: string; apiKey: string; secret: string };
  let bob: { accountId: string; apiKey: string; secret: string };
  before(async () => {
    v = await startVenue(backend.fresh());
    alice = await v.account('10000');
    bob = await v.account('2000');
  });
  after(async () => {
    await v.close();
    await backend.cleanup();
  });

  it('listenKey: the API key only; POST again gives the same key; PUT extends it; another account can neither extend nor close it (-1125)', async () => {
    const base = v.server.url;
    const missing = await listenKeyCall(base, 'POST', undefined);
    assert.deepEqual([missing.status, missing.body.code], [401, -2014]);
    const unknown = await listenKeyCall(base, 'POST', 'x'.repeat(64));
    assert.deepEqual([unknown.status, unknown.body.code], [401, -2015]);
    const created = await listenKeyCall(base, 'POST', alice.apiKey);
    assert.equal(created.status, 200);
    assert.match(created.body.listenKey, /^[A-Za-z0-9]{64}$/);
    assert.deepEqual((await listenKeyCall(base, 'POST', alice.apiKey)).body, created.body);
    assert.deepEqual(await listenKeyCall(base, 'PUT', alice.apiKey), { status: 200, body: created.body });
    assert.deepEqual(await listenKeyCall(base, 'PUT', alice.apiKey, `listenKey=${created.body.listenKey}`), { status: 200, body: created.body });
    const theirs = { status: 400, body: { code: -1125, msg: 'This listenKey does not exist.' } };
    assert.deepEqual(await listenKeyCall(base, 'PUT', bob.apiKey, `listenKey=${created.body.listenKey}`), theirs);
    assert.deepEqual(await listenKeyCall(base, 'DELETE', bob.apiKey, `listenKey=${created.body.listenKey}`), theirs);
    // bob has no key of his own yet: a bare PUT names none
    assert.deepEqual(await listenKeyCall(base, 'PUT', bob.apiKey), theirs);
    const extra = await listenKeyCall(base, 'POST', alice.apiKey, 'symbol=BTCUSDT');
    assert.deepEqual([extra.status, extra.body.code], [400, -1104]);
  });

  it("two accounts: each stream carries its own account's orders and balances only, with the REST figures", async () => {
    const keyA = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey as string;
    const keyB = (await listenKeyCall(v.server.url, 'POST', bob.apiKey)).body.listenKey as string;
    assert.notEqual(keyA, keyB);
    // alice as ccxt.pro connects, bob as the `binance` package (combined envelope)
    const a = await Reader.open(`${v.wsUrl}/private/ws?listenKey=${keyA}`);
    const b = await Reader.open(`${v.wsUrl}/private/stream?listenKey=${keyB}`);
    const restA = client(v.server.url, alice.apiKey, alice.secret);
    const restB = client(v.server.url, bob.apiKey, bob.secret);

    const placed = await restA.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05', newClientOrderId: 'alice-1' });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    await a.until((m) => m.some((x) => x.e === 'ACCOUNT_UPDATE'));
    assert.deepEqual(kinds(a.messages), ['OTU NEW', 'OTU TRADE', 'ACCOUNT_UPDATE']);
    const trade = a.messages[1].o;
    const order = (await restA.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) })).body;
    assert.deepEqual([trade.i, trade.c, trade.X, trade.z, trade.ap, trade.L], [order.orderId, 'alice-1', 'FILLED', order.executedQty, order.avgPrice, order.avgPrice]);
    // 0.05 BTC at the mark 5,807.97: the fee is 0.05 % taker of 290.3985
    assert.deepEqual([trade.L, trade.n, trade.N], ['5807.97', '0.14519925', 'USDT']);
    const [balance] = (await restA.signed('GET', '/fapi/v2/balance')).body.filter((r: any) => r.asset === 'USDT');
    const update = a.messages[2].a;
    assert.deepEqual(update.B, [{ a: 'USDT', wb: balance.balance, cw: balance.crossWalletBalance, bc: '0' }]);
    assert.equal(update.B[0].wb, '9999.85480075');
    assert.deepEqual([update.P[0].s, update.P[0].pa, update.P[0].ep, update.P[0].mt], ['BTCUSDT', '0.05', '5807.97', 'cross']);

    const placedB = await restB.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: '1', newClientOrderId: 'bob-1' });
    assert.equal(placedB.status, 200, JSON.stringify(placedB.body));
    await b.until((m) => m.some((x) => x.data.e === 'ACCOUNT_UPDATE'));
    assert.ok(b.messages.every((x) => x.stream === keyB));
    assert.deepEqual(kinds(b.messages.map((x) => x.data)), ['OTU NEW', 'OTU TRADE', 'ACCOUNT_UPDATE']);
    assert.equal(b.messages[2].data.a.P[0].pa, '-1');
    // bob's stream never carried alice's order, alice's never bob's
    assert.ok(b.messages.every((x) => x.data.e !== 'ORDER_TRADE_UPDATE' || (x.data.o.c === 'bob-1' && x.data.o.s === 'ETHUSDT')));
    assert.equal(a.messages.length, 3);
    assert.ok(!JSON.stringify(a.messages).includes('bob-1') && !JSON.stringify(b.messages).includes('alice-1'));
    a.close();
    b.close();
  });

  it('a resting limit order modified (PUT /fapi/v1/order, same id): NEW, then AMENDMENT with the new price and quantity', async () => {
    const key = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey as string;
    const reader = await Reader.open(`${v.wsUrl}/private/ws?listenKey=${key}`);
    const rest = client(v.server.url, alice.apiKey, alice.secret);
    const placed = await rest.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.02', price: '5000' });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    const modified = await rest.signed('PUT', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId), side: 'BUY', quantity: '0.03', price: '4900' });
    assert.equal(modified.status, 200, JSON.stringify(modified.body));
    await reader.until((m) => m.length === 2);
    assert.deepEqual(kinds(reader.messages), ['OTU NEW', 'OTU AMENDMENT']);
    const amended = reader.messages[1].o;
    assert.deepEqual([amended.i, amended.X, amended.p, amended.q], [placed.body.orderId, 'NEW', '4900', '0.03']);
    await rest.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    reader.close();
  });

  it('DELETE /fapi/v1/listenKey ends its streams; the key no longer opens one (400 -1125)', async () => {
    const key = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey as string;
    const reader = await Reader.open(`${v.wsUrl}/ws/${key}`);
    assert.deepEqual(await listenKeyCall(v.server.url, 'DELETE', alice.apiKey), { status: 200, body: {} });
    await reader.until(() => reader.closed !== undefined);
    assert.equal(reader.closed!.code, 1000);
    await assert.rejects(Reader.open(`${v.wsUrl}/private/ws?listenKey=${key}`), (e: any) => e.status === 400 && JSON.parse(e.body).code === -1125);
    const fresh = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey;
    assert.notEqual(fresh, key);
  });
});

for (const backend of list) describe(`user data streams wait for the log on ${backend.name}`, { skip: backend.skip }, () => {
  let v: TestVenue;
  const gate = new AppendGate();
  before(async () => {
    v = await startVenue(backend.fresh(), { store: gate.wrap });
  });
  after(async () => {
    gate.release();
    await v.close();
    await backend.cleanup();
  });

  it('an order is streamed only once its append is durable; nothing while the append is held', async () => {
    const alice = await v.account();
    const key = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey as string;
    const reader = await Reader.open(`${v.wsUrl}/private/ws?listenKey=${key}`);
    gate.hold();
    const rest = client(v.server.url, alice.apiKey, alice.secret);
    let answered = false;
    const placing = rest.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.02' }).then((r) => ((answered = true), r));
    // the order is applied in memory (its position is there) but not yet logged: neither answer nor message
    const deadline = Date.now() + 2000;
    while (Object.keys(v.venue.state(alice.accountId)?.users[alice.accountId]?.positions ?? {}).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual([answered, reader.messages.length], [false, 0]);
    gate.release();
    assert.equal((await placing).status, 200);
    await reader.until((m) => m.length === 3);
    assert.deepEqual(kinds(reader.messages), ['OTU NEW', 'OTU TRADE', 'ACCOUNT_UPDATE']);
    reader.close();
  });

  it('a refused append (the venue stops) sends nothing', async () => {
    const bob = await v.account();
    const key = (await listenKeyCall(v.server.url, 'POST', bob.apiKey)).body.listenKey as string;
    const reader = await Reader.open(`${v.wsUrl}/private/ws?listenKey=${key}`);
    gate.refuse = true;
    const rest = client(v.server.url, bob.apiKey, bob.secret);
    const placed = await rest.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.02' });
    assert.deepEqual([placed.status, placed.body.code], [500, -1000]);
    await new Promise((r) => setTimeout(r, 200));
    assert.deepEqual(reader.messages, []);
    reader.close();
  });
});

describe('listenKey expiry', () => {
  it('a key not kept alive expires: its stream gets listenKeyExpired and is closed; a keepalive before that extends it', async () => {
    const { list: [sqlite] } = await backends();
    // Binance's 60 minutes, on a server clock the test moves (a real-time window failed on a loaded machine)
    const v = await startVenue(sqlite!.fresh(), { streams: { expiryCheckMs: 20 } });
    const MINUTE = 60_000;
    try {
      const alice = await v.account();
      const key = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey as string;
      const reader = await Reader.open(`${v.wsUrl}/private/ws?listenKey=${key}`);
      v.skewServerClock(40 * MINUTE);
      assert.equal((await listenKeyCall(v.server.url, 'PUT', alice.apiKey)).status, 200);
      // 70 minutes after it was made, 30 after the keepalive: still open
      v.skewServerClock(30 * MINUTE);
      await new Promise((r) => setTimeout(r, 200));
      assert.equal(reader.closed, undefined);
      assert.equal(reader.messages.length, 0);
      // 61 minutes after the keepalive: expired at the next check
      v.skewServerClock(31 * MINUTE);
      await reader.until(() => reader.closed !== undefined, 3000);
      assert.equal(reader.messages.length, 1);
      assert.equal(reader.messages[0].e, 'listenKeyExpired');
      assert.equal(reader.messages[0].listenKey, key);
      assert.equal(reader.closed!.code, 1000);
      assert.deepEqual((await listenKeyCall(v.server.url, 'PUT', alice.apiKey)).body.code, -1125);
      const next = (await listenKeyCall(v.server.url, 'POST', alice.apiKey)).body.listenKey;
      assert.notEqual(next, key);
    } finally {
      await v.close();
      await sqlite!.cleanup();
    }
  });
});
