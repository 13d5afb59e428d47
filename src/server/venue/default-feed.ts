// The paper venue's default price feed: the bundled hourly history of BTCUSDT, ETHUSDT and SOLUSDT
// (2024-2026, Binance spot, data/README.md) with Binance's historical 8-hour funding where the bundle has
// the instant (BTC, ETH until 2024) and the 0.01 % baseline elsewhere. A fresh venue starts 7 days before
// the history's end, so marks exist at once and a week plays at x1; a venue with a log resumes just after
// the newest time in it (feed time is engine time, and engine time never goes back).
import { existsSync } from 'node:fs';
import { parseFixed, type Rate } from '../../domain/fixed.ts';
import { bundled, loadCandles, loadFunding, type CandleSeries, type FundingSeries } from '../../io/market-data.ts';
import { ReplayFeed } from '../feed/replay-feed.ts';

export const FEED_SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'] as const;
/** Binance's baseline funding rate per 8 h (interest 0.03 %/day / 3, premium 0). */
export const BASELINE_FUNDING_RATE: Rate = parseFixed<'Rate'>('0.0001');
const FRESH_START_BEFORE_END_MS = 7 * 24 * 3600_000;

export interface FeedChoice {
  /** Feed ms per wall ms, 1..10,000. */
  readonly speed: number;
  /** Where a fresh venue starts (ms); ignored when the log already has a time. */
  readonly fromMs?: number | undefined;
  /** The newest time in the log (0: an empty log): the feed resumes just after it. */
  readonly logTimeMs: number;
}

export function bundledSeries(): CandleSeries[] {
  return FEED_SYMBOLS.map((symbol) => loadCandles(bundled(`binance-spot-${symbol}-1h-2024-2026.csv`), symbol));
}

function bundledFunding(): FundingSeries[] {
  return FEED_SYMBOLS.flatMap((symbol) => {
    const path = bundled(`binance-futures-${symbol}-funding-8h.csv`);
    return existsSync(path) ? [loadFunding(path, symbol)] : [];
  });
}

/** The first and last bar start of the bundled history (what --from must fall within). */
export function bundledRange(series: readonly CandleSeries[] = bundledSeries()): { firstMs: number; lastMs: number } {
  return { firstMs: Math.max(...series.map((s) => s.time[0]!)), lastMs: Math.min(...series.map((s) => s.time[s.time.length - 1]!)) };
}

/** Where the feed starts: after the log's newest time, else --from, else 7 days before the history's end. */
export function feedStartMs(choice: FeedChoice, range: { firstMs: number; lastMs: number }): number {
  if (choice.logTimeMs > 0) return choice.logTimeMs + 1;
  return choice.fromMs ?? range.lastMs - FRESH_START_BEFORE_END_MS;
}

export function defaultFeed(choice: FeedChoice, wallMs: number): ReplayFeed {
  const series = bundledSeries();
  const startMs = feedStartMs(choice, bundledRange(series));
  return new ReplayFeed(series, { startMs, speed: choice.speed, defaultFundingRate: BASELINE_FUNDING_RATE, funding: bundledFunding() }, wallMs);
}
