// Runs one unit of a sweep: a cell's path range (the Monte Carlo batch, as `perpguard montecarlo` runs it)
// or a cell's crash windows (as `perpguard study` replays them). The same function serves the local run
// and `perpguard worker`, so a unit's result does not depend on where it ran.
import { createHash } from 'node:crypto';
import type { ReturnsModel } from '../sim/generators.ts';
import { runBatch, type PathOutcome } from '../sim/montecarlo.ts';
import { MC_TICKS } from './returns.ts';
import type { ModeName } from '../sim/spec.ts';
import { runWindow, specFor, type WindowData } from '../sim/study.ts';
import { cellSpec } from '../sim/sweep-grid.ts';
import { pathsResult, planCells, type SweepPlan, type Unit, type UnitResult } from '../sim/sweep.ts';
import { loadCrashWindows } from './crash-data.ts';
import { runTask, type BatchTask } from './montecarlo-task.ts';

/**
 * A digest of a returns model (its numbers' bytes, keys in sorted order): a sweep's plan carries its
 * coordinator's, and a worker whose bundled history differs (another perpguard version) refuses the job
 * instead of returning different paths under the same seed.
 */
export function modelDigest(model: ReturnsModel): string {
  const hash = createHash('sha256');
  const feed = (value: unknown): void => {
    if (ArrayBuffer.isView(value)) hash.update(new Uint8Array(value.buffer, value.byteOffset, value.byteLength));
    else if (Array.isArray(value)) value.forEach(feed);
    else if (value !== null && typeof value === 'object') {
      for (const key of Object.keys(value).sort()) {
        hash.update(key);
        feed((value as Record<string, unknown>)[key]);
      }
    } else hash.update(JSON.stringify(value) ?? 'undefined');
  };
  feed(model);
  return hash.digest('hex').slice(0, 16);
}

/** The Monte Carlo batch of a paths unit, as plain data (what a pool thread runs). */
export function unitBatch(plan: SweepPlan, unit: Extract<Unit, { kind: 'paths' }>): BatchTask {
  const cell = planCells(plan)[unit.cell]!;
  return { spec: cellSpec(plan.spec, cell), options: plan.pathOptions, modes: [...plan.modes], seed: plan.seed, fromPath: unit.fromPath, toPath: unit.toPath };
}

/** The crash windows of a plan, loaded once per process and kept (a worker runs many cells of one sweep). */
const windowCache = new Map<string, WindowData[]>();
export function planWindows(plan: SweepPlan): WindowData[] {
  const key = JSON.stringify([plan.spec.exchange, plan.spec.legs.map((l) => l.symbol), plan.crashWindows]);
  let windows = windowCache.get(key);
  if (!windows) {
    windows = loadCrashWindows(plan.spec.legs.map((l) => l.symbol), plan.spec.exchange, plan.crashWindows);
    windowCache.set(key, windows);
  }
  return windows;
}

/** A crash unit: every window in time order, and per mode the first one that liquidates a leg. */
export function runCrashUnit(plan: SweepPlan, unit: Extract<Unit, { kind: 'crash' }>): UnitResult {
  const spec = cellSpec(plan.spec, planCells(plan)[unit.cell]!);
  const windows = planWindows(plan).filter((w) => specFor(spec, w).legs.length > 0);
  const firstCrash: Partial<Record<ModeName, string | null>> = {};
  const liquidatingWindows: Partial<Record<ModeName, number>> = {};
  for (const mode of plan.modes) {
    firstCrash[mode] = null;
    liquidatingWindows[mode] = 0;
  }
  let refused: string | undefined;
  for (const window of windows) {
    const result = runWindow(spec, window, { modes: plan.modes });
    for (const mode of plan.modes) {
      refused ??= refusedOrder(result.modes[mode].events);
      if (result.modes[mode].liquidations.length === 0) continue;
      liquidatingWindows[mode]! += 1;
      firstCrash[mode] ??= window.id;
    }
  }
  return { key: unit.key, kind: 'crash', windows: windows.length, firstCrash, liquidatingWindows, ...(refused === undefined ? {} : { refused: `${refused} (in a crash window)` }) };
}

/** The first order the venue refused among a replay's events, as "SYMBOL: message", or undefined. */
function refusedOrder(events: readonly { type: string }[]): string | undefined {
  for (const e of events) {
    if (e.type !== 'rejected') continue;
    const r = e as unknown as { command: string; message: string; field: string };
    if (r.command === 'order') return `an order was refused: ${r.message}`;
  }
  return undefined;
}

/**
 * Whether the cell's positions open on a generated path: every path opens at the same prices (the model's
 * last closes), so a short all-exact replay of path 0 shows an order the venue refuses (a notional above the
 * brackets at that leverage, margin plus fee above the balance), which the batch itself would not report.
 */
export function openingRefusal(plan: SweepPlan, cell: number, model: ReturnsModel): string | undefined {
  let refused: string | undefined;
  const options = { ...plan.pathOptions, hours: 2, crashProbability: 0 };
  runBatch({ spec: cellSpec(plan.spec, planCells(plan)[cell]!), model, options, modes: plan.modes, seed: plan.seed, fromPath: 0, toPath: 1, screening: false }, MC_TICKS, undefined, (_path, result) => {
    refused ??= refusedOrder(result.events);
  });
  return refused;
}

export function runUnit(plan: SweepPlan, unit: Unit, model: ReturnsModel): UnitResult {
  if (unit.kind === 'crash') return runCrashUnit(plan, unit);
  return pathsUnitResult(plan, unit, runTask(unitBatch(plan, unit), model), model);
}

/** A paths unit's result; the cell's first unit also says whether its positions open at all. */
export function pathsUnitResult(plan: SweepPlan, unit: Extract<Unit, { kind: 'paths' }>, outcomes: readonly PathOutcome[], model: ReturnsModel): UnitResult {
  const result = pathsResult(unit.key, plan.modes, outcomes);
  const refused = unit.fromPath === 0 ? openingRefusal(plan, unit.cell, model) : undefined;
  return refused === undefined ? result : { ...result, refused };
}
