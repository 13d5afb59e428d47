// The order lifecycle as Binance reports it, the trades, the ids and times of the log, and the bounded,
// queryable history: every way an order ends, with its numbers.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatFixed } from '../domain/fixed.ts';
import { apply } from './apply.ts';
import { parseCommand, type Command } from './commands.ts';
import type { EngineEvent } from './events.ts';
import { historyProblems, keptOrders, keptTrades, openOrdersOf, orderOf, ordersOf, tradesOf, ORDERS_KEPT, TRADES_KEPT, WINDOW_MS, type OrderRecord, type Trade } from './history.ts';
import { parseJournal, runJournal, stateOfSetup } from './journal.ts';
import type { Transfer } from './ledger.ts';
import { cloneState, type EngineState } from './state.ts';
import { fuzzSeed } from '../testing/fuzz.ts';
import { DEEP_VENUES } from '../testing/workload-setup.ts';

type Op = Record<string, unknown>;
const f = formatFixed;

/** Applies operations one by one at the given times, keeping the log. */
function session(setup: Record<string, unknown> = {}) {
  let { state, transfers: seed } = stateOfSetup(parseJournal({ setup: { exchange: 'binance-usdm', fees: { taker: '0.0005', maker: '0.0002' }, ...setup }, ops: [] }).setup);
  const events: EngineEvent[] = [];
  const transfers: Transfer[] = [...seed];
  let op = 0;
  return {
    get state(): EngineState {
      return state;
    },
    events,
    transfers,
    at(time: number, raw: Op) {
      const parsed = parseCommand(raw);
      assert.ok('command' in parsed, JSON.stringify(raw));
      const result = apply(state, parsed.command, time, op++);
      state = result.state;
      events.push(...result.events);
      transfers.push(...result.transfers);
      assert.deepEqual(historyProblems(state), []);
      return result;
    },
  };
}

const order = (side: string, type: string, quantity: string | undefined, more: Op = {}): Op => ({ op: 'order', symbol: 'BTCUSDT', side, type, ...(quantity ? { quantity } : {}), ...more });
const T0 = 1_700_000_000_000;

function opened(setup?: Record<string, unknown>) {
  const s = session(setup);
  s.at(T0, { op: 'deposit', asset: 'USDT', amount: '1000' });
  s.at(T0, { op: 'mark', symbol: 'BTCUSDT', price: '50000' });
  return s;
}

function only<T>(list: readonly T[]): T {
  assert.equal(list.length, 1, `expected one, got ${list.length}`);
  return list[0]!;
}

function numbers(o: OrderRecord) {
  return { status: o.status, executedQty: f(o.executedQty), avgPrice: f(o.avgPrice), cumQuote: f(o.cumQuote), time: o.time, updateTime: o.updateTime };
}

function tradeNumbers(t: Trade) {
  return { price: f(t.price), qty: f(t.qty), quoteQty: f(t.quoteQty), realizedPnl: f(t.realizedPnl), commission: f(t.commission), maker: t.maker, buyer: t.buyer, time: t.time };
}

