// The venue driven by an unmodified ccxt 4.5.84 binanceusdm, its urls.api fapi*/sapi entries pointed at the
// server and options.fetchCurrencies off (../shared/reference/binance-api-clients.md §1): loadMarkets,
// setLeverage, setMarginMode (a repeat is ccxt's MarginModeAlreadySet), createOrder, fetchOrder, fetchPositions,
// fetchBalance, and a refusal mapped to ccxt's exception (on a 127.0.0.1 base ccxt maps -2019 to
// ExchangeError, and its message carries Binance's body: reference §3).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { openStore } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-ccxt-'));
const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };

describe('ccxt binanceusdm against perpguard serve', () => {
  let server: RunningServer;
  let exchange: InstanceType<typeof ccxt.binanceusdm>;
  let venue: Venue;

  before(async () => {
    const store = await openStore({ location: { kind: 'sqlite', path: join(folder, 'venue.db') }, env });
    const { apiKey, secret } = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] });
    venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
    venue.start(100);
    server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0 });
    exchange = new ccxt.binanceusdm({ apiKey, secret, options: { fetchCurrencies: false } });
    const base = server.url;
    const api = exchange.urls['api'] as Record<string, string>;
    for (const v of ['', 'V2', 'V3']) {
      api[`fapiPublic${v}`] = `${base}/fapi/${v === '' ? 'v1' : v.toLowerCase()}`;
      api[`fapiPrivate${v}`] = `${base}/fapi/${v === '' ? 'v1' : v.toLowerCase()}`;
    }
    api['sapi'] = `${base}/sapi/v1`;
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('loadMarkets: BTC/USDT:USDT is a linear perpetual settled in USDT', async () => {
    const markets = await exchange.loadMarkets();
    const btc = markets['BTC/USDT:USDT']!;
    assert.equal(btc.id, 'BTCUSDT');
    assert.equal(btc.linear, true);
    assert.equal(btc.settle, 'USDT');
    assert.equal(btc.active, true);
  });

  it('setLeverage 5 and setMarginMode isolated; again: MarginModeAlreadySet (ccxt matches -4046 on its exact msg)', async () => {
    const leverage = (await exchange.setLeverage(5, 'BTC/USDT:USDT')) as { leverage: number };
    assert.equal(leverage.leverage, 5);
    await exchange.setMarginMode('isolated', 'BTC/USDT:USDT');
    // ccxt 4.5.84's binanceusdm sets options.setMarginMode.throwMarginModeAlreadySet: true
    await assert.rejects(exchange.setMarginMode('isolated', 'BTC/USDT:USDT'), ccxt.MarginModeAlreadySet);
    const modes = await exchange.fetchMarginMode('BTC/USDT:USDT');
    assert.equal(modes.marginMode, 'isolated');
  });

  it('createOrder market buy 0.02, fetchOrder, fetchPositions, fetchBalance', async () => {
    const order = await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.02);
    assert.equal(order.status, 'closed');
    assert.equal(order.filled, 0.02);
    const fetched = await exchange.fetchOrder(order.id!, 'BTC/USDT:USDT');
    assert.deepEqual([fetched.status, fetched.filled, fetched.average], ['closed', 0.02, order.average]);
    const positions = await exchange.fetchPositions(['BTC/USDT:USDT']);
    const btc = positions.find((p) => p.symbol === 'BTC/USDT:USDT')!;
    assert.equal(btc.contracts, 0.02);
    assert.equal(btc.side, 'long');
    assert.equal(btc.marginMode, 'isolated');
    assert.equal(btc.entryPrice, order.average);
    const balance = await exchange.fetchBalance();
    // total = the wallet: 10,000 less the taker fee of 0.05 % on the notional
    const fee = 0.02 * order.average! * 0.0005;
    assert.ok(Math.abs((balance['USDT']!.total as number) - (10_000 - fee)) < 1e-6, `total ${balance['USDT']!.total}, fee ${fee}`);
  });

  it('a 10 BTC order: refused with Binance\'s -2019 body, as ccxt maps it on a 127.0.0.1 base (ExchangeError)', async () => {
    await assert.rejects(exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 10), (error: Error) => {
      assert.ok(error instanceof ccxt.ExchangeError);
      assert.match(error.message, /"code":-2019,"msg":"Margin is insufficient\."/);
      return true;
    });
  });
});
