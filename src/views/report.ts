// What a report shows, as plain data: the crash study's and a replay's windows (every leg's candles with each
// mode's entry, stop and liquidation levels; each mode's equity curve; its liquidations, the domino marked;
// the summary row per mode) and the Monte Carlo distribution of kept equity per mode with its statistics.
// The dashboard's report components (web/src/report/) draw it, in a page or exported into one self-contained
// HTML file (../io/html-report.ts). Floats here are for drawing only; the table rows are the exact views.
import { toApproxNumber } from '../domain/fixed.ts';
import type { ModeStatistics } from '../sim/montecarlo.ts';
import type { WindowResult } from '../sim/study.ts';
import { modeRow, type ModeRow } from './summary.ts';
import type { SweepView } from './sweep.ts';

// the shapes the report's data carries, for its readers (the dashboard's report page takes its types from here)
export type { ModeRow } from './summary.ts';
export type { ModeStatistics } from '../sim/montecarlo.ts';
export type { SweepCellView, SweepView } from './sweep.ts';

export interface LegChart {
  readonly symbol: string;
  /** Bar open times, seconds (the charts' time axis). */
  readonly times: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly levels: { readonly mode: string; readonly kind: 'entry' | 'liquidation' | 'stop'; readonly price: number }[];
}

export interface LiquidationMark {
  readonly mode: string;
  readonly timeS: number;
  readonly symbol: string;
  readonly marginMode: 'isolated' | 'cross';
  readonly domino: boolean;
  readonly markPrice: number;
  readonly marginLost: number;
}

export interface WindowReport {
  readonly id: string;
  readonly title: string;
  readonly skipped: readonly string[];
  readonly asset: string;
  readonly rows: readonly ModeRow[];
  readonly legs: readonly LegChart[];
  readonly equity: readonly { readonly mode: string; readonly times: number[]; readonly values: number[] }[];
  readonly liquidations: readonly LiquidationMark[];
}

export interface DistributionReport {
  readonly title: string;
  readonly unit: string;
  /** Bin centres of the histogram, in `unit`. */
  readonly bins: number[];
  readonly modes: readonly { readonly mode: string; readonly shares: number[]; readonly stats: ModeStatistics }[];
}

export interface ReportData {
  readonly title: string;
  readonly subtitle: string;
  readonly notes: readonly string[];
  readonly windows: readonly WindowReport[];
  readonly distribution?: DistributionReport;
  /** `perpguard sweep`: the heatmaps, one per mode. */
  readonly sweep?: SweepView;
}

const seconds = (ms: number): number => Math.floor(ms / 1000);

export function windowReport(result: WindowResult): WindowReport {
  const modes = Object.values(result.modes);
  const asset = modes[0]?.state ? (Object.keys(modes[0].state.balances)[0] ?? '') : '';
  const legs = result.window.series.map((series) => ({
    symbol: series.symbol,
    times: series.time.map(seconds),
    open: Array.from(series.openF),
    high: Array.from(series.highF),
    low: Array.from(series.lowF),
    close: Array.from(series.closeF),
    levels: modes.flatMap((m) =>
      m.entries
        .filter((e) => e.symbol === series.symbol)
        .flatMap((e) => [
          { mode: m.mode, kind: 'entry' as const, price: toApproxNumber(e.price) },
          ...(e.liquidationPrice ? [{ mode: m.mode, kind: 'liquidation' as const, price: toApproxNumber(e.liquidationPrice) }] : []),
          ...(e.stopPrice ? [{ mode: m.mode, kind: 'stop' as const, price: toApproxNumber(e.stopPrice) }] : []),
        ]),
    ),
  }));
  return {
    id: result.window.id,
    title: result.window.title,
    skipped: result.window.skipped,
    asset,
    rows: modes.map((m) => modeRow(m)),
    legs,
    equity: modes.map((m) => ({ mode: m.mode, times: m.times.map(seconds), values: m.equity })),
    liquidations: modes.flatMap((m) =>
      m.liquidations.map((l) => ({ mode: m.mode, timeS: seconds(l.time), symbol: l.symbol, marginMode: l.marginMode, domino: l.domino, markPrice: toApproxNumber(l.markPrice), marginLost: toApproxNumber(l.marginLost) })),
    ),
  };
}

const BINS = 40;

/** The distribution of samples per mode (kept equity, in %) as shares per bin, with the statistics. */
export function distributionReport(title: string, unit: string, samples: Record<string, number[]>, stats: readonly ModeStatistics[]): DistributionReport {
  const all = Object.values(samples).flat();
  const lo = all.length ? Math.min(...all) : 0;
  const hi = all.length ? Math.max(...all) : 1;
  const step = (hi - lo) / BINS || 1;
  const bins = Array.from({ length: BINS }, (_, k) => lo + step * (k + 0.5));
  return {
    title,
    unit,
    bins,
    modes: stats.map((s) => {
      const values = samples[s.mode] ?? [];
      const counts = new Array<number>(BINS).fill(0);
      for (const x of values) counts[Math.min(BINS - 1, Math.floor((x - lo) / step))]! += 1;
      return { mode: s.mode, shares: counts.map((n) => (values.length ? n / values.length : 0)), stats: s };
    }),
  };
}
