// The user data stream against the engine's own figures: positions built by applying commands
// (parseCommand + apply), then each message's numbers checked against the order record, the trade and the
// account view (../../views/account.ts), and by hand where the arithmetic is short. Fees are Binance
// USDⓈ-M's base tier (VIP 0: taker 0.05 %, maker 0.02 %, the engine's default for binance-usdm).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../../domain/fixed.ts';
import { apply } from '../../engine/apply.ts';
import { parseCommand } from '../../engine/commands.ts';
import { keptOrders, keptTrades } from '../../engine/history.ts';
import { initialState, type EngineState } from '../../engine/state.ts';
import { stateView } from '../../views/account.ts';
import { accountsOf, countersOf, userFrame, userStreamMessages } from './user-stream.ts';
import { listenKeyExpired } from './user-events.ts';
import type { AccountUpdate, AlgoUpdate, MarginCall, OrderTradeUpdate, UserStreamMessage } from './user-events.ts';

const T0 = 1_700_000_000_000;

/** An engine with a clock: each step is one command at the next second, and the messages for `viewer`. */
function venue() {
  const state: EngineState = initialState({ exchange: 'binance-usdm', time: T0 });
  let time = T0;
  const step = (raw: Record<string, unknown>, viewer = 'main'): UserStreamMessage[] => stepFor(raw, [viewer])[viewer]!;
  const stepFor = (raw: Record<string, unknown>, viewers: string[]): Record<string, UserStreamMessage[]> => {
    const parsed = parseCommand(raw);
    if ('rejection' in parsed) throw new Error(parsed.rejection.message);
    time += 1000;
    const before = countersOf(state);
    const result = apply(state, parsed.command, time);
    return Object.fromEntries(viewers.map((v) => [v, userStreamMessages(state, { command: parsed.command, result, before }, v)]));
  };
  return { state, step, stepFor, now: () => time };
}

const types = (messages: readonly UserStreamMessage[]) =>
  messages.map((m) => (m.e === 'ORDER_TRADE_UPDATE' ? `OTU ${m.o.x}/${m.o.X}` : m.e === 'ALGO_UPDATE' ? `ALGO ${m.o.X}` : m.e === 'ACCOUNT_UPDATE' ? `AU ${m.a.m}` : m.e));
const otu = (m: UserStreamMessage | undefined) => m as OrderTradeUpdate;
const au = (m: UserStreamMessage | undefined) => m as AccountUpdate;

describe('user stream: a market order (ORDER_TRADE_UPDATE NEW, TRADE, then ACCOUNT_UPDATE)', () => {
  it('reports the fill with the record\'s ap, z and the trade\'s fee, then the balance and position', () => {
    const v = venue();
    const deposit = v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    assert.deepEqual(types(deposit), ['AU DEPOSIT']);
    assert.deepEqual(au(deposit[0]).a, { m: 'DEPOSIT', B: [{ a: 'USDT', wb: '10000', cw: '10000', bc: '10000' }], P: [] });
    assert.deepEqual(v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' }), []);

    const messages = v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.1', clientOrderId: 'mine-1' });
    assert.deepEqual(types(messages), ['OTU NEW/NEW', 'OTU TRADE/FILLED', 'AU ORDER']);
    const record = keptOrders(v.state, 'main').at(-1)!;
    const trade = keptTrades(v.state, 'main').at(-1)!;
    const fill = otu(messages[1]).o;
    assert.equal(fill.ap, formatFixed(record.avgPrice));
    assert.equal(fill.z, formatFixed(record.executedQty));
    assert.equal(fill.n, formatFixed(trade.commission));
    // 0.1 x 50,000 x 0.05 % taker = 2.5 USDT
    assert.deepEqual(
      { s: fill.s, c: fill.c, S: fill.S, o: fill.o, q: fill.q, ap: fill.ap, z: fill.z, l: fill.l, L: fill.L, n: fill.n, N: fill.N, t: fill.t, i: fill.i, m: fill.m, ps: fill.ps, rp: fill.rp },
      { s: 'BTCUSDT', c: 'mine-1', S: 'BUY', o: 'MARKET', q: '0.1', ap: '50000', z: '0.1', l: '0.1', L: '50000', n: '2.5', N: 'USDT', t: trade.id, i: record.orderId, m: false, ps: 'BOTH', rp: '0' },
    );
    const created = otu(messages[0]).o;
    assert.deepEqual([created.z, created.ap, created.l, created.N, created.t], ['0', '0', '0', undefined, 0]);
    assert.equal(otu(messages[1]).T, v.now());
    assert.equal(otu(messages[1]).E, v.now());

    const update = au(messages[2]);
    assert.deepEqual(update.a.B, [{ a: 'USDT', wb: '9997.5', cw: '9997.5', bc: '0' }]);
    const view = stateView(v.state).positions[0]!;
    assert.deepEqual(update.a.P, [{ s: 'BTCUSDT', pa: '0.1', ep: view.entryPrice, bep: '50000', cr: '0', up: view.unrealizedPnl, mt: 'cross', iw: '0', ps: 'BOTH', ma: 'USDT' }]);
  });

  it('a short shows a negative pa; closing it shows pa "0" and the realized PnL in cr and rp', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    v.step({ op: 'mark', symbol: 'ETHUSDT', price: '2000' });
    const open = v.step({ op: 'order', symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: '2' });
    assert.equal(au(open[2]).a.P[0]!.pa, '-2');
    v.step({ op: 'mark', symbol: 'ETHUSDT', price: '1900' });
    const close = v.step({ op: 'order', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '2' });
    // short 2 ETH from 2,000 closed at 1,900: +200 realized
    assert.equal(otu(close[1]).o.rp, '200');
    assert.deepEqual(au(close[2]).a.P, [{ s: 'ETHUSDT', pa: '0', ep: '0', bep: '0', cr: '200', up: '0', mt: 'cross', iw: '0', ps: 'BOTH', ma: 'USDT' }]);
  });
});

