// Funding: window statistics, annualized cost, and the days funding takes to walk an isolated liquidation
// price toward the mark, on hand-made histories and the bundled BTCUSDT file.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, gte, lt, money, price, rate, sub, times, type Fixed, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { bundled, loadFunding } from '../io/market-data.ts';
import type { FundingSeries } from '../sim/data.ts';
import { annualizedRate, fundingCost, fundingDrift, WINDOWS, windowStats } from './funding.ts';

const show = <U extends string>(x: Fixed<U> | undefined): string => (x === undefined ? 'none' : formatFixed(x));
const H8 = 8 * 3_600_000;
const window = (id: string) => WINDOWS.find((w) => w.id === id)!;

/** 120 days of 8-hourly settlements: 270 at 0.01 %, then the last 90 (30 days) at 0.03 %. */
const made: FundingSeries = {
  symbol: 'TEST',
  source: 'made-up',
  time: Array.from({ length: 360 }, (_, i) => 1_700_000_000_000 + i * H8),
  rate: Array.from({ length: 360 }, (_, i) => rate(i < 270 ? '0.0001' : '0.0003')),
};

describe('windowStats', () => {
  it('windows end at the last settlement: latest, 30 days (90 settlements), a year and all', () => {
    const latest = windowStats(made, window('latest'));
    assert.equal(latest.settlements, 1);
    assert.equal(show(latest.average), '0.0003');
    const month = windowStats(made, window('30d'));
    // (last - 30 days, last]: the 90 settlements at 0.03 %
    assert.equal(month.settlements, 90);
    assert.equal(show(month.average), '0.0003');
    assert.equal(show(month.positiveShare), '1');
    // all 360: (270 x 0.0001 + 90 x 0.0003) / 360 = 0.054 / 360 = 0.00015
    const year = windowStats(made, window('1y'));
    assert.equal(year.settlements, 360);
    assert.equal(show(year.average), '0.00015');
    assert.equal(show(year.min), '0.0001');
    assert.equal(show(year.max), '0.0003');
    assert.equal(windowStats(made, window('all')).settlements, 360);
  });
  it('the bundled BTCUSDT history (2020-2023): exact means', () => {
    const btc = loadFunding(bundled('binance-futures-BTCUSDT-funding-8h.csv'), 'BTCUSDT');
    const stats = Object.fromEntries(WINDOWS.map((w) => [w.id, windowStats(btc, w)]));
    // the last line: 1704038400000,0.00033597 (2023-12-31 16:00 UTC)
    assert.equal(show(stats['latest']!.average), '0.00033597');
    // means of the decimal strings of the file, computed independently (Python Decimal), half-even to 18 places
    assert.deepEqual([stats['30d']!.settlements, show(stats['30d']!.average)], [90, '0.000184130222222222']);
    assert.deepEqual([stats['1y']!.settlements, show(stats['1y']!.average)], [1095, '0.00007183298630137']);
    assert.deepEqual([stats['all']!.settlements, show(stats['all']!.average)], [4383, '0.000136615968514716']);
    // 984 of the last 1,095 settlements had longs paying
    assert.equal(show(stats['1y']!.positiveShare), '0.89863013698630137');
  });
});

describe('annual cost', () => {
  it('0.015 % per 8 hours: 16.425 % a year; 10,000 long pays 1.5 a settlement, 4.5 a day, 1,642.5 a year', () => {
    // 0.00015 x 3 x 365 = 0.16425
    assert.equal(show(annualizedRate(rate('0.00015'))), '0.16425');
    const long = fundingCost(money('10000'), 1, rate('0.00015'));
    assert.deepEqual([show(long.perSettlement), show(long.perDay), show(long.perYear), show(long.annualRate)], ['1.5', '4.5', '1642.5', '0.16425']);
    // the short receives it
    const short = fundingCost(money('10000'), -1, rate('0.00015'));
    assert.deepEqual([show(short.perSettlement), show(short.perYear)], ['-1.5', '-1642.5']);
    // 4-hour funding: 6 a day
    assert.equal(show(fundingCost(money('10000'), 1, rate('0.00015'), 6).perYear), '3285');
  });
});

// 0.1 BTC long at 60,000 with 621.6 of isolated margin: LP = (621.6 - 6,000) / (0.1 x 0.004 - 0.1) = 5,378.4 / 0.0996 = 54,000
const account = resolveSnapshot({
  exchange: 'binance-usdm',
  positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.1', entryPrice: '60000', marginMode: 'isolated', leverage: 10, isolatedMargin: '621.6' }],
});
const leg = account.legs[0]!;
const profile = profileOf('binance-usdm');

describe('fundingDrift: funding taken from the isolated wallet walks the liquidation price up', () => {
  it('at 0.01 % (0.6 per settlement) the liquidation price rises by 600 in 33.2 days, and reaches the mark in 332', () => {
    const d = fundingDrift(profile, leg, account.fees, rate('0.0001'), price('600'));
    assert.equal(show(d.liquidationPrice), '54000');
    assert.equal(show(d.target), '54600');
    // margin at which LP = 54,600: MM 0.1 x 54,600 x 0.004 = 21.84 minus UPNL -540 = 561.84; 621.6 - 561.84 = 59.76
    assert.equal(show(d.marginToLose), '59.76');
    assert.equal(show(d.perSettlement), '0.6');
    // 59.76 / 0.6 = 99.6 -> 100 settlements; 59.76 / 1.8 a day = 33.2 days
    assert.equal(d.settlements, 100);
    assert.equal(show(d.days), '33.2');
    // at the mark 60,000: MM 24, UPNL 0 -> margin 24; 621.6 - 24 = 597.6 = 996 settlements = 332 days
    assert.equal(d.settlementsToLiquidation, 996);
    assert.equal(show(d.daysToLiquidation), '332');
  });
  it('a move past the mark is the liquidation itself; a receiving side never gets there', () => {
    const far = fundingDrift(profile, leg, account.fees, rate('0.0001'), price('10000'));
    assert.equal(far.targetIsMark, true);
    assert.equal(show(far.days), '332');
    const received = fundingDrift(profile, leg, account.fees, rate('-0.0001'), price('600'));
    assert.equal(show(received.perSettlement), '-0.6');
    assert.equal(received.days, undefined);
    assert.equal(received.settlementsToLiquidation, undefined);
  });
  it('property: after `settlements` payments the liquidation price has moved by the amount, one payment fewer it has not', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000 }), fc.integer({ min: 1, max: 5_000 }), (rateMillionths, moveUnits) => {
        const r: Rate = rate(String(rateMillionths / 1_000_000));
        const move = price(String(moveUnits));
        const d = fundingDrift(profile, leg, account.fees, r, move);
        if (d.targetIsMark || d.settlements === undefined) return;
        const lpAfter = (n: number) => {
          const paid = { ...leg, isolatedWallet: sub(leg.isolatedWallet, times(d.perSettlement, n)) };
          return profile.liquidationPrice({ ...account, legs: [paid] }, 0)!;
        };
        assert.ok(gte(lpAfter(d.settlements), d.target!), `${d.settlements} settlements`);
        if (d.settlements > 0) assert.ok(lt(lpAfter(d.settlements - 1), d.target!), `${d.settlements - 1} settlements`);
      }),
      { numRuns: 100, seed: 64 },
    );
  });
});
