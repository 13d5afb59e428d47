// Generated workloads of two accounts (and one whose name extends the other's: "a" and "a/isolated/BTCUSDT")
// through the engine; after every command, each account's user stream must (1) name only its own orders,
// (2) report every trade it made in this command exactly once (t = the trade id), (3) show on every TRADE
// the record's cumulative quantity and average price, (4) carry its own cross wallet in ACCOUNT_UPDATE and
// its own positions' amounts, and (5) send nothing for a refused command.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed } from '../../domain/fixed.ts';
import { apply } from '../../engine/apply.ts';
import { parseCommand } from '../../engine/commands.ts';
import { keptOrders, keptTrades } from '../../engine/history.ts';
import { balanceOf, crossAccount } from '../../engine/ledger.ts';
import { initialState, positionKey } from '../../engine/state.ts';
import { countersOf, userStreamMessages } from './user-stream.ts';
import { signedAmount } from './user-events.ts';

const ACCOUNTS = ['a', 'b', 'a/isolated/BTCUSDT'];
const SYMBOLS = { BTCUSDT: 50000, ETHUSDT: 2500 } as const;
type Sym = keyof typeof SYMBOLS;

const symbol = fc.constantFrom<Sym>('BTCUSDT', 'ETHUSDT');
const account = fc.constantFrom(...ACCOUNTS);
const op = fc.oneof(
  fc.record({ op: fc.constant('deposit'), account, asset: fc.constant('USDT'), amount: fc.constantFrom('500', '2000', '10000') }),
  fc.tuple(symbol, fc.integer({ min: 70, max: 130 })).map(([s, pct]) => ({ op: 'mark', symbol: s, price: String((SYMBOLS[s] * pct) / 100) })),
  fc.record({ op: fc.constant('order'), account, symbol, side: fc.constantFrom('buy', 'sell'), type: fc.constant('market'), quantity: fc.constantFrom('0.01', '0.1', '1') }),
  fc.tuple(account, symbol, fc.constantFrom('buy', 'sell'), fc.integer({ min: 80, max: 120 }), fc.constantFrom('GTC', 'IOC')).map(([a, s, side, pct, tif]) => ({
    op: 'order', account: a, symbol: s, side, type: 'limit', quantity: '0.1', price: String((SYMBOLS[s] * pct) / 100), timeInForce: tif, clientOrderId: `L${pct}`,
  })),
  fc.tuple(account, symbol, fc.constantFrom('buy', 'sell'), fc.integer({ min: 80, max: 120 }), fc.boolean()).map(([a, s, side, pct, reduceOnly]) => ({
    op: 'order', account: a, symbol: s, side, type: 'stop_market', quantity: '0.1', stopPrice: String((SYMBOLS[s] * pct) / 100), reduceOnly, clientOrderId: `S${pct}`,
  })),
  fc.tuple(account, symbol, fc.integer({ min: 80, max: 120 })).map(([a, s, pct]) => ({ op: 'cancel', account: a, symbol: s, clientOrderId: `L${pct}` })),
  fc.record({ op: fc.constant('setMarginMode'), account, symbol, mode: fc.constantFrom('isolated', 'cross') }),
  fc.record({ op: fc.constant('addMargin'), account, symbol, amount: fc.constantFrom('10', '100') }),
  fc.tuple(symbol, fc.constantFrom('0.0001', '-0.0003', '0.001')).map(([s, r]) => ({ op: 'funding', symbol: s, rate: r })),
);

describe('user stream: generated workloads, each account sees exactly its own', () => {
  it('property: own orders only, every trade once, TRADE figures = record, own wallet and positions, nothing for a refusal', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 20, maxLength: 80, size: 'max' }), (ops) => {
        const state = initialState({ exchange: 'binance-usdm', time: 1_000 });
        let time = 1_000;
        let fundingTime = 0;
        const opening = [
          { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
          { op: 'mark', symbol: 'ETHUSDT', price: '2500' },
          ...ACCOUNTS.map((a) => ({ op: 'deposit', account: a, asset: 'USDT', amount: '3000' })),
        ];
        for (const raw of [...opening, ...ops]) {
          const full = raw.op === 'funding' ? { ...raw, time: (fundingTime += 28_800_000) } : raw;
          const parsed = parseCommand(full);
          if ('rejection' in parsed) throw new Error(parsed.rejection.message);
          time += 1000;
          const before = countersOf(state);
          const result = apply(state, parsed.command, time);
          for (const viewer of ACCOUNTS) {
            const messages = userStreamMessages(state, { command: parsed.command, result, before }, viewer);
            if (result.rejection) {
              assert.deepEqual(messages, []);
              continue;
            }
            const own = new Map([...keptOrders(state, viewer), ...(state.users[viewer]?.orders ?? [])].map((o) => [o.orderId, o]));
            const newTrades = keptTrades(state, viewer).filter((t) => t.id >= before.nextTradeId);
            const reported: number[] = [];
            for (const m of messages) {
              if (m.e === 'ORDER_TRADE_UPDATE') {
                assert.ok(own.has(m.o.i), `${viewer} got order ${m.o.i} of another account`);
                if (m.o.x === 'TRADE' || m.o.x === 'CALCULATED') {
                  reported.push(m.o.t);
                  const record = keptOrders(state, viewer).find((o) => o.orderId === m.o.i)!;
                  assert.equal(m.o.z, formatFixed(record.executedQty));
                  assert.equal(m.o.ap, formatFixed(record.avgPrice));
                }
              } else if (m.e === 'ALGO_UPDATE') {
                assert.ok(own.has(m.o.aid), `${viewer} got algo order ${m.o.aid} of another account`);
              } else if (m.e === 'ACCOUNT_UPDATE') {
                for (const b of m.a.B) assert.equal(b.cw, formatFixed(balanceOf(state.balances, b.a, crossAccount(viewer))));
                for (const p of m.a.P) {
                  const position = state.users[viewer]?.positions[positionKey(p.s, p.ps as 'BOTH')];
                  assert.equal(p.pa, position ? signedAmount(position.side, position.size) : '0');
                }
              }
            }
            assert.deepEqual(reported.sort((x, y) => x - y), newTrades.map((t) => t.id), `${viewer}: trades reported once each`);
          }
        }
      }),
      { numRuns: 100 },
    );
  });
});
