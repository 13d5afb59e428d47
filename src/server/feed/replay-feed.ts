// The paper venue's price feed: bundled or imported history replayed as mark ticks and funding settlements
// in feed time, at a chosen speed. Pure: the caller passes the wall-clock time; the feed says which
// commands are due. The feed's clock is the engine's time (every command carries its feed time).
//
// Ticks inside a bar: a mark moves along the bar's path, not only from close to close, so resting orders,
// triggers and liquidations react to the bar's high and low. Points are the open at the bar's start, then
// the two extremes and the close at 1/4, 2/4 and 3/4 of its duration, the extremes in the order of the
// bar's own direction ("wicks first": a bar that closes up visits its low first), as the simulator's path
// (../../sim/path.ts) does for a flat account: the feed serves every account at once, so no account's
// position can choose the order.
import { eq, type Price, type Rate } from '../../domain/fixed.ts';
import { BINANCE_FUNDING_INTERVAL_MS } from '../../domain/funding.ts';
import type { Command } from '../../engine/commands.ts';
import type { CandleSeries, FundingSeries } from '../../sim/data.ts';

/** One command of the feed at its feed time (ms since the epoch). */
export interface FeedEvent {
  readonly time: number;
  readonly command: Extract<Command, { op: 'mark' } | { op: 'funding' }>;
}

export interface FeedOptions {
  /** Feed time at which the replay starts (a bar's start or later); default the first bar. */
  readonly startMs?: number;
  /** Feed milliseconds per wall-clock millisecond: 1 (real time) to 10,000. */
  readonly speed: number;
  /** Funding rate where the history has none for a settlement instant (e.g. the bundled rates end in 2024). */
  readonly defaultFundingRate: Rate;
  readonly funding?: readonly FundingSeries[];
}

export const MIN_SPEED = 1;
export const MAX_SPEED = 10_000;
/** A historical funding rate applies to an instant if its record is within a minute of it (as the simulator). */
const FUNDING_TOLERANCE_MS = 60_000;

/** The bar's path points with their feed times (repeated prices dropped). */
export function barTicks(series: CandleSeries, i: number): { time: number; price: Price }[] {
  const start = series.time[i]!;
  const quarter = series.durationMs[i]! / 4;
  const open = series.open[i]!;
  const close = series.close[i]!;
  const bullish = close >= open;
  const path = bullish ? [open, series.low[i]!, series.high[i]!, close] : [open, series.high[i]!, series.low[i]!, close];
  const out: { time: number; price: Price }[] = [];
  path.forEach((price, k) => {
    if (k > 0 && eq(price, path[k - 1]!)) return;
    out.push({ time: start + Math.floor(k * quarter), price });
  });
  return out;
}

/** Every mark tick of the series from `startMs`, in time order (by series order on equal times). */
export function markTicks(series: readonly CandleSeries[], startMs: number): FeedEvent[] {
  const events: FeedEvent[] = [];
  for (const s of series) {
    for (let i = 0; i < s.time.length; i++) {
      if (s.time[i]! + s.durationMs[i]! <= startMs) continue;
      // a bar already under way at the start gives its open at the start: marks exist at once
      for (const tick of barTicks(s, i)) events.push({ time: Math.max(tick.time, startMs), command: { op: 'mark', symbol: s.symbol, price: tick.price } });
    }
  }
  // stable: equal times keep the series order
  return events.map((e, k) => ({ e, k })).sort((a, b) => a.e.time - b.e.time || a.k - b.k).map(({ e }) => e);
}

/** The rate of the settlement at `instant`: the record within a minute of it, else the default. */
export function fundingRateAt(series: FundingSeries | undefined, instant: number, fallback: Rate): Rate {
  if (series) {
    let lo = 0;
    let hi = series.time.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const t = series.time[mid]!;
      if (Math.abs(t - instant) <= FUNDING_TOLERANCE_MS) return series.rate[mid]!;
      if (t < instant) lo = mid + 1;
      else hi = mid - 1;
    }
  }
  return fallback;
}

/**
 * A replay in progress. `at(wallMs)` gives the commands whose feed time has come since the last call, in
 * order: the marks of every symbol and, at Binance's settlement instants (every 8 h from 00:00 UTC), a
 * funding command per symbol. `step(n)` hands out the next n marks whatever the clock (an admin's stepped
 * replay); `pause` and `resume` keep the feed time where it was.
 */
export class ReplayFeed {
  private readonly ticks: FeedEvent[];
  private next = 0;
  private readonly symbols: readonly string[];
  private readonly fundingBySymbol: Map<string, FundingSeries>;
  /** Feed time reached so far (everything at or before it was handed out). */
  private feedMs: number;
  private readonly endMs: number;
  /** The wall time the feed time is measured from, and the feed time at that moment (undefined: paused). */
  private anchor: { wallMs: number; feedMs: number } | undefined;
  private speed: number;