describe('user stream: resting, canceled and expired orders (no ACCOUNT_UPDATE: nothing moved)', () => {
  it('a resting limit is NEW with its bid notional in b; a cancel is CANCELED', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    const placed = v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '49000', quantity: '0.1', clientOrderId: 'rest' });
    assert.deepEqual(types(placed), ['OTU NEW/NEW']);
    // 0.1 x 49,000
    assert.deepEqual([otu(placed[0]).o.b, otu(placed[0]).o.a, otu(placed[0]).o.p, otu(placed[0]).o.f], ['4900', '0', '49000', 'GTC']);
    const canceled = v.step({ op: 'cancel', symbol: 'BTCUSDT', clientOrderId: 'rest' });
    assert.deepEqual(types(canceled), ['OTU CANCELED/CANCELED']);
    assert.deepEqual([otu(canceled[0]).o.c, otu(canceled[0]).o.b], ['rest', '0']);
  });

  it('an IOC limit away from the mark: NEW then EXPIRED', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    assert.deepEqual(types(v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '49000', quantity: '0.1', timeInForce: 'IOC' })), ['OTU NEW/NEW', 'OTU EXPIRED/EXPIRED']);
  });

  it('a resting limit reached by a mark trades as maker (TRADE only: it was NEW before), then ACCOUNT_UPDATE', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '49000', quantity: '0.1' });
    const filled = v.step({ op: 'mark', symbol: 'BTCUSDT', price: '48900' });
    assert.deepEqual(types(filled), ['OTU TRADE/FILLED', 'AU ORDER']);
    // maker 0.02 % of 4,900 = 0.98
    assert.deepEqual([otu(filled[0]).o.m, otu(filled[0]).o.L, otu(filled[0]).o.n], [true, '49000', '0.98']);
  });

  it('a refused command sends nothing', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '100' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    assert.deepEqual(v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '1' }), []);
  });
});

describe('user stream: stop orders are algo orders (ALGO_UPDATE)', () => {
  it('NEW on placement; on the trigger TRIGGERING, the market order NEW, TRIGGERED, its TRADE, FINISHED', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.1' });
    const placed = v.step({ op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', stopPrice: '48000', quantity: '0.1', reduceOnly: true, clientOrderId: 'sl' });
    assert.deepEqual(types(placed), ['ALGO NEW']);
    const algo = (placed[0] as AlgoUpdate).o;
    assert.deepEqual([algo.caid, algo.o, algo.tp, algo.q, algo.R, algo.ai, algo.at], ['sl', 'STOP_MARKET', '48000', '0.1', true, '', 'CONDITIONAL']);

    const hit = v.step({ op: 'mark', symbol: 'BTCUSDT', price: '47900' });
    assert.deepEqual(types(hit), ['ALGO TRIGGERING', 'OTU NEW/NEW', 'ALGO TRIGGERED', 'OTU TRADE/FILLED', 'ALGO FINISHED', 'AU ORDER']);
    const trade = otu(hit[3]).o;
    // the stop trades at the mark that triggered it: (47,900 - 50,000) x 0.1 = -210
    assert.deepEqual([trade.o, trade.ot, trade.L, trade.rp, trade.c], ['MARKET', 'STOP_MARKET', '47900', '-210', 'sl']);
    const finished = (hit[4] as AlgoUpdate).o;
    assert.deepEqual([finished.ap, finished.aq, finished.ai], ['47900', '0.1', String(trade.i)]);
    assert.deepEqual(au(hit[5]).a.P[0]!.pa, '0');
  });

  it('a canceled stop is ALGO_UPDATE CANCELED', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '10000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'take_profit_market', stopPrice: '48000', quantity: '0.1', clientOrderId: 'tp' });
    assert.deepEqual(types(v.step({ op: 'cancel', symbol: 'BTCUSDT', clientOrderId: 'tp' })), ['ALGO CANCELED']);
  });
});

