// The engine's liquidations, one worked example each (isolated alone, cross takes everything, insurance and
// ADL, margin calls, stops before liquidation), and issue 9's measurements: nothing is created or lost.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { add, formatFixed, gt, parseFixed, sub } from '../domain/fixed.ts';
import { apply, crossFigures } from './apply.ts';
import { REJECTIONS } from './codes.ts';
import { serialize } from './invariants.ts';
import { stateOfSetup } from './journal.ts';
import { big, buy, eventOf, onCustom, rejectionOf, run, start, sum, type Op } from './test-support.ts';

describe('liquidation: isolated touches nothing else, cross takes everything (the seed examples)', () => {
  const twoPositions = (mode: 'isolated' | 'cross'): Op[] => [
    { op: 'deposit', asset: 'USDT', amount: '1000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'mark', symbol: 'ETHUSDT', price: '2500' },
    { op: 'setMarginMode', symbol: 'BTCUSDT', mode },
    { op: 'setMarginMode', symbol: 'ETHUSDT', mode },
    { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
    { op: 'setLeverage', symbol: 'ETHUSDT', leverage: 10 },
    buy('0.1'),
    { op: 'order', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '1.6' },
    { op: 'mark', symbol: 'BTCUSDT', price: '40200' },
  ];
  it('isolated: the BTC crash liquidates BTC alone; ETH and the rest of the wallet are untouched', () => {
    const modeOps = twoPositions('isolated').map((o) => (o.op === 'setMarginMode' ? { ...o, mode: 'isolated' } : o));
    const { view, events } = run(modeOps);
    assert.equal(events.filter((e) => e.type === 'liquidation').length, 1);
    assert.deepEqual(view.positions.map((p) => p.symbol), ['ETHUSDT']);
    // 1000 - 500 (BTC margin, lost) - 400 (ETH margin, still held by ETH)
    assert.equal(view.walletBalance, '100');
    assert.equal(view.positions[0]!.isolatedMargin, '400');
    // BTC lost 980 at the mark with 500 of margin: the empty insurance fund leaves 480 to ADL
    const liquidation = eventOf(events, 'liquidation');
    assert.equal(formatFixed(liquidation.marginLost), '500');
    assert.equal(formatFixed(liquidation.adl), '480');
  });
  it('cross: the same crash takes the whole account, ETH included (the domino)', () => {
    const { view, events } = run(twoPositions('cross').filter((o) => o.op !== 'setMarginMode'));
    const liquidations = events.filter((e) => e.type === 'liquidation');
    assert.deepEqual(liquidations.map((e) => (e as { symbol: string }).symbol).sort(), ['BTCUSDT', 'ETHUSDT']);
    assert.equal(view.positions.length, 0);
    assert.equal(view.walletBalance, '0');
    // 1000 - 980 BTC loss at the mark = 20 left, below MM 16.08 + 16 = 32.08: it all goes to the insurance
    // fund as the clearance; ETH did not move but was closed with the account
    assert.equal(view.insuranceFund, '20');
    assert.equal(view.ledgerTotal, '1000');
  });
  it('a gap through the bankruptcy price: the insurance fund covers the deficit, then ADL', () => {
    const ops: Op[] = [
      ...start,
      { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
      { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
      buy('0.02'),
      { op: 'mark', symbol: 'BTCUSDT', price: '40000' },
    ];
    const covered = run(ops, { insuranceFund: '150' });
    const liquidation = eventOf(covered.events, 'liquidation');
    assert.equal(formatFixed(liquidation.insuranceCover), '100'); // loss 200 at the mark, margin 100
    assert.equal(covered.view.insuranceFund, '50');
    const adl = run(ops, { insuranceFund: '30' });
    const l2 = eventOf(adl.events, 'liquidation');
    assert.equal(formatFixed(l2.insuranceCover), '30');
    assert.equal(formatFixed(l2.adl), '70');
    assert.equal(adl.events.filter((e) => e.type === 'adl').length, 1);
    assert.equal(adl.view.walletBalance, '900');
  });
  it('a margin call is raised once when the margin ratio crosses 80 %, then the liquidation at 100 %', () => {
    // 0.9 BTC at 50,000, 50x, wallet 1,000: MM = 0.0036 M, MB = 0.9 M - 44,000.
    // ratio >= 80 % below M = 35,200 / 0.7164 = 49,134.7; liquidation below M = 44,000 / 0.8964 = 49,085.2
    const { events } = run([
      ...start,
      { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 50 },
      buy('0.9'),
      { op: 'mark', symbol: 'BTCUSDT', price: '49140' },
      { op: 'mark', symbol: 'BTCUSDT', price: '49100' },
      { op: 'mark', symbol: 'BTCUSDT', price: '49090' },
      { op: 'mark', symbol: 'BTCUSDT', price: '49080' },
    ]);
    assert.deepEqual(events.filter((e) => e.type === 'marginCall').map((e) => e.op), [5]);
    assert.deepEqual(events.filter((e) => e.type === 'liquidation').map((e) => e.op), [7]);
  });
  const withStop = (markPrice: string): Op[] => [
    ...start,
    { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
    { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
    buy('0.02'),
    { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', stopPrice: '47000', closePosition: true },
    { op: 'mark', symbol: 'BTCUSDT', price: markPrice },
  ];
  it('a stop-loss fires before the liquidation on the same mark', () => {
    // 0.02 BTC isolated 10x from 50,000 (100 held; bankruptcy 45,000). At 45,100 the margin balance is
    // 100 - 98 = 2 <= MM 3.608: a liquidation is due, but the stop closes first at the mark and the
    // trader keeps the 2 left: 900 + 2
    const { events, view } = run(withStop('45100'));
    assert.equal(events.filter((e) => e.type === 'liquidation').length, 0);
    assert.equal(events.filter((e) => e.type === 'fill').length, 2);
    assert.equal(view.walletBalance, '902');
  });
  it('a stop that would close past the bankruptcy price is left to the liquidation: only it draws on the insurance fund', () => {
    // the mark gaps to 44,000: closing there loses 120 > the 100 held. The stop expires; the liquidation
    // closes at the bankruptcy price and the empty insurance fund leaves the 20 deficit to ADL.
    const { events, view } = run(withStop('44000'));
    assert.equal(events.filter((e) => e.type === 'fill').length, 1);
    assert.equal(events.filter((e) => e.type === 'orderExpired').length, 1);
    const liquidation = eventOf(events, 'liquidation');
    assert.equal(formatFixed(liquidation.adl), '20');
    assert.equal(view.walletBalance, '900');
  });
});


describe('issue 9: nothing is created or lost (the measurements of the issue, as tests)', () => {
  // 0.2 BTC long, 10x isolated from 50,000 (1,000 of margin), wallet 10,000, no fees; mark 45,600: the
  // bucket's equity is 1,000 - 880 = 120, above MM 36.48 (0.4 % of 9,120, Binance BTCUSDT bracket 1).
  const partialClose: Op[] = [
    { op: 'deposit', asset: 'USDT', amount: '10000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
    { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
    buy('0.2'),
    { op: 'mark', symbol: 'BTCUSDT', price: '45600' },
    { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.1', reduceOnly: true },
  ];
  it('a partial close releases the closed half of the bucket equity (60), leaves 500 behind 0.1 BTC at -440: equity 9,120', () => {
    const { view, events, transfers } = run(partialClose);
    assert.equal(events.filter((e) => e.type === 'liquidation').length, 0, 'the trader\'s own close liquidated the rest');
    assert.equal(view.insuranceFund, '0');
    const released = transfers.filter((t) => t.op === 6 && t.reason === 'isolatedRelease');
    assert.deepEqual(released.map((t) => formatFixed(t.amount)), ['60']);
    assert.equal(view.walletBalance, '9060');
    assert.equal(view.positions[0]!.size, '0.1');
    assert.equal(view.positions[0]!.isolatedMargin, '500');
    assert.equal(view.positions[0]!.unrealizedPnl, '-440');
    // equity = cross wallet + bucket + uPnL = 9,060 + 500 - 440
    assert.equal(formatFixed(sum(view.walletBalance, view.positions[0]!.isolatedMargin!, view.positions[0]!.unrealizedPnl)), '9120');
  });
  // The withdrawal and add-margin rules of Binance (FAQ 360038447311) cap the amount by "available"
  // (MB - IM), which keeps the account above maintenance only while IM > MM. No bundled table breaks that,
  // but a market given in the config may (here MMR 3 % at 50x: IM 2 % < MM 3 %), and the engine must not
  // rely on it: 1,000 XYZ at 100 cross (IM 2,000, MM 3,000), ETH 1 at 2,500 isolated 10x (250 held).
  const thin: Op[] = [
    { op: 'deposit', asset: 'USDT', amount: '20000' },
    { op: 'mark', symbol: 'XYZUSDT', price: '100' },
    { op: 'mark', symbol: 'ETHUSDT', price: '2500' },
    { op: 'setMarginMode', symbol: 'ETHUSDT', mode: 'isolated' },
    { op: 'setLeverage', symbol: 'ETHUSDT', leverage: 10 },
    { op: 'order', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '1' },
    { op: 'setLeverage', symbol: 'XYZUSDT', leverage: 50 },
    { op: 'order', symbol: 'XYZUSDT', side: 'buy', type: 'market', quantity: '1000' },
  ];
  it('max withdrawable keeps the cross account above maintenance (a table with MMR above 1/leverage)', () => {
    const { state } = onCustom(thin);
    const f = crossFigures(state, state.users['main']!, 'USDT');
    assert.equal(formatFixed(f.mm), '3000');
    assert.equal(formatFixed(f.marginBalance), '19750');
    assert.ok(gt(sub(f.marginBalance, f.withdrawable), f.mm), `withdrawing ${formatFixed(f.withdrawable)} would leave ${formatFixed(sub(f.marginBalance, f.withdrawable))} <= MM 3,000`);
  });
  it('a withdrawal that would leave the cross account at or below maintenance is refused (-4050, amount), nothing liquidated', () => {
    const { events, state, before } = onCustom([...thin, { op: 'withdraw', asset: 'USDT', amount: '16750' }]);
    const last = events[events.length - 1]!;
    assert.ok(last.type === 'rejected' && last.code === REJECTIONS.CROSS_BALANCE_INSUFFICIENT.code && last.field === 'amount', JSON.stringify(last, big));
    assert.equal(serialize(state), before, 'the refused command changed the state');
  });
  it('an add-margin that would leave the cross account at or below maintenance is refused (-4050, amount), nothing liquidated', () => {
    const { events, state, before } = onCustom([...thin, { op: 'addMargin', symbol: 'ETHUSDT', amount: '16750' }]);
    const last = events[events.length - 1]!;
    assert.ok(last.type === 'rejected' && last.code === REJECTIONS.CROSS_BALANCE_INSUFFICIENT.code && last.field === 'amount', JSON.stringify(last, big));
    assert.equal(serialize(state), before, 'the refused command changed the state');
  });
  it('a maker rebate (negative maker fee) is paid from fee income to the trader', () => {
    const { view, events } = run(
      [
        { op: 'deposit', asset: 'USDT', amount: '20000' },
        { op: 'mark', symbol: 'BTCUSDT', price: '10104' },
        { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '1', price: '10000' },
        { op: 'mark', symbol: 'BTCUSDT', price: '9990' },
      ],
      { fees: { taker: '0.0005', maker: '-0.0001' } },
    );
    const fill = eventOf(events, 'fill');
    assert.equal(formatFixed(fill.fee), '-1');
    assert.equal(view.feeIncome, '-1');
    assert.equal(view.walletBalance, '20001');
  });
  it('an insurance fund of "0" is valid and passes the audit', () => {
    const { view } = run([{ op: 'deposit', asset: 'USDT', amount: '10' }], { insuranceFund: '0' });
    assert.equal(view.insuranceFund, '0');
  });
  it('a NaN, infinite or fractional time is refused (-1102, time); time never goes backwards', () => {
    const { state } = stateOfSetup({ exchange: 'binance-usdm' });
    const deposit = { op: 'deposit', account: 'main', asset: 'USDT', amount: parseFixed<'Money'>('1') } as const;
    for (const time of [Number.NaN, Number.POSITIVE_INFINITY, 1.5, -1]) {
      const r = apply(state, deposit, time);
      assert.equal(r.rejection?.field, 'time', `time ${time} was accepted`);
      assert.equal(r.state, state);
    }
    const later = apply(state, deposit, 10).state;
    assert.equal(apply(later, deposit, 9).rejection?.field, 'time');
  });
  it('funding is applied at most once per symbol and funding time', () => {
    const ops: Op[] = [
      { op: 'deposit', asset: 'USDT', amount: '10000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '30000' },
      buy('2'),
      { op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: 28_800_000 },
      { op: 'funding', symbol: 'ETHUSDT', rate: '0.0001', time: 28_800_000 },
      { op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: 28_800_000 },
    ];
    const r = rejectionOf(ops);
    assert.equal(r.code, REJECTIONS.MALFORMED.code);
    assert.equal(r.field, 'time');
    const { events } = run([...ops.slice(0, 5), { op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: 57_600_000 }]);
    assert.equal(events.filter((e) => e.type === 'funding').length, 2);
  });
});
