// The exact liquidation-price solve against the float64 kernel of the same formula, on the benchmark's
// 20-position cross account, as three comparisons timed together (bench/timing.ts interleaves them), each
// with three candidates: float64, the exact kernel (src/domain/kernel/, what ExchangeProfile runs) and the
// bigint reference (profile.referenceLiquidationPrices, the path before the kernel), so both ratios show:
// - warm: a prepared account, as a risk loop re-evaluating an account runs it (the float arrays built
//   once; the kernel's AccountKernel from profile.prepare(account) built once and passed in). The
//   kernel computes every pool, decision and digit on each call; when a row's result digits equal its
//   last ones it hands back the bigint it made of them (price-division.ts DigitsMemo), as the float
//   path writes into the same array;
// - cold: each call receives the snapshot as JSON text and parses it afresh (JSON.parse, then
//   resolveSnapshot on the exact side, then floatAccountFromJson on the float side); the kernel candidate
//   prepares its AccountKernel inside the call (profile.prepare, then the solve), the reference solves
//   the fresh account in bigints (what profile.liquidationPrices(account) does without a kernel);
// - moving marks: each call sees a new set of marks (64 sets, every mark moved within +/-2 % of its
//   level, rounded to the tick), on the prepared account: nothing keyed by the marks can be reused (every
//   mark is converted and every price is a new bigint).
// One solve = the liquidation price of one position, so solving all 20 counts 20. Before timing, every
// variant is checked: the exact paths agree to the last digit, and float64 agrees with exact within
// AGREEMENT_TOLERANCE_RELATIVE on every mark set.
import { eq, parseFixed, roundToStep, scale, add, toApproxNumber, type Price } from '../src/domain/fixed.ts';
import { profileOf } from '../src/exchanges/profiles.ts';
import { resolveSnapshot } from '../src/exchanges/snapshot.ts';
import type { AccountSnapshot } from '../src/exchanges/rules.ts';
import { crossAccount, crossAccountJson } from './cross-account.ts';
import { floatAccountOf, floatLiquidationPrices, type FloatAccount } from './float-kernel.ts';
import { floatAccountFromJson, floatBracketsBySymbol } from './float-snapshot.ts';
import type { Candidate } from './timing.ts';

/** The float path must agree with the exact one to this relative difference for the comparison to be fair. */
export const AGREEMENT_TOLERANCE_RELATIVE = 1e-6;
const MARK_SETS = 64;
const MARK_MOVE_MAX_FRACTION = 0.02;

export interface SolveBench {
  readonly positionCount: number;
  /** Positions with a liquidation price at the bench account's own marks. */
  readonly withPrice: number;
  /** Largest |float - exact| / |exact| over the account's own marks and every moving-marks set. */
  readonly maxRelativeDifference: number;
  /** Candidate indices into `candidates`, by role. */
  readonly index: {
    floatWarm: number; exactWarm: number; exactPerLeg: number; bigintWarm: number;
    floatCold: number; exactCold: number; bigintCold: number;
    floatMoving: number; exactMoving: number; bigintMoving: number;
  };
  /** How the kernel's solves went on the warm account: in doubles, or handed to bigints. */
  readonly kernelCounts: { readonly fast: number; readonly bigint: number; readonly refused: number };
  readonly candidates: readonly Candidate[];
}

function countDefined(prices: readonly (Price | undefined)[]): number {
  let defined = 0;
  for (const p of prices) if (p !== undefined) defined++;
  return defined;
}

/** Largest relative difference of float vs exact; Infinity when they disagree on which have a price. */
function relativeDifference(exact: readonly (Price | undefined)[], approx: Float64Array): number {
  let worst = 0;
  exact.forEach((price, i) => {
    if (price === undefined) {
      if (!Number.isNaN(approx[i]!)) worst = Infinity;
      return;
    }
    const reference = toApproxNumber(price);
    worst = Math.max(worst, Math.abs(approx[i]! - reference) / Math.abs(reference));
  });
  return worst;
}

function sameExact(a: readonly (Price | undefined)[], b: readonly (Price | undefined)[]): boolean {
  return a.length === b.length && a.every((p, i) => (p === undefined ? b[i] === undefined : b[i] !== undefined && eq(p, b[i]!)));
}

