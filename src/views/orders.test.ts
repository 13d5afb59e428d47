// Orders and trades in Binance's REST shapes, checked against the examples of Binance's documentation
// (USDⓈ-M "Account Trade List" and "Query Order" response examples) and against the fields
// ../shared/reference/binance-api-clients.md says real clients read.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../domain/fixed.ts';
import { keptOrders } from '../engine/history.ts';
import { parseJournal, runJournal } from '../engine/journal.ts';
import { accountOrdersJson, orderJson } from './orders.ts';

const run = (setup: Record<string, unknown>, ops: Record<string, unknown>[]) => {
  const r = runJournal(parseJournal({ setup, ops }));
  return accountOrdersJson(r.state, 'main');
};
/** Binance pads decimals ("0.40", "0.00000"); the view prints exact values trimmed: compare as numbers. */
const sameNumber = (ours: string, binance: string) => assert.equal(parseFixed(ours), parseFixed(binance), `${ours} vs ${binance}`);

// GET /fapi/v1/userTrades, Binance's response example (developers.binance.com, USDⓈ-M "Account Trade List")
const BINANCE_TRADE = {
  buyer: false, commission: '-0.07819010', commissionAsset: 'USDT', id: 698759, maker: false, orderId: 25851813, price: '7819.01',
  qty: '0.002', quoteQty: '15.63802', realizedPnl: '-0.91539999', side: 'SELL', positionSide: 'SHORT', symbol: 'BTCUSDT', time: 1569514978020,
};
// GET /fapi/v1/order, Binance's response example (a resting order), without the trailing-stop-only fields
const BINANCE_ORDER = {
  avgPrice: '0.00000', clientOrderId: 'abc', cumQuote: '0', executedQty: '0', orderId: 1917641, origQty: '0.40', origType: 'LIMIT', price: '9300',
  reduceOnly: false, side: 'BUY', positionSide: 'SHORT', status: 'NEW', stopPrice: '0', closePosition: false, symbol: 'BTCUSDT', time: 1579276756075,
  timeInForce: 'GTC', type: 'LIMIT', updateTime: 1579276756075, workingType: 'MARK_PRICE', priceProtect: false, priceMatch: 'NONE', selfTradePreventionMode: 'NONE', goodTillDate: 0,
};

