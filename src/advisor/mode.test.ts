// Margin-mode recommendation: the numbers per configuration on hand-built windows, the criteria, the
// decision, the correlation, and the whole advice on the bundled crash windows with a small Monte Carlo.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { InputError } from '../schema/input-error.ts';
import type { ReturnsModel } from '../sim/generators.ts';
import { parseSpec, type Spec } from '../sim/spec.ts';
import type { WindowData } from '../sim/study.ts';
import { loadCrashWindows } from '../io/crash-data.ts';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { bars } from './advisor-test-support.ts';
import { adviseMode, correlationCriterion, decide, experienceCriterion, roleCriterion, type Criterion } from './mode.ts';
import { crashWindowComparisons, monteCarloComparison, summarizeRuns, variants, type RunOutcome } from './mode-runs.ts';
import { pnlCorrelations } from './mode-correlation.ts';

const T0 = Date.UTC(2024, 0, 1);
const flatEth = bars('ETHUSDT', [[2000, 2000, 2000, 2000], [2000, 2000, 2000, 2000], [2000, 2000, 2000, 2000]], undefined, undefined, T0);
/** BTC falls 20 % and stays down. */
const slide: WindowData = {
  id: 'slide',
  title: 'slide',
  series: [bars('BTCUSDT', [[50000, 50000, 50000, 50000], [50000, 50000, 40000, 40000], [40000, 40000, 40000, 40000]], undefined, undefined, T0), flatEth],
  funding: [],
  skipped: [],
};
/** BTC dips 10 % inside an hour and closes where it opened. */
const wick: WindowData = {
  id: 'wick',
  title: 'wick',
  series: [bars('BTCUSDT', [[50000, 50000, 50000, 50000], [50000, 50000, 45000, 50000], [50000, 50000, 50000, 50000]], undefined, undefined, T0), flatEth],
  funding: [],
  skipped: [],
};

// the trade: BTC long, 1,000 of margin at 10x (0.2 BTC, 10,000 notional); the rest: ETH long 20,000 cross at 20x
const book = (role: 'core' | 'speculative' | 'hedge' = 'core'): Spec =>
  parseSpec({
    wallet: '10000',
    legs: [
      { symbol: 'ETHUSDT', side: 'long', size: { notional: '20000' }, leverage: 20, marginMode: 'cross' },
      { symbol: 'BTCUSDT', side: 'long', size: { margin: '1000' }, leverage: 10, marginMode: 'isolated', role },
    ],
  });

