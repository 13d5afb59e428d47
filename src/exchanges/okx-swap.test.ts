// OKX worked example (reference part 2 §7 and §10, id OKX-1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { assertNear, snapshot } from './test-support.ts';

describe('OKX isolated: liquidation when equity <= notional x (tier MMR + taker fee)', () => {
  it('OKX-1: coin-margined long 100 contracts x 100 USD at 10,000, 10x, MMR 0.4 %, taker 0.05 % -> 9,131.818182 (gaozhao7/futures-calculator)', () => {
    const { account, profile } = snapshot({
      exchange: 'okx-swap',
      fees: { taker: '0.0005', maker: '0.0002' },
      positions: [{ symbol: 'BTC-USD-SWAP', side: 'long', size: '100', entryPrice: '10000', marginMode: 'isolated', leverage: 10, isolatedMargin: '0.1', maintenance: { rate: '0.004', amount: '0' } }],
    });
    assertNear(profile.liquidationPrice(account, 0), '9131.818182', '0.0000005', 'OKX-1');
    // at that mark the position's margin ratio is exactly MMR + fee = 0.45 % of notional: MM / equity = 1
    const lp = profile.liquidationPrice(account, 0)!;
    const atLp = snapshot({
      exchange: 'okx-swap',
      fees: { taker: '0.0005', maker: '0.0002' },
      positions: [{ symbol: 'BTC-USD-SWAP', side: 'long', size: '100', entryPrice: '10000', markPrice: formatFixed(lp), marginMode: 'isolated', leverage: 10, isolatedMargin: '0.1', maintenance: { rate: '0.004', amount: '0' } }],
    });
    assert.equal(atLp.profile.isLiquidatable(atLp.account, 0), true);
  });
});
