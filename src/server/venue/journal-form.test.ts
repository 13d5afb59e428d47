// Round trip: what the server logs is what the engine parses back (src/engine/commands.ts parseCommand).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseCommand } from '../../engine/commands.ts';
import { journalForm } from './journal-form.ts';

const ops: Record<string, unknown>[] = [
  { op: 'deposit', account: 'a1', asset: 'USDT', amount: '10000.5' },
  { op: 'order', account: 'a1', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.001', price: '42000.1', timeInForce: 'GTX', clientOrderId: 'x-cvBPrNm9AAAA' },
  { op: 'order', account: 'a1', symbol: 'ETHUSDT', side: 'sell', type: 'stop_market', stopPrice: '2999.99', closePosition: true, positionSide: 'SHORT' },
  { op: 'cancel', account: 'a1', symbol: 'BTCUSDT', orderId: 7 },
  { op: 'reduceMargin', account: 'a1', symbol: 'BTCUSDT', amount: '0.000000000000000001' },
  { op: 'setLeverage', account: 'a1', symbol: 'BTCUSDT', leverage: 20 },
  { op: 'funding', symbol: 'SOLUSDT', rate: '-0.00012359' },
  { op: 'mark', symbol: 'BTCUSDT', price: '91048.59' },
];

describe('journalForm', () => {
  for (const op of ops) {
    it(`${op.op}: parse -> journalForm -> parse gives the same command`, () => {
      const first = parseCommand(op);
      assert.ok('command' in first);
      const form = journalForm(first.command);
      const again = parseCommand(form);
      assert.ok('command' in again, JSON.stringify(form));
      assert.deepEqual(again.command, first.command);
      // the log is JSON: no bigint may survive
      assert.doesNotThrow(() => JSON.stringify(form));
    });
  }
  it('decimals keep their exact text: 42000.1 stays "42000.1", 1e-18 stays "0.000000000000000001"', () => {
    const order = parseCommand(ops[1]);
    assert.ok('command' in order);
    assert.equal(journalForm(order.command)['price'], '42000.1');
    const margin = parseCommand(ops[4]);
    assert.ok('command' in margin);
    assert.equal(journalForm(margin.command)['amount'], '0.000000000000000001');
  });
});
