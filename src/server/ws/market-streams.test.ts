// The market streams over a real socket while the feed replays Black Thursday's first minutes (BTCUSDT
// 1 m bars: 22:39 open 5,807.97 high 5,819.96 low 5,801.01 close 5,817.15; the feed visits open, low,
// high, close at 0, 15, 30, 45 s): streams named in the path (/ws/<stream>, /stream?streams=a/b) and by
// SUBSCRIBE on ccxt.pro's /market/ws/<n>, LIST_SUBSCRIPTIONS, UNSUBSCRIBE, Binance's error replies, the
// upgrade refusals, and the 10-messages-a-second limit. Market streams do not depend on the store: SQLite.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../../domain/fixed.ts';
import { backends } from '../../store/store-test-support.ts';
import { Reader, startVenue, CRASH_START_MS, type TestVenue } from './ws-test-support.ts';

const { list: [sqlite] } = await backends();

describe('market streams', () => {
  let v: TestVenue;
  before(async () => {
    v = await startVenue(sqlite!.fresh());
  });
  after(async () => {
    await v.close();
    await sqlite!.cleanup();
  });

  it('markPrice@1s, kline_1m, miniTicker and bookTicker follow the feed, bare on /ws and enveloped on /stream', async () => {
    const mark = await Reader.open(`${v.wsUrl}/ws/btcusdt@markPrice@1s`);
    const combined = await Reader.open(`${v.wsUrl}/stream?streams=btcusdt@kline_1m/ethusdt@miniTicker`);
    const book = await Reader.open(`${v.wsUrl}/market/ws/0`);
    book.send({ method: 'SUBSCRIBE', params: ['btcusdt@bookTicker'], id: 1 });
    await book.until((m) => m.length === 1);
    assert.deepEqual(book.messages.shift(), { result: null, id: 1 });

    v.advance(59_000); // the rest of the 22:39 bar: low, high, close
    await mark.until((m) => m.length === 3);
    assert.deepEqual(
      mark.messages.map((m) => [m.e, m.s, m.p, m.E - CRASH_START_MS]),
      [['markPriceUpdate', 'BTCUSDT', '5801.01', 15_000], ['markPriceUpdate', 'BTCUSDT', '5819.96', 30_000], ['markPriceUpdate', 'BTCUSDT', '5817.15', 45_000]],
    );
    assert.equal(mark.messages[2].p, formatFixed(v.venue.market.marks['BTCUSDT']!));
    // the next settlement after 22:39:45 UTC is 2020-03-13 00:00 UTC
    assert.equal(mark.messages[2].T, Date.UTC(2020, 2, 13));

    await combined.until((m) => m.filter((x) => x.stream === 'btcusdt@kline_1m').length === 3);
    const candle = combined.messages.filter((x) => x.stream === 'btcusdt@kline_1m').at(-1).data.k;
    // the candle started with the mark that stood when the server began listening (the bar's open)
    assert.deepEqual([candle.t, candle.o, candle.h, candle.l, candle.c, candle.x, candle.i], [CRASH_START_MS, '5807.97', '5819.96', '5801.01', '5817.15', false, '1m']);
    assert.ok(combined.messages.every((x) => x.stream === 'btcusdt@kline_1m' || x.stream === 'ethusdt@miniTicker'));

    await book.until((m) => m.length === 3);
    // the synthetic book one tick around the mark (BTCUSDT's tick 0.1): 5,817.15 lies between 5,817.1 and 5,817.2
    assert.deepEqual([book.messages[2].e, book.messages[2].b, book.messages[2].a], ['bookTicker', '5817.1', '5817.2']);

    v.advance(1000); // 22:40:00: the 22:39 candle closes
    await combined.until((m) => m.some((x) => x.data.k?.x === true));
    const closed = combined.messages.find((x) => x.data.k?.x === true).data.k;
    assert.deepEqual([closed.t, closed.T, closed.c], [CRASH_START_MS, CRASH_START_MS + 59_999, '5817.15']);
    for (const r of [mark, combined, book]) r.close();
  });

  it('SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE with ids; a bad request gets Binance\'s error reply', async () => {
    const r = await Reader.open(`${v.wsUrl}/public/ws/1`);
    r.send({ method: 'SUBSCRIBE', params: ['btcusdt@markPrice', 'ethusdt@kline_5m'], id: 7 });
    r.send({ method: 'LIST_SUBSCRIPTIONS', id: 8 });
    r.send({ method: 'UNSUBSCRIBE', params: ['btcusdt@markPrice'], id: 9 });
    r.send({ method: 'LIST_SUBSCRIPTIONS', id: 10 });
    r.send({ method: 'SUBSCRIBE', params: ['btcusdt@depth'], id: 11 });
    r.send({ method: 'SUBSCRIBE', params: ['btcusdt@markPrice'], id: 12, extra: 1 });
    const replies = await r.until((m) => m.length === 6);
    assert.deepEqual(replies.slice(0, 4), [
      { result: null, id: 7 },
      { result: ['btcusdt@markPrice', 'ethusdt@kline_5m'], id: 8 },
      { result: null, id: 9 },
      { result: ['ethusdt@kline_5m'], id: 10 },
    ]);
    assert.deepEqual([replies[4].id, replies[4].error.code], [11, 2]);
    assert.match(replies[4].error.msg, /no trades or order book/);
    assert.deepEqual([replies[5].id, replies[5].error.code], [12, 2]);
    assert.match(replies[5].error.msg, /unknown field `extra`/);
    r.close();
  });

  it('refused upgrades: no such path (404), an unknown stream (400), an unknown listenKey (400 -1125)', async () => {
    const refusal = (path: string) => Reader.open(`${v.wsUrl}${path}`).then(() => assert.fail(`${path} opened`), (e: any) => [e.status, e.body]);
    assert.deepEqual(await refusal('/fapi/v1/ws'), [404, '{}']);
    const [status, body] = await refusal('/ws/btcusdt@aggTrade');
    assert.equal(status, 400);
    assert.match(JSON.parse(body).msg, /^Invalid request: "btcusdt@aggTrade": the paper venue has no trades/);
    assert.deepEqual(await refusal(`/private/ws?listenKey=${'Z'.repeat(64)}`), [400, '{"code":-1125,"msg":"This listenKey does not exist."}']);
  });

  it('more than 10 incoming messages in a second close the connection (1008), as Binance', async () => {
    const r = await Reader.open(`${v.wsUrl}/ws`);
    for (let id = 1; id <= 11; id++) r.send({ method: 'LIST_SUBSCRIPTIONS', id });
    await r.until(() => r.closed !== undefined);
    assert.equal(r.closed!.code, 1008);
    assert.equal(r.messages.length, 10);
  });
});
