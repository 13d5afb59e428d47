// Binance COIN-M worked examples (reference part 2 §2 and §10, ids BN-CM-*, BN-FEE-3/4).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, formatFixedTo, money, price, quantity, rate } from '../domain/fixed.ts';
import { nextMaintenanceAmount } from '../domain/tiers.ts';
import { tradeFee } from './fees.ts';
import { legNotional } from './rules.ts';
import { assertNear, snapshot } from './test-support.ts';

describe('Binance COIN-M ("How to Calculate Liquidation Price of COIN-M Futures Contracts", ceccfcfb…)', () => {
  it('BN-CM-MM: 100 BTCUSD contracts (CS 100) at mark 25,000: notional 0.4 BTC, MM 0.0016 BTC at MMR 0.4 %', () => {
    const { account, profile } = snapshot({
      exchange: 'binance-coinm',
      walletBalance: '1',
      positions: [{ symbol: 'BTCUSD_PERP', side: 'long', size: '100', entryPrice: '25000', marginMode: 'cross', leverage: 10, maintenance: { rate: '0.004', amount: '0' } }],
    });
    assert.equal(formatFixed(legNotional(account.legs[0]!, price('25000'))), '0.4');
    assert.equal(formatFixed(profile.maintenanceMargin(account.legs[0]!, account.fees).amount), '0.0016');
  });
  it('BN-CM-CUM: maintenance amount 50 BTC x (5 % - 2.5 %) + 0.56 = 1.81 BTC', () => {
    assert.equal(formatFixed(nextMaintenanceAmount(money('0.56'), money('50'), rate('0.05'), rate('0.025'))), '1.81');
  });
  it('BN-CM-LP: WB 101 BTC, long 100,000 BTCUSD at 45,000, level MMR 12.5 % / cum 11.81 -> 33,578.86 (calculator: 33,599.40, gap unexplained, §11.13)', () => {
    const { account, profile } = snapshot({
      exchange: 'binance-coinm',
      walletBalance: '101',
      positions: [{ symbol: 'BTCUSD_PERP', side: 'long', size: '100000', entryPrice: '45000', marginMode: 'cross', leverage: 1, maintenance: { rate: '0.125', amount: '11.81' } }],
    });
    const lp = profile.liquidationPrice(account, 0);
    // the written-out formula: 10,000,000 x 1.125 / (101 + 11.81 + 222.222...) = 33,578.87 (the forum poster's number)
    assertNear(lp, '33578.86', '0.01', 'BN-CM-LP formula');
    // tolerance test against Binance's calculator, which differs by 20.54 USD (0.06 %)
    assertNear(lp, '33599.40', '25', 'BN-CM-LP calculator');
  });
  it('inverse short fully covered in coin cannot be liquidated (a 1x short is a hedge)', () => {
    const { account, profile } = snapshot({
      exchange: 'binance-coinm',
      positions: [{ symbol: 'BTCUSD_PERP', side: 'short', size: '100', entryPrice: '50000', marginMode: 'isolated', leverage: 1, isolatedMargin: '0.3', maintenance: { rate: '0.004', amount: '0' } }],
    });
    // face 10,000 USD = 0.2 BTC at entry; 0.3 BTC of margin more than covers it
    assert.equal(profile.liquidationPrice(account, 0), undefined);
  });
});

describe('Binance COIN-M fees (fee FAQ 360033544231)', () => {
  const { account } = snapshot({
    exchange: 'binance-coinm',
    walletBalance: '1',
    positions: [{ symbol: 'BTCUSD_PERP', side: 'long', size: '10', entryPrice: '10104', marginMode: 'cross', leverage: 10, maintenance: { rate: '0.004', amount: '0' } }],
  });
  const market = account.legs[0]!.market;
  it('BN-FEE-3: buy 10 BTCUSD at 10,104, taker 0.05 % -> 0.000049485 BTC (page truncates the notional to 0.09897)', () => {
    const fee = tradeFee(market, quantity('10'), price('10104'), rate('0.0005'));
    assert.equal(formatFixedTo(fee, 9, 'halfEven'), '0.000049485');
  });
  it('BN-FEE-4: sell 10 BTCUSD at 11,104, maker 0.02 % -> exact 0.0000180115 BTC (page rounds to 0.000018)', () => {
    const fee = tradeFee(market, quantity('10'), price('11104'), rate('0.0002'));
    assert.equal(formatFixedTo(fee, 10, 'halfEven'), '0.0000180115');
    assertNear(fee, '0.000018', '0.0000000116', 'published, rounded');
  });
});
