// The view of `perpguard calc`: the seed's isolated position, every printed figure derived by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { profileOf } from '../exchanges/profiles.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { reportJson } from './calc.ts';

describe('calc view', () => {
  // 0.02 BTC long at 50,000, 10x, 100 USDT isolated margin, 900 USDT in the cross wallet, no fees
  const snapshot = resolveSnapshot({
    exchange: 'binance-usdm',
    walletBalance: '900',
    asOf: '2024-06-01',
    positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'isolated', leverage: 10, isolatedMargin: '100' }],
    fees: { taker: '0', maker: '0' },
  });
  const json = reportJson(profileOf('binance-usdm').evaluate(snapshot));

  it('prints the position: margins, bracket, and the liquidation price rounded toward the mark', () => {
    const p = json.positions[0]!;
    // notional 0.02 x 50,000 = 1,000; IM 1,000 / 10 = 100; MM 1,000 x 0.4 % (bracket 1, cum 0) = 4
    assert.deepEqual([p.notional, p.initialMargin, p.maintenanceMargin, p.maintenanceMarginRate, p.bracket], ['1000.00000000', '100.00000000', '4.00000000', '0.004', 1]);
    // margin ratio MM / margin balance = 4 / 100
    assert.equal(p.marginRatio, '0.04000000');
    // Binance's isolated long: LP = (100 + 0 - 0.02 x 50,000) / (0.02 x 0.004 - 0.02) = 900 / 0.01992
    // = 45,180.722891566..., up to 8 decimals (toward the mark) 45,180.72289157, to the 0.1 tick 45,180.8
    assert.equal(p.liquidationPrice, '45180.72289157');
    assert.equal(p.liquidationPriceTick, '45180.8');
    // bankruptcy: the 100 of margin gone, 50,000 - 100 / 0.02 = 45,000
    assert.equal(p.bankruptcyPrice, '45000.00000000');
    // (50,000 - 45,180.7228...) / 50,000 = 9.638554...%, down to 4 decimals
    assert.equal(p.liquidationDistancePct, '9.6385');
    assert.equal(p.isolatedMargin, '100.00000000');
  });
  it('prints the account: the isolated margin is not part of the cross figures', () => {
    assert.deepEqual(json.account, {
      exchange: 'binance-usdm',
      settleAsset: 'USDT',
      walletBalance: '900.00000000',
      totalWalletBalance: '1000.00000000',
      marginBalance: '900.00000000',
      maintenanceMargin: '0.00000000',
      initialMargin: '0.00000000',
      marginRatio: '0.00000000',
      availableBalance: '900.00000000',
      liquidatable: false,
    });
  });
});
