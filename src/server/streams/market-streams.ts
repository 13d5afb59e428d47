// What the market streams send for one mark of the feed: the per-symbol state (candles of every interval,
// the rolling day, when each mark price stream last sent) and the payloads due, by canonical stream name.
// Candles of every interval are built from the first mark on, whoever is subscribed, so a client that
// subscribes mid-interval still gets the interval's true open. Pure: the feed's marks and times in.
import type { Price, Quantity, Rate } from '../../domain/fixed.ts';
import { CandleBuilder, KLINE_INTERVALS } from './candles.ts';
import { bookTicker, klineEvent, markPriceUpdate, miniTicker, type BookTicker, type KlineEvent, type MarkPriceUpdate, type MiniTicker } from './market-events.ts';
import { RollingDay } from './rolling-day.ts';
import { streamCovers, streamName, type MarketStream } from './stream-names.ts';

export type MarketPayload = MarkPriceUpdate | KlineEvent | MiniTicker | BookTicker | readonly MarkPriceUpdate[] | readonly MiniTicker[];

interface SymbolState {
  readonly candles: Map<string, CandleBuilder>;
  readonly day: RollingDay;
  /** Per mark price period (1,000 or 3,000 ms): the period index of the last update sent. */
  readonly sentPeriod: Map<number, number>;
}

export interface MarketFacts {
  readonly tickSize: (symbol: string) => Price;
  /** The size shown on each side of the synthetic book (./market-events.ts bookTicker). */
  readonly bookQuantity: (symbol: string) => Quantity;
}

export class MarketStreams {
  private readonly symbols = new Map<string, SymbolState>();
  private bookUpdateId = 0;

  constructor(private readonly facts: MarketFacts) {}

  /**
   * Takes one mark (times never go backwards per symbol) and returns, for each subscribed stream that has
   * something new, its payload:
   * - kline_<i>: the current candle (x false), after the candle this mark ended (x true) when it did;
   * - miniTicker, bookTicker: at every mark; markPrice(@1s): the first mark of each 3 s (1 s) period of
   *   feed time, Binance's update speed;
   * - !markPrice@arr(@1s) and !miniTicker@arr: arrays of the symbols that changed (this one), as Binance
   *   sends "only tickers that have changed"; !bookTicker: the symbol's book ticker.
   * `fundingRate` is the rate the next settlement will apply (the feed's, ../feed/replay-feed.ts).
   */
  onMark(symbol: string, timeMs: number, mark: Price, fundingRate: Rate, subscribed: Iterable<MarketStream>): { stream: string; data: MarketPayload }[] {
    const state = this.stateOf(symbol);
    const klines = new Map<string, KlineEvent[]>();
    for (const [interval, builder] of state.candles) {
      const { closed, current } = builder.add(timeMs, mark);
      const events = closed ? [klineEvent(symbol, interval, closed, true, timeMs)] : [];
      events.push(klineEvent(symbol, interval, current, false, timeMs));
      klines.set(interval, events);
    }
    const day = miniTicker(symbol, state.day.add(timeMs, mark), timeMs);
    const markDue = (periodMs: number): MarkPriceUpdate | undefined => {
      const period = Math.floor(timeMs / periodMs);
      if ((state.sentPeriod.get(periodMs) ?? -1) >= period) return undefined;
      return markPriceUpdate(symbol, mark, fundingRate, timeMs);
    };
    const due = new Map<number, MarkPriceUpdate | undefined>([1000, 3000].map((p) => [p, markDue(p)]));
    let book: BookTicker | undefined;
    const bookOnce = () => (book ??= bookTicker(symbol, mark, this.facts.tickSize(symbol), this.facts.bookQuantity(symbol), ++this.bookUpdateId, timeMs));

    const out: { stream: string; data: MarketPayload }[] = [];
    for (const stream of subscribed) {
      const name = streamName(stream);
      switch (stream.kind) {
        case 'kline':
          if (stream.symbol === symbol) for (const k of klines.get(stream.interval)!) out.push({ stream: name, data: k });
          break;
        case 'markPrice':
        case 'allMarkPrice': {
          if (!streamCovers(stream, 'markPrice', symbol)) break;
          const update = due.get(stream.periodMs);
          if (!update) break;
          out.push({ stream: name, data: stream.kind === 'allMarkPrice' ? [update] : update });
          break;
        }
        case 'miniTicker':
        case 'allMiniTicker':
          if (streamCovers(stream, 'miniTicker', symbol)) out.push({ stream: name, data: stream.kind === 'allMiniTicker' ? [day] : day });
          break;
        case 'bookTicker':
        case 'allBookTicker':
          if (streamCovers(stream, 'bookTicker', symbol)) out.push({ stream: name, data: bookOnce() });
          break;
      }
    }
    // a period counts as sent for the symbol whatever the subscribers: the next mark of the period is not due
    for (const periodMs of [1000, 3000]) if (due.get(periodMs)) state.sentPeriod.set(periodMs, Math.floor(timeMs / periodMs));
    return out;
  }

  private stateOf(symbol: string): SymbolState {
    let state = this.symbols.get(symbol);
    if (!state) {
      const candles = new Map(Object.keys(KLINE_INTERVALS).map((i) => [i, new CandleBuilder(i)]));
      state = { candles, day: new RollingDay(), sentPeriod: new Map() };
      this.symbols.set(symbol, state);
    }
    return state;
  }
}
