// Read-endpoint parameters and batch orders: Binance's mandatory parameters and refusals, and the
// queries they become, run against a real engine history.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batchOrdersRequest } from './batch-request.ts';
import { newOrderRequest } from './order-request.ts';
import { allOrdersJson, userTradesJson } from './order-responses.ts';
import { algoQueryRequest, allAlgoOrdersRequest, allOrdersRequest, orderQueryRequest, symbolRequest, userTradesRequest } from './query-request.ts';
import { mergeParams } from './params.ts';
import { isBinanceError } from './errors.ts';
import { form, given, ok, refused, venue } from './binance-test-support.ts';

describe('read endpoints', () => {
  const state = venue();
  given(state, [
    { op: 'deposit', account: 'e', asset: 'USDT', amount: '10000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'order', account: 'e', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
    { op: 'order', account: 'e', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.01' },
    { op: 'order', account: 'e', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.02' },
  ]);

  it('allOrders and userTrades need a symbol; limit 1..1000; startTime after endTime is -1023', () => {
    assert.equal(refused(allOrdersRequest(form({}), state)).msg, "Mandatory parameter 'symbol' was not sent, was empty/null, or malformed.");
    assert.equal(refused(allOrdersRequest(form({ symbol: 'BTCUSDT', limit: '1001' }), state)).code, -1130);
    const e = refused(userTradesRequest(form({ symbol: 'BTCUSDT', startTime: '2', endTime: '1' }), state));
    assert.deepEqual([e.code, e.msg], [-1023, 'Start time is greater than end time.']);
    assert.equal(refused(userTradesRequest(form({ symbol: 'BTCUSDT', fromId: '1', startTime: '1' }), state)).code, -1130);
    assert.equal(refused(userTradesRequest(form({ symbol: 'BTCUSDT', startTime: '0', endTime: String(8 * 86_400_000) }), state)).code, -1130);
  });

  it('the queries page the kept history as Binance does: limit 2 gives the newest two; fromId the first from that id', () => {
    const newest = ok(allOrdersRequest(form({ symbol: 'BTCUSDT', limit: '2' }), state));
    assert.deepEqual(allOrdersJson(state, 'e', newest).map((o) => o.origQty), ['0.01', '0.02']);
    const fromTwo = ok(userTradesRequest(form({ symbol: 'BTCUSDT', fromId: '2', limit: '1' }), state));
    assert.deepEqual(userTradesJson(state, 'e', fromTwo).map((t) => [t.id, t.side]), [[2, 'SELL']]);
  });

  it('GET order needs orderId or origClientOrderId; GET algoOrder algoId or clientAlgoId; allAlgoOrders page 1 only', () => {
    assert.equal(refused(orderQueryRequest(form({ symbol: 'BTCUSDT' }), state)).code, -1102);
    assert.deepEqual(ok(orderQueryRequest(form({ symbol: 'BTCUSDT', orderId: '3' }), state)), { symbol: 'BTCUSDT', id: { orderId: 3 } });
    assert.deepEqual(ok(algoQueryRequest(form({ clientAlgoId: 'sl-1' }))), { clientAlgoId: 'sl-1' });
    assert.deepEqual(ok(algoQueryRequest(form({ symbol: 'BTCUSDT', algoId: '7' }))), { symbol: 'BTCUSDT', algoId: 7 });
    assert.equal(refused(allAlgoOrdersRequest(form({ symbol: 'BTCUSDT', page: '2' }), state)).code, -1130);
  });

  it('an optional symbol must be a market of the venue (-1121); an unknown parameter is -1104', () => {
    assert.equal(ok(symbolRequest(form({}), state)), undefined);
    assert.equal(refused(symbolRequest(form({ symbol: 'XRPUSDT' }), state)).code, -1121);
    assert.equal(refused(symbolRequest(form({ symbl: 'BTCUSDT' }), state)).code, -1104);
  });
});

describe('POST /fapi/v1/batchOrders', () => {
  const state = venue();
  given(state, [{ op: 'mark', symbol: 'BTCUSDT', price: '50000' }]);
  const raw = (json: string) => {
    const m = mergeParams(`batchOrders=${json}&timestamp=1`, '');
    if (isBinanceError(m)) assert.fail(m.msg);
    return m;
  };

  it("ccxt's raw JSON: each order read like a single order, a bad one refused in its own slot", () => {
    const orders = ok(batchOrdersRequest(raw('[{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":"0.01","price":"45000","timeInForce":"GTC"},{"symbol":"BTCUSDT","side":"BUY","type":"LIMIT","quantity":"0.01","price":"45000"}]')));
    assert.equal(orders.length, 2);
    const [first, second] = orders.map((o) => newOrderRequest(o, 'f', state));
    assert.equal(ok(first!).command.type, 'limit');
    assert.equal(refused(second!).msg, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed.");
  });

  it('more than 5 orders is -4082; a fractional JSON number is refused (it was already a float); bad JSON -1130', () => {
    const six = JSON.stringify(Array.from({ length: 6 }, () => ({ symbol: 'BTCUSDT' })));
    assert.deepEqual([refused(batchOrdersRequest(raw(six))).code, refused(batchOrdersRequest(raw(six))).msg], [-4082, 'Invalid number of batch place orders.']);
    assert.equal(refused(batchOrdersRequest(raw('[{"symbol":"BTCUSDT","quantity":0.01}]'))).code, -1130);
    assert.equal(refused(batchOrdersRequest(raw('[{"symbol":'))).code, -1130);
    assert.deepEqual([...ok(batchOrdersRequest(raw('[{"orderId":12,"reduceOnly":true}]')))[0]!], [['orderId', '12'], ['reduceOnly', 'true']]);
  });
});
