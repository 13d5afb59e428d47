// `npm run bench`: liquidation-price solves per second on a 20-position cross account, exact (the real
// ExchangeProfile path) against a float64 kernel of the same formula, measured in one run.
//
//   npm run bench               a readable table
//   npm run -s bench -- --json  ONLY a JSON array [{ name, value, unit, baseline, ratio }] on stdout
//                               (-s keeps npm's own "> perpguard bench" banner off stdout)
//
// One solve = the liquidation price of one position, so solving all 20 counts 20.
// Both paths are timed on a prepared account, as a risk loop re-evaluating an account would run them:
// the float arrays are built once, and the exact path builds each bracket table's schedule and the
// solver's prepared segments on its first call and reuses them (they are cached per table). Parsing the
// snapshot JSON is in neither figure.
// `ratio` is the time ratio exact / float64 (float solves/s divided by exact solves/s): how many times
// slower exactness is. The target of the issue is ratio <= 10.
import Table from 'cli-table3';
import { eq, toApproxNumber, type Price } from '../src/domain/fixed.ts';
import { profileOf } from '../src/exchanges/profiles.ts';
import type { AccountSnapshot } from '../src/exchanges/rules.ts';
import { crossAccount } from './cross-account.ts';
import { engineBench } from './engine.ts';
import { simBench } from './sim.ts';
import { floatAccountOf, floatLiquidationPrices } from './float-kernel.ts';
import { measureThroughput, sink, type Throughput, type TimingOptions } from './timing.ts';

/** The float path must agree with the exact one to this relative difference for the comparison to be fair. */
const AGREEMENT_TOLERANCE_RELATIVE = 1e-6;
/** The target for exact vs float64. */
const TARGET_SLOWDOWN = 10;
// ~3.5 s per measured figure; three figures stay well inside the 30 s budget.
const TIMING: TimingOptions = { warmupMs: 1000, sampleMs: 350, samples: 7 };

interface BenchEntry {
  readonly name: string;
  readonly value: number;
  readonly unit: string;
  /** The float64 figure the value is compared with, or null when the entry is not a comparison. */
  readonly baseline: number | null;
  /** Time ratio value-path / baseline-path (baseline solves/s / value solves/s), or null. */
  readonly ratio: number | null;
}

const json = process.argv.includes('--json');

const account = crossAccount();
const profile = profileOf(account.exchange);
const positionCount = account.legs.length;

// ----------------------------------------------------------------- the measured calls

/** Exact, one position at a time through the public per-leg API. Returns how many have a price. */
function exactPerLeg(snapshot: AccountSnapshot): number {
  let defined = 0;
  for (let i = 0; i < snapshot.legs.length; i++) if (profile.liquidationPrice(snapshot, i) !== undefined) defined++;
  return defined;
}

/** Exact, the whole account at once: what evaluate() and `perpguard calc` use. */
function exactWholeAccount(snapshot: AccountSnapshot): number {
  let defined = 0;
  for (const price of profile.liquidationPrices(snapshot)) if (price !== undefined) defined++;
  return defined;
}

const floatAccount = floatAccountOf(account);
const floatOut = new Float64Array(positionCount);
const floatScratch = new Float64Array(positionCount);

function floatAll(): number {
  floatLiquidationPrices(floatAccount, floatOut, floatScratch);
  let defined = 0;
  for (let i = 0; i < positionCount; i++) if (floatOut[i]! > 0) defined++;
  return defined;
}

// ----------------------------------------------------------------- honesty checks, before timing

const exactPrices: (Price | undefined)[] = profile.liquidationPrices(account);
// The two exact paths are two implementations of one definition: they must agree to the last digit.
account.legs.forEach((leg, i) => {
  const perLeg = profile.liquidationPrice(account, i);
  const whole = exactPrices[i];
  if ((perLeg === undefined) !== (whole === undefined) || (perLeg !== undefined && !eq(perLeg, whole!))) {
    throw new Error(`liquidationPrices and liquidationPrice(account, ${i}) differ for ${leg.symbol}`);
  }
});
floatLiquidationPrices(floatAccount, floatOut, floatScratch);

