// Bybit worked examples (reference part 2 §6 and §10, ids BY-1..BY-7, BY-9).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, money, price, quantity, rate } from '../domain/fixed.ts';
import { bracketFor, bracketTableFromSpec } from '../domain/tiers.ts';
import { bybitUtaIsolatedLiquidationPrice, bybitUtaMaintenanceMargin } from './bybit-linear.ts';
import { bybitLinearTierSpecs } from './data/bybit-linear-tiers.ts';
import { assertNear, snapshot } from './test-support.ts';

const oneBtc = (side: string, leverage: number, isolatedMargin: string, entryPrice = '20000') =>
  snapshot({
    exchange: 'bybit-linear',
    positions: [{ symbol: 'BTCUSDT', side, size: '1', entryPrice, marginMode: 'isolated', leverage, isolatedMargin, maintenance: { rate: '0.005', amount: '0' } }],
  });

describe('Bybit classic "Liquidation Price (USDT Contract)"', () => {
  it('BY-1: long 1 BTC at 20,000, 50x: IM 400, MM 100, LP 19,700', () => {
    const { account, profile } = oneBtc('long', 50, '400');
    assert.equal(formatFixed(profile.initialMargin(account.legs[0]!)), '400');
    assert.equal(formatFixed(profile.maintenanceMargin(account.legs[0]!, account.fees).amount), '100');
    assert.equal(formatFixed(profile.liquidationPrice(account, 0)!), '19700');
  });
  it('BY-2: short 1 BTC at 20,000, 50x, 3,000 USDT added: LP 23,300', () => {
    const { account, profile } = oneBtc('short', 50, '3400');
    assert.equal(formatFixed(profile.liquidationPrice(account, 0)!), '23300');
  });
  it('BY-3: as BY-1 with 200 USDT funding taken from the position margin: LP 19,900', () => {
    const { account, profile } = oneBtc('long', 50, '200');
    assert.equal(formatFixed(profile.liquidationPrice(account, 0)!), '19900');
  });
  it('BY-4: bankruptcy price of long 1 BTC at 10,000, 50x = 9,800', () => {
    const { account, profile } = oneBtc('long', 50, '200', '10000');
    assert.equal(formatFixed(profile.bankruptcyPrice(account, 0)!), '9800');
  });
  it('BY-5: bankruptcy price of a BTCUSDT long at 60,000, 50x = 58,800 (2026 page)', () => {
    const { account, profile } = oneBtc('long', 50, '1200', '60000');
    assert.equal(formatFixed(profile.bankruptcyPrice(account, 0)!), '58800');
  });
});

describe('Bybit UTA isolated ("Liquidation Price Calculation under Isolated Mode (UTA)", §6.3)', () => {
  const input = {
    side: 1 as const,
    size: quantity('1'),
    entryPrice: price('40000'),
    leverage: 50,
    extraMargin: money('3000'),
    maintenanceRate: rate('0.005'),
    deduction: money('0'),
    takerFeeRate: rate('0.00055'),
  };
  it('BY-6: long 1 BTC at 40,000, 50x, extra margin 3,000, taker 0.055 % -> LP 36,380.25', () => {
    assertNear(bybitUtaIsolatedLiquidationPrice(input), '36380.25', '0.005', 'BY-6');
  });
  it('BY-7: maintenance margin = 40,000 x 0.5 % - 0 + 21.56 fee to close = 221.56', () => {
    assert.equal(formatFixed(bybitUtaMaintenanceMargin({ ...input, markPrice: price('40000') })), '221.56');
  });
});

describe('Bybit risk-limit tiers ("Maintenance Margin (USDT Contract)")', () => {
  const table = bracketTableFromSpec(bybitLinearTierSpecs[0]!);
  it('BY-9: 2,000,000 USDT -> MMR 0.5 % (upper bound inclusive); 2,600,000 -> 0.56 %', () => {
    assert.equal(formatFixed(bracketFor(table, money('2000000')).bracket.maintenanceMarginRate), '0.005');
    assert.equal(formatFixed(bracketFor(table, money('2600000')).bracket.maintenanceMarginRate), '0.0056');
    assert.equal(formatFixed(bracketFor(table, money('2000000.01')).bracket.maintenanceMarginRate), '0.0056');
  });
  it('the bundled deductions follow the recurrence: 2,000,000 x 0.06 % = 1,200; 1,200 + 2,600,000 x 0.07 % = 3,020', () => {
    // tiers 1-4 as the 2026-08-05 API snapshot (reference part 2 §6.5); the 35-tier table of 2024-12-25
    // (tiers.md §3.2 c) ends at 1.2 B USDT with mmDeduction 226,382,000
    assert.deepEqual(table.brackets.slice(0, 4).map((b) => formatFixed(b.maintenanceAmount)), ['0', '1200', '3020', '4300']);
    assert.equal(table.brackets.length, 35);
    assert.equal(formatFixed(table.brackets[34]!.maintenanceAmount), '226382000');
    assert.equal(formatFixed(table.brackets[34]!.cap), '1200000000');
  });
});
