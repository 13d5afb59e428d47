// The one decimal: the JSON schema and the text of flags follow the same rule.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import { decimal, decimalText, positiveDecimal } from './decimal.ts';
import { InputError } from './input-error.ts';

describe('decimal bounds', () => {
  it('positive decimals refuse zero in every spelling', () => {
    for (const zero of ['0', '0.0', '-0', '0e5', '0.000']) assert.ok(!positiveDecimal.safeParse(zero).success, zero);
    for (const ok of ['1', '0.001', '1e-3', '5e2']) assert.ok(positiveDecimal.safeParse(ok).success, ok);
    assert.ok(!positiveDecimal.safeParse('-1').success);
  });
});

describe('decimal text (flags and answers)', () => {
  it('reads grouped thousands exactly', () => {
    assert.equal(formatFixed(decimalText('--size', '1,000.5')), '1000.5');
    assert.equal(formatFixed(decimalText('--size', ' 1_000_000 ')), '1000000');
    assert.equal(formatFixed(decimalText('--rate', '-0.000125')), '-0.000125');
  });
  it('refuses what the JSON schema refuses, naming the field', () => {
    for (const text of ['abc', '1.0000000000000000001', '2e15']) {
      const schemaProblem = decimal.safeParse(text).error!.issues[0]!.message;
      assert.throws(() => decimalText('--entry', text), (e: unknown) => e instanceof InputError && e.field === '--entry' && e.reason === schemaProblem);
    }
  });
});
