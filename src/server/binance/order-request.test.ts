// Order requests as ccxt and the `binance` package send them (../shared/reference/binance-api-clients.md
// §1 endpoint table), translated to engine commands and applied; refusals with Binance's codes.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed } from '../../domain/fixed.ts';
import { keptTrades, orderOf } from '../../engine/history.ts';
import { algoOrderRequest, newOrderRequest } from './order-request.ts';
import { applyAny, applyOk, form, given, ok, refused, venue } from './binance-test-support.ts';
import { fromRejection } from './errors.ts';

const funded = (mark = '50000') => {
  const state = venue();
  given(state, [
    { op: 'deposit', account: 'alice', asset: 'USDT', amount: '10000' },
    { op: 'mark', symbol: 'BTCUSDT', price: mark },
  ]);
  return state;
};

describe('POST /fapi/v1/order', () => {
  it('ccxt createOrder market: symbol, side, newClientOrderId, newOrderRespType=RESULT, type, quantity -> a market buy that fills at the mark', () => {
    const state = funded();
    const req = ok(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', newClientOrderId: 'x-cvBPrNm9abcdefghijklmnopqrstuv', newOrderRespType: 'RESULT', type: 'MARKET', quantity: '0.01' }), 'alice', state));
    assert.equal(req.respType, 'RESULT');
    assert.deepEqual(req.command, {
      op: 'order', account: 'alice', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: parseFixed('0.01'), price: undefined, stopPrice: undefined,
      timeInForce: 'GTC', reduceOnly: false, closePosition: false, positionSide: undefined, clientOrderId: 'x-cvBPrNm9abcdefghijklmnopqrstuv',
    });
    const orderId = state.nextOrderId;
    applyOk(state, req.command);
    const order = orderOf(state, 'alice', 'BTCUSDT', { orderId })!;
    // 0.01 x 50,000 = 500 traded; taker fee 0.05 % = 0.25
    assert.deepEqual([order.status, formatFixed(order.executedQty), formatFixed(order.cumQuote), formatFixed(order.avgPrice)], ['FILLED', '0.01', '500', '50000']);
    assert.equal(formatFixed(keptTrades(state, 'alice')[0]!.commission), '0.25');
  });

  it('ccxt createOrder limit (timeInForce=GTC, price) and post-only (GTX) rest below the mark', () => {
    const state = funded();
    const limit = ok(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000.5', timeInForce: 'GTX' }), 'alice', state));
    assert.deepEqual([limit.command.type, formatFixed(limit.command.price!), limit.command.timeInForce, limit.respType], ['limit', '49000.5', 'GTX', 'ACK']);
    applyOk(state, limit.command);
    assert.equal(state.users['alice']!.orders.length, 1);
  });

  it('LIMIT without timeInForce or price is -1102 naming it; MARKET with a price is -1106', () => {
    const state = funded();
    const noTif = refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000' }), 'alice', state));
    assert.deepEqual([noTif.code, noTif.msg], [-1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."]);
    const noPrice = refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', timeInForce: 'GTC' }), 'alice', state));
    assert.equal(noPrice.msg, "Mandatory parameter 'price' was not sent, was empty/null, or malformed.");
    const marketPrice = refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', price: '1' }), 'alice', state));
    assert.deepEqual([marketPrice.code, marketPrice.msg], [-1106, "Parameter 'price' sent when not required."]);
  });

  it('enums: side "buy" -1117, type "STOPP" -1116, timeInForce "DAY" -1115, positionSide "UP" -4060, newOrderRespType "FULL" -1136', () => {
    const state = funded();
    const code = (extra: Record<string, string>) => refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '49000', timeInForce: 'GTC', ...extra }), 'alice', state)).code;
    assert.deepEqual([code({ side: 'buy' }), code({ type: 'STOPP' }), code({ timeInForce: 'DAY' }), code({ positionSide: 'UP' }), code({ newOrderRespType: 'FULL' })], [-1117, -1116, -1115, -4060, -1136]);
  });

  it('conditional types on /fapi/v1/order are -4120 (they moved to the Algo API); an unknown symbol is -1121', () => {
    const state = funded();
    const stop = refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', quantity: '0.01', stopPrice: '45000' }), 'alice', state));
    assert.deepEqual([stop.code, stop.msg], [-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.']);
    const symbol = refused(newOrderRequest(form({ symbol: 'DOGEUSDT', side: 'BUY', type: 'MARKET', quantity: '1' }), 'alice', state));
    assert.deepEqual([symbol.code, symbol.msg], [-1121, 'Invalid symbol.']);
  });

  it('MIN_NOTIONAL: BTCUSDT 0.001 at the 50,000 mark is 50 < 100: -4164 (reduce-only exempt)', () => {
    const state = funded();
    const small = refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.001' }), 'alice', state));
    assert.deepEqual([small.code, small.msg], [-4164, "Order's notional must be no smaller than 100 (unless you choose reduce only)"]);
    assert.equal(ok(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: '0.001', reduceOnly: 'true' }), 'alice', state)).command.reduceOnly, true);
    // exactly 100 passes: 0.002 x 50,000
    ok(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.002' }), 'alice', state));
  });

  it('hedge mode: reduceOnly with positionSide LONG/SHORT is -1106 (ccxt drops it there)', () => {
    const state = funded();
    const e = refused(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'SELL', positionSide: 'LONG', type: 'MARKET', quantity: '0.01', reduceOnly: 'true' }), 'alice', state));
    assert.deepEqual([e.code, e.msg], [-1106, "Parameter 'reduceOnly' sent when not required."]);
  });

  it("the engine's refusals come back as Binance's: -2019 margin, -4116 duplicate client id, -1102 for the engine's missing field renamed", () => {
    const state = funded();
    // 1 BTC at 50,000 and the default 20x needs 2,500 of IM and a 25 fee: fine; 5 BTC needs 12,500 > 10,000
    const big = ok(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '5' }), 'alice', state));
    const rejected = applyAny(state, big.command).rejection!;
    const e = fromRejection(rejected, big.names);
    assert.deepEqual([e.code, e.msg, e.status], [-2019, 'Margin is insufficient.', 400]);
    assert.match(e.detail!, /^quantity: /);
    const resting = ok(newOrderRequest(form({ symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', quantity: '0.01', price: '40000', timeInForce: 'GTC', newClientOrderId: 'mine' }), 'alice', state));
    applyOk(state, resting.command);
    const dup = fromRejection(applyAny(state, resting.command).rejection!, resting.names);
    assert.deepEqual([dup.code, dup.msg], [-4116, 'clientOrderId is duplicated']);
    assert.match(dup.detail!, /^newClientOrderId: mine is already an open order/);
  });
});