  constructor(
    /** The history replayed (what the market-data endpoints serve as klines, tickers and funding history). */
    readonly series: readonly CandleSeries[],
    private readonly options: FeedOptions,
    wallMs: number,
  ) {
    if (series.length === 0) throw new RangeError('a feed needs at least one series');
    checkSpeed(options.speed);
    const first = Math.min(...series.map((s) => s.time[0]!));
    const startMs = options.startMs ?? first;
    this.ticks = markTicks(series, startMs);
    if (this.ticks.length === 0) throw new RangeError(`no bar after the start ${new Date(startMs).toISOString()}`);
    this.symbols = series.map((s) => s.symbol);
    this.fundingBySymbol = new Map((options.funding ?? []).map((f) => [f.symbol, f]));
    this.feedMs = startMs - 1;
    this.endMs = this.ticks[this.ticks.length - 1]!.time;
    this.speed = options.speed;
    this.anchor = { wallMs, feedMs: startMs };
  }

  /** The feed time at a wall-clock time (the last feed time reached while paused or after the end). */
  timeAt(wallMs: number): number {
    if (!this.anchor) return this.feedMs;
    return Math.min(this.endMs, this.anchor.feedMs + Math.floor((wallMs - this.anchor.wallMs) * this.speed));
  }

  /** The funding rate the feed settles at `instant` for `symbol` (the history's, else the default). */
  settlementRate(symbol: string, instant: number): Rate {
    return fundingRateAt(this.fundingBySymbol.get(symbol), instant, this.options.defaultFundingRate);
  }

  /** What an admin sees: paused or running, the speed, the feed time reached and the history's end (ms). */
  status(wallMs: number): { paused: boolean; speed: number; feedTimeMs: number; endMs: number; finished: boolean } {
    return { paused: this.anchor === undefined, speed: this.speed, feedTimeMs: this.timeAt(wallMs), endMs: this.endMs, finished: this.finished };
  }

  /** True once every tick was handed out. */
  get finished(): boolean {
    return this.next >= this.ticks.length;
  }

  /** The commands due by `wallMs`, in feed-time order. */
  at(wallMs: number): FeedEvent[] {
    return this.until(this.timeAt(wallMs));
  }

  /** The next `count` marks (and the funding settlements before them), whatever the clock. */
  step(count: number, wallMs: number): FeedEvent[] {
    const target = this.ticks[Math.min(this.ticks.length, this.next + count) - 1];
    if (!target) return [];
    const events = this.until(target.time, count);
    if (this.anchor) this.anchor = { wallMs, feedMs: this.feedMs };
    return events;
  }

  pause(wallMs: number): void {
    if (!this.anchor) return;
    this.feedMs = Math.max(this.feedMs, this.timeAt(wallMs));
    this.anchor = undefined;
  }

  /** A new speed from now on; a paused feed stays paused (and runs at it once resumed). */
  setSpeed(speed: number, wallMs: number): void {
    checkSpeed(speed);
    if (this.anchor) this.anchor = { wallMs, feedMs: this.timeAt(wallMs) };
    this.speed = speed;
  }

  resume(wallMs: number, speed = this.speed): void {
    checkSpeed(speed);
    this.speed = speed;
    this.anchor = { wallMs, feedMs: this.feedMs + 1 };
  }

  /** Hands out everything up to feed time `toMs` (at most `limit` marks). */
  private until(toMs: number, limit = Infinity): FeedEvent[] {
    const out: FeedEvent[] = [];
    let marks = 0;
    while (this.next < this.ticks.length && this.ticks[this.next]!.time <= toMs && marks < limit) {
      const tick = this.ticks[this.next++]!;
      // a settlement at the tick's instant comes first: it is paid at the mark that stood until then
      this.settleFunding(tick.time, out);
      out.push(tick);
      this.feedMs = tick.time;
      marks++;
    }
    if (marks < limit) {
      // settlements up to the feed time even where no mark falls (a quiet stretch of the history)
      this.settleFunding(toMs, out);
      this.feedMs = Math.max(this.feedMs, toMs);
    }
    return out;
  }

  /** Funding commands for the settlement instants after the feed time reached and up to `toMs`. */
  private settleFunding(toMs: number, out: FeedEvent[]): void {
    const interval = BINANCE_FUNDING_INTERVAL_MS;
    for (let t = Math.floor(this.feedMs / interval) * interval + interval; t <= toMs; t += interval) {
      for (const symbol of this.symbols) {
        out.push({ time: t, command: { op: 'funding', symbol, rate: fundingRateAt(this.fundingBySymbol.get(symbol), t, this.options.defaultFundingRate) } });
      }
      this.feedMs = t;
    }
  }
}

function checkSpeed(speed: number): void {
  if (!(speed >= MIN_SPEED && speed <= MAX_SPEED)) throw new RangeError(`speed must be between ${MIN_SPEED} and ${MAX_SPEED}, got ${speed}`);
}
