// Offsetting positions, cross vs isolated, hedge mode, and the domino, on hand-computed accounts
// (Binance USD-M, bracket 1 MMR 0.4 % below 50,000 of notional, bracket 2 0.5 % with 50 of maintenance amount).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, gt, gte, lte, rate, type Fixed } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { hedgeAdvice } from './hedge.ts';

const show = <U extends string>(x: Fixed<U> | undefined): string => (x === undefined ? 'none' : formatFixed(x));

describe('hedgeAdvice: BTC long 0.5 at 60,000 against ETH short 5 at 3,000, 20x, wallet 5,000', () => {
  const account = resolveSnapshot({
    exchange: 'binance-usdm',
    walletBalance: '5000',
    positions: [
      { symbol: 'BTCUSDT', side: 'long', size: '0.5', entryPrice: '60000', marginMode: 'cross', leverage: 20 },
      { symbol: 'ETHUSDT', side: 'short', size: '5', entryPrice: '3000', marginMode: 'cross', leverage: 20 },
    ],
  });
  const a = hedgeAdvice(account);
  const [btc, eth] = a.legs;
  it('margins: IM 1,500 + 750 and MM 120 + 60 either way; cross adds the PnL in one balance', () => {
    // IM = notional / 20: 30,000 / 20 = 1,500, 15,000 / 20 = 750; MM = notional x 0.004: 120, 60
    assert.equal(show(a.isolated.initialMargin), '2250');
    assert.equal(show(a.cross.initialMargin), '2250');
    assert.equal(show(a.isolated.assignedMargin), '2250');
    assert.equal(show(a.isolated.maintenanceMargin), '180');
    assert.equal(show(a.cross.maintenanceMargin), '180');
    assert.equal(show(a.cross.marginBalance), '5000');
    assert.equal(show(a.isolated.freeWallet), '2750');
  });
  it('isolated liquidation prices and the first uniform move that takes a leg', () => {
    // BTC: (1,500 - 30,000) / (0.5 x 0.004 - 0.5) = 57,228.9156626506024096385...; move 57,228.91... / 60,000 - 1
    assert.equal(show(btc!.isolated.liquidationPrice), '57228.915662650602409639');
    assert.equal(show(btc!.isolated.move), '-0.046184738955823293');
    // ETH: (750 + 15,000) / (5 x 0.004 + 5) = 15,750 / 5.02 = 3,137.45019920318725099601...
    assert.equal(show(eth!.isolated.liquidationPrice), '3137.450199203187250996');
    assert.equal(show(eth!.isolated.move), '0.045816733067729083');
    assert.deepEqual(a.isolated.down.legs, ['BTCUSDT long']);
    assert.deepEqual(a.isolated.up.legs, ['ETHUSDT short']);
  });
  it('cross liquidation prices: each leg backed by the wallet less the other\'s maintenance', () => {
    // BTC: pool 5,000 - 60 = 4,940 -> (4,940 - 30,000) / -0.498 = 50,321.28514056224899598...
    assert.equal(show(btc!.cross.liquidationPrice), '50321.285140562248995984');
    // ETH: pool 5,000 - 120 = 4,880 -> (4,880 + 15,000) / 5.02 = 3,960.15936254980079681274...
    assert.equal(show(eth!.cross.liquidationPrice), '3960.159362549800796812');
  });
  it('blast radius: net long 15,000, every mark 32.52 % lower', () => {
    // f(k) = 5,000 + 0.5 (60,000 k - 60,000) - 5 (3,000 k - 3,000) - 0.004 x 45,000 k = 14,820 k - 10,000
    // k = 10,000 / 14,820 = 0.67476383265856950067...
    const b = a.cross.blastRadius;
    assert.equal(b.adverse, 'down');
    assert.equal(show(b.down.move), '-0.325236167341430499');
    // upward only in the top brackets (both MMR 50 %): slope 0.5 x 30,000 - 1.5 x 15,000 < 0, a rise of some 93,596x
    assert.ok(gt(b.up.move!, rate('90000')));
  });
  it('the domino: BTC losing its 1,500 at 57,000 leaves ETH alive with a nearer liquidation price', () => {
    const d = btc!.domino;
    assert.deepEqual(d.closedAtCrossLiquidation, ['ETHUSDT short']);
    // isolated bankruptcy: 1,500 + 0.5 (P - 60,000) = 0 -> 57,000
    assert.equal(show(d.isolatedLossPrice), '57000');
    assert.equal(d.crossFirst, false);
    const after = d.afterLoss!;
    assert.equal(show(after.realizedPnl), '-1500');
    assert.equal(show(after.wallet), '3500');
    assert.equal(show(after.maintenanceMargin), '60');
    assert.equal(after.liquidatable, false);
    // ETH alone on 3,500: (3,500 + 15,000) / 5.02 = 3,685.25896414342629482071...
    assert.equal(show(after.others[0]!.liquidationPriceBefore), '3960.159362549800796812');
    assert.equal(show(after.others[0]!.liquidationPriceAfter), '3685.25896414342629482');
    assert.deepEqual(d.goesWith, []);
  });
  it('the domino: ETH losing its 750 at 3,150; BTC then liquidated at 51,706.82...', () => {
    const d = eth!.domino;
    assert.equal(show(d.isolatedLossPrice), '3150');
    // wallet 4,250: (4,250 - 30,000) / -0.498 = 51,706.8273092369477911646...
    assert.equal(show(d.afterLoss!.wallet), '4250');
    assert.equal(show(d.afterLoss!.others[0]!.liquidationPriceAfter), '51706.827309236947791165');
  });
});

