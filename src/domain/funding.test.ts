// Funding schedule and rate arithmetic (Binance funding FAQ 360033525031, reference part 2 §4).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, rate } from './fixed.ts';
import { binanceFundingRate, capFundingRate, fundingTimes } from './funding.ts';
import { isoDay } from './tiers.ts';

describe('funding', () => {
  it('settles at 00:00, 08:00 and 16:00 UTC', () => {
    const day = Date.UTC(2020, 2, 12); // 2020-03-12 00:00 UTC
    const times = fundingTimes(day - 1, day + 24 * 3_600_000);
    assert.deepEqual(times.map((t) => new Date(t).toISOString()), [
      '2020-03-12T00:00:00.000Z',
      '2020-03-12T08:00:00.000Z',
      '2020-03-12T16:00:00.000Z',
      '2020-03-13T00:00:00.000Z',
    ]);
    // the bundled funding history lands on the same instants (data/binance-futures-BTCUSDT-funding-8h.csv)
    assert.equal(fundingTimes(1577836800000 - 1, 1577836800000)[0], 1577836800000);
    assert.deepEqual(fundingTimes(day, day + 3_600_000), []);
  });
  it('BN-FR-1: F = P + clamp(I - P, -0.05 %, 0.05 %): P 0.0429 % -> 0.01 %; P 0.2 % -> 0.15 %', () => {
    assert.equal(formatFixed(binanceFundingRate(rate('0.000429'))), '0.0001');
    assert.equal(formatFixed(binanceFundingRate(rate('0.002'))), '0.0015');
    assert.equal(formatFixed(binanceFundingRate(rate('-0.0003'))), '0.0001'); // inside the clamp: the interest rate wins
    assert.equal(formatFixed(binanceFundingRate(rate('-0.001'))), '-0.0005');
  });
  it('caps at the symbol cap and floor (BTCUSDT +/-0.3 % in 2020: the 2020-03-13 08:00 row is -0.003)', () => {
    assert.equal(formatFixed(capFundingRate(rate('-0.0071'), rate('-0.003'), rate('0.003'))), '-0.003');
    assert.throws(() => capFundingRate(rate('0'), rate('0.1'), rate('-0.1')), /cap below floor/);
  });
  it('isoDay is a pure UTC civil date', () => {
    assert.equal(isoDay(Date.UTC(2024, 7, 5, 23, 59)), '2024-08-05');
    assert.equal(isoDay(Date.UTC(2000, 1, 29)), '2000-02-29');
    assert.equal(isoDay(0), '1970-01-01');
  });
});
