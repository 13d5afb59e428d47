// Binance USD-M worked examples from ../shared/reference/exchange-margin.md part 2 §10 (ids BN-*), each
// with its source, plus derived hedge-mode checks (no official hedge example exists, reference §11.1).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, fromInt, money, price, quantity, rate } from '../domain/fixed.ts';
import { binanceFundingRate, impactMarginNotional } from '../domain/funding.ts';
import { bracketFor, bracketTableFromSpec } from '../domain/tiers.ts';
import { binanceUsdmBracketSpecs } from './data/binance-usdm-brackets.ts';
import { fundingPayment, tradeFee } from './fees.ts';
import { assertNear, snapshot } from './test-support.ts';

const faqCross = {
  exchange: 'binance-usdm',
  positionMode: 'one-way',
  walletBalance: '1535443.01',
  positions: [
    { symbol: 'BTCUSDT', side: 'long', size: '109.488', entryPrice: '32481.98', markPrice: '31967.27', marginMode: 'cross', leverage: 5, maintenance: { rate: '0.025', amount: '16300' } },
    { symbol: 'ETHUSDT', side: 'long', size: '3683.979', entryPrice: '1456.84', markPrice: '1335.18', marginMode: 'cross', leverage: 5, maintenance: { rate: '0.10', amount: '135365' } },
  ],
};

describe('Binance USD-M liquidation FAQ b3c689c1… "Example: One-way & Cross Margin mode"', () => {
  const { account, profile } = snapshot(faqCross);
  it('BN-X1: LP(ETHUSDT) = 1,153.26', () => assertNear(profile.liquidationPrice(account, 1), '1153.26', '0.005', 'BN-X1'));
  it('BN-X2: LP(BTCUSDT) = 26,316.89', () => assertNear(profile.liquidationPrice(account, 0), '26316.89', '0.005', 'BN-X2'));
  it('BN-X3: MM at mark, BTC 71,200.81144 and ETH 356,512.508 (midiamania copy of the FAQ)', () => {
    // the copy prints 5 and 3 decimals: 109.488 x 31,967.27 x 2.5 % - 16,300 = 71,200.811444 exactly
    assertNear(profile.maintenanceMargin(account.legs[0]!, account.fees).amount, '71200.81144', '0.000005', 'BTC MM');
    assertNear(profile.maintenanceMargin(account.legs[1]!, account.fees).amount, '356512.508', '0.0005', 'ETH MM');
  });
});

describe('Binance USD-M isolated (freqtrade tests/exchange/test_binance.py, official isolated rule)', () => {
  const isolated = {
    ...faqCross,
    walletBalance: '0',
    positions: faqCross.positions.map((p) => ({ ...p, marginMode: 'isolated', isolatedMargin: '1535443.01', markPrice: undefined })),
  };
  const { account, profile } = snapshot(isolated);
  it('BN-I1: LP(ETH) = 1,114.78', () => assertNear(profile.liquidationPrice(account, 1), '1114.78', '0.01', 'BN-I1'));
  it('BN-I2: LP(BTC) = 18,778.73', () => assertNear(profile.liquidationPrice(account, 0), '18778.73', '0.01', 'BN-I2'));
  it('derived: long 1 @ 84,000, WB 8,400, MMR 0.4 % -> 75,903.61; short -> 92,031.87', () => {
    const one = (side: string) =>
      snapshot({
        exchange: 'binance-usdm',
        positions: [{ symbol: 'BTCUSDT', side, size: '1', entryPrice: '84000', marginMode: 'isolated', leverage: 10, isolatedMargin: '8400', maintenance: { rate: '0.004', amount: '0' } }],
      });
    const long = one('long');
    const short = one('short');
    assertNear(long.profile.liquidationPrice(long.account, 0), '75903.61', '0.005', 'long');
    assertNear(short.profile.liquidationPrice(short.account, 0), '92031.87', '0.005', 'short');
  });
  it('derived: bankruptcy = LP with MMR = cum = 0: long 1 @ 20,000 with WB 400 -> 19,600', () => {
    const { account: a, profile: p } = snapshot({
      exchange: 'binance-usdm',
      positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '20000', marginMode: 'isolated', leverage: 50, isolatedMargin: '400' }],
    });
    assert.equal(formatFixed(p.bankruptcyPrice(a, 0)!), '19600');
  });
});

