// Order, algo order and trade responses from orders placed through the protocol layer, with the fields
// ../shared/reference/binance-api-clients.md §1 says ccxt reads.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isBinanceError } from './errors.ts';
import { algoOrderRequest, newOrderRequest } from './order-request.ts';
import {
  algoCanceledJson,
  allAlgoOrdersJson,
  allOrdersJson,
  newAlgoOrderResponse,
  newOrderResponse,
  newOrderResponseJson,
  viewResponse,
  openAlgoOrdersJson,
  openOrderJson,
  openOrdersJson,
  placedOrder,
  queryAlgoOrderJson,
  queryOrderJson,
  userTradesJson,
} from './order-responses.ts';
import { applyOk, form, given, ok, venue } from './binance-test-support.ts';

const CCXT_ORDER_FIELDS = ['orderId', 'symbol', 'status', 'clientOrderId', 'price', 'avgPrice', 'origQty', 'executedQty', 'cumQuote', 'timeInForce', 'type', 'reduceOnly', 'side', 'positionSide', 'stopPrice', 'updateTime'];
const CCXT_ALGO_FIELDS = ['algoId', 'clientAlgoId', 'orderType', 'symbol', 'side', 'positionSide', 'timeInForce', 'quantity', 'algoStatus', 'triggerPrice', 'price', 'reduceOnly', 'createTime', 'updateTime'];

function place(state: ReturnType<typeof venue>, params: Record<string, string>, algo = false) {
  const req = ok((algo ? algoOrderRequest : newOrderRequest)(form(params), 'dana', state));
  const orderId = state.nextOrderId;
  applyOk(state, req.command);
  return { record: placedOrder(state, 'dana', req.command.symbol, orderId)!, respType: req.respType };
}

