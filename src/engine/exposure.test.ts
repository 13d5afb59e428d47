// The derived data of ./exposure.ts: a mark tick reads only the users exposed to its symbol, an order
// reads only its own symbol's positions, and after any sequence of commands the index and the kept cross
// sums equal a build from scratch (a fast-check property on three venues, one with two settle assets).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, fromScaled, toApproxNumber, toScaled } from '../domain/fixed.ts';
import { contractSize, type ExchangeId, type Market } from '../exchanges/rules.ts';
import { DEFAULT_MARKETS } from '../exchanges/markets.ts';
import { apply } from './apply.ts';
import { parseCommand } from './commands.ts';
import { checkDerived, checkSolvency } from './invariants.ts';
import { derivedOf, exposedUsers } from './exposure.ts';
import { initialState, marketOf, type EngineState, type UserState } from './state.ts';

let clock = 0;
function run(state: EngineState, raw: Record<string, unknown>) {
  const parsed = parseCommand(raw);
  if ('rejection' in parsed) throw new Error(parsed.rejection.message);
  return apply(state, parsed.command, (clock += 1000), 0);
}

function accepted(state: EngineState, raw: Record<string, unknown>): void {
  const r = run(state, raw);
  assert.equal(r.rejection, undefined, `${JSON.stringify(raw)}: ${r.rejection?.message}`);
}

/** A user record whose every read throws: what a command reads of it is a bug of locality. */
function untouchable(user: UserState): UserState {
  return new Proxy(user, {
    get: (_target, key) => {
      throw new Error(`read ${String(key)} of ${user.id}`);
    },
  });
}

/** 30 accounts, each with a long on two of BTCUSDT / ETHUSDT / SOLUSDT; every tenth also rests a SOL limit. */
function crowd(): EngineState {
  const state = initialState({ exchange: 'binance-usdm' });
  for (const [symbol, price] of [['BTCUSDT', '50000'], ['ETHUSDT', '3000'], ['SOLUSDT', '100']]) accepted(state, { op: 'mark', symbol, price });
  const pairs = [['BTCUSDT', 'ETHUSDT'], ['ETHUSDT', 'SOLUSDT'], ['BTCUSDT', 'SOLUSDT']] as const;
  const quantity: Record<string, string> = { BTCUSDT: '0.01', ETHUSDT: '0.1', SOLUSDT: '5' };
  for (let a = 0; a < 30; a++) {
    const account = `u${String(a).padStart(2, '0')}`;
    accepted(state, { op: 'deposit', account, asset: 'USDT', amount: '5000' });
    for (const symbol of pairs[a % 3]!) accepted(state, { op: 'order', account, symbol, side: 'buy', type: 'market', quantity: quantity[symbol] });
    if (a % 10 === 0) accepted(state, { op: 'order', account, symbol: 'SOLUSDT', side: 'buy', type: 'limit', price: '90', quantity: '1', timeInForce: 'GTC' });
  }
  return state;
}

