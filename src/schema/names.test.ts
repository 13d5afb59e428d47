// Records keyed by user-supplied names never reach Object.prototype.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { firstProblem, strictObject } from './fields.ts';
import { nameRecord, ownEntry } from './names.ts';

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
