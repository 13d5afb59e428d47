// Liquidation prices that the exchanges themselves reported for real positions, reproduced at the
// exchange's display precision. Each case names the response it comes from. (The Bybit inverse isolated
// position is in bybit-inverse.test.ts; Hyperliquid's freqtrade positions are vectors in vectors/; OKX's are in okx-reported.test.ts.)
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { abs, formatFixed, gt, parseFixed, sub, type Price } from '../domain/fixed.ts';
import { liquidationPriceAtTick } from './rules.ts';
import { snapshot } from './test-support.ts';

/** |actual - reported| <= one unit of the reported number's last decimal. */
function atDisplayPrecision(actual: Price | undefined, reported: string, what: string): void {
  assert.ok(actual !== undefined, `${what}: no price`);
  const decimals = reported.split('.')[1]?.length ?? 0;
  const unit = parseFixed<'Price'>(`1e-${decimals}`);
  const gap = abs(sub(actual, parseFixed<'Price'>(reported)));
  assert.ok(!gt(gap, unit), `${what}: got ${formatFixed(actual)}, reported ${reported}`);
}

describe('Bybit USDT perpetual, isolated (v5 /v5/position/list, linear)', () => {
  // {"symbol":"ETHUSDT","side":"Buy","size":"0.06","avgPrice":"1533.49","positionValue":"92.0094",
  // "tradeMode":1 (isolated),"leverage":"5","markPrice":"1498.61","liqPrice":"1234.46","bustPrice":"1226.80",
  // "riskId":11,"riskLimitValue":"900000","updatedTime":"1676361600105" (2023-02-14)}: Bybit's v5 position
  // response (GET /v5/position/list) pasted as the `# linear: {...}` comment of
  // `PositionSchema.from_bybit_v2_format` in the `utils/models.py` of a Python multi-exchange client library
  // (schemas for Bybit, Binance, OKX, Bitget, BingX, dYdX, EQONEX; its Bybit client tags POSTs
  // `Referer: AREIX`, which points to Areix's trading stack, an inference). The `# inverse: {...}` line right
  // under it is the BTCUSD position of bybit-inverse.test.ts (13 @ 22,114.10880142, liqPrice 18506.00,
  // bustPrice 18428.50). The search index does not name the GitHub repository: file id 47643554872 (the
  // same project's OKX client, file id 47490844307, holds the OKX position in okx-reported.test.ts). The
  // same answer's positionMM 0.36804 and positionIM 0.920094 are 0.4 % and 1 % of positionValue, not what
  // liqPrice uses (IM = value / 5 and 0.5 % MMR reproduce it, below). Formula as Bybit's help center
  // "Liquidation Price (USDT Contract)", isolated: LP = EP - (IM - MM)/size (testnet.bybit.com/en-US/
  // help-center/s/article/Liquidation-Price-USDT-Contract). Isolated margin = IM = 92.0094 / 5 = 18.40188;
  // risk id 11 is ETHUSDT tier 1 (up to 900,000 USDT, 0.5 %), the bundled 2024-12-25 table (extrapolated back to 2023).
  // Bybit: LP = EP - (IM - MM)/size = 1,533.49 - (18.40188 - 0.460047)/0.06 = 1,234.459450;
  // BP = EP x (1 - 1/5) = 1,226.792; both shown at the 0.01 tick toward the mark.
  const { account, profile } = snapshot({
    exchange: 'bybit-linear',
    asOf: '2023-02-14',
    positions: [{ symbol: 'ETHUSDT', side: 'long', size: '0.06', entryPrice: '1533.49', markPrice: '1498.61', marginMode: 'isolated', leverage: 5, isolatedMargin: '18.40188' }],
  });
  const leg = account.legs[0]!;
  it('liqPrice 1,234.46', () => {
    assert.equal(formatFixed(liquidationPriceAtTick(profile.rules, profile.liquidationPrice(account, 0)!, leg.markPrice, leg.market.tickSize)), '1234.46');
  });
  it('bustPrice 1,226.80', () => {
    assert.equal(formatFixed(liquidationPriceAtTick(profile.rules, profile.bankruptcyPrice(account, 0)!, leg.markPrice, leg.market.tickSize)), '1226.8');
  });
});

describe('Hyperliquid (clearinghouseState, ccxt/ccxt ts/src/test/static/response/hyperliquid.json @ 0117dcb9f9d7ef6fdd11d7dd649c8ca200f061d7)', () => {
  it('"isolated short position": HYPE -4 @ 47.9932, 10x isolated, rawUsd 211.144417 -> liquidationPx 50.2724802381', () => {
    // isolated margin = rawUsd - size x entry = 211.144417 - 191.9728 = 19.171617; HYPE's bundled margin
    // tier 1 is 10x (MMR 5 %): 19.171617 + 4 (47.9932 - P) = 4 P x 5 % -> P = 211.144417 / 4.2
    const { account, profile } = snapshot({
      exchange: 'hyperliquid',
      positions: [{ symbol: 'HYPE', side: 'short', size: '4', entryPrice: '47.9932', markPrice: '48.145', marginMode: 'isolated', leverage: 10, isolatedMargin: '19.171617' }],
      markets: { HYPE: {} },
    });
    atDisplayPrecision(profile.liquidationPrice(account, 0), '50.2724802381', 'HYPE');
  });
  it('"short position": SOL -0.5 @ 138.76 and ETH 1.6 @ 1,100, both cross 20x, account value 11,524.216934 -> SOL liquidationPx 22,881.19788911', () => {
    // cross wallet = account value - uPnL = 11,524.216934 - 0.4 - 2,059.2; marks from positionValue / size
    // (SOL 137.96, ETH 2,387); maxLeverage 50 in the response (crossMaintenanceMarginUsed 38.8818 =
    // 1 % of 3,888.18): 11,524.216934 - 0.5 (P - 137.96) = 0.5 P x 1 % + 38.192 -> P = 11,555.004934 / 0.505
    const { account, profile } = snapshot({
      exchange: 'hyperliquid',
      walletBalance: '9464.616934',
      positions: [
        { symbol: 'SOL', side: 'short', size: '0.5', entryPrice: '138.76', markPrice: '137.96', marginMode: 'cross', leverage: 20 },
        { symbol: 'ETH', side: 'long', size: '1.6', entryPrice: '1100', markPrice: '2387', marginMode: 'cross', leverage: 20 },
      ],
      markets: { SOL: { maxLeverage: 50 }, ETH: { maxLeverage: 50 } },
    });
    atDisplayPrecision(profile.liquidationPrice(account, 0), '22881.19788911', 'SOL');
  });
});
