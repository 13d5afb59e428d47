// Leverage calibration, the move: from history and volatility. Every number below is computed by hand in
// the comments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed } from '../domain/fixed.ts';
import { InputError } from '../schema/input-error.ts';
import { bars } from './advisor-test-support.ts';
import { adverseExcursions, estimateMove, logReturns, moveRate, type Side } from './move.ts';

const HOUR = 3_600_000;

//            open  high  low  close
const ROWS: [number, number, number, number][] = [
  [100, 104, 97, 102],
  [102, 103, 95, 96],
  [96, 101, 94, 100],
  [100, 110, 99, 108],
];

const close = (a: number, b: number, eps = 1e-12) => assert.ok(Math.abs(a - b) <= eps, `${a} != ${b}`);

describe('the adverse move from history', () => {
  it('worst excursion of every rolling window: long min low / open, short max high / open', () => {
    // 2-hour windows: [0,1] long 1 - 95/100 = 0.05; [1,2] 1 - 94/102 = 0.0784313725...; [2,3] 1 - 94/96 = 0.0208333...
    const long = adverseExcursions([bars('X', ROWS)], 2, 'long');
    assert.equal(long.length, 3);
    close(long[0]!, 0.05);
    close(long[1]!, 8 / 102);
    close(long[2]!, 2 / 96);
    // short: [0,1] 104/100 - 1 = 0.04; [1,2] 103/102 - 1 = 0.0098039...; [2,3] 110/96 - 1 = 0.1458333...
    const short = adverseExcursions([bars('X', ROWS)], 2, 'short');
    close(short[0]!, 0.04);
    close(short[1]!, 1 / 102);
    close(short[2]!, 14 / 96);
    // 1-hour windows are the bars themselves: 1 - 97/100 = 0.03 first
    close(adverseExcursions([bars('X', ROWS)], 1, 'long')[0]!, 0.03);
  });
  it('leaves out windows that span a gap, and pools several series', () => {
    // bar 2 starts 5 h after bar 1: of the 2-hour windows only [0,1] and [2,3] are contiguous
    const gapped = bars('X', ROWS, [0, HOUR, 6 * HOUR, 7 * HOUR]);
    const moves = adverseExcursions([gapped], 2, 'long');
    assert.deepEqual([...moves].map((m) => Math.round(m * 1e6)), [50000, 20833]);
    // two copies: twice the windows
    assert.equal(adverseExcursions([bars('X', ROWS), bars('X', ROWS)], 2, 'long').length, 6);
  });
  it('property: the sliding-window extremes equal a plain scan of every contiguous window', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 50, max: 150 }), fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 20 }), fc.boolean()), { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 6 }),
        fc.constantFrom<Side>('long', 'short'),
        (raw, k, side) => {
          // bar i: open o, high o + up, low o - down; a gap of 3 hours before it when the flag is set
          const rows = raw.map(([o, up, down]) => [o, o + up, o - down, o] as [number, number, number, number]);
          const times: number[] = [];
          raw.forEach(([, , , gap], i) => times.push(i === 0 ? 0 : times[i - 1]! + (gap ? 4 : 1) * HOUR));
          const got = [...adverseExcursions([bars('X', rows, times)], k, side)];
          const want: number[] = [];
          for (let i = 0; i + k <= rows.length; i++) {
            if (times[i + k - 1]! - times[i]! !== (k - 1) * HOUR) continue;
            const window = rows.slice(i, i + k);
            want.push(side === 'long' ? 1 - Math.min(...window.map((r) => r[2])) / rows[i]![0] : Math.max(...window.map((r) => r[1])) / rows[i]![0] - 1);
          }
          assert.deepEqual(got, want);
        },
      ),
      { numRuns: 200 },
    );
  });
  it('refuses a horizon that is not a whole number of bars, naming --horizon', () => {
    const daily = bars('X', ROWS, undefined, 24 * HOUR);
    assert.throws(() => adverseExcursions([daily], 36, 'long'), (e: unknown) => e instanceof InputError && e.field === '--horizon');
    // 48 h on daily bars: 2-bar windows, the same numbers as above
    close(adverseExcursions([daily], 48, 'long')[1]!, 8 / 102);
  });
  it('log returns close to close, none across a gap', () => {
    // closes 102, 96, 100, 108: ln(96/102), ln(100/96), ln(108/100)
    const { returns, barHours } = logReturns([bars('X', ROWS)]);
    assert.equal(barHours, 1);
    close(returns[0]!, Math.log(96 / 102));
    close(returns[2]!, Math.log(1.08));
    assert.equal(logReturns([bars('X', ROWS, [0, HOUR, 6 * HOUR, 7 * HOUR])]).returns.length, 2);
  });
  it('estimateMove: the empirical quantile, the EWMA-scaled move and the larger of the two', () => {
    const e = estimateMove({ series: [bars('X', ROWS)], horizonHours: 2, confidence: 0.99, side: 'long' });
    // three windows, nearest rank ceil(0.99 x 3) = 3: the largest, 1 - 94/102 = 0.0784313725
    close(e.historical.move, 8 / 102);
    assert.equal(e.historical.windows, 3);
    // EWMA of r = ln(96/102) = -0.0606246218, ln(100/96) = 0.0408219945, ln(108/100) = 0.0769610411:
    //   s2 = r1^2 = 0.0036753446; s2 = 0.94 s2 + 0.06 r2^2 = 0.0035548129; s2 = 0.94 s2 + 0.06 r3^2 = 0.0036969017
    //   sigma = 0.0608021521 per hour; z(0.99) = 2.3263478740; x = z sigma sqrt(2) = 0.2000368...
    //   long move = 1 - e^-x = 0.1812988888
    close(e.volatility.hourly, 0.06080215208052393, 1e-12);
    close(e.volatility.z, 2.3263478740408408, 1e-8);
    close(e.volatility.move, 0.1812988887538478, 1e-8);
    assert.equal(e.basis, 'volatility');
    close(e.move, e.volatility.move);
    // short: e^x - 1 = 0.2214469802; history 14/96 = 0.1458333 is smaller
    const s = estimateMove({ series: [bars('X', ROWS)], horizonHours: 2, confidence: 0.99, side: 'short' });
    close(s.volatility.move, 0.2214469801780179, 1e-8);
    close(s.historical.move, 14 / 96);
    // daily bars: the per-bar volatility is scaled to an hour by 1 / sqrt(24)
    const d = estimateMove({ series: [bars('X', ROWS, undefined, 24 * HOUR)], horizonHours: 48, confidence: 0.99, side: 'long' });
    close(d.volatility.hourly, 0.06080215208052393 / Math.sqrt(24), 1e-12);
  });
  it('bad confidence and horizon name their option', () => {
    const series = [bars('X', ROWS)];
    assert.throws(() => estimateMove({ series, horizonHours: 2, confidence: 1.5, side: 'long' }), (e: unknown) => e instanceof InputError && e.field === '--confidence');
    assert.throws(() => estimateMove({ series, horizonHours: 0, confidence: 0.99, side: 'long' }), (e: unknown) => e instanceof InputError && e.field === '--horizon');
    assert.throws(() => estimateMove({ series, horizonHours: 10, confidence: 0.99, side: 'long' }), /longer than every stretch/);
  });
  it('moveRate rounds up to 8 decimals (a larger move is the conservative one)', () => {
    assert.equal(formatFixed(moveRate(0.0296468029995)), '0.02964681');
    assert.equal(formatFixed(moveRate(0.05)), '0.05'); // 0.05 x 1e8 = 5000000.000000001 stays 5,000,000
  });
});
