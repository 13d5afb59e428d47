// The markets one engine knows: the venue's bundled markets (with the bracket table in force on a day)
// and the `markets` given to initialState, which take precedence. Built once by initialState and held by
// the engine's config, so its per-day cache belongs to that engine: there is no module-global cache to go
// stale (the old string-keyed one kept a market built before tiers were imported at run time) and two
// engines in one process never share one.
import { isoDay } from '../domain/tiers.ts';
import { DEFAULT_MARKETS, buildMarket, findBundledMarket } from '../exchanges/markets.ts';
import type { ExchangeId, Market } from '../exchanges/rules.ts';

/** Which bracket table applies: the one in force at each command's time, on a fixed day, or the newest. */
export type BracketChoice = 'time' | 'newest' | { readonly day: string };

const MS_PER_DAY = 86_400_000;

export class MarketRegistry {
  /** Every settlement asset of the venue's markets and the given ones, sorted. */
  readonly settleAssets: readonly string[];
  /** symbol -> day number -> market (undefined: not a market of the venue), so the hot path builds no strings. */
  private readonly built = new Map<string, Map<number, Market | undefined>>();
  /** symbol -> the distinct markets built for it, so days that share a table share one market object. */
  private readonly distinct = new Map<string, Market[]>();

  constructor(
    readonly exchange: ExchangeId,
    readonly brackets: BracketChoice,
    private readonly custom: Readonly<Record<string, Market>>,
  ) {
    const assets = [...DEFAULT_MARKETS[exchange].map((m) => m.settleAsset), ...Object.values(custom).map((m) => m.settleAsset)];
    this.settleAssets = Object.freeze([...new Set(assets)].sort());
  }

  /** The day whose table applies at `time`: -1 when one table serves every time (a fixed day, the newest). */
  dayAt(time: number): number {
    return this.brackets === 'time' ? Math.floor(time / MS_PER_DAY) : -1;
  }

  /** The market of `symbol` on a day numbered as dayAt numbers them. */
  marketOnDay(symbol: string, day: number): Market | undefined {
    return this.marketAt(symbol, day * MS_PER_DAY);
  }

  /** The market of `symbol` with the bracket table in force at `time`; undefined if the venue has none. */
  marketAt(symbol: string, time: number): Market | undefined {
    const custom = this.custom[symbol];
    if (custom) return custom;
    const dayNumber = this.dayAt(time);
    let byDay = this.built.get(symbol);
    if (!byDay) this.built.set(symbol, (byDay = new Map()));
    // one lookup on the hot path (every leg and market read of the engine comes here); has() only for a
    // symbol remembered as no market of the venue (undefined)
    const known = byDay.get(dayNumber);
    if (known !== undefined || byDay.has(dayNumber)) return known;
    const day = this.brackets === 'newest' ? undefined : this.brackets === 'time' ? isoDay(time) : this.brackets.day;
    // a symbol the venue does not bundle is unknown here (journals and specs describe it in `markets`)
    const built = findBundledMarket(this.exchange, symbol) ? buildMarket(this.exchange, symbol, undefined, day) : undefined;
    const market = built && this.sameAsBuilt(symbol, built);
    byDay.set(dayNumber, market);
    return market;
  }

  /**
   * The market built earlier for another day with the same table, else this one. A table stays in force
   * for months, and one object for all its days is what lets a caller keep what it derived from a market
   * (a float mirror, a prepared kernel, cross sums) while only the day changes: they compare markets by
   * identity.
   */
  private sameAsBuilt(symbol: string, market: Market): Market {
    let markets = this.distinct.get(symbol);
    if (!markets) this.distinct.set(symbol, (markets = []));
    const earlier = markets.find(
      (m) => m.brackets === market.brackets && m.sizeTiers === market.sizeTiers && m.bracketsExtrapolated === market.bracketsExtrapolated,
    );
    if (earlier) return earlier;
    markets.push(market);
    return market;
  }

  /** Not part of a serialized state: the config's exchange, brackets and markets say how to rebuild it. */
  toJSON(): undefined {
    return undefined;
  }
}
