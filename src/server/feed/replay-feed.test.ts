// The paper venue's feed over the bundled Black Thursday window (Binance BTCUSDT perpetual, 1 minute,
// data/binance-futures-BTCUSDT-1m-crash-2020-03-12.csv) and Binance's funding history
// (data/binance-futures-BTCUSDT-funding-8h.csv).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed, type Rate } from '../../domain/fixed.ts';
import { bundled, loadCandles, loadFunding } from '../../io/market-data.ts';
import { ReplayFeed, fundingRateAt, markTicks, type FeedEvent } from './replay-feed.ts';

const btc = loadCandles(bundled('binance-futures-BTCUSDT-1m-crash-2020-03-12.csv'), 'BTCUSDT');
const funding = loadFunding(bundled('binance-futures-BTCUSDT-funding-8h.csv'), 'BTCUSDT');
const BASELINE = parseFixed<'Rate'>('0.0001');
const START = btc.time[0]!; // 2020-03-12 22:39 UTC
const WALL = 1_000_000;
const text = (e: FeedEvent) => (e.command.op === 'mark' ? `${e.time} mark ${formatFixed(e.command.price)}` : `${e.time} funding ${formatFixed(e.command.rate)}`);

describe('the replay feed', () => {
  it("a bar's ticks: open at its start, then the wicks in the bar's direction and the close, a quarter apart", () => {
    // first bar: open 5,807.97, high 5,819.96, low 5,801.01, close 5,817.15 (closes up: low first)
    const first = markTicks([btc], START).slice(0, 4).map(text);
    assert.deepEqual(first, [`${START} mark 5807.97`, `${START + 15_000} mark 5801.01`, `${START + 30_000} mark 5819.96`, `${START + 45_000} mark 5817.15`]);
  });
  it('in real time a tick comes when its feed time comes; the first mark at once', () => {
    const feed = new ReplayFeed([btc], { speed: 1, defaultFundingRate: BASELINE, funding: [funding] }, WALL);
    assert.deepEqual(feed.at(WALL).map(text), [`${START} mark 5807.97`]);
    assert.deepEqual(feed.at(WALL + 14_999), []);
    assert.deepEqual(feed.at(WALL + 15_000).map(text), [`${START + 15_000} mark 5801.01`]);
    assert.equal(feed.timeAt(WALL + 20_000), START + 20_000);
  });
  it("funding settles at 2020-03-13 00:00 UTC with Binance's rate of that instant (-0.00016073), before that instant's mark", () => {
    const feed = new ReplayFeed([btc], { speed: 10_000, defaultFundingRate: BASELINE, funding: [funding] }, WALL);
    const all = feed.at(WALL + 10_000_000);
    assert.ok(feed.finished);
    const settlements = all.filter((e) => e.command.op === 'funding');
    assert.deepEqual(settlements.map(text), [`${Date.UTC(2020, 2, 13)} funding -0.00016073`]);
    const k = all.findIndex((e) => e.command.op === 'funding');
    assert.equal(all[k + 1]!.time, Date.UTC(2020, 2, 13));
    assert.equal(all[k + 1]!.command.op, 'mark');
    // every bar gives 2 to 4 ticks, in time order
    const marks = all.filter((e) => e.command.op === 'mark');
    assert.ok(marks.length >= 2 * btc.time.length && marks.length <= 4 * btc.time.length);
    for (let i = 1; i < all.length; i++) assert.ok(all[i]!.time >= all[i - 1]!.time);
  });
  it('without a historical rate for an instant the baseline rate applies (Binance: 0.01 % per 8 h at zero premium)', () => {
    assert.equal(formatFixed(fundingRateAt(funding, Date.UTC(2026, 0, 1), BASELINE)), '0.0001');
    assert.equal(formatFixed(fundingRateAt(funding, Date.UTC(2020, 2, 13), BASELINE)), '-0.00016073');
    assert.equal(formatFixed(fundingRateAt(undefined, Date.UTC(2020, 2, 13), parseFixed<'Rate'>('0.0002') as Rate)), '0.0002');
  });
  it('stepped by an admin: exactly n marks whatever the clock; paused, the feed time stands still', () => {
    const feed = new ReplayFeed([btc], { speed: 1, defaultFundingRate: BASELINE }, WALL);
    const stepped = feed.step(10, WALL);
    assert.equal(stepped.filter((e) => e.command.op === 'mark').length, 10);
    const reached = stepped[stepped.length - 1]!.time;
    feed.pause(WALL);
    assert.deepEqual(feed.at(WALL + 3_600_000), []);
    assert.equal(feed.timeAt(WALL + 3_600_000), reached);
    feed.resume(WALL + 3_600_000, 60);
    // one wall second at x60 is one feed minute: the ticks of the next minute
    const after = feed.at(WALL + 3_601_000);
    assert.ok(after.length > 0 && after.every((e) => e.time > reached && e.time <= reached + 60_001));
  });
  it('a new speed: running, from the feed time reached (no jump back or forward); paused, it stays paused; status says which', () => {
    const feed = new ReplayFeed([btc], { speed: 1, defaultFundingRate: BASELINE }, WALL);
    feed.setSpeed(60, WALL + 10_000);
    // 10 s at x1, then 1 s at x60
    assert.equal(feed.timeAt(WALL + 11_000), START + 10_000 + 60_000);
    assert.deepEqual(feed.status(WALL + 11_000), { paused: false, speed: 60, feedTimeMs: START + 70_000, endMs: btc.time[btc.time.length - 1]! + 45_000, finished: false });
    feed.at(WALL + 11_000);
    feed.pause(WALL + 11_000);
    feed.setSpeed(600, WALL + 20_000);
    assert.deepEqual([feed.status(WALL + 30_000).paused, feed.status(WALL + 30_000).speed, feed.timeAt(WALL + 30_000)], [true, 600, START + 70_000]);
    feed.resume(WALL + 30_000);
    assert.equal(feed.timeAt(WALL + 31_000), START + 70_001 + 600_000);
    assert.throws(() => feed.setSpeed(0, WALL), /speed must be between 1 and 10000/);
  });
  it('refuses a speed outside 1 to 10,000', () => {
    assert.throws(() => new ReplayFeed([btc], { speed: 0, defaultFundingRate: BASELINE }, WALL), /speed must be between 1 and 10000, got 0/);
    assert.throws(() => new ReplayFeed([btc], { speed: 20_000, defaultFundingRate: BASELINE }, WALL), /speed/);
  });
});