describe('user stream: isolated margin, funding, liquidation', () => {
  const isolatedLong = () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '1000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    v.step({ op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' });
    v.step({ op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 });
    v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.1' });
    return v;
  };

  it('a leverage change is ACCOUNT_CONFIG_UPDATE', () => {
    const v = venue();
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    assert.deepEqual(v.step({ op: 'setLeverage', symbol: 'BTCUSDT', leverage: 7 }), [{ e: 'ACCOUNT_CONFIG_UPDATE', E: v.now(), T: v.now(), ac: { s: 'BTCUSDT', l: 7 } }]);
  });

  it('a margin type change is ACCOUNT_UPDATE MARGIN_TYPE_CHANGE with the symbol in its new mode', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '1000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    assert.deepEqual(au(v.step({ op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' })[0]).a, {
      m: 'MARGIN_TYPE_CHANGE',
      B: [{ a: 'USDT', wb: '1000', cw: '1000', bc: '0' }],
      P: [{ s: 'BTCUSDT', pa: '0', ep: '0', bep: '0', cr: '0', up: '0', mt: 'isolated', iw: '0', ps: 'BOTH', ma: 'USDT' }],
    });
  });

  it('adding margin: MARGIN_TRANSFER with iw, ep and up as the engine figures them', () => {
    const v = isolatedLong();
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '48000' });
    const moved = v.step({ op: 'addMargin', symbol: 'BTCUSDT', amount: '100' });
    assert.deepEqual(types(moved), ['AU MARGIN_TRANSFER']);
    const view = stateView(v.state);
    const p = au(moved[0]).a.P[0]!;
    assert.deepEqual([p.iw, p.ep, p.up, p.mt], [view.positions[0]!.isolatedMargin, view.positions[0]!.entryPrice, view.positions[0]!.unrealizedPnl, 'isolated']);
    // 500 of margin at 10x on 5,000 notional, +100: 600; (48,000 - 50,000) x 0.1 = -200
    assert.deepEqual([p.iw, p.up], ['600', '-200']);
    // the wallet balance counts the isolated wallet: 1,000 - 2.5 fee; the cross wallet lost the 600
    assert.deepEqual(au(moved[0]).a.B, [{ a: 'USDT', wb: '997.5', cw: '397.5', bc: '0' }]);
  });

  it('funding on an isolated position: FUNDING_FEE with that position; on a cross one: balances only', () => {
    const v = isolatedLong();
    const isolated = v.step({ op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: T0 + 3_600_000 });
    // a long pays 0.01 % of 5,000 = 0.5 out of its isolated wallet
    assert.deepEqual(types(isolated), ['AU FUNDING_FEE']);
    assert.deepEqual([au(isolated[0]).a.P.length, au(isolated[0]).a.P[0]!.iw, au(isolated[0]).a.B[0]!.wb], [1, '499.5', '997']);

    const c = venue();
    c.step({ op: 'deposit', asset: 'USDT', amount: '1000' });
    c.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    c.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.1' });
    const cross = c.step({ op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: T0 + 3_600_000 });
    assert.deepEqual(au(cross[0]).a, { m: 'FUNDING_FEE', B: [{ a: 'USDT', wb: '997', cw: '997', bc: '0' }], P: [] });
  });

  it('a mark through the isolated liquidation price: NEW and CALCULATED, autoclose-, MARKET, then the position at 0', () => {
    const v = isolatedLong();
    const liquidationPrice = stateView(v.state).positions[0]!.liquidationPrice!;
    const messages = v.step({ op: 'mark', symbol: 'BTCUSDT', price: '45000' });
    assert.ok(Number(liquidationPrice) > 45000, `liquidation price ${liquidationPrice}`);
    assert.deepEqual(types(messages), ['OTU NEW/NEW', 'OTU CALCULATED/FILLED', 'AU ORDER']);
    const record = keptOrders(v.state, 'main').at(-1)!;
    const trade = keptTrades(v.state, 'main').at(-1)!;
    const o = otu(messages[1]).o;
    assert.ok(o.c.startsWith('autoclose-'), o.c);
    assert.equal(otu(messages[0]).o.c, o.c);
    assert.deepEqual([o.o, o.S, o.x, o.X, o.R, o.z, o.ap, o.l, o.t, o.rp], ['MARKET', 'SELL', 'CALCULATED', 'FILLED', true, '0.1', formatFixed(record.avgPrice), '0.1', trade.id, formatFixed(trade.realizedPnl)]);
    // closed at the mark 45,000: (45,000 - 50,000) x 0.1 = -500, the position's whole margin
    assert.deepEqual([o.ap, o.rp], ['45000', '-500']);
    const update = au(messages[2]);
    assert.deepEqual([update.a.m, update.a.P[0]!.pa, update.a.P[0]!.iw], ['ORDER', '0', '0']);
    assert.equal(update.a.B[0]!.cw, stateView(v.state).walletBalance);
  });

  it('a cross margin call: MARGIN_CALL with the cross wallet and the maintenance margin the engine figures', () => {
    const v = venue();
    v.step({ op: 'deposit', asset: 'USDT', amount: '1000' });
    v.step({ op: 'mark', symbol: 'BTCUSDT', price: '50000' });
    v.step({ op: 'setLeverage', symbol: 'BTCUSDT', leverage: 20 });
    v.step({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.3' });
    // wallet 1,000 - 7.5 fee = 992.5; at 46,900 uPnL is 0.3 x -3,100 = -930: margin balance 62.5, MM
    // 0.4 % x 14,070 = 56.28, a margin ratio of 90 %: above the 80 % call level, below liquidation
    const messages = v.step({ op: 'mark', symbol: 'BTCUSDT', price: '46900' });
    assert.deepEqual(types(messages), ['MARGIN_CALL']);
    const call = messages[0] as MarginCall;
    const view = stateView(v.state).positions[0]!;
    assert.deepEqual(call, {
      e: 'MARGIN_CALL',
      E: v.now(),
      cw: '992.5',
      p: [{ s: 'BTCUSDT', ps: 'BOTH', pa: '0.3', mt: 'CROSSED', iw: '0', mp: '46900', up: view.unrealizedPnl, mm: view.maintenanceMargin }],
    });
    assert.deepEqual([view.unrealizedPnl, view.maintenanceMargin], ['-930', '56.28']);
  });
});

