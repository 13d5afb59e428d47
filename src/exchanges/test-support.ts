// Helpers shared by the venue tests: build a snapshot from its JSON form and read figures as strings.
import assert from 'node:assert/strict';
import { abs, formatFixed, gt, parseFixed, sub, type Fixed } from '../domain/fixed.ts';
import { profileOf } from './profiles.ts';
import type { AccountSnapshot, ExchangeProfile } from './rules.ts';
import { resolveSnapshot } from './snapshot.ts';

export function snapshot(json: Record<string, unknown>): { account: AccountSnapshot; profile: ExchangeProfile } {
  const account = resolveSnapshot(json);
  return { account, profile: profileOf(account.exchange) };
}

/** Asserts |actual - expected| <= tolerance, all exact decimals; the message names the source. */
export function assertNear<U extends string>(actual: Fixed<U> | undefined, expected: string, tolerance: string, what: string): void {
  assert.ok(actual !== undefined, `${what}: got none, expected ${expected}`);
  const diff = abs(sub(actual, parseFixed<U>(expected)));
  assert.ok(!gt(diff, parseFixed<U>(tolerance)), `${what}: got ${formatFixed(actual)}, expected ${expected} ± ${tolerance}`);
}
