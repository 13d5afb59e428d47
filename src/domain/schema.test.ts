// The shared input schemas: "did you mean", calendar dates, records keyed by user-supplied names, bounds.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { calendarDate, decimal, editDistance, firstProblem, isCalendarDate, nameRecord, nearestName, ownEntry, positiveDecimal, strictObject } from './schema.ts';
import { z } from 'zod';

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

describe('calendar dates', () => {
  it('refuses dates that do not exist', () => {
    for (const bad of ['2024-13-45', '2023-02-29', '2100-02-29', '2024-04-31', '2024-00-10', '2024-1-5', '24-01-05', '2024-01-05T00:00']) assert.equal(isCalendarDate(bad), false, bad);
    for (const good of ['2024-02-29', '2000-02-29', '1970-01-01', '2024-12-31']) assert.equal(isCalendarDate(good), true, good);
    assert.match(calendarDate.safeParse('2024-13-45').error!.issues[0]!.message, /must be a real date YYYY-MM-DD, got "2024-13-45"/);
  });
  it('agrees with the proleptic Gregorian calendar on every day from 1900 to 2200 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const date = new Date(Date.UTC(y, m - 1, d)); // the test may use the clock's calendar; the core may not
        assert.equal(isCalendarDate(text), date.getUTCMonth() === m - 1 && date.getUTCDate() === d);
      }),
    );
  });
});

describe('records keyed by names', () => {
  const markets = nameRecord(strictObject({ maxLeverage: z.number() }));
  it('constructor and toString are ordinary names; __proto__ is refused, not dropped', () => {
    const parsed = markets.parse(JSON.parse('{"constructor": {"maxLeverage": 5}}'));
    assert.equal(Object.getPrototypeOf(parsed), null);
    assert.deepEqual(ownEntry(parsed, 'constructor'), { maxLeverage: 5 });
    assert.equal(ownEntry(parsed, 'toString'), undefined);
    const proto = markets.safeParse(JSON.parse('{"__proto__": {"maxLeverage": 5}}'));
    assert.ok(!proto.success);
    assert.deepEqual(firstProblem(proto.error), { field: '__proto__', reason: 'is not a name perpguard accepts' });
  });
});

describe('decimal bounds', () => {
  it('positive decimals refuse zero in every spelling', () => {
    for (const zero of ['0', '0.0', '-0', '0e5', '0.000']) assert.ok(!positiveDecimal.safeParse(zero).success, zero);
    for (const ok of ['1', '0.001', '1e-3', '5e2']) assert.ok(positiveDecimal.safeParse(ok).success, ok);
    assert.ok(!positiveDecimal.safeParse('-1').success);
  });
});
