// Bybit inverse classic cross (help.bybit.com 360039261334; reference part 2 §6.1, id BY-8).
import { describe, it } from 'node:test';
import { assertNear, snapshot } from './test-support.ts';

describe('Bybit "How to calculate Liquidation Price (Inverse Contract)"', () => {
  const { account, profile } = snapshot({
    exchange: 'bybit-inverse',
    walletBalance: '0.5',
    fees: { taker: '0.00075', maker: '-0.00025' },
    positions: [{ symbol: 'BTCUSD', side: 'long', size: '10000', entryPrice: '8000', marginMode: 'cross', leverage: 100, maintenance: { rate: '0.005', amount: '0' } }],
  });
  it('BY-8: bankruptcy price = 1.00075 x 10,000 / (10,000/8,000 + 0.5) = 5,718.57', () => {
    assertNear(profile.bankruptcyPrice(account, 0), '5718.57', '0.005', 'BY-8 BP');
  });
  it('BY-8: the page\'s own equation gives LP 5,739.08; the page prints 5,739.50 (inconsistent, reference §11.10)', () => {
    const lp = profile.liquidationPrice(account, 0);
    assertNear(lp, '5739.08', '0.005', 'BY-8 LP, the equation');
    assertNear(lp, '5739.50', '0.5', 'BY-8 LP, as published');
  });
});
