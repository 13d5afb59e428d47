// The merged timeline: every bar once, in time order, ties in the order the series were given (the
// merge of time-ordered series and the sort of any others agree with a plain stable sort); aligned
// series step hour by hour and reuse a batch's columns.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BarSeries } from './data.ts';
import { alignedColumns, buildTimeline } from './timeline.ts';

const seriesOf = (symbol: string, time: number[]): BarSeries => ({ symbol, time, noTrading: new Uint8Array(time.length) }) as unknown as BarSeries;

function reference(series: readonly BarSeries[]): [number, number, number][] {
  const steps: [number, number, number][] = [];
  series.forEach((s, a) => Array.from(s.time).forEach((t, i) => steps.push([t, a, i])));
  return steps.sort((x, y) => x[0] - y[0] || x[1] - y[1]);
}

const stepsOf = (series: readonly BarSeries[]) => {
  const t = buildTimeline(series, undefined);
  return Array.from(t.time, (time, k): [number, number, number] => [time, t.seriesOf[k]!, t.index[k]!]);
};

describe('timeline', () => {
  it('merges time-ordered series with ties, and sorts the others, like a stable sort', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let trial = 0; trial < 50; trial++) {
      const series = Array.from({ length: 1 + Math.floor(next() * 4) }, (_, a) => {
        let t = Math.floor(next() * 5);
        const times = Array.from({ length: Math.floor(next() * 30) }, () => (t += Math.floor(next() * 3)));
        if (trial % 5 === 0 && times.length > 2) times.reverse(); // not in time order: the sort
        return seriesOf(`S${a}`, times);
      });
      assert.deepEqual(stepsOf(series), reference(series));
    }
  });

  it('aligned series step hour by hour in the order given; a batch reuses the columns for the same hours', () => {
    const time = [0, 3_600_000, 7_200_000];
    const series = ['A', 'B'].map((s) => seriesOf(s, time as unknown as number[]));
    const columns = alignedColumns(series, undefined)!;
    assert.deepEqual(Array.from(columns.seriesOf), [0, 1, 0, 1, 0, 1]);
    assert.deepEqual(Array.from(columns.index), [0, 0, 1, 1, 2, 2]);
    const sameHours = ['C', 'D'].map((s) => seriesOf(s, [...time]));
    const shared = [...time];
    assert.equal(alignedColumns([seriesOf('C', shared), seriesOf('D', shared)], columns), columns);
    assert.notEqual(alignedColumns([seriesOf('C', [1, 2, 3]), seriesOf('D', [1, 2, 3])].map((s, _i, all) => ({ ...s, time: all[0]!.time })), columns), columns);
    assert.equal(alignedColumns(sameHours, columns), undefined); // two time columns: not aligned
    assert.deepEqual(stepsOf(series), reference(series));
  });
});
