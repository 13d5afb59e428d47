// The market-data routes over real HTTP on the bundled feed: klines are the bundled hourly bars (compared
// with the CSV as loaded), markPriceKlines count the feed's ticks, the 24 h ticker and ticker/price agree
// with premiumIndex's mark, the synthetic book is tick-aligned around the mark, fundingRate lists the
// feed's 8-hour settlements; Binance's refusals and weights.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { formatFixed } from '../../domain/fixed.ts';
import { openStore } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { bundledSeries, defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-market-data-'));
const HOUR = 3_600_000;

describe('market data from the feed', () => {
  let server: RunningServer;
  let venue: Venue;
  let api: SignedClient;
  let horizon: number;
  const btc = bundledSeries().find((s) => s.symbol === 'BTCUSDT')!;

  before(async () => {
    const store = await openStore({ location: { kind: 'sqlite', path: join(folder, 'venue.db') }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
    venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
    // no timer: the market stays at the feed's first ticks, so every answer below is at one horizon
    venue.tick();
    horizon = venue.market.time;
    server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0 });
    api = client(server.url, '', '');
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('1h klines from a startTime are the bundled bars, every digit; volume and trades 0', async () => {
    const i = btc.time.findIndex((t) => t >= Date.UTC(2025, 5, 1));
    const reply = await api.get(`/fapi/v1/klines?symbol=BTCUSDT&interval=1h&startTime=${btc.time[i]}&limit=3`);
    assert.equal(reply.status, 200);
    assert.equal(reply.headers.get('x-mbx-used-weight-1m'), '1');
    const expected = [0, 1, 2].map((k) => [btc.time[i + k], ...[btc.open, btc.high, btc.low, btc.close].map((col) => formatFixed(col[i + k]!)), '0', btc.time[i + k]! + HOUR - 1, '0', 0, '0', '0', '0']);
    assert.deepEqual(reply.body, expected);
  });

  it('without times: the newest candles up to the feed time; markPriceKlines count the ticks; 1d candles aggregate', async () => {
    const newest = (await api.get('/fapi/v1/klines?symbol=BTCUSDT&interval=1h&limit=2')).body;
    assert.equal(newest.length, 2);
    assert.equal(newest[1][0], Math.floor(horizon / HOUR) * HOUR);
    assert.equal(newest[1][4], formatFixed(venue.market.marks['BTCUSDT']!));
    // the venue's index is its mark: indexPriceKlines (by `pair`) are the mark-price klines
    const index = (await api.get(`/fapi/v1/indexPriceKlines?pair=BTCUSDT&interval=1h&endTime=${newest[0][0]}&limit=1`)).body;
    const mark = (await api.get(`/fapi/v1/markPriceKlines?symbol=BTCUSDT&interval=1h&endTime=${newest[0][0]}&limit=1`)).body;
    assert.deepEqual(mark[0].slice(0, 5), newest[0].slice(0, 5));
    assert.deepEqual(index, mark);
    assert.deepEqual((await api.get('/sapi/v1/system/status')).body, { status: 0, msg: 'normal' });
    // a full hour of the feed is 4 ticks at most (open, two extremes, close; repeats dropped)
    assert.ok(mark[0][8] >= 1 && mark[0][8] <= 4, `count ${mark[0][8]}`);
    const day = Date.UTC(2025, 5, 1);
    const [d] = (await api.get(`/fapi/v1/klines?symbol=BTCUSDT&interval=1d&startTime=${day}&limit=1`)).body;
    const hours = btc.time.map((t, k) => ({ t, k })).filter(({ t }) => t >= day && t < day + 24 * HOUR);
    assert.equal(hours.length, 24);
    const highs = hours.map(({ k }) => Number(formatFixed(btc.high[k]!)));
    const lows = hours.map(({ k }) => Number(formatFixed(btc.low[k]!)));
    assert.deepEqual([d[0], Number(d[2]), Number(d[3]), d[4], d[6]], [day, Math.max(...highs), Math.min(...lows), formatFixed(btc.close[hours[23]!.k]!), day + 24 * HOUR - 1]);
  });

  it('klines refusals: -1120 an interval Binance does not list, -1130 limit 1501, -1023 start after end, -1104 an unknown parameter, -1121 a symbol not traded; limit 1000 weighs 5', async () => {
    const codes = [];
    for (const q of ['interval=2m', 'interval=1h&limit=1501', 'interval=1h&startTime=5&endTime=4', 'interval=1h&foo=1', 'interval=1h&symbol=DOGEUSDT']) {
      const reply = await api.get(`/fapi/v1/klines?${q.includes('symbol=') ? '' : 'symbol=BTCUSDT&'}${q}`);
      assert.equal(reply.status, 400);
      codes.push(reply.body.code);
    }
    assert.deepEqual(codes, [-1120, -1130, -1023, -1104, -1121]);
    const used = Number((await api.get('/fapi/v1/ping')).headers.get('x-mbx-used-weight-1m'));
    const heavy = await api.get('/fapi/v1/klines?symbol=ETHUSDT&interval=1m&limit=1000');
    assert.equal(heavy.body.length, 1000);
    assert.equal(Number(heavy.headers.get('x-mbx-used-weight-1m')) - used, 5);
  });

  it('ticker/24hr and ticker/price: the applied mark as the last price, the rolling day from the bars', async () => {
    const premium = (await api.get('/fapi/v1/premiumIndex?symbol=ETHUSDT')).body;
    const ticker = (await api.get('/fapi/v1/ticker/24hr?symbol=ETHUSDT')).body;
    assert.equal(ticker.lastPrice, premium.markPrice);
    assert.equal(ticker.closeTime, horizon);
    assert.equal(ticker.openTime, horizon - 24 * HOUR + 1);
    const change = Number(ticker.lastPrice) - Number(ticker.openPrice);
    assert.ok(Math.abs(Number(ticker.priceChange) - change) < 1e-9);
    assert.equal(ticker.priceChangePercent, ((change / Number(ticker.openPrice)) * 100).toFixed(3));
    assert.ok(Number(ticker.highPrice) >= Number(ticker.lastPrice) && Number(ticker.lowPrice) <= Number(ticker.lastPrice));
    const all = (await api.get('/fapi/v1/ticker/price')).body;
    assert.deepEqual(all.map((t: { symbol: string }) => t.symbol), ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']);
    assert.equal(all[1].price, premium.markPrice);
    const v2 = await api.get('/fapi/v2/ticker/price?symbol=SOLUSDT');
    assert.deepEqual(v2.body, { symbol: 'SOLUSDT', price: formatFixed(venue.market.marks['SOLUSDT']!), time: horizon });
  });

  it('depth: limit levels each side one tick apart, a one-tick spread around the mark; limit 7 is -1130; limit 1000 weighs 20', async () => {
    const book = await api.get('/fapi/v1/depth?symbol=BTCUSDT&limit=10');
    const { bids, asks, lastUpdateId, E, T } = book.body;
    assert.deepEqual([bids.length, asks.length, lastUpdateId, E, T], [10, 10, horizon, horizon, horizon]);
    const mark = Number(formatFixed(venue.market.marks['BTCUSDT']!));
    const [bid, ask] = [Number(bids[0][0]), Number(asks[0][0])];
    assert.ok(bid <= mark && mark < ask, `${bid} <= ${mark} < ${ask}`);
    // BTCUSDT's tick is 0.1: every price a whole number of tenths, each level one tick from the next
    for (const [levels, sign] of [[bids, -1], [asks, 1]] as const) {
      levels.forEach(([p]: [string], k: number) => {
        assert.equal(Math.round(Number(p) * 10) / 10, Number(p));
        if (k > 0) assert.equal(Math.round((Number(p) - Number(levels[k - 1][0])) * 10), sign);
      });
    }
    assert.deepEqual(bids.map((l: [string, string]) => l[1]).slice(0, 3), ['1', '2', '3']);
    assert.equal((await api.get('/fapi/v1/depth?symbol=BTCUSDT&limit=7')).body.code, -1130);
    // bookTicker is the book's top level
    const top = (await api.get('/fapi/v1/ticker/bookTicker?symbol=BTCUSDT')).body;
    assert.deepEqual([top.bidPrice, top.bidQty, top.askPrice, top.askQty, top.time], [bids[0][0], bids[0][1], asks[0][0], asks[0][1], horizon]);
    assert.equal((await api.get('/fapi/v1/ticker/bookTicker')).body.length, 3);
    const used = Number((await api.get('/fapi/v1/ping')).headers.get('x-mbx-used-weight-1m'));
    const deep = await api.get('/fapi/v1/depth?symbol=BTCUSDT&limit=1000');
    assert.equal(deep.body.asks.length, 1000);
    assert.equal(Number(deep.headers.get('x-mbx-used-weight-1m')) - used, 20);
  });

  it('fundingRate: the 8-hour settlements at the feed rates, the mark that stood before each; without times the newest, oldest first; every symbol by time then symbol', async () => {
    const rows = (await api.get('/fapi/v1/fundingRate?symbol=BTCUSDT&limit=3')).body;
    const last = Math.floor(horizon / (8 * HOUR)) * 8 * HOUR;
    assert.deepEqual(rows.map((r: { fundingTime: number }) => r.fundingTime), [last - 16 * HOUR, last - 8 * HOUR, last]);
    // the bundled rates end in 2023: the feed settles Binance's baseline 0.01 % after that
    assert.deepEqual([...new Set(rows.map((r: { fundingRate: string }) => r.fundingRate))], ['0.0001']);
    const k = btc.time.findIndex((t) => t === last - HOUR);
    assert.equal(rows[2].markPrice, formatFixed(btc.close[k]!));
    const all = (await api.get(`/fapi/v1/fundingRate?startTime=${last - 8 * HOUR}&limit=4`)).body;
    assert.deepEqual(all.map((r: { symbol: string; fundingTime: number }) => `${r.symbol}@${(r.fundingTime - last) / HOUR}`), ['BTCUSDT@-8', 'ETHUSDT@-8', 'SOLUSDT@-8', 'BTCUSDT@0']);
    assert.equal((await api.get('/fapi/v1/fundingRate?limit=1001')).body.code, -1130);
  });
});
