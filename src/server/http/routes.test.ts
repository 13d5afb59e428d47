// The rest of the REST surface over real HTTP, and the ways other clients send requests: the `binance`
// package signs POSTs in the query with an empty form body, the official connector posts an empty
// application/json body (reference/binance-api-clients.md §2). Resting, cancelled, batched and conditional
// orders, margin moves, position mode, market data; then the weight limit (429 + Retry-After) and an
// internal failure (500 -1000, one log line, no secret).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFixed } from '../../domain/fixed.ts';
import { openStore, type Store } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { WeightCounter } from '../binance/weights.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-routes-'));
const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
let files = 0;
after(() => rmSync(folder, { recursive: true, force: true }));

async function serverOn(options: { broken?: boolean; weights?: WeightCounter; log?: string[] } = {}) {
  const real = await openStore({ location: { kind: 'sqlite', path: join(folder, `venue-${files++}.db`) }, env });
  const { apiKey, secret } = await real.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] });
  const store: Store = options.broken ? { ...real, appendBatch: () => Promise.reject(new Error('disk I/O error')) } : real;
  const venue = await Venue.open({ store, clock: Date.now, onFatal: () => undefined, feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
  const server = await listen({ venue, clock: Date.now, log: (line) => options.log?.push(line), host: '127.0.0.1', port: 0, weights: options.weights });
  return { server, venue, apiKey, secret, api: client(server.url, apiKey, secret) };
}

describe('the REST surface', () => {
  let server: RunningServer;
  let venue: Venue;
  let api: SignedClient;
  let apiKey: string;
  let secret: string;
  let mark: number;

  before(async () => {
    ({ server, venue, api, apiKey, secret } = await serverOn());
    venue.tick();
    mark = Number(formatFixed(venue.market.marks['BTCUSDT']!));
  });
  after(() => server.close());

  it('exchangeInfo lists BTCUSDT, ETHUSDT and SOLUSDT; premiumIndex gives the feed mark', async () => {
    const info = await api.get('/fapi/v1/exchangeInfo');
    for (const s of ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']) assert.ok(info.body.symbols.some((x: { symbol: string }) => x.symbol === s), s);
    const premium = await api.get('/fapi/v1/premiumIndex?symbol=ETHUSDT');
    assert.equal(premium.body.markPrice, formatFixed(venue.market.marks['ETHUSDT']!));
  });

  it('the `binance` package: a POST signed in the query with an empty form body places the order', async () => {
    const query = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.002&timestamp=${Date.now()}&recvWindow=5000`;
    const signature = createHmac('sha256', secret).update(query).digest('hex');
    const response = await fetch(`${server.url}/fapi/v1/order?${query}&signature=${signature}`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey, 'Content-Type': 'application/x-www-form-urlencoded' } });
    const body = await response.json();
    assert.equal(response.status, 200, JSON.stringify(body));
    assert.equal(body.status, 'NEW'); // ACK, Binance's default newOrderRespType
  });

  it('the official connector: an empty application/json body, signed query (POST /fapi/v1/positionSide/dual is refused -4068 with a position)', async () => {
    const query = `dualSidePosition=true&timestamp=${Date.now()}`;
    const signature = createHmac('sha256', secret).update(query).digest('hex');
    const response = await fetch(`${server.url}/fapi/v1/positionSide/dual?${query}&signature=${signature}`, { method: 'POST', headers: { 'X-MBX-APIKEY': apiKey, 'Content-Type': 'application/json' } });
    assert.deepEqual([response.status, await response.json()], [400, { code: -4068, msg: 'Position side cannot be changed if there exists position.' }]);
    const mode = await api.signed('GET', '/fapi/v1/positionSide/dual');
    assert.deepEqual(mode.body, { dualSidePosition: false });
  });

  it('a resting limit buy at 90 % of the mark: NEW, listed by openOrders, cancelled by DELETE /fapi/v1/order (CANCELED)', async () => {
    const price = String(Math.floor(mark * 0.9));
    const placed = await api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price, newOrderRespType: 'RESULT' });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    assert.deepEqual([placed.body.status, placed.body.price], ['NEW', price]);
    const open = await api.signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    assert.deepEqual(open.body.map((o: { orderId: number }) => o.orderId), [placed.body.orderId]);
    const canceled = await api.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    assert.deepEqual([canceled.status, canceled.body.status], [200, 'CANCELED']);
    const again = await api.signed('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(placed.body.orderId) });
    assert.deepEqual([again.status, again.body], [400, { code: -2011, msg: 'Unknown order sent.' }]);
  });

  it('batchOrders: each order in its slot, a refusal as its {code, msg}; DELETE allOpenOrders cancels the rest', async () => {
    const price = String(Math.floor(mark * 0.9));
    const batch = JSON.stringify([
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price },
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '50' },
    ]);
    const reply = await api.signed('POST', '/fapi/v1/batchOrders', { batchOrders: batch });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body[0].status, 'NEW');
    assert.deepEqual(reply.body[1], { code: -2019, msg: 'Margin is insufficient.' });
    const all = await api.signed('DELETE', '/fapi/v1/allOpenOrders', { symbol: 'BTCUSDT' });
    assert.deepEqual(all.body, { code: 200, msg: 'The operation of cancel all open order is done.' });
    assert.deepEqual((await api.signed('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' })).body, []);
    const history = await api.signed('GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' });
    assert.deepEqual(history.body.map((o: { status: string }) => o.status), ['FILLED', 'CANCELED', 'CANCELED']);
    const trades = await api.signed('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' });
    assert.equal(trades.body.length, 1);
    assert.equal(trades.body[0].qty, '0.002');
  });

  it('a STOP_MARKET sell through the Algo API: listed by openAlgoOrders, read by GET algoOrder, cancelled by DELETE algoOrder', async () => {
    const trigger = String(Math.floor(mark * 0.8));
    const placed = await api.signed('POST', '/fapi/v1/algoOrder', { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.002', triggerPrice: trigger, reduceOnly: 'true' });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    const algoId = placed.body.algoId;
    const open = await api.signed('GET', '/fapi/v1/openAlgoOrders', { symbol: 'BTCUSDT' });
    assert.deepEqual(open.body.map((o: { algoId: number }) => o.algoId), [algoId]);
    const read = await api.signed('GET', '/fapi/v1/algoOrder', { algoId: String(algoId) });
    assert.equal(read.body.triggerPrice, trigger);
    const canceled = await api.signed('DELETE', '/fapi/v1/algoOrder', { symbol: 'BTCUSDT', algoId: String(algoId) });
    assert.deepEqual([canceled.status, canceled.body.algoId, canceled.body.msg], [200, algoId, 'success']);
    assert.deepEqual((await api.signed('GET', '/fapi/v1/openAlgoOrders', { symbol: 'BTCUSDT' })).body, []);
  });

  it('positionMargin on a cross position: -4049; account, balance and symbolConfig answer', async () => {
    const margin = await api.signed('POST', '/fapi/v1/positionMargin', { symbol: 'BTCUSDT', amount: '10', type: '1' });
    assert.deepEqual([margin.status, margin.body.code], [400, -4049]);
    const account = await api.signed('GET', '/fapi/v2/account');
    assert.equal(account.status, 200);
    const balance = await api.signed('GET', '/fapi/v3/balance');
    assert.equal(balance.body[0].asset, 'USDT');
    const config = await api.signed('GET', '/fapi/v1/symbolConfig', { symbol: 'BTCUSDT' });
    assert.equal(config.body[0].marginType, 'CROSSED');
    const unknown = await api.signed('GET', '/fapi/v2/account', { colour: 'blue' });
    assert.deepEqual([unknown.status, unknown.body.code], [400, -1104]);
  });
});

describe('limits and failures', () => {
  it('over the weight limit: 429 {-1003} with Retry-After and X-MBX-USED-WEIGHT-1M', async () => {
    const { server } = await serverOn({ weights: new WeightCounter(2) });
    try {
      const replies = [];
      for (let i = 0; i < 3; i++) replies.push(await fetch(`${server.url}/fapi/v1/time`));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 429]);
      assert.equal(replies[2]!.headers.get('x-mbx-used-weight-1m'), '2');
      assert.ok(Number(replies[2]!.headers.get('retry-after')) >= 1);
      assert.equal((await replies[2]!.json()).code, -1003);
    } finally {
      await server.close();
    }
  });

  it('a command log that fails: 500 {-1000} without a stack, one log line without the secret, the venue stopped', async () => {
    const log: string[] = [];
    const { server, api, secret } = await serverOn({ broken: true, log });
    try {
      const first = await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '3' });
      assert.deepEqual([first.status, first.body], [500, { code: -1000, msg: 'An unknown error occured while processing the request.' }]);
      const second = await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '4' });
      assert.equal(second.status, 500);
      assert.equal(log.length, 2);
      assert.match(log[0]!, /^POST \/fapi\/v1\/leverage: VenueStopped: /);
      assert.ok(log.every((line) => !line.includes(secret)));
    } finally {
      await server.close();
    }
  });
});