describe('hedgeAdvice: hedge mode, BTCUSDT LONG and SHORT 0.1 at 60,000, 10x, wallet 2,000', () => {
  const account = resolveSnapshot({
    exchange: 'binance-usdm',
    positionMode: 'hedge',
    walletBalance: '2000',
    positions: [
      { symbol: 'BTCUSDT', side: 'long', size: '0.1', entryPrice: '60000', marginMode: 'cross', leverage: 10 },
      { symbol: 'BTCUSDT', side: 'short', size: '0.1', entryPrice: '60000', marginMode: 'cross', leverage: 10 },
    ],
  });
  const a = hedgeAdvice(account);
  it('both legs need margin (600 + 600); the one-way net position is flat and needs none', () => {
    const pair = a.pairs[0]!;
    assert.equal(pair.symbol, 'BTCUSDT');
    assert.equal(show(pair.initialMargin), '1200');
    // MM 6,000 x 0.004 = 24 per leg
    assert.equal(show(pair.maintenanceMargin), '48');
    assert.equal(pair.net, undefined);
  });
  it('the perfect hedge shares one cross liquidation price where maintenance eats the wallet: 2,100,000', () => {
    // the PnL cancels; MM per leg at P: bracket 2 above 500,000 (notional 50,000): 0.005 x 0.1 P - 50
    // 2,000 = 2 x (0.0005 P - 50) -> P = 2,100,000 (notional 210,000: bracket 2 indeed)
    assert.equal(show(a.pairs[0]!.crossLiquidationPrice), '2100000');
    assert.equal(show(a.legs[0]!.cross.liquidationPrice), '2100000');
    assert.equal(show(a.legs[1]!.cross.liquidationPrice), '2100000');
  });
  it('isolated, each leg is liquidated on its own after a 9.6 % move', () => {
    // long: (600 - 6,000) / (0.0004 - 0.1) = 54,216.8674698795180722891...; short: 6,600 / 0.1004 = 65,737.0517928286852589641...
    assert.equal(show(a.legs[0]!.isolated.liquidationPrice), '54216.86746987951807229');
    assert.equal(show(a.legs[1]!.isolated.liquidationPrice), '65737.051792828685258964');
    assert.equal(show(a.isolated.down.move), '-0.096385542168674698');
    assert.equal(show(a.isolated.up.move), '0.095617529880478087');
  });
  it('the long losing its 600 at 54,000: the short is left with 1,400 of wallet and its gain', () => {
    const after = a.legs[0]!.domino.afterLoss!;
    assert.equal(show(after.wallet), '1400');
    // the short at 54,000 has +600: margin balance 2,000; its LP with 1,400: 7,400 / 0.1004 = 73,705.17928286852589641434...
    assert.equal(show(after.marginBalance), '2000');
    assert.equal(show(after.others[0]!.liquidationPriceAfter), '73705.179282868525896414');
  });
});

describe('hedgeAdvice properties', () => {
  it('the domino\'s "cross first" is exactly "the cross liquidation price lies between the mark and the isolated loss price"', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2000 }), // BTC size in 0.001
        fc.integer({ min: 1, max: 200 }), // ETH size in 0.1
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 50, max: 50_000 }),
        fc.boolean(),
        (btcSteps, ethSteps, lb, le, wallet, btcLong) => {
          const account = resolveSnapshot({
            exchange: 'binance-usdm',
            walletBalance: String(wallet),
            positions: [
              { symbol: 'BTCUSDT', side: btcLong ? 'long' : 'short', size: String(btcSteps / 1000), entryPrice: '60000', markPrice: '61000', marginMode: 'cross', leverage: lb },
              { symbol: 'ETHUSDT', side: btcLong ? 'short' : 'long', size: String(ethSteps / 10), entryPrice: '3000', markPrice: '2950', marginMode: 'cross', leverage: le },
            ],
          });
          if (profileOf('binance-usdm').isLiquidatable(account, 0)) return;
          for (const leg of hedgeAdvice(account).legs) {
            const d = leg.domino;
            const lp = leg.cross.liquidationPrice;
            if (d.isolatedLossPrice === undefined) continue;
            const mark = leg.leg.markPrice;
            const between =
              lp !== undefined &&
              (leg.leg.side === 1 ? lte(lp, mark) && gte(lp, d.isolatedLossPrice) : gte(lp, mark) && lte(lp, d.isolatedLossPrice));
            assert.equal(d.crossFirst, between, `${leg.label}: cross LP ${show(lp)}, loss price ${show(d.isolatedLossPrice)}`);
          }
        },
      ),
      { numRuns: 100, seed: 63 },
    );
  });
});
