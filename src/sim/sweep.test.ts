import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpec } from './spec.ts';
import { planUnits, sweepFigures, type SweepPlan, type UnitResult } from './sweep.ts';

const spec = parseSpec({
  wallet: '10000',
  legs: [
    { symbol: 'BTCUSDT', side: 'long', size: { notional: '30000' }, leverage: 10 },
    { symbol: 'ETHUSDT', side: 'short', size: { margin: '300' }, leverage: 10, marginMode: 'isolated' },
  ],
});
const plan: SweepPlan = {
  spec,
  leverages: [5],
  allocations: ['0.5'],
  modes: ['cross'],
  paths: 4,
  chunkPaths: 2,
  pathOptions: { generator: 'bootstrap', hours: 48, blockHours: 24, crashProbability: 0, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) },
  seed: 1,
  crashWindows: ['2024-08-05'],
  modelDigest: 'test',
};
// two path units of two paths each, and the crash unit; legs: bit 0 BTC, bit 1 ETH
const results: UnitResult[] = [
  { key: 'c0.p0-2', kind: 'paths', modes: { cross: { kept: [0.9, 0.2], ruined: [0, 1], legs: [0, 3] } } },
  { key: 'c0.p2-4', kind: 'paths', modes: { cross: { kept: [1.1, 1.0], ruined: [0, 0], legs: [2, 0] } } },
  { key: 'c0.crash', kind: 'crash', windows: 1, firstCrash: { cross: '2024-08-05' }, liquidatingWindows: { cross: 1 } },
];

describe('sweep figures from unit results', () => {
  it('the units: one crash unit, then the path ranges of --chunk', () => {
    assert.deepEqual(planUnits(plan).map((u) => u.key), ['c0.crash', 'c0.p0-2', 'c0.p2-4']);
  });

  it('P(liquidation) per leg, P(ruin), kept quantiles and ES 5 % of four paths, worked by hand', () => {
    const [cell] = sweepFigures(plan, new Map(results.map((r) => [r.key, r])));
    const m = cell!.modes[0]!;
    assert.deepEqual(m.legLiquidationProbability, [0.25, 0.5]); // BTC on path 1; ETH on paths 1 and 2
    assert.equal(m.liquidationProbability, 0.5);
    assert.equal(m.ruinProbability, 0.25);
    // sorted 0.2, 0.9, 1.0, 1.1: index round(f x 3)
    assert.deepEqual(m.keptQuantiles, [0.2, 0.9, 1.0, 1.0, 1.1]);
    assert.equal(m.expectedShortfall5, 0.2);
    assert.equal(m.firstCrash, '2024-08-05');
  });

  it('the same figures whatever order the units arrived in; a cell with a unit missing is not shown', () => {
    const forward = sweepFigures(plan, new Map(results.map((r) => [r.key, r])));
    const backward = sweepFigures(plan, new Map([...results].reverse().map((r) => [r.key, r])));
    assert.deepEqual(backward, forward);
    assert.deepEqual(sweepFigures(plan, new Map(results.slice(1).map((r) => [r.key, r]))), []);
  });

  it('a unit that saw the venue refuse an order makes the cell refused, with no figures', () => {
    const refused = results.map((r) => (r.key === 'c0.p0-2' ? { ...r, refused: 'an order was refused: margin is insufficient' } : r));
    const [cell] = sweepFigures(plan, new Map(refused.map((r) => [r.key, r])));
    assert.equal(cell!.refused, 'an order was refused: margin is insufficient');
    assert.deepEqual(cell!.modes, []);
  });
});
