// Modifying a resting limit order (Binance's PUT /fapi/v1/order): same id, client id, side and placement
// time; new price and quantity through placement's ladder; a new price across the mark trades at once at
// the mark; a refusal leaves the order as it was.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { keptOrders } from './history.ts';
import { DEFAULT_USER } from './state.ts';
import { rejectionOf, run, start, type Op } from './test-support.ts';

const rest: Op = { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.1', price: '49000', clientOrderId: 'mine' };
const modify = (more: Op): Op => ({ op: 'modify', symbol: 'BTCUSDT', orderId: 1, side: 'buy', quantity: '0.1', price: '48000', ...more });

describe('modify', () => {
  it('a resting limit order gets the new price and quantity under the same id, client id and time; its reservation follows', () => {
    const { state } = run([...start, rest, { op: 'mark', symbol: 'BTCUSDT', price: '50100' }, modify({ quantity: '0.2', price: '48000' })]);
    const [order] = state.users[DEFAULT_USER]!.orders;
    assert.deepEqual([order!.orderId, order!.clientOrderId, formatFixed(order!.price!), formatFixed(order!.quantity)], [1, 'mine', '48000', '0.2']);
    // initial margin at the default 20x: 0.2 x 48,000 / 20 = 480 (fees 0 in these tests)
    assert.equal(formatFixed(order!.reserved), '480');
    assert.equal(state.nextOrderId, 2);
  });

  it('a new price across the mark trades at once at the mark as a taker: FILLED under the same id', () => {
    const { state } = run([...start, rest, modify({ price: '51000' })]);
    assert.deepEqual(state.users[DEFAULT_USER]!.orders, []);
    const [record] = keptOrders(state, DEFAULT_USER);
    assert.deepEqual([record!.orderId, record!.status, formatFixed(record!.avgPrice), formatFixed(record!.executedQty)], [1, 'FILLED', '50000', '0.1']);
    assert.equal(formatFixed(state.users[DEFAULT_USER]!.positions['BTCUSDT/BOTH']!.size), '0.1');
  });

  it('refusals: an unknown order (-2011), another side, a price off the tick (-4014), more than the margin (-2019): the order stays as it was', () => {
    assert.equal(rejectionOf([...start, rest, modify({ orderId: 7 })]).code, -2011);
    assert.equal(rejectionOf([...start, rest, modify({ side: 'sell' })]).field, 'side');
    assert.equal(rejectionOf([...start, rest, modify({ price: '48000.05' })]).code, -4014);
    const ops = [...start, rest, modify({ quantity: '5' })];
    assert.equal(rejectionOf(ops).code, -2019);
    const [order] = run(ops).state.users[DEFAULT_USER]!.orders;
    assert.deepEqual([order!.orderId, formatFixed(order!.price!), formatFixed(order!.quantity), formatFixed(order!.reserved)], [1, '49000', '0.1', '245']);
  });

  it('a hedge-mode LONG order stays LONG; a post-only (GTX) order moved across the mark is refused (-5022) and rests as it was', () => {
    const hedge = [...start, { op: 'setPositionMode', mode: 'hedge' }, { ...rest, positionSide: 'LONG' }, modify({ price: '48500' })];
    const [order] = run(hedge).state.users[DEFAULT_USER]!.orders;
    assert.deepEqual([order!.positionSide, formatFixed(order!.price!)], ['LONG', '48500']);
    const postOnly = [...start, { ...rest, timeInForce: 'GTX' }, modify({ price: '50500' })];
    assert.equal(rejectionOf(postOnly).code, -5022);
    const [kept] = run(postOnly).state.users[DEFAULT_USER]!.orders;
    assert.deepEqual([kept!.timeInForce, formatFixed(kept!.price!)], ['GTX', '49000']);
  });
});
