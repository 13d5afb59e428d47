// The mark at an exact bar's open is left out of an outcome only where it changes nothing (./quiet-open.ts):
// a gap through the liquidation price is still marked (the engine liquidates at the open, as the all-exact
// replay does), and a quiet open is left out (the bar's first mark is the walk's, and the outcome is the
// all-exact one's).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { eq, type Price } from '../domain/fixed.ts';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { generatePath, pathSeries, type PathOptions } from './generators.ts';
import { ticksScaled } from './montecarlo.ts';
import { replay, replayOutcome } from './replay.ts';
import { ReplayRun } from './run.ts';
import { parseSpec } from './spec.ts';

const model = bundledReturnsModel();
const options: PathOptions = { generator: 'bootstrap', hours: 48, blockHours: 12, crashProbability: 0, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) };
const btcLong = parseSpec({ wallet: '10000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { margin: '1000' }, leverage: 20, marginMode: 'isolated' }] });

/** A generated path whose BTC bars from `hour` on are scaled by `factor` (a gap at that hour's open). */
function gapped(hour: number, factor: number) {
  const series = pathSeries(model, options, generatePath(model, options, 3, 0), ticksScaled(MC_TICKS));
  const btc = series[0]!;
  for (const column of [btc.openF, btc.highF, btc.lowF, btc.closeF]) for (let h = hour; h < column.length; h++) column[h] = Math.round((column[h]! * factor) / 0.1) * 0.1;
  return { series, open: btc.open.at(hour)!, time: btc.time[hour]! };
}

/** The prices marked during a replay, by time (a spy on ReplayRun.mark). */
function marksOf(run: () => void): Map<number, Price[]> {
  const marks = new Map<number, Price[]>();
  const original = ReplayRun.prototype.mark;
  ReplayRun.prototype.mark = function (this: ReplayRun, symbol: string, price: Price, time: number) {
    marks.set(time, [...(marks.get(time) ?? []), price]);
    original.call(this, symbol, price, time);
  };
  try {
    run();
  } finally {
    ReplayRun.prototype.mark = original;
  }
  return marks;
}

describe('the mark at an exact bar open, in an outcome', () => {
  it('a gap through the liquidation price is marked: liquidated at the open, as the all-exact replay', () => {
    const { series, open, time } = gapped(30, 0.8); // 20 % down at 20x: far through the liquidation price
    const outcome = replayOutcome({ spec: btcLong, mode: 'isolated', series, recordCurve: false });
    const exact = replay({ spec: btcLong, mode: 'isolated', series, recordCurve: false, screening: false });
    assert.equal(outcome.liquidations.length, 1);
    assert.equal(outcome.liquidations[0]!.time, time);
    assert.ok(eq(outcome.liquidations[0]!.markPrice, open), 'liquidated at the open');
    assert.deepEqual(outcome.liquidations, exact.liquidations);
    assert.ok(eq(outcome.finalEquity, exact.finalEquity));
  });
  it('a quiet open is left out: the bar first marks where the walk stops, with the all-exact outcome', () => {
    const { series, open, time } = gapped(30, 1); // no gap: the open is quiet
    const btc = series[0]!;
    // the bar then falls through the liquidation price (the bar is exact): low 10 % under the open
    btc.lowF[30] = Math.round((btc.openF[30]! * 0.9) / 0.1) * 0.1;
    for (const column of [btc.openF, btc.highF, btc.lowF, btc.closeF]) for (let h = 31; h < column.length; h++) column[h] = Math.round((column[h]! * 0.9) / 0.1) * 0.1;
    btc.closeF[30] = btc.lowF[30]!;
    let outcome: ReturnType<typeof replayOutcome> | undefined;
    const marks = marksOf(() => (outcome = replayOutcome({ spec: btcLong, mode: 'isolated', series, recordCurve: false })));
    const exact = replay({ spec: btcLong, mode: 'isolated', series, recordCurve: false, screening: false });
    assert.equal(outcome!.liquidations.length, 1);
    assert.equal(outcome!.liquidations[0]!.time, time);
    assert.ok(!(marks.get(time) ?? []).some((p) => eq(p, open)), 'no mark at the open');
    assert.ok(!eq(outcome!.liquidations[0]!.markPrice, open));
    assert.deepEqual(outcome!.liquidations, exact.liquidations);
    assert.ok(eq(outcome!.finalEquity, exact.finalEquity));
  });
});
