// Cancels and settings requests as clients send them, through the engine, with Binance's refusals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cancelAlgoRequest, cancelAllRequest, cancelRequest, leverageRequest, marginTypeRequest, positionMarginRequest, positionModeRequest } from './command-request.ts';
import { fromRejection } from './errors.ts';
import { applyAny, applyOk, form, given, ok, refused, venue } from './binance-test-support.ts';

const funded = () => {
  const state = venue();
  given(state, [
    { op: 'deposit', account: 'bob', asset: 'USDT', amount: '5000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
  ]);
  return state;
};

describe('cancels', () => {
  it('DELETE /fapi/v1/order by origClientOrderId cancels; the same again is -2011 "Unknown order sent."', () => {
    const state = funded();
    given(state, [{ op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000', clientOrderId: 'c1' }]);
    const req = ok(cancelRequest(form({ symbol: 'BTCUSDT', origClientOrderId: 'c1' }), 'bob', state));
    applyOk(state, req.command);
    const again = fromRejection(applyAny(state, req.command).rejection!, req.names);
    assert.deepEqual([again.code, again.msg], [-2011, 'Unknown order sent.']);
    assert.match(again.detail!, /^origClientOrderId: /);
  });

  it('DELETE /fapi/v1/order naming a conditional order (by orderId or origClientOrderId) is -2011 and cancels nothing: the Algo API owns it', () => {
    const state = funded();
    given(state, [
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: '0.01', stopPrice: '45000', reduceOnly: true, clientOrderId: 'stop1' },
    ]);
    const stop = state.users['bob']!.orders[0]!;
    for (const params of [{ orderId: String(stop.orderId) }, { origClientOrderId: 'stop1' }] as Record<string, string>[]) {
      const e = refused(cancelRequest(form({ symbol: 'BTCUSDT', ...params }), 'bob', state));
      assert.deepEqual([e.code, e.msg], [-2011, 'Unknown order sent.']);
      assert.match(e.detail!, /DELETE \/fapi\/v1\/algoOrder/);
    }
    assert.equal(state.users['bob']!.orders.length, 1);
  });

  it('neither orderId nor origClientOrderId: -1102 "Param \'orderId\' or \'origClientOrderId\' must be sent, but both were empty/null!"', () => {
    const e = refused(cancelRequest(form({ symbol: 'BTCUSDT' }), 'bob', funded()));
    assert.deepEqual([e.code, e.msg], [-1102, "Param 'orderId' or 'origClientOrderId' must be sent, but both were empty/null!"]);
  });

  it('DELETE /fapi/v1/algoOrder by algoId finds the stop\'s symbol; a LIMIT order\'s id is not an algo id (-2011)', () => {
    const state = funded();
    given(state, [
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: '0.01', stopPrice: '45000', reduceOnly: true },
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000' },
    ]);
    const [stop, limit] = state.users['bob']!.orders;
    // ccxt's cancelOrder(id, symbol, {trigger: true}) sends symbol and algoId; another symbol finds nothing
    assert.equal(refused(cancelAlgoRequest(form({ symbol: 'ETHUSDT', algoId: String(stop!.orderId) }), 'bob', state)).code, -2011);
    const req = ok(cancelAlgoRequest(form({ symbol: 'BTCUSDT', algoId: String(stop!.orderId) }), 'bob', state));
    assert.deepEqual([req.command.symbol, req.command.orderId], ['BTCUSDT', stop!.orderId]);
    applyOk(state, req.command);
    assert.equal(refused(cancelAlgoRequest(form({ algoId: String(limit!.orderId) }), 'bob', state)).code, -2011);
  });
});

describe('cancel all', () => {
  it('DELETE /fapi/v1/allOpenOrders cancels the plain orders of the symbol, algoOpenOrders the conditional ones', () => {
    const state = funded();
    given(state, [
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000' },
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: '0.01', stopPrice: '45000', reduceOnly: true },
      { op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '41000' },
    ]);
    const plain = ok(cancelAllRequest(form({ symbol: 'BTCUSDT' }), 'bob', state, false));
    assert.equal(plain.length, 2);
    for (const c of plain) applyOk(state, c.command);
    assert.deepEqual(state.users['bob']!.orders.map((o) => o.type), ['stop_market']);
    const algo = ok(cancelAllRequest(form({ symbol: 'BTCUSDT' }), 'bob', state, true));
    for (const c of algo) applyOk(state, c.command);
    assert.equal(state.users['bob']!.orders.length, 0);
  });
});

describe('settings', () => {
  it('POST /fapi/v1/marginType CROSSED on a cross symbol: -4046 with the exact text ccxt swallows', () => {
    const state = funded();
    const req = ok(marginTypeRequest(form({ symbol: 'BTCUSDT', marginType: 'CROSSED' }), 'bob', state));
    const e = fromRejection(applyAny(state, req.command).rejection!, req.names);
    assert.deepEqual([e.code, e.msg], [-4046, 'No need to change margin type.']);
    assert.match(e.detail!, /^marginType: /);
    applyOk(state, ok(marginTypeRequest(form({ symbol: 'BTCUSDT', marginType: 'ISOLATED' }), 'bob', state)).command);
    assert.equal(state.users['bob']!.settings['BTCUSDT']!.marginMode, 'isolated');
  });

  it('POST /fapi/v1/leverage 10 applies; 0 and 126 are -4028; 200x on the market is the engine\'s -4028 too', () => {
    const state = funded();
    applyOk(state, ok(leverageRequest(form({ symbol: 'BTCUSDT', leverage: '10' }), 'bob', state)).command);
    assert.equal(state.users['bob']!.settings['BTCUSDT']!.leverage, 10);
    assert.equal(refused(leverageRequest(form({ symbol: 'BTCUSDT', leverage: '0' }), 'bob', state)).code, -4028);
    assert.equal(refused(leverageRequest(form({ symbol: 'BTCUSDT', leverage: '126' }), 'bob', state)).msg, 'Invalid leverage');
    // SOLUSDT's bracket 1 allows 100x: 101 passes the request's 1..125 and the engine refuses it
    const sol = ok(leverageRequest(form({ symbol: 'SOLUSDT', leverage: '101' }), 'bob', state));
    assert.equal(fromRejection(applyAny(state, sol.command).rejection!, sol.names).code, -4028);
  });

  it('POST /fapi/v1/positionSide/dual true then true: -4059 "No need to change position side."', () => {
    const state = funded();
    const req = ok(positionModeRequest(form({ dualSidePosition: 'true' }), 'bob'));
    applyOk(state, req.command);
    const e = fromRejection(applyAny(state, req.command).rejection!, req.names);
    assert.deepEqual([e.code, e.msg], [-4059, 'No need to change position side.']);
    assert.match(e.detail!, /^dualSidePosition: /);
  });

  it('POST /fapi/v1/positionMargin type=1 on a cross position is -4049; type=3 is -1130', () => {
    const state = funded();
    given(state, [{ op: 'order', account: 'bob', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' }]);
    const req = ok(positionMarginRequest(form({ symbol: 'BTCUSDT', amount: '10', type: '1' }), 'bob', state));
    assert.equal(req.command.op, 'addMargin');
    assert.equal(fromRejection(applyAny(state, req.command).rejection!).code, -4049);
    assert.equal(refused(positionMarginRequest(form({ symbol: 'BTCUSDT', amount: '10', type: '3' }), 'bob', state)).code, -1130);
  });
});
