// Market stream payloads from the replay feed's marks: the bundled Black Thursday window
// (data/binance-futures-BTCUSDT-1m-crash-2020-03-12.csv, Binance's own 1-minute BTCUSDT perpetual bars)
// replayed as mark ticks must give back its own bars as 1m klines; the rolling 24 h window and the candles
// are checked against a plain recomputation on generated marks (fast-check).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, fromScaled, gt, lt, parseFixed, type Price } from '../../domain/fixed.ts';
import { bundled, loadCandles } from '../../io/market-data.ts';
import { markTicks } from '../feed/replay-feed.ts';
import { CandleBuilder, candleBounds, type Candle } from './candles.ts';
import { bookTicker, klineEvent, markPriceUpdate, miniTicker, nextFundingTimeMs, syntheticBook } from './market-events.ts';
import { RollingDay } from './rolling-day.ts';

const btc = loadCandles(bundled('binance-futures-BTCUSDT-1m-crash-2020-03-12.csv'), 'BTCUSDT');
const p = (text: string) => parseFixed<'Price'>(text);

describe('markPriceUpdate', () => {
  it('carries the mark, the next 8-hourly settlement (00:00, 08:00, 16:00 UTC) and its rate', () => {
    // 2020-03-12 10:19:00 UTC -> 16:00 UTC the same day
    assert.deepEqual(markPriceUpdate('BTCUSDT', p('5807.97'), parseFixed('0.0001'), 1584008340000), {
      e: 'markPriceUpdate',
      E: 1584008340000,
      s: 'BTCUSDT',
      p: '5807.97',
      i: '5807.97',
      P: '5807.97',
      r: '0.0001',
      T: Date.UTC(2020, 2, 12, 16),
    });
    // at a settlement instant the next one is 8 hours on
    assert.equal(nextFundingTimeMs(Date.UTC(2020, 2, 12, 16)), Date.UTC(2020, 2, 13, 0));
    assert.equal(nextFundingTimeMs(Date.UTC(2020, 2, 12, 15, 59, 59, 999)), Date.UTC(2020, 2, 12, 16));
  });
});

