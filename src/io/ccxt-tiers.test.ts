// Import of ccxt fetchLeverageTiers dumps (the format of freqtrade's binance_leverage_tiers.json).
// The fixture holds the 2024-10-24 BTCUSDT table with Binance's own strings in `info`, and ETHUSDT with
// ccxt's float fields only (so cum is derived from the recurrence).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatFixed } from '../domain/fixed.ts';
import { bracketTableFromSpec } from '../domain/tiers.ts';
import { binanceUsdmBracketSpecs } from '../exchanges/data/binance-usdm-brackets.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { exchangeSymbolOf, importCcxtLeverageTiers, TierImportError } from './ccxt-tiers.ts';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8'));

describe('ccxt fetchLeverageTiers import', () => {
  const tables = importCcxtLeverageTiers(fixture('ccxt-binance-leverage-tiers.json'), '2024-10-24', 'fixture');
  it('maps unified symbols to exchange symbols', () => {
    assert.deepEqual(tables.map((t) => t.symbol), ['BTCUSDT', 'ETHUSDT']);
    assert.equal(exchangeSymbolOf('BTC/USD:BTC'), 'BTCUSD_PERP');
  });
  it('reproduces the bundled 2024-10-24 tables exactly (info strings for BTC, floats + recurrence for ETH)', () => {
    for (const t of tables) {
      const bundled = bracketTableFromSpec(binanceUsdmBracketSpecs.find((s) => s.symbol === t.symbol && s.effectiveFrom === '2024-10-24')!);
      assert.deepEqual(
        t.brackets.map((b) => [formatFixed(b.floor), formatFixed(b.cap), formatFixed(b.maintenanceMarginRate), formatFixed(b.maintenanceAmount), b.maxLeverage]),
        bundled.brackets.map((b) => [formatFixed(b.floor), formatFixed(b.cap), formatFixed(b.maintenanceMarginRate), formatFixed(b.maintenanceAmount), b.maxLeverage]),
      );
    }
  });
  it('rejects a table whose maintenance amounts break cum_n = cum_{n-1} + floor_n x (MMR_n - MMR_{n-1})', () => {
    assert.throws(
      () => importCcxtLeverageTiers(fixture('ccxt-tiers-broken-cum.json'), '2024-10-24', 'fixture'),
      (e: unknown) => e instanceof TierImportError && /BTC\/USDT:USDT.*bracket 4.*breaks cum_n/.test((e as Error).message),
    );
  });
  it('rejects a file that is not a tiers dump, naming what is wrong', () => {
    assert.throws(() => importCcxtLeverageTiers({ 'BTC/USDT:USDT': [] }, '2024-10-24', 'x'), /BTC\/USDT:USDT: must list at least one tier/);
    assert.throws(() => importCcxtLeverageTiers([1, 2], '2024-10-24', 'x'), TierImportError);
    // the field named as every parser names it: the tier's index in brackets
    assert.throws(
      () => importCcxtLeverageTiers({ 'BTC/USDT:USDT': [{ minNotional: 0, maintenanceMarginRate: 0.01, maxLeverage: 50 }] }, '2024-10-24', 'x'),
      (e: unknown) => e instanceof TierImportError && e.message.startsWith('BTC/USDT:USDT[0].maxNotional: ') && e.message.endsWith('(expected ccxt fetchLeverageTiers output)'),
    );
  });
  it('imported tables replace the bundled ones in a snapshot', () => {
    const changed = importCcxtLeverageTiers(
      { 'BTC/USDT:USDT': [{ minNotional: 0, maxNotional: 1e9, maintenanceMarginRate: 0.01, maxLeverage: 50 }] },
      '2020-01-01',
      'one bracket',
    );
    const json = { exchange: 'binance-usdm', walletBalance: '1000', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.1', entryPrice: '50000', marginMode: 'cross', leverage: 10 }] };
    const withImport = resolveSnapshot(json, { brackets: changed });
    const mm = profileOf('binance-usdm').maintenanceMargin(withImport.legs[0]!, withImport.fees).amount;
    assert.equal(formatFixed(mm), '50'); // 5,000 x 1 % instead of the bundled 0.4 %
  });
});
