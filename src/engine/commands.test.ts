// commandProblem's shortcut for orders (checked field by field, without the schema) must answer as the
// schema does: parseCommand runs the schema alone, so the two are compared on valid and broken orders.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { commandProblem, parseCommand } from './commands.ts';

/** An order's fields: what the server logs, or (`wrong`) sometimes something the schema refuses. */
function orderOf(wrong: boolean) {
  const value = <T>(good: fc.Arbitrary<T>) => (wrong ? fc.oneof({ weight: 6, arbitrary: good }, { weight: 1, arbitrary: fc.constantFrom<unknown>(undefined, null, '', 1, true, 'x', [], {}) }) : good);
  const decimalText = wrong ? fc.oneof(fc.stringMatching(/^-?[0-9]{1,16}(\.[0-9]{1,19})?$/), fc.constantFrom('1e3', '1e16', ' 1', '1.', '0x1')) : fc.stringMatching(/^[0-9]{1,9}(\.[0-9]{1,8})?$/);
  return fc.record(
    {
      op: wrong ? fc.constantFrom<unknown>('order', 'order', 'cancel', undefined) : fc.constant('order'),
      account: value(fc.string({ minLength: 1, maxLength: 24 })),
      symbol: value(fc.constantFrom('BTCUSDT', 'ETHUSDT', 'é')),
      side: value(wrong ? fc.constantFrom('buy', 'sell', 'BUY') : fc.constantFrom('buy', 'sell')),
      type: value(wrong ? fc.constantFrom('market', 'limit', 'MARKET') : fc.constantFrom('market', 'limit', 'stop_market', 'take_profit_market')),
      quantity: value(decimalText),
      price: value(decimalText),
      stopPrice: value(decimalText),
      timeInForce: value(wrong ? fc.constantFrom('GTC', 'gtc') : fc.constantFrom('GTC', 'IOC', 'FOK', 'GTX')),
      postOnly: value(fc.boolean()),
      reduceOnly: value(fc.boolean()),
      closePosition: value(fc.boolean()),
      positionSide: value(wrong ? fc.constantFrom('BOTH', 'both') : fc.constantFrom('BOTH', 'LONG', 'SHORT')),
      clientOrderId: value(wrong ? fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) : fc.stringMatching(/^[.A-Z:/a-z0-9_-]{1,36}$/)),
      ...(wrong ? { extra: fc.constantFrom(1, 'x') } : {}),
    },
    { requiredKeys: wrong ? [] : ['op', 'account', 'symbol', 'side', 'type'] },
  );
}

describe('commandProblem', () => {
  it('accepts an order exactly when the schema does (random orders, half of them valid)', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(orderOf(false), orderOf(true)), (json) => {
        const problem = commandProblem(json);
        const parsed = parseCommand(json);
        assert.equal(problem === undefined, 'command' in parsed, JSON.stringify(json));
        if (problem === undefined) accepted += 1;
      }),
      { numRuns: 5000 },
    );
    // the valid side was exercised, not only refusals
    assert.ok(accepted > 1000, `only ${accepted} accepted orders generated`);
  });

  it('names the field the schema names when an order is refused', () => {
    assert.deepEqual(commandProblem({ op: 'order', account: 'a', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.0000000000000000001' }), {
      field: 'quantity',
      reason: 'has more than 18 decimals ("0.0000000000000000001"); perpguard keeps 18 and does not round input',
    });
    assert.equal(commandProblem({ op: 'order', account: 'a', symbol: 'BTCUSDT', side: 'buy', type: 'market', clientOrderId: 'x'.repeat(37) })?.field, 'clientOrderId');
    assert.equal(commandProblem({ op: 'order', account: 'a', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01', leverage: 3 })?.field, 'leverage');
    assert.equal(commandProblem({ op: 'order', account: 'a', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' }), undefined);
  });
});
