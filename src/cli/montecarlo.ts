// `perpguard montecarlo`: thousands of generated futures of one portfolio under each margin mode.
import { assertFromEnvironment } from './run.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fitTable, hiddenNote, wrapText } from './format.ts';
import cliProgress from 'cli-progress';
import { InputError } from '../schema/input-error.ts';
import { htmlReport } from '../io/html-report.ts';
import { distributionReport } from '../views/report.ts';
import { defaultWorkers, runPaths } from '../io/montecarlo-pool.ts';
import { monteCarloPathOptions } from '../io/montecarlo-task.ts';
import type { GeneratorKind } from '../sim/generators.ts';
import { statistics, type ModeStatistics } from '../sim/montecarlo.ts';
import { DEFAULT_STUDY_SPEC, checkOutputPath, parseModes, readSpec } from './simulate.ts';
import { io, out } from './io.ts';
import { MC_SYMBOLS } from '../io/returns.ts';
import { monteCarloJson } from '../views/montecarlo.ts';
import { baseOf } from '../exchanges/markets.ts';

export interface MonteCarloOptions {
  spec?: string;
  paths: string;
  hours: string;
  generator: string;
  crashProbability: string;
  blockHours: string;
  seed: string;
  workers?: string;
  modes?: string;
  json?: boolean;
  html?: string;
}

/** A whole-number flag in [min, max], or an InputError naming it. */
export function whole(name: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max) throw new InputError(name, `must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}

const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function renderStatistics(stats: ModeStatistics[]): string {
  const table = fitTable(
    [
      { head: 'mode' },
      { head: 'paths', dropRank: 3 },
      { head: 'P(liqui-\ndation)' },
      { head: 'P(ruin)' },
      { head: 'kept\np5' },
      { head: 'kept\np25', dropRank: 2 },
      { head: 'kept\nmedian' },
      { head: 'kept\np75', dropRank: 1 },
      { head: 'kept\np95' },
      { head: 'kept\nmean' },
      { head: 'ES\n5 %' },
    ],
    stats.map((s) => [s.mode, s.paths, pct(s.liquidationProbability), pct(s.ruinProbability), ...s.keptQuantiles.map(pct), pct(s.meanKept), pct(s.expectedShortfall5)]),
  );
  const notes = [...hiddenNote(table.hidden), 'kept = final equity / starting wallet; ruin = equity below the spec\'s ruinFraction of the wallet at any time; ES 5 % = mean kept over the worst 5 % of paths'];
  return `${table.text}\n${notes.map((n) => wrapText(n)).join('\n')}\n`;
}

export async function montecarlo(options: MonteCarloOptions): Promise<void> {
  const spec = readSpec(options.spec ?? DEFAULT_STUDY_SPEC);
  const modes = parseModes(options.modes);
  checkOutputPath('--html', options.html);
  // paths are generated from BTC/ETH/SOL history only: a leg of anything else had no prices and crashed
  spec.legs.forEach((leg, i) => {
    if (!MC_SYMBOLS.some((s) => baseOf(s) === baseOf(leg.symbol))) {
      throw new InputError(`legs[${i}].symbol`, `${leg.symbol}: the Monte Carlo generates BTC, ETH and SOL prices only (${MC_SYMBOLS.join(', ')} history)`);
    }
  });
  const paths = whole('--paths', options.paths, 1, 1_000_000);
  const hours = whole('--hours', options.hours, 2, 100_000);
  const blockHours = whole('--block-hours', options.blockHours, 1, 10_000);
  const seed = whole('--seed', options.seed, 0, 2 ** 31 - 1);
  const workers = options.workers === undefined ? defaultWorkers() : whole('--workers', options.workers, 1, 256);
  if (options.generator !== 'bootstrap' && options.generator !== 'gbm') throw new InputError('--generator', `must be bootstrap or gbm, got "${options.generator}"`);
  const crashProbability = Number(options.crashProbability);
  if (!(crashProbability >= 0 && crashProbability <= 1)) throw new InputError('--crash-probability', `must be between 0 and 1, got "${options.crashProbability}"`);
  const task = {
    spec,
    options: monteCarloPathOptions({ generator: options.generator as GeneratorKind, hours, blockHours, crashProbability }),
    modes,
    seed,
    assertInvariants: assertFromEnvironment(),
  };
  const showProgress = !options.json && io().stderrIsTTY;
  const bar = showProgress ? new cliProgress.SingleBar({ format: 'paths {bar} {value}/{total} | {percentage}% | ETA {eta}s', clearOnComplete: true }, cliProgress.Presets.shades_classic) : undefined;
  bar?.start(paths, 0);
  const started = performance.now();
  const outcomes = await runPaths(task, paths, { workers, chunkPaths: Math.max(1, Math.min(50, Math.ceil(paths / (workers * 8)))), onProgress: (n) => bar?.increment(n) });
  bar?.stop();
  const seconds = (performance.now() - started) / 1000;
  const stats = statistics(outcomes, modes);
  if (options.json) {
    out(JSON.stringify(monteCarloJson({ spec: spec.name, paths, hours, generator: options.generator, crashProbability, seed, workers, seconds }, stats), null, 2) + '\n');
  } else {
    out(`${wrapText(`Monte Carlo: "${spec.name}", ${paths} paths x ${hours} h (${options.generator}, crash probability ${crashProbability}, seed ${seed}), ${workers} worker(s), ${seconds.toFixed(1)} s`)}\n`);
    out(renderStatistics(stats));
  }
  if (options.html) {
    mkdirSync(dirname(resolve(options.html)), { recursive: true });
    const series = Object.fromEntries(modes.map((m) => [m, outcomes.filter((o) => o.mode === m).map((o) => o.kept * 100)]));
    const distribution = distributionReport('Kept equity, distribution per mode', '% of the starting wallet', series, stats);
    writeFileSync(options.html, await htmlReport({ title: `perpguard Monte Carlo: ${spec.name}`, subtitle: `${paths} paths x ${hours} h, ${options.generator}, crash probability ${crashProbability}, seed ${seed}`, windows: [], distribution }));
  }
}
