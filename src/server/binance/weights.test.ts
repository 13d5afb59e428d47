// Request weights (Binance's published per-endpoint weights) and the rolling one-minute counter.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { WeightCounter, weightOf, WEIGHT_LIMIT_PER_MINUTE } from './weights.ts';

const p = (entries: Record<string, string> = {}) => new Map(Object.entries(entries));

describe("Binance's published weights", () => {
  it('endpoint pages: positionRisk v3 5, premiumIndex 1 / 10 without symbol, openOrders 1 / 40, new order 0, allAlgoOrders 5', () => {
    assert.equal(weightOf('GET', '/fapi/v3/positionRisk', p()), 5);
    assert.equal(weightOf('GET', '/fapi/v1/premiumIndex', p({ symbol: 'BTCUSDT' })), 1);
    assert.equal(weightOf('GET', '/fapi/v1/premiumIndex', p()), 10);
    assert.equal(weightOf('GET', '/fapi/v1/openOrders', p({ symbol: 'BTCUSDT' })), 1);
    assert.equal(weightOf('GET', '/fapi/v1/openOrders', p()), 40);
    assert.equal(weightOf('GET', '/fapi/v1/openAlgoOrders', p()), 40);
    assert.equal(weightOf('POST', '/fapi/v1/order', p()), 0);
    assert.equal(weightOf('POST', '/fapi/v1/algoOrder', p()), 0);
    assert.equal(weightOf('GET', '/fapi/v1/allAlgoOrders', p()), 5);
    assert.equal(weightOf('get', '/fapi/v1/positionSide/dual', p()), 30);
  });

  it('depth and klines by limit (default 500: 10 and 5)', () => {
    assert.deepEqual(['5', '50', '100', '500', '1000'].map((limit) => weightOf('GET', '/fapi/v1/depth', p({ limit }))), [2, 2, 5, 10, 20]);
    assert.equal(weightOf('GET', '/fapi/v1/depth', p()), 10);
    assert.deepEqual(['99', '100', '499', '500', '1000', '1500'].map((limit) => weightOf('GET', '/fapi/v1/klines', p({ limit }))), [1, 2, 2, 5, 5, 10]);
  });

  it('the routes of the rest of the surface: modify 0, batch modify 5, margin history 1, income 30, forceOrders 20 / 50, bookTicker 2 / 5, index klines by limit', () => {
    assert.equal(weightOf('PUT', '/fapi/v1/order', p()), 0);
    assert.equal(weightOf('PUT', '/fapi/v1/batchOrders', p()), 5);
    assert.equal(weightOf('GET', '/fapi/v1/positionMargin/history', p()), 1);
    assert.equal(weightOf('GET', '/fapi/v1/income', p()), 30);
    assert.deepEqual([weightOf('GET', '/fapi/v1/forceOrders', p({ symbol: 'BTCUSDT' })), weightOf('GET', '/fapi/v1/forceOrders', p())], [20, 50]);
    assert.deepEqual([weightOf('GET', '/fapi/v1/ticker/bookTicker', p({ symbol: 'BTCUSDT' })), weightOf('GET', '/fapi/v1/ticker/bookTicker', p())], [2, 5]);
    assert.equal(weightOf('GET', '/fapi/v1/indexPriceKlines', p({ limit: '1000' })), 5);
  });

  it('a route the venue does not serve has no weight', () => {
    assert.equal(weightOf('GET', '/fapi/v9/nothing', p()), undefined);
    assert.equal(weightOf('PATCH', '/fapi/v1/order', p()), undefined);
  });
});

describe('the rolling one-minute counter', () => {
  it('2,400 a minute: the request that would pass it gets 429, -1003 and Retry-After until the oldest charges expire', () => {
    const counter = new WeightCounter();
    const t0 = 1_000_000;
    // 60 x weight 40 at one second apart: 2,400 used at t0 + 59 s
    for (let i = 0; i < 60; i++) assert.equal(counter.charge('1.2.3.4', 40, t0 + i * 1000).usedWeight1m, 40 * (i + 1));
    const refused = counter.charge('1.2.3.4', 5, t0 + 59_500);
    assert.equal(refused.usedWeight1m, 2400);
    assert.deepEqual([refused.error?.code, refused.error?.status, refused.error?.msg], [-1003, 429, 'Too many requests; current limit is 2400 requests per minute. Please use the websocket for live updates to avoid polling the API.']);
    // the first charge (t0) leaves the window at t0 + 60 s: 0.5 s later, rounded up to whole seconds
    assert.equal(refused.error?.retryAfterSeconds, 1);
    // a refused request is not charged; once the first charge expired there is room for 40 again
    assert.equal(counter.used('1.2.3.4', t0 + 59_999), 2400);
    assert.equal(counter.charge('1.2.3.4', 40, t0 + 60_000).usedWeight1m, 2400);
    // keys are independent
    assert.equal(counter.charge('5.6.7.8', 5, t0 + 60_000).usedWeight1m, 5);
  });

  it('Retry-After counts the charges that must expire for a heavy request to fit', () => {
    const counter = new WeightCounter(100);
    counter.charge('k', 30, 0);
    counter.charge('k', 30, 10_000);
    counter.charge('k', 30, 20_000);
    // 90 used at 30 s; 40 more fits once the first charge is gone (60 + 40 = 100): at 60 s, 30 s from now
    assert.equal(counter.charge('k', 40, 30_000).error?.retryAfterSeconds, 30);
    // 41 more needs the first two gone: at 70 s, 40 s from now
    assert.equal(counter.charge('k', 41, 30_000).error?.retryAfterSeconds, 40);
    assert.equal(counter.charge('k', 500, 30_000).error?.retryAfterSeconds, 60);
  });

  it('prune forgets idle keys', () => {
    const counter = new WeightCounter();
    counter.charge('a', 1, 0);
    counter.charge('b', 1, 30_000);
    counter.prune(60_000);
    assert.equal(counter.keys, 1);
    counter.prune(90_000);
    assert.equal(counter.keys, 0);
  });

  it('property: the used weight equals the sum of accepted charges in the last 60 s, never above the limit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 5_000 }), fc.integer({ min: 0, max: 40 })), { maxLength: 400 }), (steps) => {
        const counter = new WeightCounter(300);
        const accepted: [number, number][] = [];
        let now = 0;
        for (const [dt, weight] of steps) {
          now += dt;
          const d = counter.charge('ip', weight, now);
          if (!d.error) accepted.push([now, weight]);
          const expected = accepted.filter(([t]) => t + 60_000 > now).reduce((s, [, w]) => s + w, 0);
          if (d.usedWeight1m !== expected || expected > 300) return false;
          if (d.error && !(d.error.retryAfterSeconds! >= 1 && d.error.retryAfterSeconds! <= 60)) return false;
        }
        return true;
      }),
      { numRuns: 200 },
    );
    assert.equal(WEIGHT_LIMIT_PER_MINUTE, 2400);
  });
});