describe('order lifecycle: every way an order ends sets Binance status, executedQty, avgPrice, cumQuote, updateTime', () => {
  it('market order: FILLED at the mark; its trade pays the taker fee 500 x 0.05 % = 0.25', () => {
    const s = opened();
    s.at(T0 + 1000, order('buy', 'market', '0.01', { clientOrderId: 'm1' }));
    const o = orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'm1' })!;
    assert.deepEqual(numbers(o), { status: 'FILLED', executedQty: '0.01', avgPrice: '50000', cumQuote: '500', time: T0 + 1000, updateTime: T0 + 1000 });
    const t = only(tradesOf(s.state, 'main'));
    assert.deepEqual(tradeNumbers(t), { price: '50000', qty: '0.01', quoteQty: '500', realizedPnl: '0', commission: '0.25', maker: false, buyer: true, time: T0 + 1000 });
    assert.equal(t.orderId, o.orderId);
    assert.equal(t.commissionAsset, 'USDT');
  });

  it('resting limit: NEW while open, FILLED at its price (maker, 490 x 0.02 % = 0.098) when a later mark reaches it', () => {
    const s = opened();
    s.at(T0 + 1000, order('buy', 'limit', '0.01', { price: '49000', clientOrderId: 'l1' }));
    const open = only(openOrdersOf(s.state, 'main', 'BTCUSDT'));
    assert.deepEqual(numbers(open), { status: 'NEW', executedQty: '0', avgPrice: '0', cumQuote: '0', time: T0 + 1000, updateTime: T0 + 1000 });
    assert.equal(orderOf(s.state, 'main', 'BTCUSDT', { orderId: open.orderId })!.status, 'NEW');
    s.at(T0 + 5000, { op: 'mark', symbol: 'BTCUSDT', price: '48000' });
    assert.deepEqual(openOrdersOf(s.state, 'main'), []);
    assert.deepEqual(numbers(orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'l1' })!), {
      status: 'FILLED', executedQty: '0.01', avgPrice: '49000', cumQuote: '490', time: T0 + 1000, updateTime: T0 + 5000,
    });
    assert.deepEqual(tradeNumbers(only(tradesOf(s.state, 'main'))), { price: '49000', qty: '0.01', quoteQty: '490', realizedPnl: '0', commission: '0.098', maker: true, buyer: true, time: T0 + 5000 });
  });

  it('cancel: CANCELED, nothing executed, updateTime the cancel time', () => {
    const s = opened();
    s.at(T0 + 1000, order('sell', 'limit', '0.01', { price: '52000', clientOrderId: 'c1' }));
    s.at(T0 + 2000, { op: 'cancel', symbol: 'BTCUSDT', clientOrderId: 'c1' });
    assert.deepEqual(numbers(orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'c1' })!), {
      status: 'CANCELED', executedQty: '0', avgPrice: '0', cumQuote: '0', time: T0 + 1000, updateTime: T0 + 2000,
    });
    assert.deepEqual(tradesOf(s.state, 'main'), []);
  });

  for (const timeInForce of ['IOC', 'FOK'] as const) {
    it(`${timeInForce} limit away from the mark: EXPIRED at once, nothing executed`, () => {
      const s = opened();
      s.at(T0 + 1000, order('buy', 'limit', '0.01', { price: '49000', timeInForce, clientOrderId: 'x' }));
      assert.deepEqual(numbers(orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'x' })!), {
        status: 'EXPIRED', executedQty: '0', avgPrice: '0', cumQuote: '0', time: T0 + 1000, updateTime: T0 + 1000,
      });
    });
  }

  it('marketable limit: FILLED at the mark as a taker (a buy at 50,500 with the mark at 50,000 pays 50,000)', () => {
    const s = opened();
    s.at(T0 + 1000, order('buy', 'limit', '0.01', { price: '50500', clientOrderId: 'ml' }));
    assert.deepEqual(numbers(orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'ml' })!), {
      status: 'FILLED', executedQty: '0.01', avgPrice: '50000', cumQuote: '500', time: T0 + 1000, updateTime: T0 + 1000,
    });
  });

  it('post-only (GTX) that would take is refused (-5022): no record, no id taken', () => {
    const s = opened();
    const before = { o: s.state.nextOrderId, t: s.state.nextTradeId, x: s.state.nextTransferId };
    const r = s.at(T0 + 1000, order('buy', 'limit', '0.01', { price: '50500', timeInForce: 'GTX' }));
    assert.equal(r.rejection?.code, -5022);
    assert.deepEqual({ o: s.state.nextOrderId, t: s.state.nextTradeId, x: s.state.nextTransferId }, before);
    assert.deepEqual(ordersOf(s.state, 'main'), []);
  });

  it('reduce-only beyond the position: 0.01 of 0.02 trades (realized +10 at 51,000), the rest expires: EXPIRED, executedQty 0.01', () => {
    const s = opened({ fees: { taker: '0', maker: '0' } });
    s.at(T0 + 1000, order('buy', 'market', '0.01'));
    s.at(T0 + 2000, { op: 'mark', symbol: 'BTCUSDT', price: '51000' });
    s.at(T0 + 3000, order('sell', 'market', '0.02', { reduceOnly: true, clientOrderId: 'ro' }));
    const o = orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'ro' })!;
    assert.deepEqual(numbers(o), { status: 'EXPIRED', executedQty: '0.01', avgPrice: '51000', cumQuote: '510', time: T0 + 3000, updateTime: T0 + 3000 });
    assert.equal(f(o.quantity), '0.02');
    const t = tradesOf(s.state, 'main', { orderId: o.orderId });
    assert.deepEqual(tradeNumbers(only(t)), { price: '51000', qty: '0.01', quoteQty: '510', realizedPnl: '10', commission: '0', maker: false, buyer: false, time: T0 + 3000 });
  });

  it('stop triggered: the stop_market keeps its id, type and stopPrice and ends FILLED at the mark that triggered it (48,500)', () => {
    const s = opened({ fees: { taker: '0', maker: '0' } });
    s.at(T0 + 1000, order('buy', 'market', '0.01'));
    s.at(T0 + 2000, order('sell', 'stop_market', '0.01', { stopPrice: '49000', clientOrderId: 'sl' }));
    s.at(T0 + 3000, { op: 'mark', symbol: 'BTCUSDT', price: '48500' });
    const o = orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'sl' })!;
    assert.equal(o.type, 'stop_market');
    assert.equal(f(o.stopPrice!), '49000');
    assert.deepEqual(numbers(o), { status: 'FILLED', executedQty: '0.01', avgPrice: '48500', cumQuote: '485', time: T0 + 2000, updateTime: T0 + 3000 });
    assert.equal(f(only(tradesOf(s.state, 'main', { orderId: o.orderId })).realizedPnl), '-15');
  });

  it('closePosition stop: origQty 0, executedQty the position it closed (0.03), FILLED', () => {
    const s = opened({ fees: { taker: '0', maker: '0' } });
    s.at(T0 + 1000, order('buy', 'market', '0.03'));
    s.at(T0 + 2000, order('sell', 'take_profit_market', undefined, { stopPrice: '52000', closePosition: true, clientOrderId: 'tp' }));
    s.at(T0 + 3000, { op: 'mark', symbol: 'BTCUSDT', price: '52000' });
    const o = orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'tp' })!;
    assert.equal(f(o.quantity), '0');
    assert.deepEqual(numbers(o), { status: 'FILLED', executedQty: '0.03', avgPrice: '52000', cumQuote: '1560', time: T0 + 2000, updateTime: T0 + 3000 });
  });

  it('stop triggered when the account cannot take it (255 of margin needed, 100 left): EXPIRED, nothing executed', () => {
    const s = opened({ fees: { taker: '0', maker: '0' } });
    s.at(T0 + 1000, order('buy', 'stop_market', '0.1', { stopPrice: '51000', clientOrderId: 'st' }));
    s.at(T0 + 2000, { op: 'withdraw', asset: 'USDT', amount: '900' });
    s.at(T0 + 3000, { op: 'mark', symbol: 'BTCUSDT', price: '51000' });
    assert.deepEqual(numbers(orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'st' })!), {
      status: 'EXPIRED', executedQty: '0', avgPrice: '0', cumQuote: '0', time: T0 + 1000, updateTime: T0 + 3000,
    });
    assert.match((s.events.find((e) => e.type === 'orderExpired') as { reason: string }).reason, /needs 255 USDT/);
  });

  it('liquidation: the scope\'s open order CANCELED; the close is an autoclose- order, FILLED, with its trade (sell 0.02 at 45,000, realized -100)', () => {
    const s = opened({ fees: { taker: '0', maker: '0' } });
    s.at(T0, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' });
    s.at(T0, { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 });
    s.at(T0 + 1000, order('buy', 'market', '0.02'));
    s.at(T0 + 2000, order('sell', 'limit', '0.01', { price: '60000', clientOrderId: 'tp' }));
    s.at(T0 + 3000, { op: 'mark', symbol: 'BTCUSDT', price: '45000' });
    assert.equal(s.events.filter((e) => e.type === 'liquidation').length, 1);
    assert.equal(orderOf(s.state, 'main', 'BTCUSDT', { clientOrderId: 'tp' })!.status, 'CANCELED');
    const liquidation = ordersOf(s.state, 'main').filter((o) => o.liquidation);
    const o = only(liquidation);
    assert.equal(o.clientOrderId, `autoclose-${T0 + 3000}${String(o.orderId).padStart(6, '0')}`);
    assert.deepEqual([o.side, o.timeInForce, o.reduceOnly], ['sell', 'IOC', true]);
    assert.deepEqual(numbers(o), { status: 'FILLED', executedQty: '0.02', avgPrice: '45000', cumQuote: '900', time: T0 + 3000, updateTime: T0 + 3000 });
    assert.deepEqual(tradeNumbers(only(tradesOf(s.state, 'main', { orderId: o.orderId }))), {
      price: '45000', qty: '0.02', quoteQty: '900', realizedPnl: '-100', commission: '0', maker: false, buyer: false, time: T0 + 3000,
    });
  });

  it('inverse (COIN-M): cumQuote is the coin value, Binance\'s cumBase: 100 contracts x 100 USD / 50,000 = 0.2 BTC', () => {
    const s = session({
      exchange: 'binance-coinm',
      fees: { taker: '0.0005', maker: '0.0001' },
      markets: { BTCUSD_PERP: { brackets: [{ floor: '0', cap: '5', maintenanceMarginRate: '0.004', maxLeverage: 125 }] } },
    });
    s.at(T0, { op: 'deposit', asset: 'BTC', amount: '0.05' });
    s.at(T0, { op: 'mark', symbol: 'BTCUSD_PERP', price: '50000' });
    s.at(T0, { op: 'setLeverage', symbol: 'BTCUSD_PERP', leverage: 10 });
    s.at(T0 + 1000, { op: 'order', symbol: 'BTCUSD_PERP', side: 'buy', type: 'market', quantity: '100', clientOrderId: 'inv' });
    assert.deepEqual(numbers(orderOf(s.state, 'main', 'BTCUSD_PERP', { clientOrderId: 'inv' })!), {
      status: 'FILLED', executedQty: '100', avgPrice: '50000', cumQuote: '0.2', time: T0 + 1000, updateTime: T0 + 1000,
    });
    const t = only(tradesOf(s.state, 'main'));
    assert.deepEqual([f(t.quoteQty), f(t.commission), t.commissionAsset], ['0.2', '0.0001', 'BTC']);
  });
});

