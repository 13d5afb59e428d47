// apply() changes the state in place; a refused command must leave it exactly as it was (serialized byte
// for byte, the same object), including when the refusal comes after the command ran (the scope check),
// for every guarded command. And the engine's assertInvariants option: invariants after every command.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../domain/fixed.ts';
import { apply, type ApplyResult } from './apply.ts';
import { REJECTIONS } from './codes.ts';
import { parseCommand } from './commands.ts';
import { InvariantViolation, serialize } from './invariants.ts';
import { derivedOf } from './exposure.ts';
import { parseJournal, runJournal } from './journal.ts';
import { initialState, type EngineState } from './state.ts';
import { assertFromEnvironment, runJson } from '../cli/run.ts';
import { XYZ_MARKET } from './test-support.ts';


function engine(assertInvariants = false): EngineState {
  return initialState({ exchange: 'binance-usdm', fees: { taker: parseFixed('0'), maker: parseFixed('0') }, markets: [XYZ_MARKET], assertInvariants });
}

let clock = 0;
function step(state: EngineState, raw: Record<string, unknown>): ApplyResult {
  const market = raw['op'] === 'mark' || raw['op'] === 'funding';
  const parsed = parseCommand(market ? raw : { account: 'main', ...raw });
  if ('rejection' in parsed) throw new Error(parsed.rejection.message);
  return apply(state, parsed.command, (clock += 1000), 0);
}

function accepted(state: EngineState, ...raws: Record<string, unknown>[]): EngineState {
  for (const raw of raws) {
    const result = step(state, raw);
    assert.equal(result.rejection, undefined, `${JSON.stringify(raw)}: ${result.rejection?.message}`);
  }
  return state;
}

/** Applies a command that must be refused; the state must serialize as before and be the same object. */
function refused(state: EngineState, raw: Record<string, unknown>, code: number) {
  const before = serialize(state);
  const result = step(state, raw);
  assert.equal(result.rejection?.code, code, `${JSON.stringify(raw)}: ${result.rejection?.message ?? 'accepted'}`);
  assert.equal(result.state, state);
  assert.equal(result.transfers.length, 0);
  assert.equal(serialize(state), before, `${JSON.stringify(raw)} changed the state`);
  return result.rejection!;
}