describe('user stream: one account never sees another\'s data', () => {
  it('an order of "a" sends nothing to "b" nor to "a/isolated/BTCUSDT"; a deposit of the latter nothing to "a"', () => {
    const v = venue();
    const names = ['a', 'b', 'a/isolated/BTCUSDT'];
    v.stepFor({ op: 'mark', symbol: 'BTCUSDT', price: '50000' }, names);
    const deposits = v.stepFor({ op: 'deposit', account: 'a/isolated/BTCUSDT', asset: 'USDT', amount: '1000' }, names);
    assert.deepEqual([deposits['a']!.length, deposits['b']!.length, deposits['a/isolated/BTCUSDT']!.length], [0, 0, 1]);
    v.stepFor({ op: 'deposit', account: 'a', asset: 'USDT', amount: '1000' }, names);
    v.stepFor({ op: 'setMarginMode', account: 'a', symbol: 'BTCUSDT', mode: 'isolated' }, names);
    const order = v.stepFor({ op: 'order', account: 'a', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' }, names);
    assert.deepEqual(types(order['a']!), ['OTU NEW/NEW', 'OTU TRADE/FILLED', 'AU ORDER']);
    assert.deepEqual([order['b'], order['a/isolated/BTCUSDT']], [[], []]);
  });

  it('accountsOf names the accounts a command concerns', () => {
    const state = initialState({ exchange: 'binance-usdm', time: T0 });
    const parsed = parseCommand({ op: 'deposit', account: 'x', asset: 'USDT', amount: '5' });
    assert.ok('command' in parsed);
    assert.deepEqual(accountsOf(apply(state, parsed.command, T0)), ['x']);
  });
});

describe('user stream frames', () => {
  it('bare on /private/ws, in the listenKey\'s envelope on /private/stream, filtered by events=', () => {
    const message = listenKeyExpired('k'.repeat(64), T0);
    assert.deepEqual(userFrame(message, { combined: false, listenKey: 'k'.repeat(64) }), { e: 'listenKeyExpired', E: T0, listenKey: 'k'.repeat(64) });
    assert.deepEqual(userFrame(message, { combined: true, listenKey: 'k'.repeat(64) }), { stream: 'k'.repeat(64), data: message });
    assert.equal(userFrame(message, { combined: false, listenKey: 'k', events: ['ORDER_TRADE_UPDATE'] }), undefined);
  });
});
