// The error catalogue: Binance's codes, texts and HTTP statuses (error-code page and the measured ccxt
// mapping in ../shared/reference/binance-api-clients.md §3), and the engine's rejections mapped to them.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/fixed.ts';
import { REJECTIONS, reject, type RejectionKey } from '../../engine/codes.ts';
import { BINANCE_ERRORS, binanceError, errorBody, fromRejection } from './errors.ts';
import { applyAny, given, venue } from './binance-test-support.ts';

describe('the catalogue', () => {
  it("the texts ccxt and clients match on, verbatim from Binance's error-code page", () => {
    assert.deepEqual(errorBody(binanceError('MARGIN_INSUFFICIENT')), { code: -2019, msg: 'Margin is insufficient.' });
    assert.deepEqual(errorBody(binanceError('NO_NEED_TO_CHANGE_MARGIN_TYPE')), { code: -4046, msg: 'No need to change margin type.' });
    assert.deepEqual(errorBody(binanceError('INVALID_SIGNATURE')), { code: -1022, msg: 'Signature for this request is not valid.' });
    assert.deepEqual(errorBody(binanceError('NO_SUCH_ORDER')), { code: -2013, msg: 'Order does not exist.' });
    assert.deepEqual(errorBody(binanceError('MANDATORY_PARAM', ['symbol'])), { code: -1102, msg: "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed." });
  });

  it('HTTP statuses: 400 for the sender\'s errors, 401 for API keys, 429 for the rate limit, 500 for the venue\'s own', () => {
    const status = (key: keyof typeof BINANCE_ERRORS) => BINANCE_ERRORS[key].status;
    assert.deepEqual([status('INVALID_TIMESTAMP_WINDOW'), status('INVALID_SIGNATURE'), status('BAD_API_KEY_FORMAT'), status('REJECTED_API_KEY'), status('TOO_MANY_REQUESTS'), status('UNKNOWN')], [400, 400, 401, 401, 429, 500]);
  });

  it('every %s is filled when its arguments are given; the body is exactly {code, msg} (the detail stays out)', () => {
    for (const key of Object.keys(BINANCE_ERRORS) as (keyof typeof BINANCE_ERRORS)[]) {
      const e = binanceError(key, ['a', 'b'], 'the detail');
      assert.ok(!e.msg.includes('%s'), key);
      assert.deepEqual(Object.keys(errorBody(e)), ['code', 'msg']);
    }
  });

  it('every engine rejection key has a Binance error, with the engine\'s code unless mapped on purpose', () => {
    const remapped: Partial<Record<RejectionKey, number>> = { DUPLICATE_CLIENT_ORDER_ID: -4116 };
    for (const key of Object.keys(REJECTIONS) as RejectionKey[]) {
      const e = fromRejection(reject(key, 'quantity', 'why'));
      assert.equal(e.code, remapped[key] ?? REJECTIONS[key].code, key);
      assert.equal(e.detail, 'quantity: why', key);
    }
  });
});

describe('rejections from a real engine', () => {
  it('a margin move of 0 is -4055 "Amount must be positive." (positionMargin\'s code, not the order\'s -4003)', () => {
    const state = venue();
    given(state, [
      { op: 'deposit', account: 'c', asset: 'USDT', amount: '1000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      { op: 'setMarginMode', account: 'c', symbol: 'BTCUSDT', mode: 'isolated' },
      { op: 'order', account: 'c', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
    ]);
    const r = applyAny(state, { op: 'addMargin', account: 'c', symbol: 'BTCUSDT', amount: parseFixed('0'), positionSide: undefined }).rejection!;
    assert.deepEqual([fromRejection(r).code, fromRejection(r).msg], [-4055, 'Amount must be positive.']);
  });

  it('an order on a symbol without a mark is -4131; the venue clock going backwards is -1000 with HTTP 500', () => {
    const state = venue();
    given(state, [{ op: 'deposit', account: 'c', asset: 'USDT', amount: '1000' }]);
    const noMark = applyAny(state, { op: 'order', account: 'c', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: parseFixed('1'), price: undefined, stopPrice: undefined, timeInForce: 'GTC', reduceOnly: false, closePosition: false, positionSide: undefined, clientOrderId: undefined }).rejection!;
    assert.equal(fromRejection(noMark).code, -4131);
    const backwards = fromRejection(reject('MALFORMED', 'time', 'time 1 is before the state\'s time 2'));
    assert.deepEqual([backwards.code, backwards.status], [-1000, 500]);
  });
});