const funded = () => {
  const state = venue();
  given(state, [
    { op: 'deposit', account: 'dana', asset: 'USDT', amount: '10000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '60000' },
  ]);
  return state;
};

describe('POST /fapi/v1/order responses', () => {
  it('RESULT: a market buy comes back FILLED with avgPrice, executedQty, cumQty and cumQuote (0.05 x 60,000 = 3,000)', () => {
    const state = funded();
    const { record, respType } = place(state, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05', newOrderRespType: 'RESULT' });
    const r = newOrderResponse(record, respType);
    for (const field of CCXT_ORDER_FIELDS) assert.ok(field in r, field);
    assert.ok(!('time' in r));
    assert.deepEqual([r.status, r.avgPrice, r.executedQty, r.cumQty, r.cumQuote, r.type, r.side, r.positionSide], ['FILLED', '60000', '0.05', '0.05', '3000', 'MARKET', 'BUY', 'BOTH']);
  });

  it('ACK (the default): the order as accepted, NEW with nothing executed, even though it filled', () => {
    const state = funded();
    const { record, respType } = place(state, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05' });
    assert.equal(respType, 'ACK');
    const r = newOrderResponse(record, respType);
    assert.deepEqual([r.status, r.executedQty, r.cumQuote, r.avgPrice, r.updateTime], ['NEW', '0', '0', '0', record.time]);
    const now = queryOrderJson(state, 'dana', 'BTCUSDT', { orderId: r.orderId });
    assert.ok(!isBinanceError(now) && now.status === 'FILLED');
  });

  it('the linear response built in one literal is the view\'s orderJson without time, plus cumQty: same fields, same order, same values (ACK and RESULT; market, limit, reduce-only, client id)', () => {
    const state = funded();
    const orders: Record<string, string>[] = [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05', newOrderRespType: 'RESULT' },
      { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.02', reduceOnly: 'true' },
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '55000.5', timeInForce: 'GTC', newClientOrderId: 'rest-9', newOrderRespType: 'RESULT' },
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '61000', timeInForce: 'IOC' },
    ];
    for (const params of orders) {
      const { record } = place(state, params);
      for (const respType of ['ACK', 'RESULT'] as const) {
        const fast = newOrderResponse(record, respType);
        const view = viewResponse(record, respType, 'linear');
        assert.deepEqual(Object.keys(fast), Object.keys(view));
        assert.equal(JSON.stringify(fast), JSON.stringify(view));
      }
    }
  });

  it('the response written as JSON text field by field is JSON.stringify of the response object, byte for byte (ACK and RESULT, both kinds, client ids JSON must escape)', () => {
    const state = funded();
    const orders: Record<string, string>[] = [
      { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05', newOrderRespType: 'RESULT' },
      { symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.02', reduceOnly: 'true', newClientOrderId: 'a.b:c/d_e-f' },
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '55000.5', timeInForce: 'GTC', newClientOrderId: 'rest-9', newOrderRespType: 'RESULT' },
      { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '61000', timeInForce: 'IOC' },
    ];
    const records = orders.map((params) => place(state, params).record);
    // ids no request can carry, as a hand-made record could: the slow path must agree too
    for (const clientOrderId of ['say "hi"', 'back\\slash', 'tab\there', 'café', '\u{1F600}', '\ud800 lone', '\u007f', '']) records.push({ ...records[0]!, clientOrderId });
    for (const record of records) {
      for (const respType of ['ACK', 'RESULT'] as const) {
        assert.equal(newOrderResponseJson(record, respType), JSON.stringify(newOrderResponse(record, respType)), `${record.clientOrderId} ${respType}`);
        assert.equal(newOrderResponseJson(record, respType, 'inverse'), JSON.stringify(newOrderResponse(record, respType, 'inverse')));
      }
    }
  });

  it('GET order / openOrders / allOrders / userTrades; an unknown id is -2013 "Order does not exist."', () => {
    const state = funded();
    place(state, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05' });
    const { record: resting } = place(state, { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '55000', timeInForce: 'GTC', newClientOrderId: 'rest-1' });
    place(state, { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.05', triggerPrice: '50000', reduceOnly: 'true' }, true);
    assert.deepEqual(openOrdersJson(state, 'dana', 'BTCUSDT').map((o) => o.clientOrderId), ['rest-1']);
    assert.deepEqual(allOrdersJson(state, 'dana', { symbol: 'BTCUSDT' }).map((o) => o.status), ['FILLED', 'NEW']);
    const query = queryOrderJson(state, 'dana', 'BTCUSDT', { clientOrderId: 'rest-1' });
    assert.ok(!isBinanceError(query) && query.orderId === resting.orderId && query.price === '55000');
    const open = openOrderJson(state, 'dana', 'BTCUSDT', { clientOrderId: 'rest-1' });
    assert.ok(!isBinanceError(open) && open.status === 'NEW');
    // the filled market order is kept but not open: GET openOrder answers -2013 for it
    const filled = openOrderJson(state, 'dana', 'BTCUSDT', { orderId: resting.orderId - 1 });
    assert.ok(isBinanceError(filled) && filled.code === -2013);
    const missing = queryOrderJson(state, 'dana', 'BTCUSDT', { orderId: 999 });
    assert.ok(isBinanceError(missing) && missing.code === -2013 && missing.msg === 'Order does not exist.');
    const [trade] = userTradesJson(state, 'dana', { symbol: 'BTCUSDT' });
    // taker fee 0.05 % of 3,000
    assert.deepEqual([trade!.price, trade!.qty, trade!.quoteQty, trade!.commission, trade!.commissionAsset, trade!.maker, trade!.side], ['60000', '0.05', '3000', '1.5', 'USDT', false, 'BUY']);
  });
});

describe('the Algo API', () => {
  it('a stop-loss: NEW with its triggerPrice; when the mark crosses it, FINISHED with the price it filled at', () => {
    const state = funded();
    place(state, { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05' });
    const { record, respType } = place(state, { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.05', triggerPrice: '58000', reduceOnly: 'true', clientAlgoId: 'sl-1', newOrderRespType: 'RESULT' }, true);
    const placed = newAlgoOrderResponse(record, respType);
    for (const field of CCXT_ALGO_FIELDS) assert.ok(field in placed, field);
    assert.deepEqual([placed.algoStatus, placed.orderType, placed.triggerPrice, placed.clientAlgoId, placed.reduceOnly, placed.triggerTime], ['NEW', 'STOP_MARKET', '58000', 'sl-1', true, 0]);
    assert.deepEqual(openAlgoOrdersJson(state, 'dana').map((o) => o.algoId), [record.orderId]);
    assert.deepEqual(openOrdersJson(state, 'dana'), []);
    given(state, [{ op: 'mark', symbol: 'BTCUSDT', price: '57950' }]);
    const done = queryAlgoOrderJson(state, 'dana', { clientAlgoId: 'sl-1' });
    assert.ok(!isBinanceError(done));
    assert.deepEqual([done.algoStatus, done.actualOrderId, done.actualPrice], ['FINISHED', String(record.orderId), '57950']);
    assert.ok(done.triggerTime > 0);
    assert.deepEqual(allAlgoOrdersJson(state, 'dana', { symbol: 'BTCUSDT' }).map((o) => o.algoStatus), ['FINISHED']);
    assert.equal(openAlgoOrdersJson(state, 'dana').length, 0);
    assert.deepEqual(algoCanceledJson(record), { algoId: record.orderId, clientAlgoId: 'sl-1', code: '200', msg: 'success' });
    const unknown = queryAlgoOrderJson(state, 'dana', { algoId: 12345 });
    assert.ok(isBinanceError(unknown) && unknown.code === -2013);
  });
});
