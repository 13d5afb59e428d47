// The live subscription protocol ("Live Subscribing/Unsubscribing to streams", Binance USDⓈ-M): the request
// ccxt.pro sends ({"method":"SUBSCRIBE","params":["btcusdt@miniTicker"],"id":1}, reference §4) is answered
// {"result":null,"id":1}; bad requests get Binance's error codes (0 unknown property, 1 wrong value type,
// 2 invalid request, 3 invalid JSON).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STREAMS_PER_CONNECTION, parseControlMessage, StreamSubscriptions } from './subscriptions.ts';

const known = (symbol: string) => /^[A-Z0-9]+USDT$/.test(symbol);

describe('subscriptions: the protocol as ccxt.pro and Binance\'s docs use it', () => {
  it('SUBSCRIBE, LIST_SUBSCRIPTIONS, UNSUBSCRIBE', () => {
    const s = new StreamSubscriptions(known, false);
    assert.deepEqual(s.handle('{"method":"SUBSCRIBE","params":["btcusdt@miniTicker"],"id":1}'), { result: null, id: 1 });
    assert.deepEqual(s.handle('{"method":"SUBSCRIBE","params":["btcusdt@markPrice@1s","ethusdt@kline_1m","btcusdt@miniTicker"],"id":2}'), { result: null, id: 2 });
    assert.deepEqual(s.handle('{"method":"LIST_SUBSCRIPTIONS","id":3}'), { result: ['btcusdt@miniTicker', 'btcusdt@markPrice@1s', 'ethusdt@kline_1m'], id: 3 });
    assert.deepEqual(s.handle('{"method":"UNSUBSCRIBE","params":["btcusdt@miniTicker","ethusdt@bookTicker"],"id":312}'), { result: null, id: 312 });
    assert.deepEqual(s.names(), ['btcusdt@markPrice@1s', 'ethusdt@kline_1m']);
    assert.deepEqual(s.streams.map((x) => x.kind), ['markPrice', 'kline']);
  });

  it('SET_PROPERTY / GET_PROPERTY combined', () => {
    const s = new StreamSubscriptions(known, false);
    assert.deepEqual(s.handle('{"method":"GET_PROPERTY","params":["combined"],"id":2}'), { result: false, id: 2 });
    assert.deepEqual(s.handle('{"method":"SET_PROPERTY","params":["combined",true],"id":5}'), { result: null, id: 5 });
    assert.equal(s.combined, true);
    assert.deepEqual(s.handle('{"method":"SET_PROPERTY","params":["combined","yes"],"id":6}'), { error: { code: 1, msg: 'Invalid value type: expected Boolean' }, id: 6 });
    assert.deepEqual(s.handle('{"method":"GET_PROPERTY","params":["colour"],"id":7}'), { error: { code: 0, msg: 'Unknown property' }, id: 7 });
  });

  it('a refused SUBSCRIBE changes nothing and names the stream', () => {
    const s = new StreamSubscriptions(known, true);
    const reply = s.handle('{"method":"SUBSCRIBE","params":["btcusdt@markPrice","btcusdt@depth"],"id":9}');
    assert.deepEqual(reply, { error: { code: 2, msg: 'Invalid request: "btcusdt@depth": the paper venue has no trades or order book to stream (it serves markPrice, kline_<interval>, miniTicker and bookTicker)' }, id: 9 });
    assert.deepEqual(s.names(), []);
  });

  it('at most 1,024 streams a connection', () => {
    const s = new StreamSubscriptions(known, false);
    const names = Array.from({ length: MAX_STREAMS_PER_CONNECTION }, (_, i) => `s${i}usdt@markPrice`);
    assert.deepEqual(s.open(names), undefined);
    const reply = s.handle('{"method":"SUBSCRIBE","params":["extrausdt@markPrice"],"id":1}');
    assert.deepEqual(reply, { error: { code: 2, msg: 'Invalid request: too many streams: 1025, at most 1024 per connection' }, id: 1 });
    // one already there is not another
    assert.deepEqual(s.handle('{"method":"SUBSCRIBE","params":["s0usdt@markPrice"],"id":2}'), { result: null, id: 2 });
  });

  it('bad requests: one line naming the field, Binance\'s code', () => {
    const cases: [string, number, RegExp, number | null][] = [
      ['{"method":"SUBSCRIBE","params":["btcusdt@markPrice"]', 3, /^Invalid JSON: /, null],
      ['[1,2]', 2, /expected an object/, null],
      ['{"params":["btcusdt@markPrice"],"id":1}', 2, /^Invalid request: missing field `method`$/, 1],
      ['{"method":"subscribe","params":["btcusdt@markPrice"],"id":1}', 2, /unknown variant "subscribe", expected one of `SUBSCRIBE`/, 1],
      ['{"method":"SUBSCRIBE","params":["btcusdt@markPrice"],"id":-1}', 2, /^Invalid request: request ID must be an unsigned integer$/, null],
      ['{"method":"SUBSCRIBE","params":["btcusdt@markPrice"],"id":"1"}', 2, /request ID must be an unsigned integer/, null],
      ['{"method":"SUBSCRIBE","params":["btcusdt@markPrice"],"id":1,"extra":true}', 2, /unknown field `extra`/, 1],
      ['{"method":"SUBSCRIBE","params":"btcusdt@markPrice","id":1}', 2, /params must be a list/, 1],
      ['{"method":"SUBSCRIBE","params":[1],"id":1}', 2, /property name must be a string/, 1],
      ['{"method":"SUBSCRIBE","params":[],"id":1}', 2, /at least one stream/, 1],
      ['{"method":"LIST_SUBSCRIPTIONS","params":["x"],"id":1}', 2, /too many parameters/, 1],
    ];
    for (const [text, code, msg, id] of cases) {
      const parsed = parseControlMessage(text);
      assert.ok('error' in parsed, text);
      assert.equal(parsed.error.error.code, code, text);
      assert.match(parsed.error.error.msg, msg, text);
      assert.ok(!parsed.error.error.msg.includes('\n'), text);
      assert.equal(parsed.error.id, id, text);
    }
  });
});
