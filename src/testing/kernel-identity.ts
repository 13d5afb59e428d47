// The kernel identity run: the exact kernel (ExchangeProfile.liquidationPrices / bankruptcyPrices, through
// ../domain/kernel/) against the bigint reference (referenceLiquidationPrices / referenceBankruptcyPrices)
// on generated accounts (./kernel-accounts.ts), to the last of the 18 decimals, and `undefined` exactly
// where the reference has no price. Each account is solved fresh, then at moved marks with the kernel
// prepared for the first marks (the path a risk loop takes), then one leg alone (the per-leg methods). Shared by the quick test in npm test and
// the deep run (test/deep/kernel-identity.ts).
import { formatFixed, type Price } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import type { AccountSnapshot } from '../exchanges/rules.ts';
import { describeAccount, kernelCase, type AccountKind } from './kernel-accounts.ts';
import { Rng } from './prng.ts';

export interface IdentityTotals {
  accounts: number;
  /** Prices compared (liquidation and bankruptcy, every leg, both mark sets). */
  solves: number;
  /** Of those, solves where the reference has no price. */
  none: number;
  /** Accounts the kernel's float layers covered (the rest went to bigints whole). */
  covered: number;
  /** Solves of covered accounts done in doubles, and handed to the bigint solver; calls refused whole. */
  fast: number;
  bigint: number;
  refused: number;
  /** Covered accounts per kind, and their solves handed to bigints per kind. */
  coveredByKind: Record<AccountKind, number>;
  bigintByKind: Record<AccountKind, number>;
  byKind: Record<AccountKind, number>;
  /** Differences found (each described), at most 10 kept. */
  failures: string[];
}

const show = (p: Price | undefined): string => (p === undefined ? 'none' : formatFixed(p));

function compare(totals: IdentityTotals, label: string, account: AccountSnapshot, got: readonly (Price | undefined)[], want: readonly (Price | undefined)[]): void {
  want.forEach((w, i) => {
    totals.solves++;
    if (w === undefined) totals.none++;
    if (show(got[i]) !== show(w) && totals.failures.length < 10) {
      totals.failures.push(`${label} leg ${i}: kernel ${show(got[i])}, reference ${show(w)}; ${describeAccount(account)}`);
    }
  });
}

/** Runs `count` accounts of the seed's stream. */
export function kernelIdentity(seed: number, count: number): IdentityTotals {
  const rng = new Rng(seed);
  const totals: IdentityTotals = {
    accounts: 0,
    solves: 0,
    none: 0,
    covered: 0,
    fast: 0,
    bigint: 0,
    refused: 0,
    byKind: { random: 0, subcent: 0, huge: 0, threshold: 0, floor: 0 },
    coveredByKind: { random: 0, subcent: 0, huge: 0, threshold: 0, floor: 0 },
    bigintByKind: { random: 0, subcent: 0, huge: 0, threshold: 0, floor: 0 },
    failures: [],
  };
  for (let n = 0; n < count; n++) {
    const { kind, account, moved } = kernelCase(rng);
    const profile = profileOf(account.exchange);
    totals.accounts++;
    totals.byKind[kind]++;
    const kernel = profile.prepare(account);
    if (kernel.covered) {
      totals.covered++;
      totals.coveredByKind[kind]++;
    }
    const label = `seed ${seed} account ${n} (${kind})`;
    compare(totals, `${label} liquidation`, account, profile.liquidationPrices(account, kernel), profile.referenceLiquidationPrices(account));
    compare(totals, `${label} bankruptcy`, account, profile.bankruptcyPrices(account, kernel), profile.referenceBankruptcyPrices(account));
    compare(totals, `${label} liquidation, moved marks`, moved, profile.liquidationPrices(moved, kernel), profile.referenceLiquidationPrices(moved));
    compare(totals, `${label} bankruptcy, moved marks`, moved, profile.bankruptcyPrices(moved, kernel), profile.referenceBankruptcyPrices(moved));
    if (account.legs.length > 0) {
      // one leg alone (liquidationPrice / bankruptcyPrice: the pools of every leg, one solve)
      const i = n % account.legs.length;
      compare(totals, `${label} liquidation, leg ${i} alone`, account, [profile.liquidationPrice(account, i, kernel)], [profile.referenceLiquidationPrice(account, i)]);
      compare(totals, `${label} bankruptcy, leg ${i} alone`, account, [profile.bankruptcyPrice(account, i, kernel)], [profile.referenceBankruptcyPrice(account, i)]);
    }
    const counts = kernel.counts;
    totals.fast += counts.fast;
    totals.bigint += counts.bigint;
    totals.refused += counts.refused;
    totals.bigintByKind[kind] += counts.bigint;
  }
  return totals;
}