describe('a command reads only what it can change', () => {
  it('a mark tick on BTCUSDT reads only the 20 accounts exposed to it; a limit resting on SOL exposes its account to SOL', () => {
    const state = crowd();
    const btc = exposedUsers(state, 'BTCUSDT');
    assert.equal(btc.length, 20);
    assert.deepEqual(exposedUsers(state, 'SOLUSDT'), Object.keys(state.users).filter((id, a) => a % 3 !== 0 || a % 10 === 0).sort());
    accepted(state, { op: 'mark', symbol: 'BTCUSDT', price: '50100' }); // the first check after a build looks at everyone
    const others = Object.keys(state.users).filter((id) => !btc.includes(id));
    const saved = new Map(others.map((id) => [id, state.users[id]!]));
    for (const id of others) state.users[id] = untouchable(saved.get(id)!);
    const result = run(state, { op: 'mark', symbol: 'BTCUSDT', price: '49000' });
    assert.equal(result.rejection, undefined);
    for (const [id, user] of saved) state.users[id] = user;
    checkDerived(state);
    checkSolvency(state);
    // the control: a tick on a symbol an untouchable account holds does read it (the state is left half-done)
    state.users['u01'] = untouchable(state.users['u01']!);
    assert.throws(() => run(state, { op: 'mark', symbol: 'ETHUSDT', price: '2900' }), /read .* of u01/);
  });
  it('a market order and a tick in an account of 40 positions read only the positions of their symbol', () => {
    const symbols = Array.from({ length: 40 }, (_, k) => `S${k}USDT`);
    const template = marketOf(initialState({ exchange: 'binance-usdm' }), 'SOLUSDT')!;
    const state = initialState({ exchange: 'binance-usdm', markets: symbols.map((symbol): Market => ({ ...template, symbol })) });
    accepted(state, { op: 'deposit', account: 'main', asset: 'USDT', amount: '100000' });
    for (const symbol of symbols) {
      accepted(state, { op: 'mark', symbol, price: '100' });
      accepted(state, { op: 'order', account: 'main', symbol, side: 'buy', type: 'market', quantity: '10' });
    }
    accepted(state, { op: 'mark', symbol: 'S0USDT', price: '101' });
    const positions = state.users['main']!.positions;
    for (const key of Object.keys(positions)) {
      if (key.startsWith('S7USDT/')) continue;
      const p = positions[key]!;
      positions[key] = new Proxy(p, { get: () => assert.fail(`read the ${p.symbol} position`) });
    }
    accepted(state, { op: 'order', account: 'main', symbol: 'S7USDT', side: 'buy', type: 'market', quantity: '3' });
    accepted(state, { op: 'mark', symbol: 'S7USDT', price: '99' });
    accepted(state, { op: 'order', account: 'main', symbol: 'S7USDT', side: 'sell', type: 'market', quantity: '13' });
    assert.deepEqual(exposedUsers(state, 'S7USDT'), []);
  });
});

/** Commands over three accounts and two symbols of a venue, sized to its markets. */
function commands(exchange: ExchangeId, symbols: readonly string[]) {
  const state = initialState({ exchange });
  const markets = symbols.map((s) => marketOf(state, s)!);
  const base = (m: Market) => (m.symbol.startsWith('BTC') ? 50_000 : m.symbol.startsWith('ETH') ? 3_000 : 100);
  // quantities up to about 60,000 USD of notional, in whole steps (12x the deposits: liquidations happen)
  const steps = (m: Market) => Math.max(1, Math.floor(60_000 / ((m.kind === 'linear' ? base(m) : toApproxNumber(contractSize(m))) * toApproxNumber(m.stepSize))));
  const qty = (m: Market, percent: number) => formatFixed(fromScaled<'Quantity'>(toScaled(m.stepSize) * BigInt(Math.max(1, Math.round((percent / 100) * steps(m))))));
  const deposit = (asset: string) => (asset === 'BTC' ? '0.02' : asset === 'ETH' ? '0.3' : '1000');
  const account = fc.constantFrom('a', 'b', 'c');
  const market = fc.integer({ min: 0, max: markets.length - 1 }).map((i) => markets[i]!);
  return fc.oneof(
    fc.record({ account, m: market }).map(({ account, m }) => ({ op: 'deposit', account, asset: m.settleAsset, amount: deposit(m.settleAsset) })),
    { weight: 4, arbitrary: fc.record({ m: market, move: fc.integer({ min: -40, max: 40 }) }).map(({ m, move }) => ({ op: 'mark', symbol: m.symbol, price: String(Math.round(base(m) * (1 + move / 100))) })) },
    { weight: 4, arbitrary: fc.record({ account, m: market, side: fc.constantFrom('buy', 'sell'), k: fc.integer({ min: 1, max: 100 }) }).map(({ account, m, side, k }) => ({ op: 'order', account, symbol: m.symbol, side, type: 'market', quantity: qty(m, k) })) },
    fc.record({ account, m: market, side: fc.constantFrom('buy', 'sell'), k: fc.integer({ min: 1, max: 50 }), away: fc.integer({ min: 1, max: 20 }) }).map(({ account, m, side, k, away }) => ({
      op: 'order', account, symbol: m.symbol, side, type: 'limit', timeInForce: 'GTC', quantity: qty(m, k), price: String(Math.round(base(m) * (1 + (side === 'buy' ? -away : away) / 100))),
    })),
    fc.record({ account, m: market, k: fc.integer({ min: 1, max: 50 }), away: fc.integer({ min: 2, max: 30 }) }).map(({ account, m, k, away }) => ({
      op: 'order', account, symbol: m.symbol, side: 'sell', type: 'stop_market', quantity: qty(m, k), stopPrice: String(Math.round(base(m) * (1 - away / 100))), reduceOnly: true,
    })),
    fc.record({ account, m: market, orderId: fc.integer({ min: 1, max: 40 }) }).map(({ account, m, orderId }) => ({ op: 'cancel', account, symbol: m.symbol, orderId })),
    fc.record({ account, m: market, leverage: fc.constantFrom(2, 5, 10, 20) }).map(({ account, m, leverage }) => ({ op: 'setLeverage', account, symbol: m.symbol, leverage })),
    fc.record({ account, m: market, mode: fc.constantFrom('isolated', 'cross') }).map(({ account, m, mode }) => ({ op: 'setMarginMode', account, symbol: m.symbol, mode })),
    fc.record({ account, m: market, op: fc.constantFrom('addMargin', 'reduceMargin') }).map(({ account, m, op }) => ({ op, account, symbol: m.symbol, amount: m.settleAsset.startsWith('USD') ? '50' : '0.001' })),
    fc.record({ m: market, rate: fc.constantFrom('0.0001', '-0.0003', '0.003') }).map(({ m, rate }) => ({ op: 'funding', symbol: m.symbol, rate })),
  );
}

