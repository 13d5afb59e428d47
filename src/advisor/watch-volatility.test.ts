// The distance to liquidation in the symbol's recent volatility: the hourly EWMA volatility of the bundled
// ETHUSDT hourly closes before the 2024-08-04 crash (what the paper venue serves watch as klines), and the
// hours in which a 99 % move reaches a liquidation price, checked against figures worked out by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { hourlyVolatility, hoursToLiquidation, type HourlyClose } from './watch-volatility.ts';

const HOUR = 3_600_000;
const close = (i: number, c: number): HourlyClose => ({ openTimeMs: i * HOUR, close: c });
const near = (actual: number, expected: number, relative = 1e-9) => assert.ok(Math.abs(actual - expected) <= relative * Math.abs(expected), `${actual} vs ${expected}`);

describe('hourlyVolatility: EWMA (lambda 0.94) of hourly log returns', () => {
  it('returns of ±1 % each hour: 1 % an hour', () => {
    const closes = Array.from({ length: 30 }, (_, i) => close(i, i % 2 === 0 ? 100 : 100 * Math.exp(0.01)));
    const v = hourlyVolatility(closes)!;
    assert.equal(v.returns, 29);
    near(v.hourly, 0.01);
  });
  it('no return across a gap in the hours; too few returns: none', () => {
    const closes = [...Array.from({ length: 10 }, (_, i) => close(i, 100 + i)), ...Array.from({ length: 10 }, (_, i) => close(20 + i, 200 + i))];
    assert.equal(hourlyVolatility(closes, 18)?.returns, 18);
    assert.equal(hourlyVolatility(closes, 19), undefined);
  });
  it('ETHUSDT, the 98 hours before 2024-08-04 12:00 (data/binance-spot-ETHUSDT-1h-2024-2026.csv): 0.5386 % an hour', () => {
    const start = Date.UTC(2024, 7, 4, 12);
    const rows = readFileSync(new URL('../../data/binance-spot-ETHUSDT-1h-2024-2026.csv', import.meta.url), 'utf8').trim().split('\n').slice(1);
    const closes = rows
      .map((r) => r.split(','))
      .map((f) => ({ openTimeMs: Number(f[0]), close: Number(f[4]) }))
      .filter((c) => c.openTimeMs >= start - 98 * HOUR && c.openTimeMs < start);
    assert.equal(closes.length, 98);
    const v = hourlyVolatility(closes)!;
    assert.equal(v.returns, 97);
    // the same recursion in Python over the same closes: 0.005385991733858539
    near(v.hourly, 0.005385991733858539);
    // the crash test's ETH long (mark 2,914.22, isolated liquidation 2,682.09672022): ln 1.0865 / (2.3263 x 0.5386 %), squared
    near(hoursToLiquidation('long', 2914.22, 2682.09672022, v.hourly), 43.88444584817838, 1e-8);
  });
});

describe('hoursToLiquidation: (ln-distance / (z99 x hourly))^2, sqrt-time scaling', () => {
  it('a long 100 -> 90 and a short 100 -> 110 at 1 % an hour', () => {
    near(hoursToLiquidation('long', 100, 90, 0.01), 20.51192683283812, 1e-8);
    near(hoursToLiquidation('short', 100, 110, 0.01), 16.785305940572474, 1e-8);
  });
  it('twice the log-distance takes four times the hours; twice the volatility a quarter', () => {
    const h = hoursToLiquidation('long', 100, 90, 0.01);
    near(hoursToLiquidation('long', 100, 81, 0.01), 4 * h);
    near(hoursToLiquidation('long', 100, 90, 0.02), h / 4);
  });
  it('at or past the liquidation price: 0 h; a long liquidated at 0 or a still market: never', () => {
    assert.equal(hoursToLiquidation('long', 90, 90, 0.01), 0);
    assert.equal(hoursToLiquidation('short', 111, 110, 0.01), 0);
    assert.equal(hoursToLiquidation('long', 100, 0, 0.01), Infinity);
    assert.equal(hoursToLiquidation('long', 100, 90, 0), Infinity);
  });
});
