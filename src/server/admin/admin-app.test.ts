// The admin API on its loopback port beside a running venue: refusals (another peer, a foreign Host, a web
// page's Origin, a non-JSON body, the trading port), feed control (pause, step, speed, resume), pushed marks
// that liquidate an isolated long at its liquidation price and not above it and trigger a resting stop,
// logged durably (a restart replays the liquidation and the marks), and account creation that trades at
// once. SQLite and PostgreSQL.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { Decimal } from 'decimal.js';
import { formatFixed, isZero } from '../../domain/fixed.ts';
import type { StoreLocation } from '../../store/connection.ts';
import { openStore } from '../../store/store.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { listen, type RunningServer } from '../http/app.ts';
import { client, type SignedClient } from '../http/http-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { buildAdminApp, listenAdmin, type RunningAdmin } from './admin-app.ts';

const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

async function openVenue(location: StoreLocation) {
  const store = await openStore({ location, env });
  const venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
  return { store, venue };
}

async function call(admin: RunningAdmin, method: 'GET' | 'POST', path: string, body?: unknown, headers: Record<string, string> = {}) {
  const init: RequestInit = { method, headers: { ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...headers } };
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body);
  const response = await fetch(`${admin.url}${path}`, init);
  return { status: response.status, body: (await response.json()) as any };
}