describe('POST /fapi/v1/algoOrder', () => {
  const ccxtStop = { algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', clientAlgoId: 'x-cvBPrNm9stop', newOrderRespType: 'RESULT', type: 'STOP_MARKET', quantity: '0.01', triggerPrice: '45000', reduceOnly: 'true' };

  it("ccxt's stop-loss (type STOP_MARKET, triggerPrice, reduceOnly) -> a resting stop_market with the client's algo id", () => {
    const state = funded();
    given(state, [{ op: 'order', account: 'alice', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' }]);
    const req = ok(algoOrderRequest(form(ccxtStop), 'alice', state));
    assert.deepEqual([req.command.type, formatFixed(req.command.stopPrice!), req.command.reduceOnly, req.command.clientOrderId], ['stop_market', '45000', true, 'x-cvBPrNm9stop']);
    applyOk(state, req.command);
    assert.equal(state.users['alice']!.orders[0]!.clientOrderId, 'x-cvBPrNm9stop');
  });

  it('closePosition=true without quantity; with a quantity -4137; a trigger already reached -2021 named triggerPrice', () => {
    const state = funded();
    given(state, [{ op: 'order', account: 'alice', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' }]);
    const close = ok(algoOrderRequest(form({ algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'TAKE_PROFIT_MARKET', triggerPrice: '60000', closePosition: 'true' }), 'alice', state));
    assert.deepEqual([close.command.closePosition, close.command.quantity], [true, undefined]);
    const both = refused(algoOrderRequest(form({ algoType: 'CONDITIONAL', symbol: 'BTCUSDT', side: 'SELL', type: 'STOP_MARKET', triggerPrice: '45000', closePosition: 'true', quantity: '0.01' }), 'alice', state));
    assert.deepEqual([both.code, both.msg], [-4137, 'Quantity must be zero with closePosition equals true']);
    const reached = ok(algoOrderRequest(form({ ...ccxtStop, triggerPrice: '55000' }), 'alice', state));
    const e = fromRejection(applyAny(state, reached.command).rejection!, reached.names);
    assert.deepEqual([e.code, e.msg], [-2021, 'Order would immediately trigger.']);
    assert.match(e.detail!, /^triggerPrice: 55000 is already reached/);
  });

  it('algoType other than CONDITIONAL -1130; limit and trailing stops -1116 (the engine has none); triggerPrice missing -1102', () => {
    const state = funded();
    assert.equal(refused(algoOrderRequest(form({ ...ccxtStop, algoType: 'TWAP' }), 'alice', state)).code, -1130);
    assert.equal(refused(algoOrderRequest(form({ ...ccxtStop, type: 'STOP', price: '44000' }), 'alice', state)).code, -1116);
    assert.equal(refused(algoOrderRequest(form({ ...ccxtStop, type: 'TRAILING_STOP_MARKET', callbackRate: '1' }), 'alice', state)).code, -1116);
    const { triggerPrice: _omit, ...noTrigger } = ccxtStop;
    assert.equal(refused(algoOrderRequest(form(noTrigger), 'alice', state)).msg, "Mandatory parameter 'triggerPrice' was not sent, was empty/null, or malformed.");
  });
});
