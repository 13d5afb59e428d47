import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { add, lte, parseFixed, scale, sum, type Money } from '../domain/fixed.ts';
import { parseSpec } from './spec.ts';
import { cellRefusal, cellSpec, gridCells, specMargins } from './sweep-grid.ts';

// examples/max-exposure.yaml: a 10x cross BTC long of notional 30,000 (margin 3,000) and an isolated ETH short of margin 300
const spec = parseSpec({
  name: 'max exposure',
  wallet: '10000',
  legs: [
    { symbol: 'BTCUSDT', side: 'long', size: { notional: '30000' }, leverage: 10, marginMode: 'cross', role: 'core' },
    { symbol: 'ETHUSDT', side: 'short', size: { margin: '300' }, leverage: 10, marginMode: 'isolated', isolatedMargin: '450', role: 'hedge' },
  ],
});
const JAN_2026 = Date.UTC(2026, 0, 21);
const marginOf = (leg: { size: object }) => parseFixed<'Money'>((leg.size as { margin: string }).margin);

describe('sweep grid: a spec re-sized per cell', () => {
  it('cells run leverage-major: index = leverage index x allocations + allocation index', () => {
    assert.deepEqual(gridCells([2, 10], ['0.1', '0.5']), [
      { leverage: 2, allocation: '0.1' },
      { leverage: 2, allocation: '0.5' },
      { leverage: 10, allocation: '0.1' },
      { leverage: 10, allocation: '0.5' },
    ]);
  });

  it("the legs' margins as the spec sizes them: notional / leverage, or the margin given", () => {
    assert.deepEqual(specMargins(spec).map(String), [parseFixed('3000'), parseFixed('300')].map(String));
  });

  it('allocation 0.33 at 10x: 3,300 committed, split 3,000 : 300, each margin / (1 + 10 x 0.0005 taker)', () => {
    const legs = cellSpec(spec, { leverage: 10, allocation: '0.33' }).legs;
    assert.deepEqual(
      legs.map((l) => [l.leverage, l.size]),
      [
        [10, { margin: '2985.074626865671641791' }],
        [10, { margin: '298.507462686567164179' }],
      ],
    );
    // the isolated safety net keeps its ratio to the margin (450 : 300)
    assert.equal(legs[1]!.isolatedMargin, '447.761194029850746268');
    assert.equal(legs[0]!.marginMode, 'cross');
    assert.equal(legs[1]!.role, 'hedge');
  });

  it('margin plus opening fee never exceeds the allocation (rounding down)', () => {
    for (const [leverage, allocation] of [[50, '1'], [3, '0.7'], [25, '0.1234']] as const) {
      const legs = cellSpec(spec, { leverage, allocation }).legs;
      const committed = sum(legs.map((l) => add(marginOf(l), scale(marginOf(l), parseFixed<'Rate'>(String(leverage * 0.0005)), 'ceil')))) as Money;
      assert.ok(lte(committed, scale(parseFixed<'Money'>('10000'), parseFixed<'Rate'>(allocation), 'floor')), `${leverage}x ${allocation}`);
    }
  });

  it('refuses a leverage above the market and a notional above its brackets at that leverage; allows the rest', () => {
    assert.match(cellRefusal(spec, { leverage: 150, allocation: '0.1' }, JAN_2026) ?? '', /BTCUSDT: 150x is above the venue's 125x/);
    assert.match(cellRefusal(spec, { leverage: 100, allocation: '1' }, JAN_2026) ?? '', /BTCUSDT: a notional of .* is above the 100x cap/);
    assert.equal(cellRefusal(spec, { leverage: 20, allocation: '1' }, JAN_2026), undefined);
  });

  it('a leg sized by risk has no margin to scale: refused naming the leg', () => {
    const risky = parseSpec({ wallet: '1000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { riskPercent: '2' }, leverage: 5, stopLoss: { percent: '3' } }] });
    assert.throws(() => specMargins(risky), /legs\[0\]\.size/);
  });
});