describe('ids and times of the log', () => {
  it('order, trade and transfer ids are unique and increasing across 200 applies; a refused command takes none', () => {
    const s = opened({ fees: { taker: '0.0005', maker: '0.0002' } });
    for (let i = 0; i < 100; i++) {
      s.at(T0 + 10 * i, order(i % 2 ? 'sell' : 'buy', 'market', '0.001'));
      const before = [s.state.nextOrderId, s.state.nextTradeId, s.state.nextTransferId];
      // a refused command: too much to buy at 20x with ~1,000 USDT
      assert.ok(s.at(T0 + 10 * i + 5, order('buy', 'market', '5')).rejection);
      assert.deepEqual([s.state.nextOrderId, s.state.nextTradeId, s.state.nextTransferId], before);
    }
    const seqs = s.transfers.map((t) => t.seq);
    assert.deepEqual(seqs, seqs.map((_, i) => i), 'transfer ids number the whole log 0, 1, 2, … with no gap');
    const trades = tradesOf(s.state, 'main', { limit: 1000, startTime: 0 });
    assert.deepEqual(trades.map((t) => t.id), trades.map((_, i) => i + 1));
    const orders = ordersOf(s.state, 'main', { limit: 1000, startTime: 0 });
    assert.deepEqual(orders.map((o) => o.orderId), orders.map((_, i) => i + 1));
    assert.equal(orders.length, 100);
  });

  it('every event and transfer carries its command\'s time; a rejection too', () => {
    const s = opened();
    s.at(T0 + 7000, order('buy', 'market', '0.01'));
    s.at(T0 + 8000, order('buy', 'market', '5'));
    const fill = s.events.find((e) => e.type === 'fill')!;
    assert.equal(fill.time, T0 + 7000);
    assert.equal(s.events.at(-1)!.type, 'rejected');
    assert.equal(s.events.at(-1)!.time, T0 + 8000);
    const fee = s.transfers.find((t) => t.reason === 'fee')!;
    assert.deepEqual([fee.time, f(fee.amount)], [T0 + 7000, '0.25']);
    assert.ok(s.events.every((e) => typeof e.time === 'number') && s.transfers.every((t) => typeof t.time === 'number'));
  });

  it('a journal op\'s `at` is its command time: the log of a running session replays to the same state, ids and times', () => {
    const s = opened();
    const ops: Op[] = [
      { op: 'deposit', asset: 'USDT', amount: '1000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      order('buy', 'limit', '0.01', { price: '49000' }),
      { op: 'mark', symbol: 'BTCUSDT', price: '48000' },
      order('sell', 'market', '0.01'),
    ];
    const times = [T0, T0, T0 + 60_000, T0 + 120_000, T0 + 180_000];
    const live = session();
    ops.forEach((op, i) => live.at(times[i]!, op));
    const replay = runJournal(parseJournal({ setup: { exchange: 'binance-usdm', fees: { taker: '0.0005', maker: '0.0002' } }, ops: ops.map((op, i) => ({ ...op, at: times[i] })) }));
    const plain = (x: unknown) => JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    assert.equal(plain(replay.state), plain(live.state));
    assert.equal(plain(replay.events), plain(live.events));
    assert.equal(plain(replay.transfers), plain(live.transfers));
    assert.deepEqual(tradesOf(replay.state, 'main').map((t) => t.time), [T0 + 120_000, T0 + 180_000]);
    assert.ok(s.state.time === T0, 'the other session is untouched');
  });

  it('an `at` before the state\'s time is refused (-1102, time); a malformed one names `at`', () => {
    const run = runJournal(parseJournal({ setup: { exchange: 'binance-usdm' }, ops: [{ op: 'deposit', asset: 'USDT', amount: '10', at: 5000 }, { op: 'deposit', asset: 'USDT', amount: '10', at: 4000 }, { op: 'deposit', asset: 'USDT', amount: '10', at: 1.5 }] }));
    const rejected = run.events.filter((e) => e.type === 'rejected') as Extract<EngineEvent, { type: 'rejected' }>[];
    assert.deepEqual(rejected.map((e) => [e.op, e.code, e.field, e.time]), [[1, -1102, 'time', 4000], [2, -1102, 'at', 5000]]);
    assert.throws(() => parseJournal({ ops: [{ op: 'deposit', asset: 'USDT', amount: '10', at: 'noon' }] }, { refuseMalformedOps: true }), /ops\[0\]\.at/);
  });

  it('a copy taken with cloneState is not changed by later commands on the original, nor by a branch from it (the copy shares the chunks, copied on write)', () => {
    const s = opened();
    for (let i = 0; i < 70; i++) s.at(T0 + i, order(i % 2 ? 'sell' : 'buy', 'market', '0.001'));
    const earlier = cloneState(s.state);
    const text = (state: EngineState) => JSON.stringify(state.history, (_k, v) => (typeof v === 'bigint' ? String(v) : v));
    const before = text(earlier);
    s.at(T0 + 100, order('buy', 'market', '0.001'));
    const branch = apply(cloneState(earlier), (parseCommand(order('sell', 'market', '0.002')) as { command: Command }).command, T0 + 100, 999).state;
    assert.equal(text(earlier), before);
    assert.equal(tradesOf(earlier, 'main').length, 70);
    assert.deepEqual(tradesOf(s.state, 'main').slice(-1).map((t) => [t.side, f(t.qty)]), [['buy', '0.001']]);
    assert.deepEqual(tradesOf(branch, 'main').slice(-1).map((t) => [t.side, f(t.qty)]), [['sell', '0.002']]);
    assert.equal(tradesOf(branch, 'main').length, 71);
  });
});

describe('the history is bounded and queryable', () => {
  it(`keeps the newest ${ORDERS_KEPT} finished orders and ${TRADES_KEPT} trades of an account, dropping the oldest`, () => {
    const s = opened({ fees: { taker: '0', maker: '0' } });
    const n = ORDERS_KEPT + 5;
    for (let i = 0; i < n; i++) s.at(T0 + i, order(i % 2 ? 'sell' : 'buy', 'market', '0.001'));
    const kept = { orders: keptOrders(s.state, 'main'), trades: keptTrades(s.state, 'main') };
    assert.equal(kept.orders.length, ORDERS_KEPT);
    assert.equal(kept.trades.length, TRADES_KEPT);
    assert.equal(kept.orders[0]!.orderId, 6);
    assert.equal(kept.trades.at(-1)!.id, n);
    // what is stored beyond the bound is less than one chunk
    const stored = s.state.history['main']!.trades.chunks.reduce((k, c) => k + c.length, 0);
    assert.ok(stored >= TRADES_KEPT && stored < TRADES_KEPT + 64, `${stored} stored`);
    // Binance's pages: the newest 500 by default, 1,000 at most, from an id forward
    assert.deepEqual(ordersOf(s.state, 'main').map((o) => o.orderId).slice(0, 2), [n - 499, n - 498]);
    assert.equal(ordersOf(s.state, 'main', { limit: 5000 }).length, 1000);
    assert.deepEqual(ordersOf(s.state, 'main', { orderId: 10, limit: 3 }).map((o) => o.orderId), [10, 11, 12]);
    assert.deepEqual(tradesOf(s.state, 'main', { fromId: 1003, limit: 10 }).map((t) => t.id), [1003, 1004, 1005]);
  });

  it('filters by symbol and by time; without a window, the last 7 days to the state\'s time', () => {
    const s = session({ fees: { taker: '0', maker: '0' } });
    s.at(T0, { op: 'deposit', asset: 'USDT', amount: '10000' });
    s.at(T0, { op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    s.at(T0, { op: 'mark', symbol: 'ETHUSDT', price: '3000' });
    s.at(T0 + 1000, order('buy', 'market', '0.01'));
    s.at(T0 + 2000, { op: 'order', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '0.1' });
    s.at(T0 + 3000, order('sell', 'market', '0.01'));
    assert.deepEqual(tradesOf(s.state, 'main', { symbol: 'BTCUSDT' }).map((t) => t.time), [T0 + 1000, T0 + 3000]);
    assert.deepEqual(tradesOf(s.state, 'main', { symbol: 'ETHUSDT' }).map((t) => f(t.quoteQty)), ['300']);
    assert.deepEqual(tradesOf(s.state, 'main', { startTime: T0 + 1500, endTime: T0 + 2500 }).map((t) => t.symbol), ['ETHUSDT']);
    assert.deepEqual(ordersOf(s.state, 'main', { symbol: 'BTCUSDT', startTime: T0 + 2000 }).map((o) => o.time), [T0 + 3000]);
    // 8 days later the default window holds nothing; an explicit window still finds them
    s.at(T0 + WINDOW_MS + 86_400_000, { op: 'mark', symbol: 'BTCUSDT', price: '50100' });
    assert.deepEqual(tradesOf(s.state, 'main'), []);
    assert.deepEqual(ordersOf(s.state, 'main'), []);
    assert.equal(tradesOf(s.state, 'main', { startTime: T0 }).length, 3);
    assert.deepEqual(ordersOf(s.state, 'nobody', { startTime: 0 }), []);
  });

  it('historyProblems finds an order whose executedQty disagrees with its trades', () => {
    const s = opened();
    s.at(T0 + 1000, order('buy', 'market', '0.01'));
    const h = s.state.history['main']!;
    const first = keptOrders(s.state, 'main')[0]!;
    const broken = { ...s.state, history: { main: { ...h, orders: { chunks: [[{ ...first, cumQuote: first.avgPrice as never }]] } } } };
    assert.match(historyProblems(broken).join('\n'), /cumQuote/);
  });
});

describe('the history agrees with the events on every vendored journal, regression and example', () => {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
  const files = [join(root, 'vectors', 'journals'), join(root, 'test', 'regressions'), join(root, 'examples')].flatMap((dir) =>
    readdirSync(dir).filter((name) => name.endsWith('.json')).map((name) => join(dir, name)),
  );
  it('has journals', () => assert.ok(files.length >= 9));
  for (const file of files) {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { ops?: unknown };
    if (!Array.isArray(json.ops)) continue;
    it(basename(file), () => {
      const run = runJournal(parseJournal(json));
      assert.deepEqual(historyProblems(run.state), []);
      const accounts = Object.keys(run.state.history);
      const trades = accounts.flatMap((a) => keptTrades(run.state, a));
      const liquidationOrders = accounts.flatMap((a) => keptOrders(run.state, a)).filter((o) => o.liquidation);
      // one trade per fill event, one autoclose order (and trade) per position a liquidation closed or cut
      assert.equal(trades.length - liquidationOrders.length, run.events.filter((e) => e.type === 'fill').length);
      assert.equal(liquidationOrders.length, run.events.filter((e) => e.type === 'liquidation' || e.type === 'partialLiquidation').length);
      // and every event and transfer of the run carries its time
      assert.ok(run.events.every((e) => Number.isSafeInteger(e.time)) && run.transfers.every((t) => Number.isSafeInteger(t.time)));
    });
  }
});

describe('the history after a random workload (the fuzz generator, two venues, 600 operations each)', () => {
  for (const [k, venue] of DEEP_VENUES.filter((v) => v.name === 'binance-usdm' || v.name.startsWith('binance-coinm')).entries()) {
    it(`${venue.name}: historyProblems finds nothing; one trade per filled or partly expired order`, () => {
      const result = fuzzSeed(20261201 + k, venue, 600);
      assert.equal(result.failure, undefined);
      assert.deepEqual(historyProblems(result.final), []);
      const accounts = Object.keys(result.final.history);
      const orders = accounts.flatMap((a) => keptOrders(result.final, a));
      const traded = orders.filter((o) => (o.executedQty as unknown as bigint) > 0n);
      assert.equal(accounts.reduce((n, a) => n + keptTrades(result.final, a).length, 0), traded.length);
      assert.ok(traded.length > 20, `${traded.length} orders traded`);
    });
  }
});