/** 1,000 USDT, BTC long 0.01 cross, ETH long 1 isolated with 20 USDT of margin, a resting BTC limit. */
function account(): EngineState {
  return accepted(
    engine(),
    { op: 'deposit', asset: 'USDT', amount: '1000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'mark', symbol: 'ETHUSDT', price: '2000' },
    { op: 'mark', symbol: 'XYZUSDT', price: '1' },
    { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
    { op: 'setMarginMode', symbol: 'ETHUSDT', mode: 'isolated' },
    { op: 'order', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '1' },
    { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', price: '40000', quantity: '0.001', timeInForce: 'GTC' },
  );
}

describe('a refused command leaves the state exactly as it was (apply() works in place)', () => {
  it('an order that passes the margin check but leaves the cross account at maintenance: refused after it filled, then rolled back (-2019)', () => {
    const state = account();
    const orderId = state.nextOrderId;
    // 50x: 40,000 XYZ at 1 needs 800 of IM (available), but its MM is 1,200 > the margin balance
    accepted(state, { op: 'setLeverage', symbol: 'XYZUSDT', leverage: 50 });
    const r = refused(state, { op: 'order', symbol: 'XYZUSDT', side: 'buy', type: 'market', quantity: '40000' }, REJECTIONS.MARGIN_INSUFFICIENT.code);
    assert.match(r.message, /would leave the cross USDT account at or below maintenance/);
    assert.equal(state.nextOrderId, orderId);
    assert.equal(derivedOf(state).exposed.get('XYZUSDT'), undefined);
  });
  it('a flip of a position that is refused restores the position in its place among the others', () => {
    const state = account();
    accepted(state, { op: 'setLeverage', symbol: 'XYZUSDT', leverage: 50 }, { op: 'order', symbol: 'XYZUSDT', side: 'buy', type: 'market', quantity: '100' });
    accepted(state, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.001' });
    // XYZ closes (its entry is deleted) and a 40,000 short opens in its place: refused, the long is back
    const r = refused(state, { op: 'order', symbol: 'XYZUSDT', side: 'sell', type: 'market', quantity: '40100' }, REJECTIONS.MARGIN_INSUFFICIENT.code);
    assert.match(r.message, /would leave the cross USDT account at or below maintenance/);
    assert.deepEqual(Object.keys(state.users['main']!.positions), ['BTCUSDT/BOTH', 'ETHUSDT/BOTH', 'XYZUSDT/BOTH']);
  });
  it("a refused first order of a new account leaves no account behind", () => {
    const state = account();
    refused(state, { op: 'order', account: 'newcomer', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '1' }, REJECTIONS.MARGIN_INSUFFICIENT.code);
    assert.equal(state.users['newcomer'], undefined);
  });
  it('every other guarded command: withdraw, addMargin, reduceMargin, setLeverage, setMarginMode, setPositionMode', () => {
    const state = account();
    refused(state, { op: 'withdraw', asset: 'USDT', amount: '5000' }, REJECTIONS.CROSS_BALANCE_INSUFFICIENT.code);
    refused(state, { op: 'addMargin', symbol: 'ETHUSDT', amount: '5000' }, REJECTIONS.CROSS_BALANCE_INSUFFICIENT.code);
    refused(state, { op: 'reduceMargin', symbol: 'ETHUSDT', amount: '95' }, REJECTIONS.ISOLATED_BALANCE_INSUFFICIENT.code);
    refused(state, { op: 'setLeverage', symbol: 'ETHUSDT', leverage: 5 }, REJECTIONS.ISOLATED_LEVERAGE_REDUCTION.code);
    refused(state, { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }, REJECTIONS.MARGIN_TYPE_OPEN_ORDERS.code);
    refused(state, { op: 'setPositionMode', mode: 'hedge' }, REJECTIONS.POSITION_MODE_OPEN_ORDERS.code);
    // the commands that were refused changed nothing the next ones see: the same account accepts them
    accepted(state, { op: 'withdraw', asset: 'USDT', amount: '10' }, { op: 'addMargin', symbol: 'ETHUSDT', amount: '10' }, { op: 'reduceMargin', symbol: 'ETHUSDT', amount: '5' });
  });
  it('a command refused for its time leaves the time alone', () => {
    const state = account();
    const time = state.time;
    const r = apply(state, { op: 'deposit', account: 'main', asset: 'USDT', amount: parseFixed('1') }, time - 1);
    assert.equal(r.rejection?.field, 'time');
    assert.equal(state.time, time);
  });
});

describe('assertInvariants: the engine checks its invariants after every command', () => {
  const journal = parseJournal({
    setup: { exchange: 'binance-usdm' },
    ops: [
      { op: 'deposit', asset: 'USDT', amount: '1000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.1' },
      { op: 'withdraw', asset: 'USDT', amount: '100000' },
      { op: 'mark', symbol: 'BTCUSDT', price: '30000' },
    ],
  });
  it('on and off give the same run (the checks only read)', () => {
    const on = runJournal(journal, undefined, { assertInvariants: true });
    const off = runJournal(journal);
    assert.equal(on.state.config.assertInvariants, true);
    assert.equal(serialize(on.events), serialize(off.events));
    assert.equal(serialize(on.transfers), serialize(off.transfers));
    assert.ok(on.events.some((e) => e.type === 'liquidation'));
  });
  it('a state changed behind the engine (a position resized without its derived sums) throws InvariantViolation on the next command', () => {
    for (const assertInvariants of [true, false]) {
      const state = accepted(engine(assertInvariants), { op: 'deposit', asset: 'USDT', amount: '1000' }, { op: 'mark', symbol: 'BTCUSDT', price: '50000' }, { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' });
      state.users['main']!.positions['BTCUSDT/BOTH']!.size = parseFixed('0.02');
      const next = () => step(state, { op: 'deposit', asset: 'USDT', amount: '1' });
      if (assertInvariants) assert.throws(next, (e: unknown) => e instanceof InvariantViolation && /cross sums/.test(e.message));
      else assert.doesNotThrow(next);
    }
  });
  it('the CLI sets it from PERPGUARD_ASSERT=1 (the core reads no environment)', () => {
    assert.equal(assertFromEnvironment({ PERPGUARD_ASSERT: '1' }), true);
    assert.equal(assertFromEnvironment({ PERPGUARD_ASSERT: '0' }), false);
    assert.equal(assertFromEnvironment({}), false);
    assert.equal(runJson(journal, { assertInvariants: true }).run.state.config.assertInvariants, true);
    assert.equal(serialize(runJson(journal, { assertInvariants: true }).json), serialize(runJson(journal, { assertInvariants: false }).json));
  });
});
