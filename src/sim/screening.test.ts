// The float64 screening kernel changes nothing: on generated paths (200 in `npm test`, 1,000 in the deep
// tier: PERPGUARD_SCREENING_PATHS) (with real crashes spliced in
// and a leveraged book with stops, so stops, margin calls and liquidations happen), a screened run and an
// exact-only run give identical events and identical balances, under isolated and cross margin. Also:
// the same seed gives the same paths, and any split of the path range gives the same outcomes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { generatePath, pathSeries, type PathOptions } from './generators.ts';
import { BatchCarry, runBatch, ticksScaled } from './montecarlo.ts';
import { replay, replayOutcome } from './replay.ts';
import { parseSpec } from './spec.ts';

const spec = parseSpec({
  wallet: '10000',
  legs: [
    { symbol: 'BTCUSDT', side: 'long', size: { notional: '60000' }, leverage: 20, marginMode: 'cross' },
    { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 25, marginMode: 'isolated', stopLoss: { percent: '3' } },
    { symbol: 'SOLUSDT', side: 'short', size: { margin: '300' }, leverage: 10, marginMode: 'isolated', takeProfit: { percent: '4' } },
  ],
});
const model = bundledReturnsModel();
const options: PathOptions = { generator: 'bootstrap', hours: 48, blockHours: 12, crashProbability: 0.5, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) };
const scaled = ticksScaled(MC_TICKS);
const withoutOp = (events: readonly { op: number }[]) => events.map(({ op: _op, ...rest }) => rest);

describe('screening kernel vs exact-only replay', () => {
  const paths = Number(process.env['PERPGUARD_SCREENING_PATHS'] ?? 200);
  it(`${paths} paths x 2 modes: identical events and balances`, () => {
    const seed = Number(process.env['PERPGUARD_SEED'] ?? 20261124);
    console.log(`screening identity seed ${seed} (PERPGUARD_SEED to replay)`);
    const counts = { liquidation: 0, fill: 0, marginCall: 0, partialLiquidation: 0 };
    let exactBars = 0;
    let bars = 0;
    for (let p = 0; p < paths; p++) {
      const series = pathSeries(model, options, generatePath(model, options, seed, p), scaled);
      for (const mode of ['isolated', 'cross'] as const) {
        const screened = replay({ spec, mode, series });
        const exact = replay({ spec, mode, series, screening: false });
        assert.ok(isDeepStrictEqual(withoutOp(screened.events), withoutOp(exact.events)), `path ${p} ${mode}: events differ`);
        assert.ok(isDeepStrictEqual(screened.state.balances, exact.state.balances), `path ${p} ${mode}: balances differ`);
        for (const e of exact.events) if (e.type in counts) counts[e.type as keyof typeof counts]++;
        exactBars += screened.exactBars;
        bars += screened.bars;
      }
    }
    console.log(`events compared: ${JSON.stringify(counts)}; screened runs used the engine on ${exactBars} of ${bars} bars`);
    // the paths must exercise what screening could get wrong (measured at 1,000 paths: far above these)
    assert.ok(counts.liquidation > paths / 10 && counts.fill > paths * 2 && counts.marginCall > paths / 100, JSON.stringify(counts));
  });
});