for (const backend of list) describe(`the admin API on ${backend.name}`, { skip: backend.skip }, () => {
  const location = backend.fresh();
  let server: RunningServer;
  let admin: RunningAdmin;
  let venue: Venue;
  let api: SignedClient;
  let accountId: string;
  const logged: string[] = [];

  before(async () => {
    const setup = await openStore({ location, env });
    const created = await setup.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] });
    accountId = created.accountId;
    await setup.close();
    const opened = await openVenue(location);
    venue = opened.venue;
    venue.start(50);
    server = await listen({ venue, clock: Date.now, log: (l) => logged.push(l), host: '127.0.0.1', port: 0 });
    admin = await listenAdmin({ venue, store: opened.store, clock: Date.now, log: (l) => logged.push(l), port: 0 });
    api = client(server.url, created.apiKey, created.secret);
  });
  after(async () => {
    await admin.close();
    await server.close();
    await backend.cleanup();
  });

  it('refuses what is not a program on this machine: another peer, a foreign Host, an Origin, a non-JSON body; the trading port has no admin path', async () => {
    const app = buildAdminApp({ venue, store: undefined as never, clock: Date.now, log: () => undefined });
    const remote = await app.inject({ method: 'GET', url: '/admin/v1/feed', remoteAddress: '10.1.2.3', headers: { host: '127.0.0.1' } });
    assert.equal(remote.statusCode, 403);
    assert.match(remote.json().error, /loopback.*10\.1\.2\.3/);
    // fetch will not send another Host: node:http does, as a DNS-rebinding page's browser would
    const rebound = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const sent = request(`${admin.url}/admin/v1/feed`, { headers: { Host: 'attacker.example:8081' } }, (response) => {
        let body = '';
        response.on('data', (chunk) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      });
      sent.on('error', reject);
      sent.end();
    });
    assert.equal(rebound.status, 403);
    assert.match(JSON.parse(rebound.body).error, /^Host: /);
    const page = await call(admin, 'POST', '/admin/v1/feed/pause', undefined, { Origin: 'https://attacker.example' });
    assert.equal(page.status, 403);
    assert.match(page.body.error, /^Origin: /);
    const form = await call(admin, 'POST', '/admin/v1/marks', 'marks=1', { 'Content-Type': 'text/plain' });
    assert.equal(form.status, 415);
    assert.equal((await call(admin, 'GET', '/admin/v1/feed')).body.state, 'running', 'none of the refused requests paused the feed');
    const trading = await fetch(`${server.url}/admin/v1/feed/pause`, { method: 'POST' });
    assert.equal(trading.status, 404);
    await app.close();
  });

  it('pause holds the feed time; step 8 hands out the next 8 marks; speed while paused keeps it paused; resume runs at the new speed', async () => {
    const paused = await call(admin, 'POST', '/admin/v1/feed/pause');
    assert.equal(paused.status, 200, JSON.stringify(paused.body));
    assert.equal(paused.body.state, 'paused');
    await new Promise((resolve) => setTimeout(resolve, 120));
    const still = await call(admin, 'GET', '/admin/v1/feed');
    assert.equal(still.body.feedTimeMs, paused.body.feedTimeMs);
    const stepped = await call(admin, 'POST', '/admin/v1/feed/step', { ticks: 8 });
    assert.equal(stepped.status, 200, JSON.stringify(stepped.body));
    // 8 marks of 3 symbols (hourly bars, 4 points each): at least 2 quarter-hours later, plus any settlement on the way
    assert.ok(stepped.body.applied >= 8, String(stepped.body.applied));
    assert.ok(stepped.body.feedTimeMs >= paused.body.feedTimeMs + 15 * 60_000, `${stepped.body.feedTime} after ${paused.body.feedTime}`);
    assert.equal(stepped.body.state, 'paused');
    const faster = await call(admin, 'POST', '/admin/v1/feed/speed', { speed: 600 });
    assert.deepEqual([faster.body.state, faster.body.speed], ['paused', 600]);
    const resumed = await call(admin, 'POST', '/admin/v1/feed/resume', {});
    assert.deepEqual([resumed.body.state, resumed.body.speed], ['running', 600]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const later = await call(admin, 'GET', '/admin/v1/feed');
    // 200 ms of wall time at x600: two minutes of feed time at least
    assert.ok(later.body.feedTimeMs - resumed.body.feedTimeMs >= 100_000, `${later.body.feedTimeMs - resumed.body.feedTimeMs} ms`);
    assert.equal((await call(admin, 'POST', '/admin/v1/feed/pause')).body.state, 'paused');
  });

  it('bad bodies: one line naming the field', async () => {
    const cases: [string, unknown, RegExp][] = [
      ['/admin/v1/feed/step', { ticks: 0 }, /^ticks: must be at least 1/],
      ['/admin/v1/feed/step', { ticks: 2, tick: 1 }, /^tick: /],
      ['/admin/v1/feed/speed', { speed: 20_000 }, /^speed: must be at most 10000/],
      ['/admin/v1/marks', { marks: [{ symbol: 'DOGEUSDT', price: '1' }] }, /^marks\[0\]\.symbol: DOGEUSDT is not a market/],
      ['/admin/v1/marks', { marks: [{ symbol: 'BTCUSDT', price: '-1' }] }, /^marks\[0\]\.price: must be above zero/],
      ['/admin/v1/accounts', { deposit: 'lots' }, /^deposit: /],
      ['/admin/v1/accounts', '{"deposit": ', /^body: is not valid JSON/],
    ];
    for (const [path, body, expected] of cases) {
      const reply = await call(admin, 'POST', path, body);
      assert.equal(reply.status, 400, `${path} ${JSON.stringify(body)}`);
      assert.match(reply.body.error, expected);
      assert.equal(reply.body.error.split('\n').length, 1);
    }
  });

  it('pushed marks: above the liquidation price an isolated 20x long survives, at it the venue liquidates it; the mark and the liquidation are logged', async () => {
    for (const [path, params] of [
      ['/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' }],
      ['/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' }],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.1' }],
    ] as const) {
      const reply = await api.signed('POST', path, params);
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
    }
    const position = async () => (await api.signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })).body[0];
    const before = await position();
    const liquidation = new Decimal(before.liquidationPrice);
    const entry = new Decimal(before.entryPrice);
    // 20x isolated: the liquidation price lies within 5 % below the entry
    assert.ok(liquidation.lt(entry) && liquidation.gt(entry.times(0.95)), `${before.liquidationPrice} vs entry ${before.entryPrice}`);
    const above = liquidation.plus(5).toString();
    const pushedAbove = await call(admin, 'POST', '/admin/v1/marks', { marks: [{ symbol: 'BTCUSDT', price: above }] });
    assert.equal(pushedAbove.status, 200, JSON.stringify(pushedAbove.body));
    assert.equal(pushedAbove.body.marks.BTCUSDT, above);
    assert.equal(Number((await position()).positionAmt), 0.1);
    // positionRisk's liquidation price is exact to 8 decimals, rounded toward the mark: the tick (0.1) below it crosses it
    const at = liquidation.toDecimalPlaces(1, Decimal.ROUND_DOWN).toString();
    const pushed = await call(admin, 'POST', '/admin/v1/marks', { marks: [{ symbol: 'BTCUSDT', price: at }, { symbol: 'ETHUSDT', price: '2000' }] });
    assert.equal(pushed.status, 200, JSON.stringify(pushed.body));
    assert.equal(pushed.body.applied, 2);
    // positionRisk v3 lists open positions only: the BTCUSDT one is gone
    assert.deepEqual((await api.signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' })).body, []);
    const orders = (await api.signed('GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' })).body;
    // Binance's liquidation order: an IOC limit sell of the whole position at the mark that crossed, id autoclose-...
    const closing = orders.filter((o: any) => String(o.clientOrderId).startsWith('autoclose-'));
    assert.deepEqual(closing.map((o: any) => [o.type, o.timeInForce, o.side, o.price, o.executedQty, o.status]), [['LIMIT', 'IOC', 'SELL', at, '0.1', 'FILLED']]);
  });

  it('a pushed mark triggers a resting stop: ETHUSDT long 1 with a stop-market sell at 1,900 is closed when the mark is pushed to 1,899.5', async () => {
    const bought = await api.signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '1' });
    assert.equal(bought.status, 200, JSON.stringify(bought.body));
    const stop = await api.signed('POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'ETHUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '1', triggerPrice: '1900', reduceOnly: 'true' });
    assert.equal(stop.status, 200, JSON.stringify(stop.body));
    const untouched = await call(admin, 'POST', '/admin/v1/marks', { marks: [{ symbol: 'ETHUSDT', price: '1900.5' }] });
    assert.equal(untouched.status, 200);
    assert.equal((await api.signed('GET', '/fapi/v1/openAlgoOrders', { symbol: 'ETHUSDT' })).body.length, 1);
    const pushed = await call(admin, 'POST', '/admin/v1/marks', { marks: [{ symbol: 'ETHUSDT', price: '1899.5' }] });
    assert.equal(pushed.status, 200);
    assert.deepEqual((await api.signed('GET', '/fapi/v1/openAlgoOrders', { symbol: 'ETHUSDT' })).body, []);
    assert.deepEqual((await api.signed('GET', '/fapi/v3/positionRisk', { symbol: 'ETHUSDT' })).body, []);
    // the stop's market sell filled at the pushed mark
    const trades = (await api.signed('GET', '/fapi/v1/userTrades', { symbol: 'ETHUSDT' })).body;
    assert.deepEqual(trades.map((t: any) => [t.side, t.qty, t.price]), [['BUY', '1', '2000'], ['SELL', '1', '1899.5']]);
  });

  it('an account created through the admin API trades at once; a restart replays the pushed marks and the liquidation from the log', async () => {
    const created = await call(admin, 'POST', '/admin/v1/accounts', { deposit: '2500' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(Object.keys(created.body), ['accountId', 'apiKey', 'secret']);
    const balance = await client(server.url, created.body.apiKey, created.body.secret).signed('GET', '/fapi/v2/balance');
    assert.equal(balance.status, 200, JSON.stringify(balance.body));
    assert.equal(balance.body.find((b: any) => b.asset === 'USDT').balance, '2500');
    const pushedBtc = formatFixed(venue.market.marks['BTCUSDT']!);
    await admin.close();
    await server.close();
    const reopened = await openVenue(location);
    try {
      assert.equal(formatFixed(reopened.venue.market.marks['BTCUSDT']!), pushedBtc);
      assert.equal(formatFixed(reopened.venue.market.marks['ETHUSDT']!), '1899.5');
      const state = reopened.venue.state(accountId)!;
      assert.equal(Object.values(state.users[accountId]!.positions).filter((p) => !isZero(p.size)).length, 0);
      assert.ok(logged.some((l) => /admin: pushed BTCUSDT/.test(l)));
    } finally {
      await reopened.venue.close();
    }
    // the after() hook closes them again: harmless (close is idempotent)
    server = { ...server, close: async () => undefined };
    admin = { ...admin, close: async () => undefined };
  });
});
