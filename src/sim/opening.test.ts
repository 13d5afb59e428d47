// The opening (./opening.ts): every leg entered at the first instant at its open, and a remembered opening
// taken back by the next replay that opens the same way, with the very same results as computing it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { fromScaled, toApproxNumber, toScaled } from '../domain/fixed.ts';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { SimContext } from './context.ts';
import { generatePath, pathSeries, type PathOptions } from './generators.ts';
import { ticksScaled } from './montecarlo.ts';
import { replay, replayOutcome } from './replay.ts';
import { parseSpec } from './spec.ts';

// the crash study's book (examples/crash-study.yaml) with a stop on the isolated ETH leg
const spec = parseSpec({
  wallet: '10000',
  legs: [
    { symbol: 'BTCUSDT', side: 'long', size: { notional: '40000' }, leverage: 20, marginMode: 'cross' },
    { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 20, marginMode: 'isolated', stopLoss: { percent: '4' } },
    { symbol: 'SOLUSDT', side: 'short', size: { margin: '200' }, leverage: 10, marginMode: 'isolated' },
  ],
});
const model = bundledReturnsModel();
const options: PathOptions = { generator: 'bootstrap', hours: 96, blockHours: 24, crashProbability: 0.5, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) };
const scaled = ticksScaled(MC_TICKS);
const pathAt = (p: number) => pathSeries(model, options, generatePath(model, options, 7, p), scaled);

describe('the opening', () => {
  it('every generated path opens at the model start (its last closes), rounded to the tick', () => {
    for (let p = 0; p < 20; p++) {
      const series = pathAt(p);
      series.forEach((s, a) => assert.equal(s.openF[0], Math.round(model.start[a]! / options.ticks[a]!) * options.ticks[a]!, `path ${p} ${s.symbol}`));
    }
  });

  it('enters every leg at its open at the first instant, before any bar is walked', () => {
    const series = pathAt(0);
    const run = replay({ spec, mode: 'mixed', series });
    const t0 = options.startMs;
    const fills = run.events.filter((e) => e.type === 'fill' && e.time === t0);
    assert.deepEqual(
      fills.map((e) => e.type === 'fill' && [e.symbol, toApproxNumber(e.price)]),
      series.map((s) => [s.symbol, s.openF[0]]),
    );
    // nothing moved before the last entry: the first event that is not part of an entry comes after it
    const lastEntry = run.events.indexOf(fills[fills.length - 1]!);
    assert.ok(run.events.slice(0, lastEntry).every((e) => e.time === t0 && e.type !== 'liquidation'));
    assert.deepEqual(run.entries.map((e) => [e.symbol, e.time]), series.map((s) => [s.symbol, t0]));
  });

  it('a remembered opening gives what computing it gives (outcomes and full replays, every mode)', () => {
    for (const mode of ['isolated', 'cross', 'mixed'] as const) {
      const shared = new SimContext();
      let record: unknown;
      for (let p = 0; p < 12; p++) {
        const series = pathAt(p);
        const remembered = replayOutcome({ spec, mode, series, recordCurve: false, context: shared });
        const fresh = replayOutcome({ spec, mode, series, recordCurve: false, context: new SimContext() });
        assert.ok(isDeepStrictEqual(remembered, fresh), `path ${p} ${mode}: outcomes differ`);
        const slot = shared.opening(spec, mode, options.startMs, false);
        // the first path computed the opening; every later one took it back (same opens, same commands)
        if (p === 0) record = slot.record;
        else assert.equal(slot.record, record, `path ${p} ${mode}: the opening was computed again`);
        const detailed = replay({ spec, mode, series, context: shared });
        const detailedFresh = replay({ spec, mode, series });
        assert.ok(isDeepStrictEqual(detailed.events, detailedFresh.events), `path ${p} ${mode}: events differ`);
        assert.ok(isDeepStrictEqual(detailed.state.balances, detailedFresh.state.balances), `path ${p} ${mode}: balances differ`);
      }
    }
  });

  it('other opens compute the opening again (historical windows start anywhere)', () => {
    const shared = new SimContext();
    const series = pathAt(0);
    replayOutcome({ spec, mode: 'cross', series, recordCurve: false, context: shared });
    const first = shared.opening(spec, 'cross', options.startMs, false).record;
    // the same bars one tick higher at the open: another opening
    const moved = series.map((s, a) => ({ ...s, openF: Float64Array.from(s.openF, (x, i) => (i === 0 ? x + options.ticks[a]! : x)), open: { length: s.open.length, at: (i: number) => (i === 0 ? fromScaled<'Price'>(toScaled(s.open.at(0)!) + scaled[a]!) : s.open.at(i)) } })) as unknown as typeof series;
    replayOutcome({ spec, mode: 'cross', series: moved, recordCurve: false, context: shared });
    assert.notEqual(shared.opening(spec, 'cross', options.startMs, false).record, first);
  });
});
