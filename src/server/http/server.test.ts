// End to end over real HTTP: a server on a free port over a temporary SQLite file, an account created in
// the store, requests signed as ccxt signs them. Market order, query, positionRisk v3 (the liquidation
// price is the engine's own figure for the state), leverage and margin type, Binance's refusals (-2019,
// -1022, -1021, 404), then a restart on the same file that reads back the same order and position.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../../domain/fixed.ts';
import { snapshotOf, userOf } from '../../engine/state.ts';
import { profileOf } from '../../exchanges/profiles.ts';
import { openStore } from '../../store/store.ts';
import type { StoreLocation } from '../../store/connection.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { priceTowardMark } from '../../views/numbers.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
const logged: string[] = [];
const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

async function start(location: StoreLocation): Promise<{ server: RunningServer; venue: Venue }> {
  const store = await openStore({ location, env });
  const venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
  venue.start(100);
  const server = await listen({ venue, clock: Date.now, log: (line) => logged.push(line), host: '127.0.0.1', port: 0 });
  return { server, venue };
}

for (const backend of list) describe(`perpguard serve over HTTP on ${backend.name}, signed as ccxt signs`, { skip: backend.skip }, () => {
  const location = backend.fresh();
  let server: RunningServer;
  let venue: Venue;
  let api: SignedClient;
  let accountId: string;
  let secret: string;
  let apiKey: string;
  let orderId: number;
  let positionBefore: Record<string, unknown>;

  before(async () => {
    const store = await openStore({ location, env });
    ({ accountId, apiKey, secret } = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] }));
    await store.close();
    ({ server, venue } = await start(location));
    api = client(server.url, apiKey, secret);
  });
  after(async () => {
    await server.close();
    await backend.cleanup();
  });

  it('GET /fapi/v1/time: the wall clock, with X-MBX-USED-WEIGHT-1M', async () => {
    const before = Date.now();
    const reply = await api.get('/fapi/v1/time');
    assert.equal(reply.status, 200);
    assert.ok(reply.body.serverTime >= before && reply.body.serverTime <= Date.now());
    assert.equal(reply.headers.get('x-mbx-used-weight-1m'), '1');
  });

  it('POST /fapi/v1/leverage 10 and /fapi/v1/marginType ISOLATED', async () => {
    const leverage = await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '10' });
    assert.equal(leverage.status, 200);
    assert.equal(leverage.body.leverage, 10);
    assert.equal(leverage.body.symbol, 'BTCUSDT');
    const margin = await api.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    assert.deepEqual([margin.status, margin.body], [200, { code: 200, msg: 'success' }]);
    const again = await api.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    assert.deepEqual([again.status, again.body], [400, { code: -4046, msg: 'No need to change margin type.' }]);
  });

  it('POST /fapi/v1/order market buy 0.01 BTCUSDT: FILLED at the mark; GET /fapi/v1/order reads it back', async () => {
    const mark = venue.market.marks['BTCUSDT']!;
    const placed = await api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', newClientOrderId: 'x-cvBPrNm9AAAAAAAAAAAAAAAAAAAAAA', newOrderRespType: 'RESULT', type: 'MARKET', quantity: '0.01' });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    // the answer is written as JSON text (order-responses.ts newOrderResponseJson): sent with fastify's own JSON type
    assert.equal(placed.headers.get('content-type'), 'application/json; charset=utf-8');
    assert.equal(placed.body.status, 'FILLED');
    assert.equal(placed.body.executedQty, '0.01');
    assert.equal(placed.body.clientOrderId, 'x-cvBPrNm9AAAAAAAAAAAAAAAAAAAAAA');
    // the fill is at the mark the engine held when the order ran (the feed may have moved it since)
    assert.ok(Number(placed.body.avgPrice) > 0);
    assert.ok(Math.abs(Number(placed.body.avgPrice) / Number(formatFixed(mark)) - 1) < 0.05, `${placed.body.avgPrice} vs ${formatFixed(mark)}`);
    orderId = placed.body.orderId;
    const read = await api.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(orderId) });
    assert.equal(read.status, 200);
    assert.deepEqual([read.body.status, read.body.avgPrice, read.body.executedQty, read.body.cumQuote], ['FILLED', placed.body.avgPrice, '0.01', placed.body.cumQuote]);
  });

  it('GET /fapi/v3/positionRisk: 0.01 BTC isolated, its liquidation price the engine figure for the same state', async () => {
    const reply = await api.signed('GET', '/fapi/v3/positionRisk', {});
    const state = venue.state(accountId)!;
    const report = profileOf(state.config.exchange).evaluate(snapshotOf(state, userOf(state, accountId), 'USDT'));
    const leg = report.legs[0]!;
    assert.equal(reply.status, 200);
    const btc = reply.body.find((p: { symbol: string }) => p.symbol === 'BTCUSDT');
    assert.equal(btc.positionAmt, '0.01');
    assert.equal(btc.liquidationPrice, priceTowardMark(leg.liquidationPrice!, leg.leg.markPrice));
    // 10x isolated long: liquidated a little under 10 % below the entry
    assert.ok(Number(btc.liquidationPrice) < Number(btc.entryPrice) * 0.91 && Number(btc.liquidationPrice) > Number(btc.entryPrice) * 0.89);
    positionBefore = { positionAmt: btc.positionAmt, entryPrice: btc.entryPrice, isolatedWallet: btc.isolatedWallet };
  });

  it('refusals: 10 BTC is -2019 HTTP 400 with a detail header; a bad signature -1022; an old timestamp -1021; no key -2014 HTTP 401; an unknown route 404 {}', async () => {
    const big = await api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '10' });
    assert.deepEqual([big.status, big.body], [400, { code: -2019, msg: 'Margin is insufficient.' }]);
    assert.ok((big.headers.get('x-perpguard-detail') ?? '').length > 0);
    const forged = await api.signed('GET', '/fapi/v3/account', {}, { secret: 'not-the-secret' });
    assert.deepEqual([forged.status, forged.body], [400, { code: -1022, msg: 'Signature for this request is not valid.' }]);
    const old = await api.signed('GET', '/fapi/v3/account', {}, { timestamp: Date.now() - 60_000 });
    assert.deepEqual([old.status, old.body.code], [400, -1021]);
    const anonymous = await fetch(`${server.url}/fapi/v3/account?timestamp=${Date.now()}`);
    assert.deepEqual([anonymous.status, (await anonymous.json()).code], [401, -2014]);
    const missing = await api.get('/fapi/v9/nothing');
    assert.deepEqual([missing.status, missing.body], [404, {}]);
  });

  it('after a restart on the same file: the same order and the same position', async () => {
    await server.close();
    ({ server, venue } = await start(location));
    api = client(server.url, apiKey, secret);
    const read = await api.signed('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(orderId) });
    assert.equal(read.status, 200);
    assert.equal(read.body.status, 'FILLED');
    assert.equal(read.body.clientOrderId, 'x-cvBPrNm9AAAAAAAAAAAAAAAAAAAAAA');
    const risk = await api.signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' });
    const btc = risk.body[0];
    assert.deepEqual({ positionAmt: btc.positionAmt, entryPrice: btc.entryPrice, isolatedWallet: btc.isolatedWallet }, positionBefore);
    const config = await api.signed('GET', '/fapi/v1/symbolConfig', { symbol: 'BTCUSDT' });
    assert.deepEqual([config.body[0].leverage, config.body[0].marginType], [10, 'ISOLATED']);
    assert.deepEqual(logged, []);
  });
});