/** Largest |float - exact| / |exact| over positions with a price; Infinity if the two disagree on which have one. */
function maxRelativeDifference(): { maxRelative: number; withPrice: number } {
  let maxRelative = 0;
  let withPrice = 0;
  exactPrices.forEach((exact, i) => {
    const approx = floatOut[i]!;
    if (exact === undefined) {
      if (!Number.isNaN(approx)) maxRelative = Infinity;
      return;
    }
    withPrice++;
    const reference = toApproxNumber(exact);
    maxRelative = Math.max(maxRelative, Math.abs(approx - reference) / Math.abs(reference));
  });
  return { maxRelative, withPrice };
}
const agreement = maxRelativeDifference();

// ----------------------------------------------------------------- timing

const exactWholeRate = measureThroughput(() => exactWholeAccount(account), positionCount, TIMING);
const exactPerLegRate = measureThroughput(() => exactPerLeg(account), positionCount, TIMING);
const floatRate = measureThroughput(floatAll, positionCount, TIMING);
if (!Number.isFinite(sink)) throw new Error('benchmark sink is not finite');

const engine = engineBench();
const engineRate = measureThroughput(() => engine.engineTick(), 1, TIMING);
const coreRate = measureThroughput(() => engine.coreTick(), 1, TIMING);
const engineOverhead = coreRate.opsPerSecond / engineRate.opsPerSecond;

const slowdown = (exact: Throughput): number => floatRate.opsPerSecond / exact.opsPerSecond;

const title = `liquidation-price solves, cross ${positionCount} positions`;
const entries: BenchEntry[] = [
  {
    name: `${title}, exact`,
    value: exactWholeRate.opsPerSecond,
    unit: 'solves/s',
    baseline: floatRate.opsPerSecond,
    ratio: slowdown(exactWholeRate),
  },
  {
    name: `${title}, exact, one position per call`,
    value: exactPerLegRate.opsPerSecond,
    unit: 'solves/s',
    baseline: floatRate.opsPerSecond,
    ratio: slowdown(exactPerLegRate),
  },
  { name: `${title}, float64`, value: floatRate.opsPerSecond, unit: 'solves/s', baseline: null, ratio: null },
  {
    name: `engine: mark ticks applied, account of ${engine.positions} cross positions`,
    value: engineRate.opsPerSecond,
    unit: 'ops/s',
    baseline: coreRate.opsPerSecond,
    ratio: engineOverhead,
  },
  { name: `engine: margin-core-only cost of the same ticks`, value: coreRate.opsPerSecond, unit: 'ticks/s', baseline: null, ratio: null },
  {
    name: `${title}, max relative difference float64 vs exact`,
    value: agreement.maxRelative,
    unit: 'relative',
    baseline: null,
    ratio: null,
  },
];

// the simulator: replay of all bundled history under three modes, Monte Carlo throughput, the target run
const TARGET_PATHS = Number(process.env['PERPGUARD_BENCH_PATHS'] ?? 10_000);
const sim = await simBench({ targetPaths: TARGET_PATHS });
entries.push(
  {
    name: `replay: all bundled history (${sim.replayBars} bars, 3 legs) under 3 modes`,
    value: sim.replayPositionBarsPerSecond,
    unit: 'position-bars/s',
    baseline: sim.replayPlainPositionBarsPerSecond,
    ratio: sim.replayPositionBarsPerSecond / sim.replayPlainPositionBarsPerSecond,
  },
  { name: 'replay: all bundled history under 3 modes, wall time', value: sim.replaySeconds, unit: 's', baseline: 2, ratio: sim.replaySeconds / 2 },
  {
    name: 'monte carlo: path-steps (paths x hours x assets x modes), one thread, screened exact',
    value: sim.mcPathStepsPerSecond,
    unit: 'path-steps/s',
    baseline: sim.mcPlainPathStepsPerSecond,
    ratio: sim.mcPathStepsPerSecond / sim.mcPlainPathStepsPerSecond,
  },
  {
    name: 'screening kernel alone: bar checks (MB/MM at the extremes, orders) on generated paths',
    value: sim.kernelStepsPerSecond,
    unit: 'bar-steps/s',
    baseline: sim.kernelPlainStepsPerSecond,
    ratio: sim.kernelStepsPerSecond / sim.kernelPlainStepsPerSecond,
  },
  {
    name: `monte carlo: ${TARGET_PATHS} paths x 720 h x 3 assets x 2 modes, 2 workers, wall time`,
    value: sim.targetRunSeconds,
    unit: 's',
    baseline: 10,
    ratio: sim.targetRunSeconds / 10,
  },
);

