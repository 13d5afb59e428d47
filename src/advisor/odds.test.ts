// Leverage calibration, the odds: liquidation probabilities by Monte Carlo through the replay.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { money, price, rate } from '../domain/fixed.ts';
import { bundledReturnsModel, MC_TICKS } from '../io/returns.ts';
import { adviseLeverage } from './leverage.ts';
import { liquidationOdds } from './odds.ts';
import { loneAccount, marketFor } from './accounts.ts';

const BTC = marketFor('binance-usdm', 'BTCUSDT');

describe('liquidation odds by Monte Carlo', () => {
  const model = bundledReturnsModel();
  const odds = (leverages: number[], seed = 7) =>
    liquidationOdds({
      model,
      tickTexts: MC_TICKS,
      exchange: 'binance-usdm',
      wallet: money('10000'),
      rest: [],
      trade: { symbol: 'BTCUSDT', side: 'long', margin: money('1000') },
      leverages,
      modes: ['isolated', 'cross'],
      horizonHours: 24,
      paths: 40,
      seed,
    });
  it('2x never, 100x isolated often: a 100x long is liquidated by a ~0.6 % dip, a 2x long needs ~50 %', () => {
    const r = odds([2, 100]);
    const get = (l: number, m: string) => r.find((o) => o.leverage === l && o.mode === m)!;
    assert.equal(get(2, 'isolated').paths, 40);
    assert.equal(get(2, 'isolated').liquidated, 0);
    assert.equal(get(2, 'cross').liquidated, 0);
    assert.ok(get(100, 'isolated').probability > 0.5, `100x isolated: ${get(100, 'isolated').probability}`);
    // cross at 100x: 100,000 notional on a 10,000 wallet, liquidated only by a ~9.5 % fall within the day
    assert.ok(get(100, 'cross').probability < get(100, 'isolated').probability);
  });
  it('is a pure function of the seed', () => {
    assert.deepEqual(odds([20], 3), odds([20], 3));
  });
  it('adviseLeverage marks leverages the exchange refuses and does not run them', () => {
    const advice = adviseLeverage({
      symbol: 'BTCUSDT',
      side: 'long',
      horizonHours: 4,
      confidence: 0.99,
      move: rate('0.05'),
      base: loneAccount('binance-usdm', money('10000')),
      market: BTC,
      margin: money('1000'),
      price: price('50000'),
      marginCallRatio: rate('0.8'),
      monteCarlo: { model, tickTexts: MC_TICKS, wallet: money('10000'), rest: [], leverages: [10, 120], paths: 5, seed: 1 },
    });
    assert.deepEqual(advice.modes.map((m) => m.leverage), [18, 100]);
    const refused = advice.odds.filter((o) => o.leverage === 120);
    assert.equal(refused.length, 2);
    for (const o of refused) {
      assert.match(o.refused!, /120x allows at most 50000 notional/);
      assert.equal(o.paths, 0);
    }
    assert.equal(advice.odds.find((o) => o.leverage === 10 && o.mode === 'isolated')!.paths, 5);
  });
});
