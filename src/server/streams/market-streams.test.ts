// The market streams' state driven by the replay feed's marks of the bundled Black Thursday window
// (data/binance-futures-BTCUSDT-1m-crash-2020-03-12.csv): what each subscribed stream receives per mark.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed, type Price } from '../../domain/fixed.ts';
import { bundled, loadCandles } from '../../io/market-data.ts';
import { markTicks } from '../feed/replay-feed.ts';
import type { KlineEvent, MarkPriceUpdate, MiniTicker } from './market-events.ts';
import { MarketStreams } from './market-streams.ts';
import { parseStreamName, type MarketStream } from './stream-names.ts';

const btc = loadCandles(bundled('binance-futures-BTCUSDT-1m-crash-2020-03-12.csv'), 'BTCUSDT');
const rate = parseFixed<'Rate'>('0.0001');
const streams = (...names: string[]): MarketStream[] =>
  names.map((n) => {
    const parsed = parseStreamName(n, (s) => s === 'BTCUSDT' || s === 'ETHUSDT');
    if ('problem' in parsed) throw new Error(parsed.problem);
    return parsed.stream;
  });
const venue = () => new MarketStreams({ tickSize: () => parseFixed('0.1'), bookQuantity: () => parseFixed('1000') });

describe('market streams over the feed\'s marks', () => {
  const ticks = markTicks([btc], btc.time[0]!).slice(0, 40);

  it('kline_1m: every mark updates the candle; the first mark of a new minute first closes the last one', () => {
    const m = venue();
    const sent: KlineEvent[] = [];
    for (const t of ticks) for (const out of m.onMark('BTCUSDT', t.time, (t.command as { price: Price }).price, rate, streams('btcusdt@kline_1m'))) sent.push(out.data as KlineEvent);
    const closed = sent.filter((k) => k.k.x);
    // bar 0: 1584052740000 o 5807.97 h 5819.96 l 5801.01 c 5817.15 (the file's first row)
    assert.deepEqual([closed[0]!.k.t, closed[0]!.k.o, closed[0]!.k.h, closed[0]!.k.l, closed[0]!.k.c], [1584052740000, '5807.97', '5819.96', '5801.01', '5817.15']);
    assert.equal(sent.length - closed.length, ticks.length);
    closed.forEach((k, i) => assert.equal(k.k.c, formatFixed(btc.close[i]!)));
  });

  it('markPrice@1s and markPrice: the first mark of each 1 s and 3 s period of feed time, not again within it', () => {
    const m = venue();
    const first = m.onMark('BTCUSDT', 1_000, parseFixed('100'), rate, streams('btcusdt@markPrice@1s', 'btcusdt@markPrice', '!markPrice@arr'));
    assert.deepEqual(first.map((o) => o.stream), ['btcusdt@markPrice@1s', 'btcusdt@markPrice', '!markPrice@arr']);
    assert.deepEqual((first[2]!.data as MarkPriceUpdate[]).map((u) => u.p), ['100']);
    // 1.5 s: a new 1 s period, the same 3 s period
    const second = m.onMark('BTCUSDT', 1_500, parseFixed('101'), rate, streams('btcusdt@markPrice@1s', 'btcusdt@markPrice'));
    assert.deepEqual(second.map((o) => o.stream), []);
    const third = m.onMark('BTCUSDT', 2_000, parseFixed('102'), rate, streams('btcusdt@markPrice@1s', 'btcusdt@markPrice'));
    assert.deepEqual(third.map((o) => [o.stream, (o.data as MarkPriceUpdate).p]), [['btcusdt@markPrice@1s', '102']]);
    const fourth = m.onMark('BTCUSDT', 3_000, parseFixed('103'), rate, streams('btcusdt@markPrice@1s', 'btcusdt@markPrice'));
    assert.deepEqual(fourth.map((o) => [o.stream, (o.data as MarkPriceUpdate).p]), [['btcusdt@markPrice@1s', '103'], ['btcusdt@markPrice', '103']]);
  });

  it('miniTicker, bookTicker: only the symbol\'s own streams and the market-wide ones', () => {
    const m = venue();
    const out = m.onMark('BTCUSDT', 1_000, parseFixed('5807.97'), rate, streams('ethusdt@miniTicker', 'btcusdt@miniTicker', '!miniTicker@arr', 'btcusdt@bookTicker', '!bookTicker'));
    assert.deepEqual(out.map((o) => o.stream), ['btcusdt@miniTicker', '!miniTicker@arr', 'btcusdt@bookTicker', '!bookTicker']);
    assert.equal((out[0]!.data as MiniTicker).c, '5807.97');
    assert.equal((out[1]!.data as MiniTicker[])[0]!.s, 'BTCUSDT');
    assert.deepEqual(out[2]!.data, { e: 'bookTicker', u: 1, E: 1000, T: 1000, s: 'BTCUSDT', b: '5807.9', B: '1000', a: '5808', A: '1000' });
    assert.equal(out[3]!.data, out[2]!.data);
  });
});