describe('the aligned scan (Monte Carlo paths) vs the general one', () => {
  // a hold book with no resting order takes screening.ts's scanAligned on a generated path; the same bars
  // in columns of their own (copies) take the general loop: every figure of the outcome is the same,
  // the float statistics to the last bit. Also with no-trading hours, and with a series no leg trades.
  const legs = [
    { symbol: 'BTCUSDT', side: 'long', size: { notional: '40000' }, leverage: 20, marginMode: 'cross' },
    { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 20, marginMode: 'isolated' },
    { symbol: 'SOLUSDT', side: 'short', size: { margin: '200' }, leverage: 10, marginMode: 'isolated' },
  ];
  const books = [parseSpec({ wallet: '10000', legs }), parseSpec({ wallet: '3000', legs: legs.slice(0, 2) })];
  const long = { ...options, hours: 240, blockHours: 24, crashProbability: 0.3 };
  it('60 paths x 2 books x 3 modes: identical liquidations, final equity, exact bars, min equity and drawdown (with and without it)', () => {
    let liquidated = 0;
    for (let p = 0; p < 60; p++) {
      let series = pathSeries(model, long, generatePath(model, long, 11, p), scaled);
      if (p % 3 === 2) {
        // a few hours without trading (one column shared by the series, as generated paths share theirs)
        const noTrading = new Uint8Array(long.hours).map((_, h) => (h % 29 === 5 || h % 41 === 0 ? 1 : 0));
        series = series.map((s) => ({ ...s, noTrading }));
      }
      const copies = series.map((s) => ({ ...s, lowF: s.lowF.slice(), highF: s.highF.slice(), closeF: s.closeF.slice() }));
      for (const spec of books) {
        for (const mode of ['isolated', 'cross', 'mixed'] as const) {
          const aligned = replayOutcome({ spec, mode, series, recordCurve: false });
          const general = replayOutcome({ spec, mode, series: copies, recordCurve: false });
          assert.deepEqual(aligned, general, `path ${p} ${mode}`);
          // without the drawdown (the Monte Carlo's outcome): the same figures, no drawdown, on both scans
          const lean = { ...aligned, maxDrawdown: NaN };
          assert.deepEqual(replayOutcome({ spec, mode, series, recordCurve: false, drawdown: false }), lean, `path ${p} ${mode}, no drawdown`);
          assert.deepEqual(replayOutcome({ spec, mode, series: copies, recordCurve: false, drawdown: false }), lean, `path ${p} ${mode}, no drawdown, general`);
          if (aligned.liquidations.length > 0) liquidated++;
        }
      }
    }
    assert.ok(liquidated > 20, `${liquidated} runs with a liquidation`);
  });
});

describe('Monte Carlo determinism', () => {
  const input = { spec, model, options, modes: ['isolated', 'cross'] as const, seed: 7, fromPath: 0, toPath: 40 };
  it('the same seed gives the same outcomes; a different seed different ones', () => {
    assert.deepEqual(runBatch({ ...input, modes: [...input.modes] }, MC_TICKS), runBatch({ ...input, modes: [...input.modes] }, MC_TICKS));
    assert.notDeepEqual(runBatch({ ...input, modes: [...input.modes] }, MC_TICKS), runBatch({ ...input, modes: [...input.modes], seed: 8 }, MC_TICKS));
  });
  it('any split of the path range gives the same outcomes (workers, machines)', () => {
    const whole = runBatch({ ...input, modes: [...input.modes] }, MC_TICKS);
    const split = [
      ...runBatch({ ...input, modes: [...input.modes], fromPath: 0, toPath: 13 }, MC_TICKS),
      ...runBatch({ ...input, modes: [...input.modes], fromPath: 13, toPath: 27 }, MC_TICKS),
      ...runBatch({ ...input, modes: [...input.modes], fromPath: 27, toPath: 40 }, MC_TICKS),
    ];
    assert.deepEqual(split, whole);
  });
  it('a batch takes back the last batch context of its carry only for the same spec content (montecarlo.ts BatchCarry)', () => {
    const carry = new BatchCarry();
    const batch = (s: typeof spec) => runBatch({ ...input, spec: s, modes: [...input.modes] }, MC_TICKS, undefined, undefined, carry);
    const richer = { ...spec, wallet: '20000' };
    const first = batch(richer);
    const plain = batch(spec);
    assert.notDeepEqual(first, plain);
    assert.deepEqual(batch(richer), first);
    // the same object changed in place between batches: its new content counts, not its identity
    const mutable = structuredClone(spec) as { wallet: string };
    assert.deepEqual(batch(mutable as typeof spec), plain);
    const held = carry.last;
    mutable.wallet = '20000';
    assert.deepEqual(batch(mutable as typeof spec), first);
    assert.notEqual(carry.last, held);
    // the same content again: the carry's context is taken back, and gives what a fresh one gives
    const taken = carry.last;
    assert.deepEqual(batch(mutable as typeof spec), first);
    assert.equal(carry.last, taken);
  });
});
