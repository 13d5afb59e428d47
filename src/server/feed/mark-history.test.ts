// The mark history read as Binance candles and windows: an hourly kline is the bar itself, finer ones are
// the bar's path points, coarser ones aggregate bars, quiet intervals are flat at the standing price, and
// the selection follows Binance's startTime / endTime / limit rules up to the horizon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, fromInt, price, type Price } from '../../domain/fixed.ts';
import { emptySeries } from '../../sim/data.ts';
import { klines, markPathOf, priceAt, windowOf } from './mark-history.ts';

const HOUR = 3_600_000;
const T0 = Date.UTC(2025, 0, 1);

/** Bars as [open, high, low, close], one an hour from T0 (bar 3 starts at T0 + 4 h: an hour without a bar). */
function series(bars: [string, string, string, string][], starts = bars.map((_, i) => T0 + i * HOUR)) {
  const s = emptySeries('BTCUSDT', 'test', bars.length, HOUR);
  bars.forEach(([o, h, l, c], i) => {
    s.time[i] = starts[i]!;
    s.open[i] = price(o);
    s.high[i] = price(h);
    s.low[i] = price(l);
    s.close[i] = price(c);
  });
  return s;
}

const text = (c: { open: unknown; high: unknown; low: unknown; close: unknown }) => [c.open, c.high, c.low, c.close].map((x) => formatFixed(x as never));

const BARS: [string, string, string, string][] = [
  ['100', '110', '95', '105'], // up: open, low, high, close
  ['105', '107', '90', '92'], // down: open, high, low, close
  ['92', '93', '91', '93'],
  ['93', '120', '93', '118'],
];
const path = markPathOf(series(BARS, [T0, T0 + HOUR, T0 + 2 * HOUR, T0 + 4 * HOUR]));

