// Parameter parsing as Binance does it: query over body, duplicates, %-decoding, typed reads and the
// -1104 refusal of parameters an endpoint does not read. Messages are Binance's (error-code page).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../../domain/fixed.ts';
import { isBinanceError } from './errors.ts';
import { mergeParams, read, type ParamMap } from './params.ts';
import { ok, refused } from './binance-test-support.ts';

const merged = (query: string, body = ''): ParamMap => {
  const m = mergeParams(query, body);
  if (isBinanceError(m)) assert.fail(m.msg);
  return m;
};

describe('query string and body merged', () => {
  it('"if a parameter is sent in both, the query string parameter will be used"; %-escapes and "+" decoded', () => {
    const m = merged('symbol=BTCUSDT&newClientOrderId=a%2Fb', 'symbol=ETHUSDT&side=BUY&note=x+y');
    assert.deepEqual([...m], [['symbol', 'BTCUSDT'], ['newClientOrderId', 'a/b'], ['side', 'BUY'], ['note', 'x y']]);
  });

  it('a name twice in the query is -1101; a malformed %-escape is -1100', () => {
    const twice = mergeParams('side=BUY&side=SELL', '');
    assert.ok(isBinanceError(twice));
    assert.deepEqual([twice.code, twice.msg], [-1101, 'Duplicate values for a parameter detected.']);
    const bad = mergeParams('symbol=BTC%ZZ', '');
    assert.ok(isBinanceError(bad));
    assert.equal(bad.code, -1100);
  });
});

describe('typed reads', () => {
  const one = (params: ParamMap) => read(params, (r) => ({ quantity: r.decimal('quantity'), reduceOnly: r.boolean('reduceOnly'), orderId: r.integer('orderId') }));

  it('decimals exact ("0.1" is 1e17 units, not a float), booleans "true"/"false", integers', () => {
    const v = ok(one(merged('quantity=0.1&reduceOnly=true&orderId=9007199254740991')));
    assert.equal(formatFixed(v.quantity!), '0.1');
    assert.deepEqual([v.reduceOnly, v.orderId], [true, 9007199254740991]);
  });

  it("Binance's decimal form only: \"1e-3\" and \"-1\" are -1100 with Binance's legal range", () => {
    for (const text of ['1e-3', '-1', '1,5', ' 1']) {
      const e = refused(one(merged(`quantity=${encodeURIComponent(text)}`)));
      assert.deepEqual([e.code, e.msg], [-1100, "Illegal characters found in parameter 'quantity'; legal range is '^([0-9]{1,20})(\\.[0-9]{1,20})?$'."], text);
    }
  });

  it('19 decimals is -1111 (perpguard holds 18 and never rounds input); above 1e15 is -1130', () => {
    assert.equal(refused(one(merged('quantity=0.0000000000000000001'))).code, -1111);
    assert.equal(refused(one(merged('quantity=2000000000000000'))).code, -1130);
  });

  it('reduceOnly "TRUE" or "1" is -1130; orderId "12a" is -1100; an id beyond 2^53 is -1130', () => {
    assert.deepEqual([refused(one(merged('reduceOnly=TRUE'))).code, refused(one(merged('reduceOnly=1'))).code], [-1130, -1130]);
    assert.equal(refused(one(merged('orderId=12a'))).msg, "Illegal characters found in parameter 'orderId'; legal range is '^[0-9]{1,20}$'.");
    assert.equal(refused(one(merged('orderId=99999999999999999'))).code, -1130);
  });

  it('an empty value counts as not sent (Binance: "was empty/null")', () => {
    const e = refused(read(merged('symbol='), (r) => r.requiredSymbol()));
    assert.deepEqual([e.code, e.msg], [-1102, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed."]);
  });
});

describe('parameters nobody reads', () => {
  it('-1104 counts what was read and sent, as Binance prints it; the detail names the parameter and the nearest known one', () => {
    const params = merged('symbol=BTCUSDT&side=BUY&reduce_only=true&timestamp=1&signature=ab');
    const e = refused(read(params, (r) => [r.requiredSymbol(), r.string('side'), r.boolean('reduceOnly')]));
    assert.deepEqual([e.code, e.msg], [-1104, "Not all sent parameters were read; read '4' parameter(s) but was sent '5'."]);
    assert.equal(e.detail, 'reduce_only: not a parameter of this endpoint (did you mean reduceOnly?)');
  });

  it('timestamp, recvWindow and signature are authentication\'s: an endpoint need not read them', () => {
    assert.deepEqual(ok(read(merged('symbol=BTCUSDT&timestamp=1&recvWindow=5000&signature=ab'), (r) => r.requiredSymbol())), 'BTCUSDT');
  });
});
