// The protocol layer as the next session's HTTP server will chain it, on a request built byte for byte
// the way ccxt builds createOrder (../shared/reference/binance-api-clients.md §2: timestamp first,
// recvWindow=10000 last, everything in the form body, signature appended): weight, authentication,
// parameters, engine command, apply, Binance response; and a refusal ending as {code, msg} + status.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply } from '../../engine/apply.ts';
import { authenticate, signatureOf, type KeyLookup } from './auth.ts';
import { errorBody, fromRejection } from './errors.ts';
import { newOrderRequest } from './order-request.ts';
import { newOrderResponse, placedOrder } from './order-responses.ts';
import { WeightCounter, weightOf } from './weights.ts';
import { given, venue } from './binance-test-support.ts';

const KEY = 'pgKey0000000000000000000000000000000000000000000000000000000000A';
const SECRET = 'pgSecret-not-a-real-one';
const keys: KeyLookup = (k) => (k === KEY ? { account: 'carol', secret: SECRET } : undefined);

function ccxtBody(params: Record<string, string>, timestamp: number): string {
  const unsigned = [`timestamp=${timestamp}`, ...Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`), 'recvWindow=10000'].join('&');
  return `${unsigned}&signature=${signatureOf(SECRET, unsigned)}`;
}

describe('a signed ccxt createOrder through the whole protocol layer', () => {
  it('market buy 0.1 BTCUSDT at the 50,000 mark: FILLED, cumQuote 5,000, X-MBX-USED-WEIGHT-1M 0 (orders weigh 0 on the IP limit)', () => {
    const state = venue();
    given(state, [
      { op: 'deposit', account: 'carol', asset: 'USDT', amount: '10000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    ]);
    const now = state.time + 10;
    const body = ccxtBody({ symbol: 'BTCUSDT', side: 'BUY', newClientOrderId: 'x-cvBPrNm9AAAAAAAAAAAAAAAAAAAAAA', newOrderRespType: 'RESULT', type: 'MARKET', quantity: '0.1' }, now - 30);
    const auth = authenticate({ apiKey: KEY, rawQuery: '', rawBody: body }, 'SIGNED', keys, now);
    assert.ok(auth.ok);
    const counter = new WeightCounter();
    const used = counter.charge('127.0.0.1', weightOf('POST', '/fapi/v1/order', auth.params)!, now);
    assert.deepEqual(used, { usedWeight1m: 0 });
    const request = newOrderRequest(auth.params, auth.account!, state);
    assert.ok('value' in request);
    const orderId = state.nextOrderId;
    const result = apply(state, request.value.command, now);
    assert.equal(result.rejection, undefined);
    const response = JSON.parse(JSON.stringify(newOrderResponse(placedOrder(state, 'carol', 'BTCUSDT', orderId)!, request.value.respType)));
    assert.deepEqual(
      [response.status, response.clientOrderId, response.executedQty, response.cumQuote, response.avgPrice, response.origType],
      ['FILLED', 'x-cvBPrNm9AAAAAAAAAAAAAAAAAAAAAA', '0.1', '5000', '50000', 'MARKET'],
    );
  });

  it('the same order for 10 BTC: accepted by the protocol layer, refused by the engine, answered {"code":-2019,"msg":"Margin is insufficient."} with HTTP 400', () => {
    const state = venue();
    given(state, [
      { op: 'deposit', account: 'carol', asset: 'USDT', amount: '10000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    ]);
    const now = state.time + 10;
    const auth = authenticate({ apiKey: KEY, rawQuery: '', rawBody: ccxtBody({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '10' }, now) }, 'SIGNED', keys, now);
    assert.ok(auth.ok);
    const request = newOrderRequest(auth.params, auth.account!, state);
    assert.ok('value' in request);
    const error = fromRejection(apply(state, request.value.command, now).rejection!, request.value.names);
    assert.equal(JSON.stringify(errorBody(error)), '{"code":-2019,"msg":"Margin is insufficient."}');
    assert.equal(error.status, 400);
  });
});