export function solveBench(): SolveBench {
  const account = crossAccount();
  const profile = profileOf(account.exchange);
  const n = account.legs.length;
  const out = new Float64Array(n);
  const scratch = new Float64Array(n);
  const snapshotText = JSON.stringify(crossAccountJson());

  // warm
  const floatAccount = floatAccountOf(account);
  const kernel = profile.prepare(account);
  const exactPrices = profile.referenceLiquidationPrices(account);
  if (!sameExact(profile.liquidationPrices(account, kernel), exactPrices)) throw new Error('the kernel and the bigint reference differ');
  const kernelCounts = { ...kernel.counts };
  account.legs.forEach((leg, i) => {
    const perLeg = profile.liquidationPrice(account, i, kernel);
    if (!sameExact([perLeg], [exactPrices[i]])) throw new Error(`liquidationPrices and liquidationPrice(account, ${i}) differ for ${leg.symbol}`);
  });
  floatLiquidationPrices(floatAccount, out, scratch);
  let maxRelative = relativeDifference(exactPrices, out);

  // cold: the same text parsed afresh gives the same prices on both sides
  const bundledTables = floatBracketsBySymbol(floatAccount, account.legs.map((l) => l.symbol));
  const coldAccount = resolveSnapshot(JSON.parse(snapshotText));
  if (!sameExact(profile.liquidationPrices(coldAccount, profile.prepare(coldAccount)), exactPrices) || !sameExact(profile.referenceLiquidationPrices(coldAccount), exactPrices)) {
    throw new Error('the freshly parsed snapshot solves differently');
  }
  floatLiquidationPrices(floatAccountFromJson(snapshotText, bundledTables), out, scratch);
  maxRelative = Math.max(maxRelative, relativeDifference(exactPrices, out));

  // moving marks: deterministic sets, the same marks on both sides
  const movedSnapshots: AccountSnapshot[] = [];
  const movedFloatMarks: Float64Array[] = [];
  for (let s = 0; s < MARK_SETS; s++) {
    const legs = account.legs.map((leg, i) => {
      const fraction = MARK_MOVE_MAX_FRACTION * Math.sin(1.7 * s + 2.3 * i + 0.5);
      const moved = add(leg.markPrice, scale(leg.markPrice, parseFixed<'Rate'>(fraction.toFixed(6)), 'halfEven'));
      return { ...leg, markPrice: roundToStep(moved, leg.market.tickSize, 'halfEven') };
    });
    movedSnapshots.push({ ...account, legs });
    movedFloatMarks.push(Float64Array.from(legs, (l) => toApproxNumber(l.markPrice)));
  }
  const movingFloat: FloatAccount = { ...floatAccount, markPriceUsdt: new Float64Array(n) };
  movedSnapshots.forEach((snapshot, s) => {
    movingFloat.markPriceUsdt.set(movedFloatMarks[s]!);
    floatLiquidationPrices(movingFloat, out, scratch);
    const reference = profile.referenceLiquidationPrices(snapshot);
    if (!sameExact(profile.liquidationPrices(snapshot, kernel), reference)) throw new Error(`the kernel and the reference differ at mark set ${s}`);
    maxRelative = Math.max(maxRelative, relativeDifference(reference, out));
  });

  const floatCount = (): number => {
    let defined = 0;
    for (let i = 0; i < n; i++) if (out[i]! > 0) defined++;
    return defined;
  };
  let nextSet = 0;
  let nextBigintSet = 0;
  let nextFloatSet = 0;
  const candidates: Candidate[] = [
    { name: 'float64, warm', opsPerCall: n, run: () => (floatLiquidationPrices(floatAccount, out, scratch), floatCount()) },
    { name: 'exact kernel, warm', opsPerCall: n, run: () => countDefined(profile.liquidationPrices(account, kernel)) },
    {
      name: 'exact kernel, warm, one position per call',
      opsPerCall: n,
      run: () => {
        let defined = 0;
        for (let i = 0; i < n; i++) if (profile.liquidationPrice(account, i, kernel) !== undefined) defined++;
        return defined;
      },
    },
    { name: 'bigint reference, warm', opsPerCall: n, run: () => countDefined(profile.referenceLiquidationPrices(account)) },
    { name: 'float64, cold', opsPerCall: n, run: () => (floatLiquidationPrices(floatAccountFromJson(snapshotText, bundledTables), out, scratch), floatCount()) },
    {
      name: 'exact kernel, cold',
      opsPerCall: n,
      run: () => {
        const fresh = resolveSnapshot(JSON.parse(snapshotText));
        return countDefined(profile.liquidationPrices(fresh, profile.prepare(fresh)));
      },
    },
    { name: 'bigint reference, cold', opsPerCall: n, run: () => countDefined(profile.referenceLiquidationPrices(resolveSnapshot(JSON.parse(snapshotText)))) },
    {
      name: 'float64, moving marks',
      opsPerCall: n,
      run: () => {
        movingFloat.markPriceUsdt.set(movedFloatMarks[nextFloatSet++ % MARK_SETS]!);
        floatLiquidationPrices(movingFloat, out, scratch);
        return floatCount();
      },
    },
    { name: 'exact kernel, moving marks', opsPerCall: n, run: () => countDefined(profile.liquidationPrices(movedSnapshots[nextSet++ % MARK_SETS]!, kernel)) },
    { name: 'bigint reference, moving marks', opsPerCall: n, run: () => countDefined(profile.referenceLiquidationPrices(movedSnapshots[nextBigintSet++ % MARK_SETS]!)) },
  ];
  return {
    positionCount: n,
    withPrice: countDefined(exactPrices),
    maxRelativeDifference: maxRelative,
    index: { floatWarm: 0, exactWarm: 1, exactPerLeg: 2, bigintWarm: 3, floatCold: 4, exactCold: 5, bigintCold: 6, floatMoving: 7, exactMoving: 8, bigintMoving: 9 },
    kernelCounts,
    candidates,
  };
}
