// Income, margin-move history and order modification over real HTTP, on SQLite and PostgreSQL. The venue's
// clock is the test's own (the feed follows it), so a funding settlement comes when the test says; the
// server's clock (signatures) stays the wall clock. Income rows sum to the wallet to the last digit, name
// the trades they belong to, and come back the same after a restart (they are replayed from the log).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { add, formatFixed, parseFixed, zero, type Money } from '../../domain/fixed.ts';
import { openStore } from '../../store/store.ts';
import type { StoreLocation } from '../../store/connection.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const HOUR = 3_600_000;
/** The feed starts at 07:00 UTC: the 08:00 settlement falls inside the test. */
const FEED_START = Date.UTC(2025, 5, 1, 7);

for (const backend of list) describe(`income, margin history and modify on ${backend.name}`, { skip: backend.skip }, () => {
  const location: StoreLocation = backend.fresh();
  let wallMs = 1_000_000;
  let server: RunningServer;
  let venue: Venue;
  let api: SignedClient;
  let apiKey: string;
  let secret: string;
  let other: { apiKey: string; secret: string };

  async function start() {
    const store = await openStore({ location, env });
    venue = await Venue.open({ store, clock: () => wallMs, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wall) => defaultFeed({ speed: 1, fromMs: FEED_START, logTimeMs }, wall) });
    venue.tick();
    server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0 });
    api = client(server.url, apiKey, secret);
  }

  before(async () => {
    const store = await openStore({ location, env });
    ({ apiKey, secret } = await store.createAccount({ timeMs: 0, deposits: [{ asset: 'USDT', amount: '10000' }] }));
    other = await store.createAccount({ timeMs: 0, deposits: [{ asset: 'USDT', amount: '500' }] });
    await store.close();
    await start();
  });
  after(async () => {
    await server.close();
    await backend.cleanup();
  });

  const ok = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params: Record<string, string> = {}) => {
    const reply = await api.signed(method, path, params);
    assert.equal(reply.status, 200, `${method} ${path}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };

  it('an isolated position opened, margin added and reduced, a funding settled, closed: income rows by type, summing to the wallet', async () => {
    await ok('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    await ok('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01' });
    await ok('POST', '/fapi/v1/positionMargin', { symbol: 'BTCUSDT', type: '1', amount: '50' });
    await ok('POST', '/fapi/v1/positionMargin', { symbol: 'BTCUSDT', type: '2', amount: '20' });
    wallMs += 1.5 * HOUR; // feed 08:30: the 08:00 settlement and new marks
    await ok('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.01', reduceOnly: 'true' });

    const income = await ok('GET', '/fapi/v1/income', { startTime: '0' });
    assert.deepEqual(
      income.map((r: { incomeType: string; symbol: string }) => `${r.incomeType} ${r.symbol}`),
      ['TRANSFER ', 'COMMISSION BTCUSDT', 'FUNDING_FEE BTCUSDT', 'REALIZED_PNL BTCUSDT', 'COMMISSION BTCUSDT'],
    );
    assert.equal(income[0].income, '10000');
    // funding: a long pays 0.01 % of its notional at the 08:00 mark
    assert.equal(income[2].time, FEED_START + HOUR);
    assert.ok(Number(income[2].income) < 0);
    const trades = await ok('GET', '/fapi/v1/userTrades', { symbol: 'BTCUSDT' });
    assert.deepEqual([income[1].tradeId, income[3].tradeId, income[4].tradeId], [String(trades[0].id), String(trades[1].id), String(trades[1].id)]);
    assert.equal(income[1].income, `-${trades[0].commission}`);
    assert.equal(income[3].income, trades[1].realizedPnl);
    const total = income.reduce((s: Money, r: { income: string }) => add(s, parseFixed<'Money'>(r.income)), zero<'Money'>());
    const [balance] = await ok('GET', '/fapi/v2/balance');
    assert.equal(formatFixed(total), balance.balance);
    // tranIds are the ledger's transfer ids: increasing
    assert.ok(income.every((r: { tranId: number }, i: number) => i === 0 || r.tranId > income[i - 1].tranId));
  });

  it('income filters: incomeType, symbol, page and limit; without times the last 7 days of feed time (the opening deposit is older)', async () => {
    const fees = await ok('GET', '/fapi/v1/income', { incomeType: 'COMMISSION', startTime: '0' });
    assert.equal(fees.length, 2);
    assert.deepEqual(await ok('GET', '/fapi/v1/income', { symbol: 'ETHUSDT', startTime: '0' }), []);
    assert.deepEqual(await ok('GET', '/fapi/v1/income', { incomeType: 'WELCOME_BONUS', startTime: '0' }), []);
    const page2 = await ok('GET', '/fapi/v1/income', { startTime: '0', limit: '2', page: '2' });
    assert.deepEqual(page2.map((r: { incomeType: string }) => r.incomeType), ['FUNDING_FEE', 'REALIZED_PNL']);
    const recent = await ok('GET', '/fapi/v1/income');
    assert.deepEqual(recent.map((r: { incomeType: string }) => r.incomeType), ['COMMISSION', 'FUNDING_FEE', 'REALIZED_PNL', 'COMMISSION']);
    const bad = await api.signed('GET', '/fapi/v1/income', { incomeType: 'GIFT' });
    assert.deepEqual([bad.status, bad.body.code], [400, -1130]);
  });

  it('positionMargin/history: the add and the reduce as Binance lists them; type filter; symbol required', async () => {
    const rows = await ok('GET', '/fapi/v1/positionMargin/history', { symbol: 'BTCUSDT' });
    assert.deepEqual(
      rows.map((r: Record<string, unknown>) => [r['type'], r['amount'], r['asset'], r['deltaType'], r['positionSide'], r['symbol']]),
      [
        [1, '50', 'USDT', 'USER_ADJUST', 'BOTH', 'BTCUSDT'],
        [2, '20', 'USDT', 'USER_ADJUST', 'BOTH', 'BTCUSDT'],
      ],
    );
    assert.deepEqual((await ok('GET', '/fapi/v1/positionMargin/history', { symbol: 'BTCUSDT', type: '2' })).length, 1);
    assert.equal((await api.signed('GET', '/fapi/v1/positionMargin/history')).body.code, -1102);
  });

  it('PUT /fapi/v1/order: same id, new price and quantity; -5027 unchanged, -2013 not open, -4014 off tick; across the mark it fills', async () => {
    const mark = Number(formatFixed(venue.market.marks['BTCUSDT']!));
    const below = (f: number) => (Math.floor(mark * f * 10) / 10).toFixed(1);
    const placed = await ok('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: below(0.9) });
    const modified = await ok('PUT', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', orderId: String(placed.orderId), quantity: '0.02', price: below(0.8) });
    assert.deepEqual([modified.orderId, modified.clientOrderId, modified.status, modified.price, modified.origQty], [placed.orderId, placed.clientOrderId, 'NEW', below(0.8), '0.02']);
    const open = await ok('GET', '/fapi/v1/openOrders', { symbol: 'BTCUSDT' });
    assert.deepEqual(open.map((o: { orderId: number; price: string }) => [o.orderId, o.price]), [[placed.orderId, below(0.8)]]);
    const refusals = [];
    for (const params of [
      { orderId: String(placed.orderId), quantity: '0.02', price: below(0.8) },
      { orderId: '999999', quantity: '0.02', price: below(0.8) },
      { orderId: String(placed.orderId), quantity: '0.02', price: `${below(0.8)}5` },
    ]) refusals.push((await api.signed('PUT', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', ...params })).body.code);
    assert.deepEqual(refusals, [-5027, -2013, -4014]);
    const filled = await ok('PUT', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', origClientOrderId: placed.clientOrderId, quantity: '0.02', price: below(1.1) });
    assert.deepEqual([filled.orderId, filled.status, filled.avgPrice, filled.executedQty], [placed.orderId, 'FILLED', formatFixed(venue.market.marks['BTCUSDT']!), '0.02']);
  });

  it('PUT and DELETE /fapi/v1/batchOrders: each slot its order or its error', async () => {
    const mark = Number(formatFixed(venue.market.marks['ETHUSDT']!));
    const price = (f: number) => (Math.floor(mark * f * 100) / 100).toFixed(2);
    const a = await ok('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: price(1.2) });
    const b = await ok('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.1', price: price(1.3) });
    const modified = await ok('PUT', '/fapi/v1/batchOrders', {
      batchOrders: JSON.stringify([
        { symbol: 'ETHUSDT', side: 'SELL', orderId: a.orderId, quantity: '0.2', price: price(1.25) },
        { symbol: 'ETHUSDT', side: 'SELL', orderId: 424242, quantity: '0.2', price: price(1.25) },
      ]),
    });
    assert.deepEqual([modified[0].orderId, modified[0].origQty, modified[0].price, modified[1].code], [a.orderId, '0.2', price(1.25), -2013]);
    const canceled = await ok('DELETE', '/fapi/v1/batchOrders', { symbol: 'ETHUSDT', orderIdList: JSON.stringify([a.orderId, b.orderId, 424242]) });
    assert.deepEqual(canceled.map((s: { status?: string; code?: number }) => s.status ?? s.code), ['CANCELED', 'CANCELED', -2011]);
    assert.deepEqual(await ok('GET', '/fapi/v1/openOrders', { symbol: 'ETHUSDT' }), []);
  });

  it('another account sees only its own: its deposit as income, no margin moves, no liquidations, and not the first account\'s orders', async () => {
    const theirs = client(server.url, other.apiKey, other.secret);
    const income = await theirs.signed('GET', '/fapi/v1/income', { startTime: '0' });
    assert.deepEqual(income.body.map((r: { incomeType: string; income: string }) => [r.incomeType, r.income]), [['TRANSFER', '500']]);
    assert.deepEqual((await theirs.signed('GET', '/fapi/v1/positionMargin/history', { symbol: 'BTCUSDT' })).body, []);
    assert.deepEqual((await theirs.signed('GET', '/fapi/v1/forceOrders', { startTime: '0' })).body, []);
    const mark = Number(formatFixed(venue.market.marks['BTCUSDT']!));
    const mine = await ok('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: (Math.floor(mark * 0.9 * 10) / 10).toFixed(1) });
    const refused = await theirs.signed('PUT', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', orderId: String(mine.orderId), quantity: '0.01', price: (Math.floor(mark * 0.8 * 10) / 10).toFixed(1) });
    assert.deepEqual([refused.status, refused.body.code], [400, -2013]);
    assert.equal((await ok('GET', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(mine.orderId) })).price, mine.price);
    await ok('DELETE', '/fapi/v1/order', { symbol: 'BTCUSDT', orderId: String(mine.orderId) });
  });

  it('after a restart on the same store: the same income and margin history (replayed from the log)', async () => {
    const income = await ok('GET', '/fapi/v1/income', { startTime: '0', limit: '1000' });
    const moves = await ok('GET', '/fapi/v1/positionMargin/history', { symbol: 'BTCUSDT' });
    await server.close();
    await start();
    assert.deepEqual(await ok('GET', '/fapi/v1/income', { startTime: '0', limit: '1000' }), income);
    assert.deepEqual(await ok('GET', '/fapi/v1/positionMargin/history', { symbol: 'BTCUSDT' }), moves);
    // the five rows above and the modified order's fill commission
    assert.deepEqual(income.map((r: { incomeType: string }) => r.incomeType).slice(4), ['COMMISSION', 'COMMISSION']);
  });
});
