// The request paths ccxt.pro and the `binance` package open (../shared/reference/binance-api-clients.md §4,
// measured against a mock server) and Binance's older forms.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { routeOf } from './routes.ts';

const KEY = 'pqia91ma19a5s61cv6a81va65sdf19v8a65a1a5s61cv6a81va65sdf19v8a65a1';

describe('routes: what a connection serves', () => {
  it('ccxt.pro: /private/ws?listenKey=, /public/ws/<n>, /market/ws/<n>', () => {
    assert.deepEqual(routeOf(`/private/ws?listenKey=${KEY}`), { route: { category: 'private', combined: false, streams: [], listenKey: KEY } });
    assert.deepEqual(routeOf('/public/ws/0'), { route: { category: 'public', combined: false, streams: [] } });
    assert.deepEqual(routeOf('/market/ws/2'), { route: { category: 'market', combined: false, streams: [] } });
  });

  it('the binance package: /private/stream?listenKey=, /public/stream, /market/stream?streams=', () => {
    assert.deepEqual(routeOf(`/private/stream?listenKey=${KEY}`), { route: { category: 'private', combined: true, streams: [], listenKey: KEY } });
    assert.deepEqual(routeOf('/public/stream'), { route: { category: 'public', combined: true, streams: [] } });
    assert.deepEqual(routeOf('/market/stream?streams=btcusdt@markPrice/ethusdt@kline_1m'), { route: { category: 'market', combined: true, streams: ['btcusdt@markPrice', 'ethusdt@kline_1m'] } });
  });

  it('Binance\'s events filter on private streams', () => {
    assert.deepEqual(routeOf(`/private/ws?listenKey=${KEY}&events=ORDER_TRADE_UPDATE/ACCOUNT_UPDATE`), {
      route: { category: 'private', combined: false, streams: [], listenKey: KEY, events: ['ORDER_TRADE_UPDATE', 'ACCOUNT_UPDATE'] },
    });
  });

  it('the dashboard\'s own: /perpguard/ws?listenKey= (and nothing else under /perpguard)', () => {
    assert.deepEqual(routeOf(`/perpguard/ws?listenKey=${KEY}`), { route: { category: 'perpguard', combined: false, streams: [], listenKey: KEY } });
    assert.deepEqual(routeOf('/perpguard/ws'), { status: 400, reason: '/perpguard/ws: listenKey is required (…?listenKey=<key> from POST /fapi/v1/listenKey)' });
    assert.deepEqual(routeOf('/perpguard/ws?listenKey=a-b'), { status: 400, reason: 'listenKey: must be letters and digits' });
    assert.equal((routeOf(`/perpguard/stream?listenKey=${KEY}`) as { status: number }).status, 404);
    assert.equal((routeOf(`/perpguard/ws/btcusdt@markPrice?listenKey=${KEY}`) as { status: number }).status, 404);
  });

  it('the older forms: /ws, /ws/<stream>, /ws/<listenKey>, /private/ws/<listenKey>, /stream?streams= with a listenKey among them', () => {
    assert.deepEqual(routeOf('/ws'), { route: { category: 'legacy', combined: false, streams: [] } });
    assert.deepEqual(routeOf('/ws/btcusdt@markPrice'), { route: { category: 'legacy', combined: false, streams: ['btcusdt@markPrice'] } });
    assert.deepEqual(routeOf(`/ws/${KEY}`), { route: { category: 'legacy', combined: false, streams: [], listenKey: KEY } });
    assert.deepEqual(routeOf(`/private/ws/${KEY}`), { route: { category: 'private', combined: false, streams: [], listenKey: KEY } });
    assert.deepEqual(routeOf(`/stream?streams=btcusdt@bookTicker/${KEY}`), { route: { category: 'legacy', combined: true, streams: ['btcusdt@bookTicker'], listenKey: KEY } });
    assert.deepEqual(routeOf('/ws/!markPrice@arr@1s'), { route: { category: 'legacy', combined: false, streams: ['!markPrice@arr@1s'] } });
  });

  it('refuses, naming the reason: no listenKey, a bad one, two, an unknown path', () => {
    assert.deepEqual(routeOf('/private/ws'), { status: 400, reason: '/private/ws: listenKey is required (…?listenKey=<key> from POST /fapi/v1/listenKey)' });
    assert.deepEqual(routeOf('/private/ws?listenKey=a-b'), { status: 400, reason: 'listenKey: must be letters and digits' });
    assert.deepEqual(routeOf(`/stream?streams=${KEY}/${KEY}x`), { status: 400, reason: 'one listenKey per connection' });
    assert.equal((routeOf('/fapi/v1/ping') as { status: number }).status, 404);
    assert.equal((routeOf('/') as { status: number }).status, 404);
    assert.equal((routeOf('/market/ws/notastream') as { status: number }).status, 404);
  });
});
