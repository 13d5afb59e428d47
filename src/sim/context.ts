// What one run of the simulator owns and reuses between its replays: the merged timeline of the series
// being replayed (a Monte Carlo path is replayed under every mode), its step columns (every path of a
// batch has the same hours), the set-up account per (spec, mode, start time) and the spec's own markets.
// The caller creates it (a Monte Carlo batch, a study, an advisor run) and drops it with the run. These
// caches used to be module-global WeakMaps keyed by object identity (issue 10): a module cache outlives
// the run that filled it, and a caller that mutated a spec between runs got the old set-up back.
import { parseFixed, type Money } from '../domain/fixed.ts';
import type { Market } from '../exchanges/rules.ts';
import type { BarSeries } from './data.ts';
import { buildAccountSetup, type AccountSetup } from './setup.ts';
import type { OpeningSlot } from './opening.ts';
import { EntryMemo } from './sizing.ts';
import { legsUnder, resolveSpecMarkets, type LegSpec, type ModeName, type Spec } from './spec.ts';
import { alignedColumns, buildTimeline, type StepColumns, type Timeline } from './timeline.ts';

export interface SimOptions {
  /** The engine runs its invariants after every command (EngineConfig.assertInvariants; PERPGUARD_ASSERT=1). */
  readonly assertInvariants?: boolean;
}

/** What a replay of (spec, mode) derives from the spec alone: the same for every path of a run. */
export interface ReplayPlan {
  /** The spec's legs under the mode (one array and one object per leg for the whole run). */
  readonly legs: readonly LegSpec[];
  readonly startWallet: Money;
  /** The legs' symbols, in leg order, once each. */
  readonly symbols: readonly string[];
  readonly legsBySymbol: ReadonlyMap<string, readonly LegSpec[]>;
  /** The legs' entry orders by price, remembered across the run's paths. */
  readonly entries: EntryMemo;
}

export class SimContext {
  constructor(private readonly options: SimOptions = {}) {}

  // one entry: the series a replay under the next mode reads again; older paths are let go
  private lastSeries: readonly BarSeries[] | undefined;
  private lastTimeline: Timeline | undefined;
  private columns: StepColumns | undefined;
  private readonly setups = new Map<Spec, Map<string, AccountSetup>>();
  private readonly markets = new Map<Spec, Market[]>();
  private readonly plans = new Map<Spec, Map<ModeName, ReplayPlan>>();
  private readonly openings = new Map<Spec, Map<string, OpeningSlot>>();

  /** The replay plan of (spec, mode), built once per run: a Monte Carlo batch replays it on every path. */
  plan(spec: Spec, mode: ModeName): ReplayPlan {
    let bySpec = this.plans.get(spec);
    if (!bySpec) this.plans.set(spec, (bySpec = new Map()));
    let plan = bySpec.get(mode);
    if (!plan) {
      const legs = legsUnder(spec, mode);
      const legsBySymbol = new Map<string, LegSpec[]>();
      for (const leg of legs) legsBySymbol.set(leg.symbol, [...(legsBySymbol.get(leg.symbol) ?? []), leg]);
      plan = { legs, startWallet: parseFixed<'Money'>(spec.wallet), symbols: [...legsBySymbol.keys()], legsBySymbol, entries: new EntryMemo() };
      bySpec.set(mode, plan);
    }
    return plan;
  }

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

  /**
   * Where the last opening of (spec, mode, start time) is remembered (./opening.ts), apart for replays
   * that keep their log and those that do not (an opening restores what the replay recorded).
   */
  opening(spec: Spec, mode: ModeName, startMs: number, detailed: boolean): OpeningSlot {
    const key = `${mode}|${startMs}|${detailed}`;
    let bySpec = this.openings.get(spec);
    if (!bySpec) this.openings.set(spec, (bySpec = new Map()));
    let slot = bySpec.get(key);
    if (!slot) bySpec.set(key, (slot = { record: undefined }));
    return slot;
  }

  /** The spec's `markets` entries as engine markets, resolved once per spec in this run. */
  specMarkets(spec: Spec): Market[] {
    let markets = this.markets.get(spec);
    if (!markets) this.markets.set(spec, (markets = resolveSpecMarkets(spec)));
    return markets;
  }
}
