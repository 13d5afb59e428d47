// Bybit inverse classic cross (help.bybit.com 360039261334; reference part 2 §6.1, id BY-8).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { liquidationPriceAtTick } from './rules.ts';
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

// A Bybit-reported isolated inverse position (v5 GET /v5/position/list?category=inverse, tradeMode 1 =
// isolated): {"symbol":"BTCUSD","side":"Buy","size":"13","avgPrice":"22114.10880142","leverage":"5",
// "riskId":1,"riskLimitValue":"150","markPrice":"22110.51","liqPrice":"18506.00","bustPrice":"18428.50",
// "updatedTime":"1676448979130"} (2023-02-15), as quoted in a public repository's Bybit position-schema
// comments (search-index file id 47643554872). Isolated margin = IM = 13 / 22,114.10880142 / 5 BTC
// (no margin was added), MMR 0.5 % from risk tier 1 (bundled, 2022-12-26).
describe('Bybit isolated inverse: no fee-to-close term (a Bybit-reported position, at Bybit\'s 0.5 tick)', () => {
  const json = {
    exchange: 'bybit-inverse',
    asOf: '2023-02-15',
    positions: [{ symbol: 'BTCUSD', side: 'long', size: '13', entryPrice: '22114.10880142', markPrice: '22110.51', marginMode: 'isolated', leverage: 5, isolatedMargin: '0.000117571999999976' }],
  };
  const { account, profile } = snapshot(json);
  const tick = account.legs[0]!.market.tickSize;
  const mark = account.legs[0]!.markPrice;
  it('liquidation 18,506.0: 1/LP = (13/EP + IM - 13/EP x 0.5 %) / 13 = 18,505.5304, shown at the tick toward the mark', () => {
    const lp = profile.liquidationPrice(account, 0)!;
    assertNear(lp, '18505.5304', '0.0001', 'exact LP');
    assert.equal(formatFixed(liquidationPriceAtTick(profile.rules, lp, mark, tick)), '18506');
  });
  it('bankruptcy 18,428.5: 1/BP = (13/EP + IM) / 13 = 18,428.4240, shown at the tick toward the mark', () => {
    const bp = profile.bankruptcyPrice(account, 0)!;
    assertNear(bp, '18428.4240', '0.0001', 'exact BP');
    assert.equal(formatFixed(liquidationPriceAtTick(profile.rules, bp, mark, tick)), '18428.5');
  });
  it('cross keeps the fee to close (BY-8 above); the same position with it would show 18,519.5 (27 ticks off)', () => {
    // isolated and cross share the entry-value MM; only cross adds Qty x taker / BP
    const cross = snapshot({ ...json, walletBalance: '0.000117571999999976', positions: [{ ...json.positions[0]!, marginMode: 'cross', isolatedMargin: undefined }] });
    const lp = cross.profile.liquidationPrice(cross.account, 0)!;
    assert.equal(formatFixed(liquidationPriceAtTick(cross.profile.rules, lp, mark, tick)), '18519.5');
  });
});