describe('Binance brackets (FAQ b3c689c1…, freqtrade binance_leverage_tiers.json)', () => {
  const table2023 = bracketTableFromSpec(binanceUsdmBracketSpecs.find((t) => t.symbol === 'BTCUSDT' && t.effectiveFrom === '2023-01-13')!);
  it('BN-CUM: the maintenance amount of the 250,000 floor is 250,000 x (1 % - 0.5 %) + 50 = 1,300', () => {
    assert.equal(formatFixed(table2023.brackets[2]!.maintenanceAmount), '1300');
  });
  it('BN-MMR: notional 264,000 -> MMR 1 %; notional 500,000 -> maintenance amount 1,300', () => {
    assert.equal(formatFixed(bracketFor(table2023, money('264000')).bracket.maintenanceMarginRate), '0.01');
    assert.equal(formatFixed(bracketFor(table2023, money('500000')).bracket.maintenanceAmount), '1300');
  });
  it('every bundled table passes the cum recurrence (validated on load)', () => {
    for (const spec of binanceUsdmBracketSpecs) assert.ok(bracketTableFromSpec(spec).brackets.length > 0);
  });
  it('the bracket is chosen at the liquidation price, not at entry (COIN-M FAQ rule, USD-M alike)', () => {
    // 20 BTC long at 60,000 = 1.2M notional (bracket 3 of the 2024 table) but at the LP the notional falls
    // below 600,000: the LP must be solved with bracket 2 (MMR 0.5 %, cum 50). With bracket 3 (0.65 %, cum
    // 950) the formula would give (1.2M - 700,000 - 950) / 19.87 = 25,115.75, a notional of 502,315 that
    // is not in bracket 3: the entry bracket gives a wrong price.
    const { account, profile } = snapshot({
      exchange: 'binance-usdm',
      asOf: '2024-11-01',
      positions: [{ symbol: 'BTCUSDT', side: 'long', size: '20', entryPrice: '60000', marginMode: 'isolated', leverage: 2, isolatedMargin: '700000' }],
    });
    const lp = profile.liquidationPrice(account, 0)!;
    // by hand with bracket 2: (20 x 60,000 - 700,000 - 50) / (20 x (1 - 0.005)) = 499,950 / 19.9 = 25,123.1155...
    assertNear(lp, '25123.11557789', '0.00000001', 'LP');
    const mmAtLp = profile.maintenanceMargin(account.legs[0]!, account.fees, lp);
    assert.equal(mmAtLp.segment.bracket, 2);
  });
});

describe('Binance hedge mode (derived from the FAQ variable list; no official numeric example, reference §11.1)', () => {
  const legs = [
    { symbol: 'BTCUSDT', side: 'long', size: '2', entryPrice: '30000', markPrice: '30000', leverage: 10 },
    { symbol: 'BTCUSDT', side: 'short', size: '1', entryPrice: '31000', markPrice: '30000', leverage: 10 },
  ];
  it('cross: LONG and SHORT legs share one liquidation price, the FAQ formula with both legs', () => {
    const { account, profile } = snapshot({
      exchange: 'binance-usdm',
      positionMode: 'hedge',
      walletBalance: '5000',
      positions: legs.map((l) => ({ ...l, marginMode: 'cross', maintenance: { rate: '0.004', amount: '0' } })),
    });
    const a = profile.liquidationPrice(account, 0)!;
    const b = profile.liquidationPrice(account, 1)!;
    assert.equal(formatFixed(a), formatFixed(b));
    // LP = (WB + cumL + cumS - L EP_L + S EP_S) / (L MMR_L + S MMR_S - L + S)
    //    = (5000 - 60000 + 31000) / (0.008 + 0.004 - 2 + 1) = -24000 / -0.988 = 24291.4979...
    assertNear(a, '24291.49797570', '0.00000001', 'hedge cross LP');
  });
  it('isolated: each leg alone with its own wallet', () => {
    const { account, profile } = snapshot({
      exchange: 'binance-usdm',
      positionMode: 'hedge',
      positions: [
        { ...legs[0], marginMode: 'isolated', isolatedMargin: '6000', maintenance: { rate: '0.004', amount: '0' } },
        { ...legs[1], marginMode: 'isolated', isolatedMargin: '3100', maintenance: { rate: '0.004', amount: '0' } },
      ],
    });
    // long: (WB + cum - L EP) / (L MMR - L) = (6000 - 60000) / (0.008 - 2) = 27108.4337...
    assertNear(profile.liquidationPrice(account, 0), '27108.43373494', '0.00000001', 'LONG leg');
    // short: (WB + cum + S EP) / (S MMR + S) = (3100 + 31000) / 1.004 = 33964.1434...
    assertNear(profile.liquidationPrice(account, 1), '33964.14342629', '0.00000001', 'SHORT leg');
  });
});

describe('Binance fees and funding (fee FAQ 360033544231, funding FAQ 360033525031)', () => {
  const { account } = snapshot({
    exchange: 'binance-usdm',
    positions: [{ symbol: 'BTCUSDT', side: 'long', size: '2', entryPrice: '30000', marginMode: 'isolated', leverage: 10, isolatedMargin: '6000' }],
  });
  const btc = account.legs[0]!.market;
  it('BN-FEE-1: buy 1 BTC at 10,104, taker 0.05 % -> 5.052 USDT', () => {
    assert.equal(formatFixed(tradeFee(btc, quantity('1'), price('10104'), rate('0.0005'))), '5.052');
  });
  it('BN-FEE-2: sell 1 BTC at 11,104, maker 0.02 % -> 2.2208 USDT', () => {
    assert.equal(formatFixed(tradeFee(btc, quantity('1'), price('11104'), rate('0.0002'))), '2.2208');
  });
  it('BN-FR-1: premium 0.0429 %, interest 0.01 % -> funding rate 0.0100 %', () => {
    assert.equal(formatFixed(binanceFundingRate(rate('0.000429'), rate('0.0001'))), '0.0001');
  });
  it('BN-FR-2: BNBUSDT max 20x -> impact margin notional 4,000 USDT', () => {
    assert.equal(formatFixed(impactMarginNotional(20, fromInt(200))), '4000');
  });
  it('BN-FR-3 (derived): long 2 BTC at mark 30,000, rate +0.01 % pays 6 USDT; the short receives 6', () => {
    assert.equal(formatFixed(fundingPayment(account.legs[0]!, price('30000'), rate('0.0001'))), '6');
    assert.equal(formatFixed(fundingPayment({ ...account.legs[0]!, side: -1 }, price('30000'), rate('0.0001'))), '-6');
  });
});