describe('mark history', () => {
  it('1h klines are the bars; the hour without a bar is flat at the close that stood', () => {
    const rows = klines(path, { interval: '1h', limit: 10 }, T0 + 5 * HOUR - 1);
    assert.deepEqual(
      rows.map((c) => [c.openTimeMs - T0, c.closeTimeMs - T0, ...text(c)]),
      [
        [0, HOUR - 1, '100', '110', '95', '105'],
        [HOUR, 2 * HOUR - 1, '105', '107', '90', '92'],
        [2 * HOUR, 3 * HOUR - 1, '92', '93', '91', '93'],
        [3 * HOUR, 4 * HOUR - 1, '93', '93', '93', '93'],
        [4 * HOUR, 5 * HOUR - 1, '93', '120', '93', '118'],
      ],
    );
  });

  it('15m klines walk the bar path (wicks first: an up bar visits its low first); 2h klines aggregate bars', () => {
    const quarter = klines(path, { interval: '15m', startTime: T0, limit: 4 }, T0 + 10 * HOUR);
    assert.deepEqual(quarter.map((c) => text(c)[3]), ['100', '95', '110', '105']);
    const twoHours = klines(path, { interval: '2h', startTime: T0, limit: 1 }, T0 + 10 * HOUR);
    assert.deepEqual(text(twoHours[0]!), ['100', '110', '90', '92']);
    assert.equal(twoHours[0]!.points, 8);
  });

  it('the current candle stands as of the horizon; nothing after it is seen', () => {
    const rows = klines(path, { interval: '1h', limit: 2 }, T0 + 4 * HOUR + HOUR / 2);
    assert.deepEqual(rows.map((c) => text(c)), [
      ['93', '93', '93', '93'],
      ['93', '120', '93', '120'],
    ]);
    assert.equal(priceAt(path, T0 + 4 * HOUR + HOUR / 2)?.toString(), price('120').toString());
  });

  it('selection: startTime gives the first `limit` from it, endTime alone the last `limit` up to it; before the history nothing', () => {
    const horizon = T0 + 10 * HOUR;
    assert.deepEqual(klines(path, { interval: '1h', startTime: T0 + HOUR, limit: 2 }, horizon).map((c) => c.openTimeMs - T0), [HOUR, 2 * HOUR]);
    // a startTime inside a candle starts at the next open
    assert.deepEqual(klines(path, { interval: '1h', startTime: T0 + 1, limit: 1 }, horizon).map((c) => c.openTimeMs - T0), [HOUR]);
    assert.deepEqual(klines(path, { interval: '1h', endTime: T0 + 2 * HOUR, limit: 2 }, horizon).map((c) => c.openTimeMs - T0), [HOUR, 2 * HOUR]);
    assert.deepEqual(klines(path, { interval: '1h', startTime: T0 - 5 * HOUR, endTime: T0 - HOUR, limit: 5 }, horizon), []);
    assert.deepEqual(klines(path, { interval: '1h', limit: 5 }, T0 - 1), []);
  });

  it('1d and 1M candles align to UTC days and months', () => {
    const [day] = klines(path, { interval: '1d', limit: 1 }, T0 + 10 * HOUR);
    assert.deepEqual([day!.openTimeMs, day!.closeTimeMs, ...text(day!)], [T0, T0 + 24 * HOUR - 1, '100', '120', '90', '118']);
    const [month] = klines(path, { interval: '1M', limit: 1 }, T0 + 10 * HOUR);
    assert.equal(month!.closeTimeMs, Date.UTC(2025, 1, 1) - 1);
  });

  it('a window opens at the price standing at its start and counts the points inside it', () => {
    const w = windowOf(path, T0 + HOUR / 2 + 1, T0 + HOUR + HOUR / 4)!;
    assert.deepEqual(text(w), ['110', '110', '105', '107']);
    assert.equal(w.points, 3);
  });

  it('property: every candle is the brute-force open / high / low / close of its interval, candles are contiguous, the selection obeys the query', () => {
    const MINUTE = 60_000;
    const LENGTHS: Record<string, number> = { '1m': MINUTE, '5m': 5 * MINUTE, '15m': 15 * MINUTE, '1h': HOUR, '4h': 4 * HOUR };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 40 * MINUTE }), fc.integer({ min: 1, max: 1000 })), { minLength: 1, maxLength: 60 }),
        fc.constantFrom(...Object.keys(LENGTHS)),
        fc.integer({ min: 0, max: 48 * HOUR }),
        fc.option(fc.integer({ min: -HOUR, max: 48 * HOUR }), { nil: undefined }),
        fc.option(fc.integer({ min: -HOUR, max: 48 * HOUR }), { nil: undefined }),
        fc.integer({ min: 1, max: 30 }),
        (steps, interval, horizonAfter, start, end, limit) => {
          const times: number[] = [];
          const prices: Price[] = [];
          let t = T0;
          for (const [gap, p] of steps) {
            t += gap;
            times.push(t);
            prices.push(fromInt<'Price'>(p));
          }
          const path = { times, prices };
          const horizon = T0 + horizonAfter;
          const query = { interval, limit, ...(start !== undefined ? { startTime: T0 + start } : {}), ...(end !== undefined ? { endTime: T0 + end } : {}) };
          const rows = klines(path, query, horizon);
          const length = LENGTHS[interval]!;
          assert.ok(rows.length <= limit);
          rows.forEach((c, k) => {
            assert.equal(c.openTimeMs % length, 0);
            assert.equal(c.closeTimeMs, c.openTimeMs + length - 1);
            if (k > 0) assert.equal(c.openTimeMs, rows[k - 1]!.closeTimeMs + 1);
            if (query.startTime !== undefined) assert.ok(c.openTimeMs >= query.startTime);
            if (query.endTime !== undefined) assert.ok(c.openTimeMs <= query.endTime);
            assert.ok(c.openTimeMs <= horizon);
            // brute force: the price standing at the open (else the first inside), every point up to the close or the horizon
            const to = Math.min(c.closeTimeMs, horizon);
            const standing = times.map((x, i) => ({ x, i })).filter(({ x }) => x <= c.openTimeMs).pop();
            const inside = times.map((x, i) => ({ x, i })).filter(({ x }) => x > c.openTimeMs && x <= to);
            const seen = [...(standing ? [standing.i] : []), ...inside.map(({ i }) => i)].map((i) => Number(formatFixed(prices[i]!)));
            assert.ok(seen.length > 0);
            assert.deepEqual(text(c).map(Number), [seen[0], Math.max(...seen), Math.min(...seen), seen[seen.length - 1]]);
            assert.equal(c.points, times.filter((x) => x >= c.openTimeMs && x <= to).length);
          });
          // without a startTime the newest candle is the one holding min(horizon, endTime), when the path has begun by then
          const last = Math.min(horizon, query.endTime ?? Infinity);
          if (query.startTime === undefined && times[0]! <= last) assert.equal(rows[rows.length - 1]!.openTimeMs, Math.floor(last / length) * length);
        },
      ),
      { numRuns: 300 },
    );
  });
});
