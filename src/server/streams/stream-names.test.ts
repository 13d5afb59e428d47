// Stream names as Binance USDⓈ-M spells them ("<symbol>@markPrice", "@markPrice@1s", "@kline_1m",
// "@miniTicker", "@bookTicker", "!markPrice@arr", ...; symbols lower case) and the combined envelope.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { combined, parseStreamName, streamCovers, streamName } from './stream-names.ts';

const known = (symbol: string) => symbol === 'BTCUSDT' || symbol === 'ETHUSDT';

describe('stream names', () => {
  it('reads the streams the venue serves and prints them back the same', () => {
    const names = ['btcusdt@markPrice', 'btcusdt@markPrice@1s', 'ethusdt@kline_1m', 'ethusdt@kline_1M', 'btcusdt@miniTicker', 'btcusdt@bookTicker', '!markPrice@arr', '!markPrice@arr@1s', '!miniTicker@arr', '!bookTicker'];
    for (const name of names) {
      const parsed = parseStreamName(name, known);
      assert.ok('stream' in parsed, name);
      assert.equal(streamName(parsed.stream), name);
    }
    assert.deepEqual(parseStreamName('btcusdt@markPrice@1s', known), { stream: { kind: 'markPrice', symbol: 'BTCUSDT', periodMs: 1000 } });
  });

  it('names what is wrong: upper case, unknown symbol, interval or stream, and the streams a venue without trades cannot serve', () => {
    const problem = (name: string) => {
      const parsed = parseStreamName(name, known);
      assert.ok('problem' in parsed, name);
      return parsed.problem;
    };
    assert.match(problem('BTCUSDT@markPrice'), /lower case \("btcusdt@markPrice"\)/);
    assert.match(problem('xyzusdt@markPrice'), /unknown symbol XYZUSDT/);
    assert.match(problem('btcusdt@kline_7m'), /unknown kline interval "7m"/);
    assert.match(problem('btcusdt@depth20@100ms'), /no trades or order book/);
    assert.match(problem('btcusdt@aggTrade'), /no trades or order book/);
    assert.match(problem('btcusdt@nonsense'), /unknown stream "nonsense"/);
    assert.match(problem('markPrice'), /not a stream name/);
  });

  it('market-wide streams cover every symbol of their kind', () => {
    const all = parseStreamName('!miniTicker@arr', known);
    const one = parseStreamName('btcusdt@bookTicker', known);
    assert.ok('stream' in all && 'stream' in one);
    assert.deepEqual([streamCovers(all.stream, 'miniTicker', 'ETHUSDT'), streamCovers(all.stream, 'bookTicker', 'ETHUSDT')], [true, false]);
    assert.deepEqual([streamCovers(one.stream, 'bookTicker', 'BTCUSDT'), streamCovers(one.stream, 'bookTicker', 'ETHUSDT')], [true, false]);
  });

  it('the combined envelope: {"stream": name, "data": payload}', () => {
    assert.equal(JSON.stringify(combined('btcusdt@markPrice', { e: 'markPriceUpdate' })), '{"stream":"btcusdt@markPrice","data":{"e":"markPriceUpdate"}}');
  });
});
