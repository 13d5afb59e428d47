// The market registry each engine holds (no module-global cache): markets given to one engine do not
// leak into another, a market is built once per engine and bracket day, the registry is not part of a
// serialized state; and with brackets 'time' the kept cross sums follow the table of the new day.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed } from '../domain/fixed.ts';
import { apply } from './apply.ts';
import { parseCommand } from './commands.ts';
import { crossSums, derivedOf } from './exposure.ts';
import { checkDerived, serialize } from './invariants.ts';
import { initialState, marketOf } from './state.ts';

describe('the market registry: one per engine, built by initialState and held by its config', () => {
  it('markets given to one engine replace the bundled ones there only', () => {
    const bundled = initialState({ exchange: 'binance-usdm' });
    const btc = marketOf(bundled, 'BTCUSDT')!;
    const custom = initialState({ exchange: 'binance-usdm', markets: [{ ...btc, maxLeverage: 7 }] });
    assert.equal(marketOf(custom, 'BTCUSDT')!.maxLeverage, 7);
    assert.equal(marketOf(bundled, 'BTCUSDT')!.maxLeverage, 125);
    assert.equal(marketOf(initialState({ exchange: 'binance-usdm' }), 'BTCUSDT')!.maxLeverage, 125);
    assert.equal(marketOf(bundled, 'NOPEUSDT'), undefined);
  });
  it('a market is built once per engine and day; the registry is not serialized', () => {
    const state = initialState({ exchange: 'bybit-linear' });
    assert.equal(marketOf(state, 'ETHUSDT'), marketOf(state, 'ETHUSDT'));
    assert.notEqual(marketOf(state, 'ETHUSDT'), marketOf(initialState({ exchange: 'bybit-linear' }), 'ETHUSDT'));
    assert.deepEqual(state.config.registry.settleAssets, ['USDT']);
    assert.equal(JSON.parse(serialize(state)).config.registry, undefined);
  });
  it("brackets 'time': days under one table share one market object, a new table gives a new one", () => {
    const state = initialState({ exchange: 'binance-usdm', brackets: 'time' });
    const registry = state.config.registry;
    const DAY = 86_400_000;
    // BTCUSDT's bundled tables: 2023-01-13, then 2024-10-24 (../../shared/reference/tiers.md)
    const a = registry.marketAt('BTCUSDT', Date.UTC(2024, 9, 20));
    assert.equal(registry.marketAt('BTCUSDT', Date.UTC(2024, 9, 20) + 3 * DAY), a);
    const b = registry.marketAt('BTCUSDT', Date.UTC(2024, 9, 24));
    assert.notEqual(b, a);
    assert.notEqual(b!.brackets, a!.brackets);
    assert.equal(registry.marketAt('BTCUSDT', Date.UTC(2025, 0, 1)), b);
  });
  it("brackets 'time': BTCUSDT's table of 2024-10-24 lowers a 500,000 position's MM from 3,700 to 2,450 on a tick of another symbol", () => {
    const day = Date.UTC(2024, 9, 24);
    const state = initialState({ exchange: 'binance-usdm', brackets: 'time', time: day - 43_200_000 });
    const run = (raw: Record<string, unknown>, time: number) => {
      const parsed = parseCommand(raw);
      if ('rejection' in parsed) throw new Error(parsed.rejection.message);
      const r = apply(state, parsed.command, time);
      assert.equal(r.rejection, undefined, r.rejection?.message);
    };
    const before = day - 3_600_000;
    run({ op: 'deposit', account: 'main', asset: 'USDT', amount: '30000' }, before);
    run({ op: 'mark', symbol: 'BTCUSDT', price: '50000' }, before);
    run({ op: 'mark', symbol: 'ETHUSDT', price: '3000' }, before);
    run({ op: 'order', account: 'main', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '10' }, before);
    // 2023-01-13 table: bracket 3 (250,000-1,000,000), 1 % - 1,300
    assert.equal(formatFixed(crossSums(state, 'main', 'USDT').mm), '3700');
    const built = derivedOf(state);
    run({ op: 'mark', symbol: 'ETHUSDT', price: '3001' }, day + 3_600_000);
    // 2024-10-24 table: bracket 2 (50,000-600,000), 0.5 % - 50; the derived data was rebuilt for the day
    assert.notEqual(derivedOf(state), built);
    assert.equal(formatFixed(crossSums(state, 'main', 'USDT').mm), '2450');
    checkDerived(state);
    assert.equal(state.marks['BTCUSDT'], parseFixed('50000'));
  });
});

describe('the derived sums across bracket days', () => {
  it('a new day under the same tables keeps the sums (no rebuild); they still equal a from-scratch build', () => {
    const day = Date.UTC(2025, 2, 10);
    const state = initialState({ exchange: 'binance-usdm', brackets: 'time', time: day });
    const run = (raw: Record<string, unknown>, time: number) => {
      const parsed = parseCommand(raw);
      if ('rejection' in parsed) throw new Error(parsed.rejection.message);
      assert.equal(apply(state, parsed.command, time).rejection, undefined);
    };
    run({ op: 'deposit', account: 'main', asset: 'USDT', amount: '30000' }, day);
    run({ op: 'mark', symbol: 'BTCUSDT', price: '80000' }, day);
    run({ op: 'order', account: 'main', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '1' }, day);
    const held = derivedOf(state);
    run({ op: 'mark', symbol: 'BTCUSDT', price: '80100' }, day + 3 * 86_400_000);
    assert.equal(derivedOf(state), held);
    assert.equal(held.day, Math.floor((day + 3 * 86_400_000) / 86_400_000));
    checkDerived(state);
  });
});
