// What-if on the seed's account (1,000 USDT, 0.02 BTC long at 50,000, 10x, Binance USD-M bracket 1: MMR
// 0.4 %) and on the three-position cross account of examples/: hand-computed figures, and the switch to
// isolated agreeing with `advise liquidation`'s isolated column on the same positions.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatFixed, money, rate, type Price } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { liquidationAdvice } from './liquidation.ts';
import { whatIf, type WhatIfChange } from './what-if.ts';

const show = (p: Price | undefined): string => (p === undefined ? 'none' : formatFixed(p));
const seed = resolveSnapshot({
  exchange: 'binance-usdm',
  walletBalance: '1000',
  positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'cross', leverage: 10 }],
});
const profile = profileOf('binance-usdm');
const after = (change: WhatIfChange) => {
  const result = whatIf(seed, change, profile);
  if (!('account' in result)) throw new Error(`${result.field}: ${result.reason}`);
  return result.account;
};

describe('what-if on the seed account', () => {
  it('switched to isolated: holds its IM (0.02 x 50,000 / 10 = 100) from the cross wallet; LP 45,180.72289... as advise liquidation says', () => {
    const isolated = after({ symbol: 'BTCUSDT', marginMode: 'isolated' });
    assert.equal(formatFixed(isolated.crossWallet), '900');
    assert.equal(formatFixed(isolated.legs[0]!.isolatedWallet), '100');
    assert.equal(show(profile.liquidationPrice(isolated, 0)), '45180.722891566265060241');
    assert.equal(show(profile.liquidationPrice(isolated, 0)), show(liquidationAdvice(seed, 0, { otherMoves: [], walletChanges: [] }).isolated.liquidationPrice));
  });
  it('isolated at 20x: IM 50, LP (50 - 1,000) / (0.02 x 0.004 - 0.02) = 47,690.76305...', () => {
    const isolated = after({ symbol: 'BTCUSDT', marginMode: 'isolated', leverage: 20 });
    assert.equal(formatFixed(isolated.legs[0]!.isolatedWallet), '50');
    // 950 / 0.01992 = 47,690.7630522088353413654..., rounded up toward the mark
    assert.equal(show(profile.liquidationPrice(isolated, 0)), '47690.763052208835341366');
  });
  it('isolated with 100 USDT more margin: bucket 200, LP (200 - 1,000) / -0.01992 = 40,160.64257...', () => {
    const isolated = after({ symbol: 'BTCUSDT', marginMode: 'isolated', marginDelta: money('100') });
    assert.equal(formatFixed(isolated.crossWallet), '800');
    assert.equal(show(profile.liquidationPrice(isolated, 0)), '40160.642570281124497992');
  });
  it('back to cross: the bucket returns to the wallet, no liquidation price (the wallet covers the notional)', () => {
    const isolated = after({ symbol: 'BTCUSDT', marginMode: 'isolated' });
    const back = whatIf(isolated, { symbol: 'BTCUSDT', marginMode: 'cross' }, profile);
    assert.ok('account' in back);
    assert.equal(formatFixed(back.account.crossWallet), '1000');
    assert.equal(profile.liquidationPrice(back.account, 0), undefined);
  });
  it('refuses, naming the field: an unknown position, margin on a cross position, more margin taken than held, more than the wallet', () => {
    assert.deepEqual(whatIf(seed, { symbol: 'ETHUSDT' }, profile), { field: 'symbol', reason: 'the account holds no ETHUSDT position' });
    assert.equal((whatIf(seed, { symbol: 'BTCUSDT', marginDelta: money('10') }, profile) as { field: string }).field, 'marginDelta');
    assert.match((whatIf(seed, { symbol: 'BTCUSDT', marginMode: 'isolated', marginDelta: money('-101') }, profile) as { reason: string }).reason, /less isolated margin/);
    assert.match((whatIf(seed, { symbol: 'BTCUSDT', marginMode: 'isolated', marginDelta: money('901') }, profile) as { reason: string }).reason, /cross wallet cannot pay/);
    assert.equal((whatIf(seed, { symbol: 'BTCUSDT', leverage: 0 }, profile) as { field: string }).field, 'leverage');
  });
});

describe('what-if on the three-position cross account (examples/account-cross-three.json)', () => {
  const three = resolveSnapshot(JSON.parse(readFileSync(new URL('../../examples/account-cross-three.json', import.meta.url), 'utf8')));
  it('the other symbols\' marks move by the fraction, the changed one keeps its mark', () => {
    const symbol = three.legs[0]!.symbol;
    const result = whatIf(three, { symbol, othersMove: rate('-0.1') }, profileOf(three.exchange));
    assert.ok('account' in result);
    result.account.legs.forEach((leg, i) => {
      const before = three.legs[i]!;
      // 90 % of a mark with at most 17 decimals is exact: the raw value x 9 / 10
      const expected = leg.symbol === symbol ? before.markPrice : (((before.markPrice as unknown as bigint) * 9n) / 10n as unknown as Price);
      assert.equal(((before.markPrice as unknown as bigint) * 9n) % 10n, 0n);
      assert.equal(formatFixed(leg.markPrice), formatFixed(expected), leg.symbol);
    });
  });
  it('each position switched to isolated: the liquidation price advise liquidation gives its isolated column', () => {
    const p = profileOf(three.exchange);
    three.legs.forEach((leg, i) => {
      const result = whatIf(three, { symbol: leg.symbol, marginMode: 'isolated' }, p);
      assert.ok('account' in result);
      assert.equal(show(p.liquidationPrice(result.account, i)), show(liquidationAdvice(three, i, { otherMoves: [], walletChanges: [] }).isolated.liquidationPrice), leg.symbol);
    });
  });
});