/** Marks on every symbol and money in every account, so that the random commands mostly trade. */
function prologue(state: EngineState, symbols: readonly string[]): Record<string, unknown>[] {
  const markets = symbols.map((s) => marketOf(state, s)!);
  const price = (m: Market) => (m.symbol.startsWith('BTC') ? '50000' : m.symbol.startsWith('ETH') ? '3000' : '100');
  const deposit = (asset: string) => (asset === 'BTC' ? '0.1' : asset === 'ETH' ? '2' : '5000');
  const assets = [...new Set(markets.map((m) => m.settleAsset))];
  return [
    ...markets.map((m) => ({ op: 'mark', symbol: m.symbol, price: price(m) })),
    ...['a', 'b', 'c'].flatMap((account) => assets.map((asset) => ({ op: 'deposit', account, asset, amount: deposit(asset) }))),
  ];
}

describe('the kept index and cross sums equal a build from scratch after any sequence of commands', () => {
  const venues: [ExchangeId, string[]][] = [
    ['binance-usdm', ['BTCUSDT', 'ETHUSDT']],
    ['bybit-inverse', ['BTCUSD', 'ETHUSD']],
    ['okx-swap', ['BTC-USDT-SWAP', 'BTC-USD-SWAP']],
  ];
  for (const [exchange, symbols] of venues) {
    it(`${exchange} (${symbols.join(', ')})`, () => {
      assert.ok(symbols.every((s) => DEFAULT_MARKETS[exchange].some((m) => m.symbol === s)));
      const seen = new Map<string, number>();
      fc.assert(
        fc.property(fc.array(commands(exchange, symbols), { minLength: 20, maxLength: 50 }), (ops) => {
          const state = initialState({ exchange });
          for (const raw of [...prologue(state, symbols), ...ops]) {
            const parsed = parseCommand(raw);
            if ('rejection' in parsed) continue;
            const r = apply(state, parsed.command, (clock += 1000), 0);
            for (const e of r.events) seen.set(e.type, (seen.get(e.type) ?? 0) + 1);
            checkDerived(state);
          }
          checkSolvency(state);
          return true;
        }),
        { numRuns: 40, seed: 10 },
      );
      // the commands did what the property is about: trades, resting orders, liquidations (seed 10: 40-70 each venue)
      assert.ok((seen.get('fill') ?? 0) > 100 && (seen.get('orderPlaced') ?? 0) > 20 && (seen.get('liquidation') ?? 0) > 20, JSON.stringify([...seen]));
    });
  }
  it('the property can fail: a kept sum changed behind the engine is found', () => {
    const state = crowd();
    const sums = derivedOf(state).byAsset.get('u01')!;
    const total = sums.get('USDT')!;
    sums.set('USDT', { ...total, mm: fromScaled<'Money'>(toScaled(total.mm) + 1n) });
    assert.throws(() => checkDerived(state), /kept byAsset cross sums/);
  });
});
