// Helpers of the engine's worked-example tests (apply.test.ts, liquidation.test.ts): journals run through
// the engine with no fees by default, the last rejection or a given event of a run, and a binance-usdm
// engine with one custom market (MMR above 1/leverage).
import assert from 'node:assert/strict';
import { add, parseFixed } from '../domain/fixed.ts';
import { bracketTableFromSpec } from '../domain/tiers.ts';
import type { Market } from '../exchanges/rules.ts';
import { apply, type EngineEvent } from './apply.ts';
import { parseCommand } from './commands.ts';
import { serialize } from './invariants.ts';
import { parseJournal, runJournal } from './journal.ts';
import { stateView } from '../views/account.ts';
import { initialState } from './state.ts';

export type Op = Record<string, unknown>;
export const setup = (extra: Record<string, unknown> = {}) => ({ exchange: 'binance-usdm', fees: { taker: '0', maker: '0' }, ...extra });
export const start: Op[] = [
  { op: 'deposit', asset: 'USDT', amount: '1000' },
  { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
];

export function run(ops: Op[], extra?: Record<string, unknown>) {
  const result = runJournal(parseJournal({ setup: setup(extra), ops }));
  assert.deepEqual(result.audit.problems, []);
  return { ...result, view: stateView(result.state) };
}

export function rejectionOf(ops: Op[], extra?: Record<string, unknown>) {
  const { events } = run(ops, extra);
  const last = events[events.length - 1]!;
  assert.equal(last.type, 'rejected', `the last operation was not rejected: ${JSON.stringify(last, (_k, v) => (typeof v === 'bigint' ? String(v) : v))}`);
  return last as Extract<typeof last, { type: 'rejected' }>;
}

export function eventOf<T extends EngineEvent['type']>(events: readonly EngineEvent[], type: T): Extract<EngineEvent, { type: T }> {
  const found = events.find((e): e is Extract<EngineEvent, { type: T }> => e.type === type);
  assert.ok(found, `no ${type} event`);
  return found;
}

export const buy = (quantity: string, more: Op = {}): Op => ({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity, ...more });


export function sum(...values: string[]) {
  return values.reduce((a, v) => add(a, parseFixed<'Money'>(v)), parseFixed<'Money'>('0'));
}

export const big = (_k: string, v: unknown) => (typeof v === 'bigint' ? String(v) : v);

/** A market no venue lists, given in the engine config: one bracket, MMR 3 % above the initial rate at 50x (2 %), so an order can pass the margin check and still leave the account at or below maintenance. */
export const XYZ_MARKET: Market = {
  symbol: 'XYZUSDT',
  kind: 'linear',
  settleAsset: 'USDT',
  tickSize: parseFixed('0.01'),
  stepSize: parseFixed('1'),
  maxLeverage: 50,
  liquidationFeeRate: parseFixed('0'),
  brackets: bracketTableFromSpec({
    symbol: 'XYZUSDT',
    effectiveFrom: '2024-01-01',
    source: 'test market (no venue): MMR above 1/leverage',
    brackets: [{ bracket: 1, floor: '0', cap: '1000000', mmrPercent: '3', maxLeverage: 50, cum: '0' }],
  }),
};

/** binance-usdm plus the market XYZUSDT given in the engine config (one bracket: MMR 3 %, 50x), no fees. */
export function onCustom(ops: Op[]) {
  let state = initialState({ exchange: 'binance-usdm', fees: { taker: parseFixed('0'), maker: parseFixed('0') }, markets: [XYZ_MARKET] });
  // apply() changes the state in place: `before` is the serialized state before the last operation
  let before = serialize(state);
  const events: EngineEvent[] = [];
  ops.forEach((raw, i) => {
    const parsed = parseCommand(raw);
    if ('rejection' in parsed) throw new Error(parsed.rejection.message);
    before = serialize(state);
    const result = apply(state, parsed.command, i, i);
    state = result.state;
    events.push(...result.events);
  });
  assert.equal(events.filter((e) => e.type === 'liquidation').length, 0, 'a liquidation');
  return { events, state, before };
}
