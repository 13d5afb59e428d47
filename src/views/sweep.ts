// What `perpguard sweep --json` prints and its HTML heatmap draws: per cell and mode the figures of
// ../sim/sweep.ts, with the trader's verdicts. "safe": P(ruin) at most the trader's --max-ruin. "breaks the
// seed's rule" ("never use leverage in cross margin that would liquidate your entire account on a move that
// is statistically probable"): under all-cross margin, where a liquidation takes the whole account, a
// liquidation on at least the --probable share of the paths (a move that probable liquidates), or in a
// bundled crash window.
import type { CellFigures, CellModeFigures, SweepPlan } from '../sim/sweep.ts';
import type { ModeName } from '../sim/spec.ts';

export interface SweepVerdictLimits {
  /** The largest P(ruin) the trader accepts. */
  readonly maxRuin: number;
  /** A liquidation at least this likely counts as "statistically probable". */
  readonly probable: number;
}

export interface SweepCellView extends CellModeFigures {
  readonly leverage: number;
  readonly allocation: string;
  readonly safe: boolean;
  readonly breaksRule: boolean;
}

export interface SweepView {
  readonly spec: string;
  readonly legs: readonly string[];
  readonly leverages: readonly number[];
  readonly allocations: readonly string[];
  readonly modes: readonly ModeName[];
  readonly paths: number;
  readonly hours: number;
  readonly seed: number;
  readonly crashWindows: readonly string[];
  readonly limits: SweepVerdictLimits;
  /** Row order: leverage, then allocation, then mode. */
  readonly cells: readonly SweepCellView[];
  /** Cells the venue refuses (nothing run), with the reason. */
  readonly refused: readonly { readonly leverage: number; readonly allocation: string; readonly reason: string }[];
}

export function breaksSeedRule(figures: CellModeFigures, limits: SweepVerdictLimits): boolean {
  return figures.mode === 'cross' && (figures.liquidationProbability >= limits.probable || figures.firstCrash !== null);
}

export function sweepView(header: Omit<SweepView, 'cells' | 'refused'>, figures: readonly CellFigures[]): SweepView {
  const cells: SweepCellView[] = [];
  for (const f of figures) {
    for (const m of f.modes) {
      cells.push({ ...m, leverage: f.leverage, allocation: f.allocation, safe: m.ruinProbability <= header.limits.maxRuin, breaksRule: breaksSeedRule(m, header.limits) });
    }
  }
  const refused = figures.filter((f) => f.refused !== null).map((f) => ({ leverage: f.leverage, allocation: f.allocation, reason: f.refused! }));
  return { ...header, cells, refused };
}

/** A plan's view: what `perpguard sweep --json` prints and the dashboard's sweep route answers, from one function. */
export function sweepPlanView(plan: SweepPlan, limits: SweepVerdictLimits, figures: readonly CellFigures[]): SweepView {
  return sweepView(
    {
      spec: plan.spec.name,
      legs: plan.spec.legs.map((l) => `${l.symbol} ${l.side} (${l.role})`),
      leverages: plan.leverages,
      allocations: plan.allocations,
      modes: plan.modes,
      paths: plan.paths,
      hours: plan.pathOptions.hours,
      seed: plan.seed,
      crashWindows: plan.crashWindows,
      limits,
    },
    figures,
  );
}
