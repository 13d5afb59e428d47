// `perpguard sweep`'s work and figures. Pure: a sweep is a list of units (one cell's path range, or one
// cell's crash windows), each a pure function of the plan, and the figures come from the units' raw
// per-path results merged in path order, so the same plan gives the same figures whichever machine ran
// which unit, in whatever order they finished.
import { keptFigures, type PathOutcome } from './montecarlo.ts';
import type { PathOptions } from './generators.ts';
import type { ModeName, Spec } from './spec.ts';
import { cellRefusal, gridCells, type Cell } from './sweep-grid.ts';

export interface SweepPlan {
  readonly spec: Spec;
  readonly leverages: readonly number[];
  readonly allocations: readonly string[];
  readonly modes: readonly ModeName[];
  readonly paths: number;
  /** Paths per unit: the grain of the work queue (and of resuming). */
  readonly chunkPaths: number;
  readonly pathOptions: PathOptions;
  readonly seed: number;
  /** Ids of the bundled crash windows to replay per cell, in time order. */
  readonly crashWindows: readonly string[];
  /** The digest of the returns model the paths are generated from (../io/sweep-units.ts): every runner must have the same. */
  readonly modelDigest: string;
}

export type Unit =
  | { readonly key: string; readonly cell: number; readonly kind: 'paths'; readonly fromPath: number; readonly toPath: number }
  | { readonly key: string; readonly cell: number; readonly kind: 'crash' };

/** One mode's paths of a unit, in path order: kept equity, ruin (0/1) and the liquidated legs' bit mask. */
export interface PathColumns {
  readonly kept: number[];
  readonly ruined: number[];
  readonly legs: number[];
}

export type UnitResult =
  | { readonly key: string; readonly kind: 'paths'; readonly modes: Partial<Record<ModeName, PathColumns>>; readonly refused?: string }
  | {
      readonly key: string;
      readonly kind: 'crash';
      readonly windows: number;
      readonly firstCrash: Partial<Record<ModeName, string | null>>;
      readonly liquidatingWindows: Partial<Record<ModeName, number>>;
      /** An order of the cell's positions that the venue refused (then the cell's figures would mislead). */
      readonly refused?: string;
    };

export function planCells(plan: SweepPlan): Cell[] {
  return gridCells(plan.leverages, plan.allocations);
}

/** Every unit of the plan, cells the venue refuses left out. */
export function planUnits(plan: SweepPlan): Unit[] {
  const units: Unit[] = [];
  planCells(plan).forEach((cell, c) => {
    if (cellRefusal(plan.spec, cell, plan.pathOptions.startMs) !== undefined) return;
    if (plan.crashWindows.length > 0) units.push({ key: `c${c}.crash`, cell: c, kind: 'crash' });
    for (let from = 0; from < plan.paths; from += plan.chunkPaths) {
      const to = Math.min(plan.paths, from + plan.chunkPaths);
      units.push({ key: `c${c}.p${from}-${to}`, cell: c, kind: 'paths', fromPath: from, toPath: to });
    }
  });
  return units;
}

/** A batch's outcomes (every mode of every path in a range) as a paths unit's result. */
export function pathsResult(key: string, modes: readonly ModeName[], outcomes: readonly PathOutcome[]): UnitResult {
  const columns: Partial<Record<ModeName, PathColumns>> = {};
  for (const mode of modes) {
    const rows = outcomes.filter((o) => o.mode === mode).sort((a, b) => a.path - b.path);
    columns[mode] = { kept: rows.map((r) => r.kept), ruined: rows.map((r) => (r.ruined ? 1 : 0)), legs: rows.map((r) => r.liquidatedLegs) };
  }
  return { key, kind: 'paths', modes: columns };
}

