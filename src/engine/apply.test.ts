// The engine's rules, one worked example each: every rejection code reachable, with the exchange's code and
// a message naming the field, and hand-computed balances for fees, funding, margin moves and leverage.
// Liquidations and the issue-9 measurements are in liquidation.test.ts.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { formatFixed } from '../domain/fixed.ts';
import { REJECTIONS } from './codes.ts';
import { buy, eventOf, rejectionOf, run, start, type Op } from './test-support.ts';

describe('every rejection code is reachable, with a message naming the field', () => {
  const cases: [keyof typeof REJECTIONS, Op[], string][] = [
    ['MALFORMED', [{ op: 'deposit', asset: 'USDT', amount: 12 }], 'amount'],
    ['PRECISION', [...start, buy('0.0001')], 'quantity'],
    ['UNKNOWN_ORDER', [...start, { op: 'cancel', symbol: 'BTCUSDT', clientOrderId: 'nope' }], 'clientOrderId'],
    ['MARGIN_INSUFFICIENT', [...start, { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 }, buy('0.3')], 'quantity'],
    ['WOULD_TRIGGER_IMMEDIATELY', [...start, { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: '0.01', stopPrice: '51000' }], 'stopPrice'],
    ['REDUCE_ONLY_REJECTED', [...start, buy('0.01', { reduceOnly: true })], 'reduceOnly'],
    ['MAX_LEVERAGE_RATIO', [{ op: 'deposit', asset: 'USDT', amount: '100000' }, ...start.slice(1), { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 125 }, buy('1.1')], 'quantity'],
    ['MIN_LEVERAGE_RATIO', [...start, { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 50 }, buy('0.9'), { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 2 }], 'leverage'],
    ['QUANTITY_NOT_POSITIVE', [...start, buy('0')], 'quantity'],
    ['PRICE_TICK', [...start, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '49000.05' }], 'price'],
    ['INVALID_LEVERAGE', [...start, { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 126 }], 'leverage'],
    ['NO_NEED_TO_CHANGE_MARGIN_TYPE', [...start, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'cross' }], 'mode'],
    ['MARGIN_TYPE_OPEN_ORDERS', [...start, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000' }, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }], 'mode'],
    ['MARGIN_TYPE_POSITION', [...start, buy('0.01'), { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }], 'mode'],
    ['ADD_MARGIN_ISOLATED_ONLY', [...start, buy('0.01'), { op: 'addMargin', symbol: 'BTCUSDT', amount: '10' }], 'symbol'],
    ['CROSS_BALANCE_INSUFFICIENT', [...start, { op: 'withdraw', asset: 'USDT', amount: '1000.01' }], 'amount'],
    ['ISOLATED_BALANCE_INSUFFICIENT', [...start, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }, { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 }, buy('0.02'), { op: 'reduceMargin', symbol: 'BTCUSDT', amount: '1' }], 'amount'],
    ['NO_POSITION_FOR_MARGIN', [...start, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }, { op: 'addMargin', symbol: 'BTCUSDT', amount: '10' }], 'symbol'],
    ['NO_NEED_TO_CHANGE_POSITION_SIDE', [...start, { op: 'setPositionMode', mode: 'one-way' }], 'mode'],
    ['POSITION_SIDE_MISMATCH', [...start, buy('0.01', { positionSide: 'LONG' })], 'positionSide'],
    ['POSITION_MODE_OPEN_ORDERS', [...start, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000' }, { op: 'setPositionMode', mode: 'hedge' }], 'mode'],
    ['POSITION_MODE_POSITION', [...start, buy('0.01'), { op: 'setPositionMode', mode: 'hedge' }], 'mode'],
    ['ISOLATED_LEVERAGE_REDUCTION', [...start, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }, { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 }, buy('0.02'), { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 5 }], 'leverage'],
    ['POST_ONLY_REJECTED', [...start, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '50000', timeInForce: 'GTX' }], 'price'],
    ['NO_MARK_PRICE', [{ op: 'deposit', asset: 'USDT', amount: '1000' }, buy('0.01')], 'symbol'],
    ['DUPLICATE_CLIENT_ORDER_ID', [...start, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000', clientOrderId: 'x' }, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000', clientOrderId: 'x' }], 'clientOrderId'],
  ];
  it('the list covers every code', () => assert.deepEqual(new Set(cases.map((c) => c[0])), new Set(Object.keys(REJECTIONS))));
  for (const [key, ops, field] of cases) {
    it(`${REJECTIONS[key].code} ${key}`, () => {
      const r = rejectionOf(ops);
      assert.equal(r.code, REJECTIONS[key].code, r.message);
      assert.equal(r.field, field);
      assert.match(r.message, new RegExp(`${field}: `));
    });
  }
  it('a rejected command changes nothing: the state before and after are deep-equal', () => {
    const before = run([...start, buy('0.01')]);
    const after = run([...start, buy('0.01'), buy('5')]);
    assert.equal(after.events[after.events.length - 1]!.type, 'rejected');
    assert.ok(isDeepStrictEqual(before.state, after.state));
  });
});