describe('the configurations through a window', () => {
  it('variants: the trade isolated / cross (its isolated margin dropped), the rest alone', () => {
    const spec = parseSpec({ wallet: '1000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { margin: '10' }, leverage: 10, marginMode: 'isolated', isolatedMargin: '50' }] });
    const v = variants(spec, 0);
    assert.equal(v.isolated.legs[0]!.isolatedMargin, '50');
    assert.equal(v.cross.legs[0]!.marginMode, 'cross');
    assert.equal(v.cross.legs[0]!.isolatedMargin, undefined);
    assert.equal(v.rest, undefined);
    assert.throws(() => variants(spec, 3), (e: unknown) => e instanceof InputError && e.field === '--leg');
  });
  it('a 20 % slide: isolated loses its margin, cross loses 2,000 and takes 1,000 of it from the rest (blast 10 %)', () => {
    const { windows } = crashWindowComparisons(book(), 1, [slide]);
    const w = windows[0]!;
    // fees: BTC 10,000 x 0.05 % = 5, ETH 20,000 x 0.05 % = 10; the rest alone ends at 10,000 - 10 = 9,990
    // isolated: liquidated near 45,180.72, loses its 1,000: 10,000 - 15 - 1,000 = 8,985
    assert.equal(w.isolated.tradeLiquidated, true);
    assert.equal(formatFixed(w.isolated.finalEquity), '8985');
    assert.equal(w.isolated.kept, 0.8985);
    // blast: 9,990 - 8,985 - 1,000 (margin) - 5 (fees) = 0
    assert.equal(formatFixed(w.isolated.blastAmount), '0');
    // cross: 0.2 x (40,000 - 50,000) = -2,000, no liquidation (margin balance 7,985 >> MM): 9,985 - 2,000 = 7,985
    assert.equal(w.cross.tradeLiquidated, false);
    assert.equal(formatFixed(w.cross.finalEquity), '7985');
    // blast: 9,990 - 7,985 - 1,000 - 5 = 1,000 = 10 % of the wallet
    assert.equal(formatFixed(w.cross.blastAmount), '1000');
    assert.equal(w.cross.blast, 0.1);
    assert.equal(w.cross.extraLiquidations, 0);
  });
  it('a 10 % wick: isolated is liquidated on the way, cross rides it out (kept 99.85 %, no blast)', () => {
    const { windows } = crashWindowComparisons(book(), 1, [wick]);
    const w = windows[0]!;
    assert.equal(w.isolated.tradeLiquidated, true);
    assert.equal(formatFixed(w.isolated.finalEquity), '8985');
    // cross: back at 50,000, only the fees are gone: 10,000 - 15 = 9,985
    assert.equal(formatFixed(w.cross.finalEquity), '9985');
    assert.equal(w.cross.kept, 0.9985);
    assert.equal(w.cross.blast, 0);
  });
  it('skips a window without data for the trade', () => {
    const noBtc: WindowData = { ...slide, id: 'eth-only', series: [flatEth] };
    const r = crashWindowComparisons(book(), 1, [noBtc, wick]);
    assert.deepEqual(r.skipped, ['eth-only']);
    assert.equal(r.windows.length, 1);
  });
});

describe('the criteria and the decision', () => {
  it('role, experience and correlation thresholds', () => {
    assert.equal(roleCriterion('speculative').verdict, 'isolated');
    assert.equal(roleCriterion('core').verdict, 'cross');
    assert.equal(roleCriterion('hedge').verdict, 'cross');
    assert.equal(experienceCriterion('novice').verdict, 'isolated');
    assert.equal(experienceCriterion('expert').verdict, 'neutral');
    assert.equal(correlationCriterion(0.5, 1).verdict, 'isolated');
    assert.equal(correlationCriterion(0.49, 1).verdict, 'neutral');
    assert.equal(correlationCriterion(-0.3, 1).verdict, 'cross');
    assert.equal(correlationCriterion(0.9, 0).verdict, 'neutral'); // nothing else in the cross wallet
    assert.match(correlationCriterion(0.8046, 2).statement, /correlation 0\.80/);
  });
  const c = (name: Criterion['name'], verdict: Criterion['verdict']): Criterion => ({ name, verdict, statement: `${name} ${verdict}` });
  const all = (role: Criterion['verdict'], exp: Criterion['verdict'], corr: Criterion['verdict'], win: Criterion['verdict'], mc: Criterion['verdict']) =>
    decide([c('role', role), c('experience', exp), c('correlation', corr), c('crash windows', win), c('Monte Carlo', mc)]);
  it('novice and speculative go isolated whatever the numbers say', () => {
    assert.deepEqual(all('cross', 'isolated', 'cross', 'cross', 'cross').choice, 'isolated');
    assert.equal(all('cross', 'isolated', 'cross', 'cross', 'cross').decisive.name, 'experience');
    assert.equal(all('isolated', 'neutral', 'cross', 'cross', 'cross').decisive.name, 'role');
  });
  it('core/hedge: numbers against cross decide isolated; a correlation against it unless a number is for it; else cross', () => {
    assert.equal(all('cross', 'neutral', 'neutral', 'isolated', 'cross').choice, 'isolated');
    assert.equal(all('cross', 'neutral', 'neutral', 'neutral', 'isolated').decisive.name, 'Monte Carlo');
    assert.equal(all('cross', 'neutral', 'isolated', 'neutral', 'neutral').choice, 'isolated');
    assert.equal(all('cross', 'neutral', 'isolated', 'cross', 'neutral').choice, 'cross');
    assert.equal(all('cross', 'neutral', 'neutral', 'neutral', 'neutral').decisive.name, 'role');
    assert.equal(all('cross', 'neutral', 'cross', 'neutral', 'neutral').decisive.name, 'correlation');
  });
  it('summarizeRuns: probabilities, mean, nearest-rank 5 % quantile and worst blast', () => {
    const run = (kept: number, liq: boolean, extra: number, blast: number): RunOutcome => ({
      kept,
      finalEquity: undefined as never,
      tradeEntered: true,
      tradeLiquidated: liq,
      othersLiquidated: extra,
      extraLiquidations: extra,
      blastAmount: undefined as never,
      blast,
    });
    const s = summarizeRuns([run(1, false, 0, 0), run(0.5, true, 1, 0.3), run(0.9, true, 0, 0), run(0.2, false, 0, 0.1)]);
    // 2 of 4 liquidated; mean kept (1 + 0.5 + 0.9 + 0.2) / 4 = 0.65; p5: rank ceil(0.05 x 4) = 1 -> 0.2
    assert.equal(s.tradeLiquidation, 0.5);
    assert.equal(s.meanKept, 0.65);
    assert.equal(s.keptP5, 0.2);
    // 1 of 4 took other positions down; blast mean (0.3 + 0.1) / 4 = 0.1, worst 0.3
    assert.equal(s.extraLiquidation, 0.25);
    assert.ok(Math.abs(s.meanBlast - 0.1) < 1e-15);
    assert.equal(s.worstBlast, 0.3);
  });
});

describe('PnL correlation with the cross book', () => {
  // hourly returns: BTC and ETH +1, -1, +1, -1 %; SOL +1, +1, -1, -1 % (orthogonal to them, same size)
  const model = (): ReturnsModel => {
    const col = (xs: number[]) => Float64Array.from(xs, (x) => x / 100);
    const zero = new Float64Array(4);
    const body = [col([1, -1, 1, -1]), col([1, -1, 1, -1]), col([1, 1, -1, -1])];
    const flat = [zero, zero, zero];
    const ratios = (xs: Float64Array[]) => xs.map((x) => x.map(Math.exp));
    return {
      symbols: ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'],
      hours: 4,
      gap: flat,
      body,
      up: flat,
      down: flat,
      gapRatio: ratios(flat),
      bodyRatio: ratios(body),
      upRatio: ratios(flat),
      downRatio: ratios(flat),
      drift: new Float64Array(3),
      volatility: new Float64Array(3),
      cholesky: [],
      beta: new Float64Array(3),
      start: Float64Array.from([50000, 2000, 100]),
      crashes: [],
    };
  };
  const spec = (solLeverage: number, ethSide: 'long' | 'short' = 'long') =>
    parseSpec({
      wallet: '10000',
      legs: [
        { symbol: 'BTCUSDT', side: 'long', size: { notional: '10000' }, leverage: 10, marginMode: 'cross' },
        { symbol: 'SOLUSDT', side: 'long', size: { margin: '1000' }, leverage: solLeverage, marginMode: 'cross' },
        { symbol: 'ETHUSDT', side: ethSide, size: { margin: '100' }, leverage: 10, marginMode: 'isolated' },
      ],
    });
  it('weights the cross legs by notional: book = 10,000 BTC + 10,000 SOL -> correlation 1 / sqrt 2', () => {
    const r = pnlCorrelations(spec(10), 2, model());
    // ETH = BTC, orthogonal to SOL with the same norm: corr(ETH, a BTC + b SOL) = a / sqrt(a^2 + b^2) = 0.70710678
    assert.ok(Math.abs(r.cross! - Math.SQRT1_2) < 1e-12, String(r.cross));
    assert.ok(Math.abs(r.legs[0]!.correlation! - 1) < 1e-12);
    assert.ok(Math.abs(r.legs[1]!.correlation!) < 1e-12);
    // SOL at 20x: b = 20,000 -> 1 / sqrt 5 = 0.4472136
    assert.ok(Math.abs(pnlCorrelations(spec(20), 2, model()).cross! - 1 / Math.sqrt(5)) < 1e-12);
    // a short ETH trade offsets the book: -0.70710678
    assert.ok(Math.abs(pnlCorrelations(spec(10, 'short'), 2, model()).cross! + Math.SQRT1_2) < 1e-12);
  });
});

describe('the advice', () => {
  it('on hand-built windows: a core BTC trade beside a cross ETH book goes isolated because of the 10 % blast in the slide', () => {
    const a = adviseMode({ spec: book('core'), tradeIndex: 1, experience: 'expert', windows: [slide, wick] });
    assert.equal(a.recommendation, 'isolated');
    const w = a.criteria.find((c) => c.name === 'crash windows')!;
    assert.equal(w.verdict, 'isolated');
    // kept: isolated (0.8985 + 0.8985) / 2 = 89.9 %; cross (0.7985 + 0.9985) / 2 = 89.9 %; blast 10.0 % in the slide
    assert.match(a.reason, /^isolated: in 2 crash window\(s\) isolated kept 89\.9 % on average, cross 89\.9 %; in cross the trade took 10\.0 % of the wallet from the rest of the book \(slide\)/);
  });
  it('a novice gets isolated first, and the reason says so with the numbers', () => {
    const a = adviseMode({ spec: book('core'), tradeIndex: 1, experience: 'novice', windows: [wick] });
    assert.equal(a.recommendation, 'isolated');
    assert.match(a.reason, /^isolated: a novice.*; in 1 crash window\(s\) isolated kept 89\.9 % on average, cross 99\.9 %/);
  });
  it('an expert core trade where cross only helps (the wick) goes cross', () => {
    const a = adviseMode({ spec: book('core'), tradeIndex: 1, experience: 'expert', windows: [wick] });
    assert.equal(a.recommendation, 'cross');
    assert.match(a.reason, /^cross: in 1 crash window\(s\) isolated kept 89\.9 % on average, cross 99\.9 %, with no blast radius in cross/);
  });
  it('the crash-study book on the bundled windows with a small Monte Carlo: the BTC core goes isolated (Black Thursday blast)', () => {
    const spec = parseSpec({
      wallet: '10000',
      legs: [
        { symbol: 'BTCUSDT', side: 'long', size: { notional: '40000' }, leverage: 20, marginMode: 'cross', role: 'core' },
        { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 20, marginMode: 'isolated', role: 'speculative' },
        { symbol: 'SOLUSDT', side: 'short', size: { margin: '200' }, leverage: 10, marginMode: 'isolated', role: 'hedge' },
      ],
    });
    const model = bundledReturnsModel();
    const a = adviseMode({
      spec,
      tradeIndex: 0,
      experience: 'expert',
      windows: loadCrashWindows(['BTCUSDT', 'ETHUSDT', 'SOLUSDT']),
      model,
      monteCarlo: { tickTexts: MC_TICKS, paths: 8, hours: 48, seed: 5 },
    });
    assert.equal(a.recommendation, 'isolated');
    const black = a.windows.find((w) => w.id === '2020-03-12')!;
    // isolated BTC: liquidated, kept 74.75 % (README's all-isolated row); cross: the 20x core takes the wallet (kept 0)
    assert.equal(Math.round(black.isolated.kept * 10000), 7475);
    assert.equal(black.cross.kept, 0);
    // the blast: the rest alone (ETH isolated, liquidated: 10,000 - 500 - fees) less 0, less the core's 2,000 margin and fees
    assert.ok(black.cross.blast > 0.74 && black.cross.blast < 0.75, String(black.cross.blast));
    assert.equal(a.monteCarlo!.cross.paths, 8);
    assert.deepEqual(
      monteCarloComparison(spec, 0, model, { tickTexts: MC_TICKS, paths: 8, hours: 48, seed: 5 }),
      { isolated: a.monteCarlo!.isolated, cross: a.monteCarlo!.cross },
    );
    // no other position shares the cross wallet with the core: correlation says nothing
    assert.equal(a.criteria.find((c) => c.name === 'correlation')!.verdict, 'neutral');
    assert.ok(a.legCorrelations[0]!.correlation! > 0.5); // ETH long moves with BTC long
  });
});
