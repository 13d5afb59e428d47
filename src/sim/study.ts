// The crash study: one portfolio through each crash window under all-isolated, all-cross and mixed
// margin, side by side. Pure: the caller loads the data (../io) and passes it in.
import { isZero, ratio, toApproxNumber, type Money } from '../domain/fixed.ts';
import { isoDay } from '../domain/tiers.ts';
import type { CandleSeries, FundingSeries } from './data.ts';
import { SimContext } from './context.ts';
import { replay, type ModeResult } from './replay.ts';
import { MODES, type ModeName, type Spec } from './spec.ts';

export interface WindowData {
  readonly id: string;
  readonly title: string;
  /** Every series already cut to the window. */
  readonly series: readonly CandleSeries[];
  readonly funding: readonly FundingSeries[];
  /** Legs left out because their symbol has no intraday data in the window. */
  readonly skipped: readonly string[];
}

export interface WindowResult {
  readonly window: WindowData;
  readonly spec: Spec;
  readonly modes: Record<ModeName, ModeResult>;
}

/** The spec with the legs whose symbol has data in the window. */
export function specFor(spec: Spec, window: WindowData): Spec {
  const available = new Set(window.series.map((s) => s.symbol));
  return { ...spec, legs: spec.legs.filter((l) => available.has(l.symbol)) };
}

export function runWindow(spec: Spec, window: WindowData, options: { screening?: boolean; modes?: readonly ModeName[]; assertInvariants?: boolean } = {}): WindowResult {
  const s = specFor(spec, window);
  const modes = {} as Record<ModeName, ModeResult>;
  // the modes share the window's timeline and set-ups
  const context = new SimContext({ assertInvariants: options.assertInvariants ?? false });
  for (const mode of options.modes ?? MODES) {
    modes[mode] = replay({ spec: s, mode, series: window.series, funding: window.funding, context, ...(options.screening === undefined ? {} : { screening: options.screening }) });
  }
  return { window, spec: s, modes };
}

/** The per-mode figures of the side-by-side table (formatted for people in ../io/summary.ts). */
export interface ModeSummary {
  readonly mode: ModeName;
  readonly liquidations: number;
  readonly dominoLiquidations: number;
  /** float64, for the table: the exact amounts are in the liquidation records */
  readonly marginLost: number;
  readonly marginCalls: number;
  readonly fees: Money;
  readonly funding: Money;
  readonly finalEquity: Money;
  readonly minEquity: number;
  readonly maxDrawdown: number;
  readonly keptFraction: number;
  readonly firstLiquidation: string | null;
}

export function summarize(result: ModeResult): ModeSummary {
  let lost = 0;
  for (const l of result.liquidations) lost += toApproxNumber(l.marginLost);
  const first = result.liquidations[0];
  return {
    mode: result.mode,
    liquidations: result.liquidations.length,
    dominoLiquidations: result.liquidations.filter((l) => l.domino).length,
    marginLost: lost,
    marginCalls: result.marginCalls,
    fees: result.fees,
    funding: result.funding,
    finalEquity: result.finalEquity,
    minEquity: result.minEquity,
    maxDrawdown: result.maxDrawdown,
    keptFraction: isZero(result.startWallet) ? 0 : toApproxNumber(ratio(result.finalEquity, result.startWallet, 'floor')),
    firstLiquidation: first ? `${first.symbol} ${first.marginMode} at ${iso(first.time)}` : null,
  };
}

/** ISO time without seconds, for reports (pure arithmetic on the argument). */
export function iso(ms: number): string {
  const day = Math.floor(ms / 86_400_000);
  const rest = ms - day * 86_400_000;
  const h = Math.floor(rest / 3_600_000);
  const m = Math.floor((rest % 3_600_000) / 60_000);
  return `${isoDay(ms)} ${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;
}