describe('fills, fees and isolated margin (Binance fee FAQ 360033544231; margin FAQ 360038447311)', () => {
  it('BN-FEE-1 through the engine: buy 1 BTC at 10,104 as a taker pays 5.052 USDT into fee income', () => {
    const { view } = run(
      [{ op: 'deposit', asset: 'USDT', amount: '20000' }, { op: 'mark', symbol: 'BTCUSDT', price: '10104' }, buy('1')],
      { fees: { taker: '0.0005', maker: '0.0002' } },
    );
    assert.equal(view.feeIncome, '5.052');
    assert.equal(view.walletBalance, '19994.948');
  });
  it('a resting limit fills as a maker when the mark crosses it (BN-FEE-2: sell 1 at 11,104 pays 2.2208)', () => {
    const { view, events } = run(
      [
        { op: 'deposit', asset: 'USDT', amount: '20000' },
        { op: 'mark', symbol: 'BTCUSDT', price: '10104' },
        buy('1'),
        { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'limit', quantity: '1', price: '11104' },
        { op: 'mark', symbol: 'BTCUSDT', price: '11200' },
      ],
      { fees: { taker: '0.0005', maker: '0.0002' } },
    );
    assert.equal(view.positions.length, 0);
    assert.equal(view.feeIncome, '7.2728'); // 5.052 + 2.2208
    // 20,000 - 5.052 + 1,000 realized (sold at the limit 11,104, not the mark) - 2.2208
    assert.equal(view.walletBalance, '20992.7272');
    assert.equal(events.filter((e) => e.type === 'fill').length, 2);
  });
  it('isolated: IM moves to the position wallet; a partial close releases it in proportion; added margin moves the LP', () => {
    const { view } = run([
      ...start,
      { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
      { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
      buy('0.02'),
      { op: 'addMargin', symbol: 'BTCUSDT', amount: '50' },
      { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.01' },
    ]);
    // 100 IM + 50 added = 150; closing half releases 75 to the cross wallet: 1000 - 100 - 50 + 75 = 925
    assert.equal(view.walletBalance, '925');
    assert.equal(view.positions[0]!.isolatedMargin, '75');
    // LP of 0.01 BTC with 75 USDT: (75 - 0.01 x 50,000) / (0.01 x 0.004 - 0.01) = 42,670.68...
    assert.equal(view.positions[0]!.liquidationPrice!.slice(0, 11), '42670.68273');
  });
  it('funding: a long of 2 BTC at mark 30,000 pays 6 USDT at +0.01 % (BN-FR-3); isolated funding comes out of the position wallet', () => {
    const { view, events } = run([
      { op: 'deposit', asset: 'USDT', amount: '10000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '30000' },
      { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
      { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
      buy('2'),
      { op: 'funding', symbol: 'BTCUSDT', rate: '0.0001' },
    ]);
    const funding = eventOf(events, 'funding');
    assert.equal(formatFixed(funding.payment), '6');
    assert.equal(view.positions[0]!.isolatedMargin, '5994');
    assert.equal(view.fundingCounterparty, '6');
  });
});


describe('fractional leverage where the venue allows it (Bybit and OKX: 0.01 steps; Binance, Hyperliquid: whole)', () => {
  const ops = (leverage: number): Op[] => [
    { op: 'deposit', asset: 'USDT', amount: '10000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
    { op: 'setLeverage', symbol: 'BTCUSDT', leverage },
    buy('0.1'),
  ];
  it('Bybit 2.5x isolated: IM = 5,000 / 2.5 = 2,000 exactly; 12.34x: 5,000 / 12.34 = 405.186385737439222042139... rounded up to 18 decimals', () => {
    assert.equal(run(ops(2.5), { exchange: 'bybit-linear' }).view.positions[0]!.isolatedMargin, '2000');
    assert.equal(run(ops(12.34), { exchange: 'bybit-linear' }).view.positions[0]!.isolatedMargin, '405.186385737439222043');
  });
  it('a leverage off the venue step is refused (-4028, leverage): 2.5x on Binance, 2.555x on Bybit', () => {
    assert.equal(rejectionOf(ops(2.5).slice(0, 4)).code, REJECTIONS.INVALID_LEVERAGE.code);
    const r = rejectionOf(ops(2.555).slice(0, 4), { exchange: 'bybit-linear' });
    assert.equal(r.code, REJECTIONS.INVALID_LEVERAGE.code);
    assert.equal(r.field, 'leverage');
  });
});
