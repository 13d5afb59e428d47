// What the market-data endpoints read about the past of a ReplayFeed: each symbol's mark path (built once,
// on first use: ~70,000 points for two years of hourly bars) and the funding settlements of its schedule
// (Binance's instants every 8 hours from 00:00 UTC, at the rates the feed settles), up to a horizon.
import { BINANCE_FUNDING_INTERVAL_MS } from '../../domain/funding.ts';
import type { FundingRow } from '../binance/market-data-responses.ts';
import { markPathOf, priceAt, type MarkPath } from './mark-history.ts';
import type { ReplayFeed } from './replay-feed.ts';

const EMPTY: MarkPath = { times: [], prices: [] };

export interface FundingQuery {
  readonly startTime?: number;
  readonly endTime?: number;
  readonly limit: number;
}

export class FeedHistory {
  private readonly paths = new Map<string, MarkPath>();

  constructor(private readonly feed: ReplayFeed) {}

  /** The symbol's mark path (empty for a symbol the feed does not replay). */
  path(symbol: string): MarkPath {
    let path = this.paths.get(symbol);
    if (!path) {
      const series = this.feed.series.find((s) => s.symbol === symbol);
      path = series ? markPathOf(series) : EMPTY;
      this.paths.set(symbol, path);
    }
    return path;
  }

  /**
   * The settlements of `symbols` with instants in [startTime, endTime], from each symbol's first bar to
   * the horizon: with a startTime the first `limit`, else the newest `limit`; by time, then symbol.
   */
  fundingRows(symbols: readonly string[], query: FundingQuery, horizonMs: number): FundingRow[] {
    const interval = BINANCE_FUNDING_INTERVAL_MS;
    const rows: FundingRow[] = [];
    for (const symbol of symbols) {
      const path = this.path(symbol);
      if (path.times.length === 0) continue;
      const first = Math.ceil(Math.max(path.times[0]!, query.startTime ?? -Infinity) / interval) * interval;
      const last = Math.floor(Math.min(horizonMs, query.endTime ?? Infinity) / interval) * interval;
      const instants: number[] = [];
      // the settlement is paid at the mark that stood until its instant (the feed settles before that tick)
      if (query.startTime !== undefined) for (let t = first; t <= last && instants.length < query.limit; t += interval) instants.push(t);
      else {
        for (let t = last; t >= first && instants.length < query.limit; t -= interval) instants.push(t);
        instants.reverse();
      }
      for (const t of instants) rows.push({ symbol, fundingTime: t, fundingRate: this.feed.settlementRate(symbol, t), markPrice: priceAt(path, t - 1) });
    }
    rows.sort((a, b) => a.fundingTime - b.fundingTime || (a.symbol < b.symbol ? -1 : a.symbol > b.symbol ? 1 : 0));
    return query.startTime !== undefined ? rows.slice(0, query.limit) : rows.slice(Math.max(0, rows.length - query.limit));
  }
}
