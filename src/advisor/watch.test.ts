// The pure half of `perpguard watch`: the checks of one evaluated account (examples/account-cross-three.json)
// against thresholds, and the state machine that raises a warning once and clears it once.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { add, formatFixed, gt, parseFixed, sub, times, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import { conditionsOf, DEFAULT_THRESHOLDS, markBands, positionChecks, stepWarnings, stopCheck, type StopOrder, type Warning } from './watch.ts';

const snapshot = parseSnapshotText(readFileSync(new URL('../../examples/account-cross-three.json', import.meta.url), 'utf8'));
const report = profileOf(snapshot.exchange).evaluate(snapshot);
const rate = (t: string) => parseFixed<'Rate'>(t) as Rate;
const price = (t: string) => parseFixed<'Price'>(t) as Price;
const quantity = (t: string) => parseFixed<'Quantity'>(t) as Quantity;
const sol = report.legs[2]!; // SOL short 100 isolated, mark 170.4
const solLiq = sol.liquidationPrice!;

describe('stopCheck: a reduce-only stop on the closing side, in front of the liquidation price by the buffer', () => {
  const stop = (p: string, extra: Partial<StopOrder> = {}): StopOrder => ({ symbol: 'SOLUSDT', side: 'buy', triggerPrice: price(p), reduceOnly: true, size: 'whole', ...extra });
  it('a buy stop above the mark and below the short\'s liquidation price is in front', () => {
    assert.ok(gt(solLiq, price('180')));
    assert.deepEqual(stopCheck(sol, [stop('180')], rate('0.005')), { triggerPrice: price('180'), inFront: true });
  });
  it('not reduce-only, the wrong side, another symbol or below the mark (a take profit): no stop', () => {
    for (const s of [stop('180', { reduceOnly: false }), stop('180', { side: 'sell' }), stop('180', { symbol: 'ETHUSDT' }), stop('160')]) {
      assert.deepEqual(stopCheck(sol, [s], rate('0')), { triggerPrice: undefined, inFront: false });
    }
  });
  it('stops that close part of the position are not enough: in front only when those in front close all of it between them', () => {
    const part = (p: string, size: string) => stop(p, { size: quantity(size) });
    assert.deepEqual(stopCheck(sol, [part('180', '40')], rate('0.005')), { triggerPrice: price('180'), inFront: false, partial: rate('0.4') });
    assert.deepEqual(stopCheck(sol, [part('180', '40'), part('178', '60')], rate('0.005')), { triggerPrice: price('178'), inFront: true });
    // the second half within the buffer of the liquidation price does not count
    const late = stop('0', { size: quantity('60'), triggerPrice: sub(solLiq, price('0.01')) });
    assert.deepEqual(stopCheck(sol, [part('180', '40'), late], rate('0.005')), { triggerPrice: price('180'), inFront: false, partial: rate('0.4') });
    assert.equal(stopCheck(sol, [part('180', '40'), late], rate('0')).inFront, true);
    // a close-position stop closes whatever is open
    assert.equal(stopCheck(sol, [part('180', '1'), stop('179')], rate('0.005')).inFront, true);
  });
  it('a stop within the buffer of the liquidation price is behind', () => {
    const s = stop('0', { triggerPrice: sub(solLiq, price('0.01')) });
    assert.equal(stopCheck(sol, [s], rate('0')).inFront, true);
    assert.equal(stopCheck(sol, [s], rate('0.005')).inFront, false);
  });
});

