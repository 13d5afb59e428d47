// The exact kernel against the bigint reference on generated accounts (src/testing/kernel-accounts.ts):
// random and adversarial accounts on all six venues, linear and inverse, cross and isolated, one-way and
// hedge, roots exactly on a bracket floor, accounts exactly at their threshold, sub-cent coins with large
// balances and huge sizes. Every liquidation and bankruptcy price must be the reference's to the last of
// its 18 decimals, and undefined exactly where the reference's is. This is the quick run (3,000 accounts,
// one seed); `npm run test:deep` runs test/deep/kernel-identity.ts over 100,000 and more.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { kernelIdentity } from '../../testing/kernel-identity.ts';

const SEED = Number(process.env['PERPGUARD_KERNEL_SEED'] ?? 20261202);
const ACCOUNTS = Number(process.env['PERPGUARD_KERNEL_ACCOUNTS'] ?? 3_000);

describe('exact kernel = bigint reference', () => {
  it(`on ${ACCOUNTS} generated accounts (seed ${SEED})`, () => {
    const totals = kernelIdentity(SEED, ACCOUNTS);
    assert.deepEqual(totals.failures, []);
    assert.equal(totals.accounts, ACCOUNTS);
    // the run must exercise what it claims: every kind, the fast path, the fallbacks and accounts
    // without a price, or it proves nothing
    for (const kind of Object.keys(totals.byKind) as (keyof typeof totals.byKind)[]) assert.ok(totals.byKind[kind] > ACCOUNTS / 20, `few ${kind} accounts`);
    assert.ok(totals.fast > totals.solves / 3, `kernel fast path on ${totals.fast} of ${totals.solves} solves`);
    assert.ok(totals.bigintByKind.floor > 0, 'no root on a bracket floor reached the bigint fallback');
    assert.ok(totals.none > 0 && totals.none < totals.solves, 'accounts with and without prices');
  });
});