const agreementOk = agreement.maxRelative <= AGREEMENT_TOLERANCE_RELATIVE;
if (!agreementOk) process.exitCode = 1;

if (json) {
  process.stdout.write(JSON.stringify(entries) + '\n');
} else {
  const rate = (t: Throughput): string => Math.round(t.opsPerSecond).toLocaleString('en-US');
  const spread = (t: Throughput): string =>
    `${Math.round(t.minOpsPerSecond).toLocaleString('en-US')} – ${Math.round(t.maxOpsPerSecond).toLocaleString('en-US')}`;
  const table = new Table({ head: ['figure', 'solves/s (median)', 'min – max of samples', 'slower than float64'] });
  table.push(
    ['exact: profile.liquidationPrices(account)', rate(exactWholeRate), spread(exactWholeRate), `${slowdown(exactWholeRate).toFixed(1)}x`],
    ['exact: profile.liquidationPrice(account, i), i = 0..19', rate(exactPerLegRate), spread(exactPerLegRate), `${slowdown(exactPerLegRate).toFixed(1)}x`],
    ['float64 kernel (bench/float-kernel.ts)', rate(floatRate), spread(floatRate), '1.0x'],
  );
  console.log(`${title} (binance-usdm, one-way, ${agreement.withPrice} of ${positionCount} with a liquidation price)`);
  console.log(table.toString());
  console.log(
    `float64 vs exact, max relative difference: ${agreement.maxRelative.toExponential(2)} ` +
      `(${agreementOk ? 'OK' : 'FAIL'}, tolerance ${AGREEMENT_TOLERANCE_RELATIVE})`,
  );
  const headline = slowdown(exactWholeRate);
  console.log(
    `exact is ${headline.toFixed(1)}x slower than float64; target <= ${TARGET_SLOWDOWN}x: ${headline <= TARGET_SLOWDOWN ? 'met' : 'NOT met'}`,
  );
  const engineTable = new Table({ head: ['figure', 'per second (median)', 'min – max of samples', 'cost vs margin core'] });
  engineTable.push(
    [`engine: apply(mark tick), ${engine.positions} cross positions`, rate(engineRate), spread(engineRate), `${engineOverhead.toFixed(1)}x`],
    ['margin core only: MB and MM of the account per tick', rate(coreRate), spread(coreRate), '1.0x'],
  );
  console.log('');
  console.log(engineTable.toString());
  const simTable = new Table({ head: ['simulator figure', 'value', 'plain float64 loop', 'share of the plain loop / target'] });
  const m = (x: number) => Math.round(x).toLocaleString('en-US');
  simTable.push(
    [`replay, all bundled history (${sim.replayBars.toLocaleString('en-US')} bars) x 3 modes`, `${m(sim.replayPositionBarsPerSecond)} position-bars/s`, `${m(sim.replayPlainPositionBarsPerSecond)}`, `${(100 * sim.replayPositionBarsPerSecond / sim.replayPlainPositionBarsPerSecond).toFixed(0)} %`],
    ['replay wall time, 3 modes', `${sim.replaySeconds.toFixed(2)} s`, '', `target < 2 s: ${sim.replaySeconds < 2 ? 'met' : 'NOT met'}`],
    ['screening kernel alone, same prices', `${m(sim.kernelStepsPerSecond)} bar-steps/s`, `${m(sim.kernelPlainStepsPerSecond)}`, `${(100 * sim.kernelStepsPerSecond / sim.kernelPlainStepsPerSecond).toFixed(0)} % (target >= 50 %)`],
    ['Monte Carlo end to end, one thread (generation + kernel + exact steps)', `${m(sim.mcPathStepsPerSecond)} path-steps/s`, `${m(sim.mcPlainPathStepsPerSecond)}`, `${(100 * sim.mcPathStepsPerSecond / sim.mcPlainPathStepsPerSecond).toFixed(0)} %`],
    [`${TARGET_PATHS.toLocaleString('en-US')} paths x 720 h x 3 assets x 2 modes, 2 workers`, `${sim.targetRunSeconds.toFixed(1)} s`, '', `target < 10 s: ${sim.targetRunSeconds < 10 ? 'met' : 'NOT met'}`],
  );
  console.log('');
  console.log(simTable.toString());
}
