// Unknown fields and field paths: "did you mean", and a zod path as the field an error names.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { z } from 'zod';
import { decimal } from './decimal.ts';
import { editDistance, firstProblem, nearestName, pathField, strictObject } from './fields.ts';

describe('did you mean', () => {
  const orderFields = ['op', 'account', 'symbol', 'side', 'type', 'quantity', 'price', 'stopPrice', 'timeInForce', 'postOnly', 'reduceOnly', 'closePosition', 'positionSide', 'clientOrderId'];
  it('finds the field behind snake case, typos, swapped letters and shortened names', () => {
    assert.equal(nearestName('reduce_only', orderFields), 'reduceOnly'); // issue 9: this turned a reduce into a short
    assert.equal(nearestName('quantiy', orderFields), 'quantity');
    assert.equal(nearestName('sied', ['side', 'size']), 'side');
    assert.equal(nearestName('stop_price', orderFields), 'stopPrice');
    assert.equal(nearestName('wallet', ['walletBalance', 'positions']), 'walletBalance');
    assert.equal(nearestName('colour', orderFields), undefined);
  });
  it('edit distance counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('sied', 'side'), 1);
    assert.equal(editDistance('kitten', 'sitting'), 3);
    fc.assert(fc.property(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), (a, b) => editDistance(a, b) === editDistance(b, a) && (editDistance(a, b) === 0) === (a === b)));
  });
  it('a strict object names the unknown field itself, with the nearest known one', () => {
    const schema = strictObject({ reduceOnly: z.boolean().optional(), quantity: decimal });
    const r = schema.safeParse({ quantity: '1', reduce_only: true });
    assert.ok(!r.success);
    assert.deepEqual(firstProblem(r.error), { field: 'reduce_only', reason: 'unknown field (did you mean reduceOnly?)' });
    const far = schema.safeParse({ quantity: '1', colour: 'red' });
    assert.ok(!far.success);
    assert.deepEqual(firstProblem(far.error), { field: 'colour', reason: 'unknown field (known: reduceOnly, quantity)' });
  });
});

describe('field paths', () => {
  it('writes indices in brackets and names with dots, as the errors name them', () => {
    assert.equal(pathField(['positions', 0, 'size']), 'positions[0].size');
    assert.equal(pathField([0, 'ops', 12, 'price']), '[0].ops[12].price');
    assert.equal(pathField([]), '');
  });
  it('names the nested field of the first problem', () => {
    const schema = strictObject({ positions: z.array(strictObject({ size: decimal })) });
    const r = schema.safeParse({ positions: [{ size: '1' }, { size: 2 }] });
    assert.ok(!r.success);
    assert.deepEqual(firstProblem(r.error), { field: 'positions[1].size', reason: 'must be a decimal string such as "123.45", got the JSON number 2 (write it as a string so it stays exact)' });
  });
});