describe('klines from the feed\'s marks', () => {
  it('the Black Thursday window replayed as ticks gives back every 1m bar as a closed kline', () => {
    const builder = new CandleBuilder('1m');
    const closed: Candle[] = [];
    for (const tick of markTicks([btc], btc.time[0]!)) {
      const { closed: done } = builder.add(tick.time, tick.command.op === 'mark' ? tick.command.price : p('0'));
      if (done) closed.push(done);
    }
    assert.equal(closed.length, btc.time.length - 1); // the last bar is still open
    closed.forEach((c, i) => {
      assert.deepEqual(
        [c.openTimeMs, c.closeTimeMs, formatFixed(c.open), formatFixed(c.high), formatFixed(c.low), formatFixed(c.close)],
        [btc.time[i], btc.time[i]! + 59_999, formatFixed(btc.open[i]!), formatFixed(btc.high[i]!), formatFixed(btc.low[i]!), formatFixed(btc.close[i]!)],
      );
    });
    // the file's first bar: 1584052740000, 5807.97, 5819.96, 5801.01, 5817.15
    const k = klineEvent('BTCUSDT', '1m', closed[0]!, true, 1584052800000).k;
    assert.deepEqual([k.t, k.T, k.o, k.h, k.l, k.c, k.x, k.i, k.v, k.f], [1584052740000, 1584052799999, '5807.97', '5819.96', '5801.01', '5817.15', true, '1m', '0', -1]);
  });

  it('an hour candle holds the extremes of its sixty minutes', () => {
    const builder = new CandleBuilder('1h');
    let last: Candle | undefined;
    for (const tick of markTicks([btc], btc.time[0]!)) {
      const { closed } = builder.add(tick.time, (tick.command as { price: Price }).price);
      if (closed && !last) last = closed;
    }
    const hourStart = last!.openTimeMs;
    const inHour = btc.time.map((t, i) => ({ t, i })).filter(({ t }) => t >= hourStart && t < hourStart + 3_600_000);
    const highs = inHour.map(({ i }) => btc.high[i]!);
    const lows = inHour.map(({ i }) => btc.low[i]!);
    assert.equal(formatFixed(last!.high), formatFixed(highs.reduce((a, b) => (gt(b, a) ? b : a))));
    assert.equal(formatFixed(last!.low), formatFixed(lows.reduce((a, b) => (lt(b, a) ? b : a))));
  });

  it('aligns weeks to Monday 00:00 UTC and months to the 1st', () => {
    // Thursday 2020-03-12 -> Monday 2020-03-09
    assert.deepEqual(candleBounds('1w', Date.UTC(2020, 2, 12, 10)), { openTimeMs: Date.UTC(2020, 2, 9), nextOpenTimeMs: Date.UTC(2020, 2, 16) });
    assert.deepEqual(candleBounds('1M', Date.UTC(2020, 1, 29, 23)), { openTimeMs: Date.UTC(2020, 1, 1), nextOpenTimeMs: Date.UTC(2020, 2, 1) });
    assert.deepEqual(candleBounds('4h', Date.UTC(2020, 2, 12, 10, 19)), { openTimeMs: Date.UTC(2020, 2, 12, 8), nextOpenTimeMs: Date.UTC(2020, 2, 12, 12) });
    assert.throws(() => new CandleBuilder('7m'), /not a kline interval/);
  });

  it('property: every candle is the open, extremes and close of the marks in its interval', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 400_000 }), fc.bigInt({ min: 1n, max: 10n ** 24n })), { minLength: 1, maxLength: 80 }), (raw) => {
        const marks = raw.map(([, v], i) => ({ t: 1_600_000_000_000 + raw.slice(0, i + 1).reduce((s, [d]) => s + d, 0), price: fromScaled<'Price'>(v) }));
        const builder = new CandleBuilder('5m');
        const candles: Candle[] = [];
        for (const m of marks) {
          const { closed } = builder.add(m.t, m.price);
          if (closed) candles.push(closed);
        }
        candles.push(builder.candle!);
        for (const c of candles) {
          const inside = marks.filter((m) => m.t >= c.openTimeMs && m.t <= c.closeTimeMs);
          assert.ok(inside.length > 0);
          assert.equal(c.open, inside[0]!.price);
          assert.equal(c.close, inside[inside.length - 1]!.price);
          assert.equal(c.high, inside.map((m) => m.price).reduce((a, b) => (gt(b, a) ? b : a)));
          assert.equal(c.low, inside.map((m) => m.price).reduce((a, b) => (lt(b, a) ? b : a)));
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('24hrMiniTicker over the rolling day', () => {
  it('property: the monotonic window equals a plain scan of the marks of the last 24 hours', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 9 * 3_600_000 }), fc.bigInt({ min: 1n, max: 10n ** 22n })), { minLength: 1, maxLength: 3000 }), (raw) => {
        const day = new RollingDay();
        let t = 0;
        const seen: { t: number; price: Price }[] = [];
        for (const [dt, v] of raw) {
          t += dt;
          const price = fromScaled<'Price'>(v);
          seen.push({ t, price });
          const got = day.add(t, price);
          const inside = seen.filter((m) => m.t > t - 24 * 3_600_000).map((m) => m.price);
          assert.equal(got.open, inside[0]);
          assert.equal(got.close, price);
          assert.equal(got.high, inside.reduce((a, b) => (gt(b, a) ? b : a)));
          assert.equal(got.low, inside.reduce((a, b) => (lt(b, a) ? b : a)));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('a minute\'s marks for four days (the window drops and compacts its front): the same as a plain scan', () => {
    const day = new RollingDay();
    const seen: Price[] = [];
    let seed = 12345;
    for (let i = 0; i < 4 * 1440; i++) {
      // a seeded walk (Park-Miller), so highs and lows leave the window in every order
      seed = (seed * 48271) % 2147483647;
      const price = p(String(10_000 + (seed % 2001) - 1000));
      seen.push(price);
      const got = day.add(i * 60_000, price);
      const inside = seen.slice(Math.max(0, i - 1439));
      assert.equal(got.open, inside[0]);
      assert.equal(got.high, inside.reduce((a, b) => (gt(b, a) ? b : a)));
      assert.equal(got.low, inside.reduce((a, b) => (lt(b, a) ? b : a)));
    }
  });

  it('the day of Black Thursday\'s marks: open, high, low and close as the bars give them', () => {
    const day = new RollingDay();
    let last: ReturnType<RollingDay['add']> | undefined;
    for (const tick of markTicks([btc], btc.time[0]!)) last = day.add(tick.time, (tick.command as { price: Price }).price);
    const end = btc.time[btc.time.length - 1]! + 45_000; // the last tick: the close, 3/4 into the last bar
    const first = btc.time.findIndex((t) => t + 60_000 > end - 24 * 3_600_000);
    const message = miniTicker('BTCUSDT', last!, end);
    assert.equal(message.c, formatFixed(btc.close[btc.close.length - 1]!));
    assert.equal(message.h, formatFixed(btc.high.slice(first).reduce((a, b) => (gt(b, a) ? b : a))));
    assert.equal(message.l, formatFixed(btc.low.slice(first).reduce((a, b) => (lt(b, a) ? b : a))));
    assert.deepEqual([message.e, message.v, message.q], ['24hrMiniTicker', '0', '0']);
  });
});

describe('bookTicker: a synthetic book at most one tick wide around the mark', () => {
  it('brackets a mark between ticks; a mark on a tick is the bid, the ask one tick up', () => {
    assert.deepEqual(syntheticBook(p('50000.05'), p('0.1')), { bid: p('50000'), ask: p('50000.1') });
    assert.deepEqual(syntheticBook(p('50000.1'), p('0.1')), { bid: p('50000.1'), ask: p('50000.2') });
    assert.deepEqual(bookTicker('BTCUSDT', p('5807.97'), p('0.1'), parseFixed('1000'), 7, 1584052740000), {
      e: 'bookTicker',
      u: 7,
      E: 1584052740000,
      T: 1584052740000,
      s: 'BTCUSDT',
      b: '5807.9',
      B: '1000',
      a: '5808',
      A: '1000',
    });
  });
});