export interface CellModeFigures {
  readonly mode: ModeName;
  readonly paths: number;
  /** Per leg, in the spec's order. */
  readonly legLiquidationProbability: number[];
  /** Any leg liquidated. */
  readonly liquidationProbability: number;
  readonly ruinProbability: number;
  /** Kept equity (final / starting wallet): 5 %, 25 %, 50 %, 75 %, 95 %, as `perpguard montecarlo` computes them. */
  readonly keptQuantiles: readonly [number, number, number, number, number];
  /** Mean kept equity over the worst 5 % of paths. */
  readonly expectedShortfall5: number;
  /** The first crash window (in time order) in which this cell liquidates a leg, or null. */
  readonly firstCrash: string | null;
  readonly liquidatingWindows: number;
}

export interface CellFigures {
  readonly cell: number;
  readonly leverage: number;
  readonly allocation: string;
  /** Why the venue refuses the positions of this cell (then nothing was run), or null. */
  readonly refused: string | null;
  readonly modes: CellModeFigures[];
}

/** The figures of every cell whose units are all in `results` (others are left out: not finished yet). */
export function sweepFigures(plan: SweepPlan, results: ReadonlyMap<string, UnitResult>): CellFigures[] {
  const units = planUnits(plan);
  const byCell = new Map<number, Unit[]>();
  for (const u of units) byCell.set(u.cell, [...(byCell.get(u.cell) ?? []), u]);
  const figures: CellFigures[] = [];
  planCells(plan).forEach((cell, c) => {
    const cellUnits = byCell.get(c) ?? [];
    const refused = cellRefusal(plan.spec, cell, plan.pathOptions.startMs) ?? cellUnits.map((u) => results.get(u.key)?.refused).find((r) => r !== undefined);
    if (refused !== undefined) {
      figures.push({ cell: c, leverage: cell.leverage, allocation: cell.allocation, refused, modes: [] });
      return;
    }
    if (!cellUnits.every((u) => results.has(u.key))) return;
    // path order, whatever order the units finished in
    const pathUnits = cellUnits.filter((u) => u.kind === 'paths').sort((a, b) => (a.kind === 'paths' && b.kind === 'paths' ? a.fromPath - b.fromPath : 0));
    const crash = cellUnits.find((u) => u.kind === 'crash');
    const crashResult = crash ? results.get(crash.key) : undefined;
    const modes = plan.modes.map((mode) => {
      const kept: number[] = [];
      const ruined: number[] = [];
      const legs: number[] = [];
      for (const u of pathUnits) {
        const r = results.get(u.key)!;
        const columns = r.kind === 'paths' ? r.modes[mode] : undefined;
        if (!columns) throw new RangeError(`unit ${u.key} has no ${mode} results`);
        kept.push(...columns.kept);
        ruined.push(...columns.ruined);
        legs.push(...columns.legs);
      }
      return modeFigures(plan.spec, mode, kept, ruined, legs, crashResult?.kind === 'crash' ? crashResult : undefined);
    });
    figures.push({ cell: c, leverage: cell.leverage, allocation: cell.allocation, refused: null, modes });
  });
  return figures;
}

function modeFigures(spec: Spec, mode: ModeName, keptInPathOrder: number[], ruined: number[], legs: number[], crash: Extract<UnitResult, { kind: 'crash' }> | undefined): CellModeFigures {
  const n = keptInPathOrder.length;
  const share = (count: number) => count / Math.max(1, n);
  return {
    mode,
    paths: n,
    legLiquidationProbability: spec.legs.map((_, i) => share(legs.filter((b) => (b & (1 << i)) !== 0).length)),
    liquidationProbability: share(legs.filter((b) => b !== 0).length),
    ruinProbability: share(ruined.filter((r) => r === 1).length),
    // the same quantile and shortfall rules as `perpguard montecarlo`
    ...keptFigures([...keptInPathOrder].sort((a, b) => a - b)),
    firstCrash: crash?.firstCrash[mode] ?? null,
    liquidatingWindows: crash?.liquidatingWindows[mode] ?? 0,
  };
}
