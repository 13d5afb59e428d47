// The rounding rules of printed numbers (the README's "Rounding" section), one row per rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { money as moneyOf, price } from '../domain/fixed.ts';
import { assetDecimals, grouped, money, priceToTick, priceTowardMark } from './numbers.ts';

describe('printed numbers', () => {
  it('amounts to 8 decimals, rounded as the figure asks', () => {
    assert.equal(money(moneyOf('1.000000005')), '1.00000000'); // half-even: ...5 to the even 0
    assert.equal(money(moneyOf('1.000000015')), '1.00000002');
    assert.equal(money(moneyOf('1.000000001'), 'ceil'), '1.00000001'); // margins up
    assert.equal(money(moneyOf('-1.000000001'), 'floor'), '-1.00000001'); // PnL down
  });
  it('a liquidation price toward the mark: reached no later than printed', () => {
    assert.equal(priceTowardMark(price('45180.722891566265'), price('50000')), '45180.72289157'); // below the mark: up
    assert.equal(priceTowardMark(price('54819.277108433735'), price('50000')), '54819.27710843'); // above: down
    assert.equal(priceToTick(price('45180.7228'), price('50000'), price('0.1')), '45180.8');
    assert.equal(priceToTick(price('54819.2771'), price('50000'), price('0.1')), '54819.2');
  });
  it('thousands grouped for people; stablecoins to the cent, coins to 8 decimals', () => {
    assert.equal(grouped('1234567.5'), '1,234,567.5');
    assert.equal(grouped('-1000'), '-1,000');
    assert.equal(grouped('999.123456'), '999.123456');
    assert.deepEqual(['USDT', 'usdc', 'BTC', 'ETH'].map(assetDecimals), [2, 2, 8, 8]);
  });
});
