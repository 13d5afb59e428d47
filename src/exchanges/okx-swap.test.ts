// OKX worked example (reference part 2 §7 and §10, id OKX-1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, price } from '../domain/fixed.ts';
import { liquidationPriceAtTick } from './rules.ts';
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

describe('OKX display: liquidationPriceTick one tick toward the mark from the formula value; liquidationPrice exact', () => {
  it('OKX-1 long: formula 9,131.818182 -> toward the mark at the 0.1 tick 9,131.9 -> OKX shows 9,132.0', () => {
    const { account, profile } = snapshot({
      exchange: 'okx-swap',
      fees: { taker: '0.0005', maker: '0.0002' },
      positions: [{ symbol: 'BTC-USD-SWAP', side: 'long', size: '100', entryPrice: '10000', marginMode: 'isolated', leverage: 10, isolatedMargin: '0.1', maintenance: { rate: '0.004', amount: '0' } }],
    });
    const lp = profile.liquidationPrice(account, 0)!;
    assert.equal(formatFixed(liquidationPriceAtTick(profile.rules, lp, account.legs[0]!.markPrice, account.legs[0]!.market.tickSize)), '9132');
    // other venues stop at the rounding toward the mark
    assert.equal(formatFixed(liquidationPriceAtTick({}, lp, account.legs[0]!.markPrice, account.legs[0]!.market.tickSize)), '9131.9');
  });
  it('a short: formula rounded down toward the mark, then one tick lower; never past the mark', () => {
    assert.equal(formatFixed(liquidationPriceAtTick({ liquidationDisplayTicks: 1 }, price('10987.654'), price('10000'), price('0.1'))), '10987.5');
    assert.equal(formatFixed(liquidationPriceAtTick({ liquidationDisplayTicks: 1 }, price('10000.05'), price('10000'), price('0.1'))), '10000');
  });
});

describe('OKX bundled position tiers go by size (tiers.md §2)', () => {
  const position = (size: string) => ({ symbol: 'BTC-USDT-SWAP', side: 'long', size, entryPrice: '60000', marginMode: 'isolated', leverage: 10, isolatedMargin: '1000000' });
  it('BTC-USDT-SWAP 2025-12-29: 10 BTC (1,000 contracts of 0.01) is tier 1 at 0.4 %, 10.0001 BTC tier 2 at 0.5 %; MM = notional x (MMR + taker)', () => {
    const { account, profile } = snapshot({ exchange: 'okx-swap', fees: { taker: '0.0005', maker: '0.0002' }, positions: [position('10')] });
    // 10 x 60,000 x (0.004 + 0.0005) = 2,700
    assert.equal(formatFixed(profile.maintenanceMargin(account.legs[0]!, account.fees).amount), '2700');
    const two = snapshot({ exchange: 'okx-swap', fees: { taker: '0.0005', maker: '0.0002' }, positions: [position('10.0001')] });
    // 10.0001 x 60,000 x (0.005 + 0.0005) = 3,300.033
    assert.equal(formatFixed(two.profile.maintenanceMargin(two.account.legs[0]!, two.account.fees).amount), '3300.033');
  });
  it('the tier does not move with the price (size-based): the same 10 BTC at 120,000 stays tier 1', () => {
    const { account, profile } = snapshot({ exchange: 'okx-swap', fees: { taker: '0.0005', maker: '0.0002' }, positions: [{ ...position('10'), entryPrice: '120000' }] });
    assert.equal(profile.maintenanceMargin(account.legs[0]!, account.fees).segment.bracket, 1);
  });
});
