// Deep tier: the exact kernel against the bigint reference on PERPGUARD_KERNEL_ACCOUNTS generated accounts
// (120,000 by default) in PERPGUARD_KERNEL_SHARDS seeds (src/testing/kernel-identity.ts; the quick run in
// npm test is src/domain/kernel/identity.test.ts). Usage: tsx test/deep/kernel-identity.ts <first seed>
// <seeds> <accounts per seed>; prints one line per seed and a JSON totals line, exits 1 on a difference.
import { kernelIdentity } from '../../src/testing/kernel-identity.ts';

const firstSeed = Number(process.argv[2] ?? 20261202);
const seeds = Number(process.argv[3] ?? 4);
const perSeed = Number(process.argv[4] ?? 30_000);
let failed = false;
const sum: Record<string, number> = {};
for (let seed = firstSeed; seed < firstSeed + seeds; seed++) {
  const t0 = performance.now();
  const totals = kernelIdentity(seed, perSeed);
  const seconds = (performance.now() - t0) / 1000;
  for (const key of ['accounts', 'solves', 'none', 'covered', 'fast', 'bigint', 'refused'] as const) sum[key] = (sum[key] ?? 0) + totals[key];
  console.log(
    `seed ${seed}: ${totals.accounts} accounts, ${totals.solves} prices compared (${totals.none} none), ` +
      `${totals.covered} accounts in the kernel (${totals.fast} solves in doubles, ${totals.bigint} handed to bigints), ` +
      `kinds ${JSON.stringify(totals.byKind)}, ${totals.failures.length} differences, ${seconds.toFixed(1)} s`,
  );
  for (const failure of totals.failures) console.log(`  ${failure}`);
  if (totals.failures.length > 0) failed = true;
}
console.log(`KERNEL ${JSON.stringify(sum)}`);
process.exit(failed ? 1 : 0);
