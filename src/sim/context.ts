// What one run of the simulator owns and reuses between its replays: the merged timeline of the series
// being replayed (a Monte Carlo path is replayed under every mode), its step columns (every path of a
// batch has the same hours), the set-up account per (spec, mode, start time) and the spec's own markets.
// The caller creates it (a Monte Carlo batch, a study, an advisor run) and drops it with the run. These
// caches used to be module-global WeakMaps keyed by object identity (issue 10): a module cache outlives
// the run that filled it, and a caller that mutated a spec between runs got the old set-up back.
import type { Market } from '../exchanges/rules.ts';
import type { BarSeries } from './data.ts';
import { buildAccountSetup, type AccountSetup } from './setup.ts';
import { resolveSpecMarkets, type LegSpec, type ModeName, type Spec } from './spec.ts';
import { alignedColumns, buildTimeline, type StepColumns, type Timeline } from './timeline.ts';

export interface SimOptions {
  /** The engine runs its invariants after every command (EngineConfig.assertInvariants; PERPGUARD_ASSERT=1). */
  readonly assertInvariants?: boolean;
}

export class SimContext {
  constructor(private readonly options: SimOptions = {}) {}

  // one entry: the series a replay under the next mode reads again; older paths are let go
  private lastSeries: readonly BarSeries[] | undefined;
  private lastTimeline: Timeline | undefined;
  private columns: StepColumns | undefined;
  private readonly setups = new Map<Spec, Map<string, AccountSetup>>();
  private readonly markets = new Map<Spec, Market[]>();

  /** The series merged into one timeline; built once for the series replayed under several modes. */
  timeline(series: readonly BarSeries[]): Timeline {
    if (series === this.lastSeries && this.lastTimeline) return this.lastTimeline;
    const aligned = alignedColumns(series, this.columns);
    if (aligned) this.columns = aligned;
    const built = buildTimeline(series, aligned);
    this.lastSeries = series;
    this.lastTimeline = built;
    return built;
  }

  /** The set-up account, shared by every replay of (spec, mode, start time) in this run: never mutated. */
  setup(spec: Spec, mode: ModeName, legs: readonly LegSpec[], startMs: number): AccountSetup {
    const key = `${mode}|${startMs}`;
    let bySpec = this.setups.get(spec);
    if (!bySpec) this.setups.set(spec, (bySpec = new Map()));
    let setup = bySpec.get(key);
    if (!setup) bySpec.set(key, (setup = buildAccountSetup(spec, mode, legs, startMs, this.specMarkets(spec), this.options.assertInvariants ?? false)));
    return setup;
  }

  /** The spec's `markets` entries as engine markets, resolved once per spec in this run. */
  specMarkets(spec: Spec): Market[] {
    let markets = this.markets.get(spec);
    if (!markets) this.markets.set(spec, (markets = resolveSpecMarkets(spec)));
    return markets;
  }
}