describe('conditions and the warning state machine', () => {
  const checks = positionChecks(report, [undefined, undefined, solLiq], [], [], rate('0'));
  it('each condition names the position, the figure and the threshold', () => {
    const now = conditionsOf(report, checks, { ...DEFAULT_THRESHOLDS, maxMarginRatio: rate('0'), requireStop: true });
    assert.deepEqual(
      now.map((w) => [w.kind, w.position]),
      [['marginRatio', 'BTCUSDT long'], ['stop', 'BTCUSDT long'], ['marginRatio', 'ETHUSDT long'], ['stop', 'ETHUSDT long'], ['marginRatio', 'SOLUSDT short'], ['stop', 'SOLUSDT short']],
    );
    const ratio = now.find((w) => w.id === 'marginRatio SOLUSDT short')!;
    assert.match(ratio.message, /^SOLUSDT short: margin ratio \d+\.\d\d % ≥ 0\.00 %$/);
    assert.equal(ratio.threshold, '0.00 %');
  });
  it('the venue agreeing with perpguard is no divergence; 2 ticks away is, at a 1-tick threshold', () => {
    const t = { ...DEFAULT_THRESHOLDS, maxDivergenceTicks: rate('1') };
    assert.deepEqual(conditionsOf(report, checks, t), []);
    const off = add(solLiq, times(sol.leg.market.tickSize, 2));
    const moved = positionChecks(report, [undefined, undefined, off], [], [], rate('0'));
    assert.deepEqual(conditionsOf(report, moved, t).map((w) => [w.id, w.figure]), [['divergence SOLUSDT short', '-2.00 ticks']]);
  });
  it('raised once, quiet while it holds, cleared once when it ends', () => {
    const w = (id: string, figure = '1'): Warning => ({ id, kind: 'distance', position: id, figure, threshold: '0', message: id });
    let active: ReadonlyMap<string, Warning> = new Map();
    const steps = [[w('a')], [w('a', '2'), w('b')], [w('b')], [], [w('a')]].map((now) => {
      const step = stepWarnings(active, now);
      active = step.active;
      return [step.raised.map((x) => x.id), step.cleared.map((x) => x.id)];
    });
    assert.deepEqual(steps, [[['a'], []], [['b'], []], [[], ['a']], [[], ['b']], [['a'], []]]);
  });
  it('chasing: 3 top-ups of an isolated position by default; cross positions never', () => {
    const adds = [1, 2, 3].map(() => ({ symbol: 'SOLUSDT', kind: 'add' as const, amount: parseFixed<'Money'>('100') }));
    const chased = positionChecks(report, [], [], [...adds, { symbol: 'BTCUSDT', kind: 'add', amount: parseFixed<'Money'>('5') }], rate('0'));
    assert.deepEqual(conditionsOf(report, chased, DEFAULT_THRESHOLDS).map((x) => [x.id, x.figure]), [['chasing SOLUSDT short', '3 top-ups']]);
  });
});

describe('distance in hours of a 99 % move: the check and its warning', () => {
  const solMark = Number(formatFixed(sol.leg.markPrice));
  it('SOL short at 2 % an hour: the hours of the formula, and a warning below the threshold only', () => {
    const checks = positionChecks(report, [], [], [], rate('0'), new Map([['SOLUSDT', { hourly: 0.02, returns: 97 }]]));
    const v = checks[2]!.volatility!;
    const liq = Number(formatFixed(solLiq));
    const expected = (Math.log(liq / solMark) / (2.3263478740408408 * 0.02)) ** 2;
    assert.ok(Math.abs(v.hoursOf99PctMove - expected) < 1e-6, `${v.hoursOf99PctMove} vs ${expected}`);
    assert.equal(checks[0]!.volatility, undefined); // no candles for BTC
    const below = conditionsOf(report, checks, { ...DEFAULT_THRESHOLDS, maxTopUps: 0, minDistanceHours: Math.ceil(expected) });
    assert.deepEqual(below.map((w) => [w.id, w.threshold]), [['distanceHours SOLUSDT short', `${Math.ceil(expected).toFixed(1)} h`]]);
    assert.equal(below[0]!.figure, `${(Math.floor(expected * 10) / 10).toFixed(1)} h`);
    assert.match(below[0]!.message, /a 99 % move reaches its liquidation price within \d+\.\d h \(hourly volatility 2\.00 %, scaled by the square root of time\)/);
    assert.deepEqual(conditionsOf(report, checks, { ...DEFAULT_THRESHOLDS, maxTopUps: 0, minDistanceHours: Math.floor(expected) }), []);
  });
});

describe('markBands: a quarter of the way to each liquidation price', () => {
  it('the SOL short wakes above mark + (liq - mark) / 4; the cross longs without a liquidation price are absent', () => {
    const bands = markBands(report);
    const mark = Number(formatFixed(sol.leg.markPrice));
    const liq = Number(formatFixed(solLiq));
    assert.deepEqual([...bands.keys()].filter((s) => bands.get(s)!.above !== undefined), ['SOLUSDT']);
    assert.ok(Math.abs(bands.get('SOLUSDT')!.above! - (mark + (liq - mark) / 4)) < 1e-9);
    assert.equal(bands.get('SOLUSDT')!.below, undefined);
    for (const l of report.legs) assert.equal(bands.has(l.leg.symbol), l.liquidationPrice !== undefined);
  });
});