describe('a trade as Binance userTrades reports it', () => {
  it("the documentation's example trade: SELL 0.002 BTCUSDT SHORT at 7,819.01, quoteQty 15.63802, Binance's field names exactly", () => {
    const { trades } = run({ exchange: 'binance-usdm', fees: { taker: '0.0005', maker: '0.0002' } }, [
      { op: 'deposit', asset: 'USDT', amount: '1000' },
      { op: 'setPositionMode', mode: 'hedge' },
      { op: 'mark', symbol: 'BTCUSDT', price: '7819.01' },
      { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.002', positionSide: 'SHORT' },
    ]);
    const t = trades[0]!;
    assert.deepEqual(Object.keys(t).sort(), Object.keys(BINANCE_TRADE).sort());
    for (const key of ['symbol', 'side', 'positionSide', 'buyer', 'maker', 'commissionAsset', 'price', 'qty', 'quoteQty'] as const) assert.equal(t[key], BINANCE_TRADE[key], key);
    // the taker fee here is 0.05 % of 15.63802 (the example's account paid another rate)
    assert.equal(t.commission, '0.00781901');
    assert.equal(t.realizedPnl, '0');
    assert.deepEqual([t.id, t.time], [1, 0]);
  });
});

describe('an order as Binance GET /fapi/v1/order reports it', () => {
  it("the documentation's example order, resting: NEW, price 9300, origQty 0.40, nothing executed; every field it lists", () => {
    const { openOrders, orders } = run({ exchange: 'binance-usdm', fees: { taker: '0', maker: '0' } }, [
      { op: 'deposit', asset: 'USDT', amount: '1000' },
      { op: 'setPositionMode', mode: 'hedge' },
      { op: 'mark', symbol: 'BTCUSDT', price: '9400' },
      // the example buys back a SHORT: open one first
      { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.4', positionSide: 'SHORT' },
      { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.4', price: '9300', positionSide: 'SHORT', clientOrderId: 'abc' },
    ]);
    assert.deepEqual(orders.at(-1), openOrders[0]);
    const o = openOrders[0]!;
    assert.deepEqual(Object.keys(o).sort(), Object.keys(BINANCE_ORDER).sort());
    for (const key of ['clientOrderId', 'origType', 'price', 'reduceOnly', 'side', 'positionSide', 'status', 'closePosition', 'symbol', 'timeInForce', 'type', 'workingType'] as const) {
      assert.equal(o[key], BINANCE_ORDER[key], key);
    }
    for (const key of ['avgPrice', 'cumQuote', 'executedQty', 'origQty', 'stopPrice'] as const) sameNumber(o[key]!, BINANCE_ORDER[key]);
  });

  it('holds every order field ccxt reads (binance-api-clients.md §1): orderId … updateTime', () => {
    const o = run({ exchange: 'binance-usdm' }, [
      { op: 'deposit', asset: 'USDT', amount: '1000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.002' },
    ]).orders[0]!;
    const ccxtReads = 'orderId, symbol, status, clientOrderId, price, avgPrice, origQty, executedQty, cumQuote, timeInForce, type, reduceOnly, side, positionSide, stopPrice, updateTime, time';
    for (const field of ccxtReads.split(', ')) assert.ok(field in o, field);
    // a market order comes back FILLED with avgPrice, executedQty and cumQuote (ccxt's newOrderRespType=RESULT)
    assert.deepEqual([o.status, o.type, o.price, o.avgPrice, o.executedQty, o.cumQuote, o.clientOrderId], ['FILLED', 'MARKET', '0', '50000', '0.002', '100', 'pg-1']);
  });

  it('COIN-M: cumBase and pair instead of cumQuote (100 contracts at 50,000: 0.2 BTC); the trade gives baseQty and marginAsset', () => {
    const { orders, trades } = run(
      { exchange: 'binance-coinm', fees: { taker: '0.0005', maker: '0.0001' }, markets: { BTCUSD_PERP: { brackets: [{ floor: '0', cap: '5', maintenanceMarginRate: '0.004', maxLeverage: 125 }] } } },
      [
        { op: 'deposit', asset: 'BTC', amount: '0.05' },
        { op: 'mark', symbol: 'BTCUSD_PERP', price: '50000' },
        { op: 'setLeverage', symbol: 'BTCUSD_PERP', leverage: 10 },
        { op: 'order', symbol: 'BTCUSD_PERP', side: 'buy', type: 'market', quantity: '100' },
      ],
    );
    const o = orders[0]!;
    assert.ok(!('cumQuote' in o));
    assert.deepEqual([o.pair, o.cumBase, o.executedQty, o.avgPrice], ['BTCUSD', '0.2', '100', '50000']);
    const t = trades[0]!;
    assert.deepEqual([t.pair, t.baseQty, t.marginAsset, t.commission, t.commissionAsset], ['BTCUSD', '0.2', 'BTC', '0.0001', 'BTC']);
    assert.ok(!('quoteQty' in t));
  });

  it('stop orders: STOP_MARKET with its stopPrice; a liquidation close is LIMIT IOC named autoclose-', () => {
    const r = runJournal(
      parseJournal({
        setup: { exchange: 'binance-usdm', fees: { taker: '0', maker: '0' } },
        ops: [
          { op: 'deposit', asset: 'USDT', amount: '1000' },
          { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
          { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
          { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
          { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.02' },
          { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: '0.02', stopPrice: '40000', clientOrderId: 'late-stop' },
          { op: 'mark', symbol: 'BTCUSDT', price: '45000' },
        ],
      }),
    );
    const { orders } = accountOrdersJson(r.state, 'main');
    const stop = orders.find((o) => o.clientOrderId === 'late-stop')!;
    assert.deepEqual([stop.type, stop.stopPrice, stop.status], ['STOP_MARKET', '40000', 'CANCELED']);
    const liquidation = orders.find((o) => o.clientOrderId.startsWith('autoclose-'))!;
    assert.deepEqual([liquidation.type, liquidation.timeInForce, liquidation.side, liquidation.status, liquidation.executedQty, liquidation.avgPrice, liquidation.reduceOnly], [
      'LIMIT', 'IOC', 'SELL', 'FILLED', '0.02', '45000', true,
    ]);
    assert.equal(orderJson(keptOrders(r.state, 'main').at(-1)!, 'linear').orderId, liquidation.orderId);
  });
});
