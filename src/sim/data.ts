// Price history as the simulator reads it: one symbol's bars in columns, exact prices plus a float64 copy
// for the screening kernel and charts. Loading and validating files is ../io/market-data.ts.
import { baseOf, DEFAULT_MARKETS } from '../exchanges/markets.ts';
import type { ExchangeId } from '../exchanges/rules.ts';
import { add, divideBy, fromInt, max, min, parseFixed, roundToStep, scale, sub, toApproxNumber, type Price, type Rate } from '../domain/fixed.ts';

/** Exact prices by bar index: an array, or a column computed on demand (Monte Carlo paths). */
export interface PriceColumn {
  at(index: number): Price | undefined;
  readonly length: number;
}

/** What the replay reads: float64 columns for every bar, exact prices only where the engine runs. */
export interface BarSeries {
  readonly symbol: string;
  readonly time: readonly number[] | Float64Array;
  readonly open: PriceColumn;
  readonly high: PriceColumn;
  readonly low: PriceColumn;
  readonly close: PriceColumn;
  readonly openF: Float64Array;
  readonly highF: Float64Array;
  readonly lowF: Float64Array;
  readonly closeF: Float64Array;
  readonly noTrading: Uint8Array;
}

/** One symbol's bars, in columns. Bars may differ in duration after splicing (1m windows in 1h history). */
export interface CandleSeries {
  readonly symbol: string;
  readonly source: string;
  readonly time: number[];
  readonly durationMs: number[];
  readonly open: Price[];
  readonly high: Price[];
  readonly low: Price[];
  readonly close: Price[];
  /** float64 copies for the screening kernel and charts only */
  readonly openF: Float64Array;
  readonly highF: Float64Array;
  readonly lowF: Float64Array;
  readonly closeF: Float64Array;
  /** 1 where the bar is "no trading": a zero-volume flat bar (exchange downtime), see data/README.md. */
  readonly noTrading: Uint8Array;
}

export interface FundingSeries {
  readonly symbol: string;
  readonly source: string;
  readonly time: number[];
  readonly rate: Rate[];
}

/** A series of n bars with every column allocated (to be filled in). */
export function emptySeries(symbol: string, source: string, n: number, durationMs = 0): CandleSeries {
  return {
    symbol,
    source,
    time: new Array(n),
    durationMs: new Array(n).fill(durationMs),
    open: new Array(n),
    high: new Array(n),
    low: new Array(n),
    close: new Array(n),
    openF: new Float64Array(n),
    highF: new Float64Array(n),
    lowF: new Float64Array(n),
    closeF: new Float64Array(n),
    noTrading: new Uint8Array(n),
  };
}

/**
 * Splices finer bars into coarser history: every coarse bar that overlaps the fine window is replaced by
 * the fine bars, so a crash window's 1-minute wicks sit inside hourly or daily context.
 */
export function splice(coarse: CandleSeries, fine: CandleSeries): CandleSeries {
  const fineStart = fine.time[0]!;
  const last = fine.time.length - 1;
  const fineEnd = fine.time[last]! + fine.durationMs[last]!;
  const keep = (i: number) => coarse.time[i]! + coarse.durationMs[i]! <= fineStart || coarse.time[i]! >= fineEnd;
  const indices: [CandleSeries, number][] = [];
  let j = 0;
  for (let i = 0; i < coarse.time.length; i++) {
    if (!keep(i)) continue;
    while (j <= last && fine.time[j]! < coarse.time[i]!) indices.push([fine, j++]);
    indices.push([coarse, i]);
  }
  while (j <= last) indices.push([fine, j++]);
  const n = indices.length;
  const out = emptySeries(coarse.symbol, `${coarse.source} + ${fine.source}`, n);
  indices.forEach(([s, i], k) => {
    out.time[k] = s.time[i]!;
    out.durationMs[k] = s.durationMs[i]!;
    out.open[k] = s.open[i]!;
    out.high[k] = s.high[i]!;
    out.low[k] = s.low[i]!;
    out.close[k] = s.close[i]!;
    out.openF[k] = s.openF[i]!;
    out.highF[k] = s.highF[i]!;
    out.lowF[k] = s.lowF[i]!;
    out.closeF[k] = s.closeF[i]!;
    out.noTrading[k] = s.noTrading[i]!;
  });
  return out;
}

/** The bars of a series within [fromMs, toMs). */
export function slice(series: CandleSeries, fromMs: number, toMs: number): CandleSeries {
  let a = 0;
  while (a < series.time.length && series.time[a]! < fromMs) a++;
  let b = a;
  while (b < series.time.length && series.time[b]! < toMs) b++;
  return {
    ...series,
    time: series.time.slice(a, b),
    durationMs: series.durationMs.slice(a, b),
    open: series.open.slice(a, b),
    high: series.high.slice(a, b),
    low: series.low.slice(a, b),
    close: series.close.slice(a, b),
    openF: series.openF.slice(a, b),
    highF: series.highF.slice(a, b),
    lowF: series.lowF.slice(a, b),
    closeF: series.closeF.slice(a, b),
    noTrading: series.noTrading.slice(a, b),
  };
}


/**
 * A smoothed mark-price model for venues whose mark follows an index, not the last trade: the mark is an
 * exponential moving average of the closes over `spanBars` bars (alpha = 2 / (span + 1)), exact and
 * rounded to `tick`; a bar's mark opens at the previous average and closes at the new one, with no wicks
 * of its own. Wicks of the last price then no longer liquidate by themselves; sustained moves still do.
 */
export function smoothedMark(series: CandleSeries, spanBars: number, tick: Price): CandleSeries {
  const alpha = divideBy(fromInt<'Rate'>(2), spanBars + 1, 'halfEven');
  const n = series.time.length;
  const open: Price[] = new Array(n);
  const high: Price[] = new Array(n);
  const low: Price[] = new Array(n);
  const close: Price[] = new Array(n);
  let ema = series.open[0]!;
  for (let i = 0; i < n; i++) {
    const before = ema;
    if (!series.noTrading[i]) ema = roundToStep(add(ema, scale(sub(series.close[i]!, ema), alpha, 'halfEven')), tick, 'halfEven');
    open[i] = before;
    close[i] = ema;
    high[i] = max(before, ema);
    low[i] = min(before, ema);
  }
  return {
    ...series,
    source: `${series.source} (mark: EMA ${spanBars})`,
    open,
    high,
    low,
    close,
    openF: Float64Array.from(open, toApproxNumber),
    highF: Float64Array.from(high, toApproxNumber),
    lowF: Float64Array.from(low, toApproxNumber),
    closeF: Float64Array.from(close, toApproxNumber),
  };
}

const TICK_FALLBACK = parseFixed<'Price'>('0.00000001');

/** The mark-price model of a replay: the last-price candles as they are, or their EMA (`smoothedMark`). */
export type MarkModel = { readonly model: 'last' } | { readonly model: 'smoothed'; readonly spanBars: number };

/**
 * The series under a mark model, each smoothed to its market's tick on `exchange` (a symbol the venue does not
 * bundle: to 1e-8). Shared by `perpguard study|simulate --mark` and the dashboard's study, so both replay the
 * same marks.
 */
export function markSeries(series: readonly CandleSeries[], exchange: ExchangeId, mark: MarkModel): CandleSeries[] {
  if (mark.model === 'last') return [...series];
  return series.map((s) => smoothedMark(s, mark.spanBars, DEFAULT_MARKETS[exchange].find((m) => m.symbol === s.symbol)?.tickSize ?? TICK_FALLBACK));
}

/**
 * The series each symbol replays on: the one of that name, else the one of the same base asset renamed
 * (bundled data is Binance's BTCUSDT/ETHUSDT/SOLUSDT; an OKX BTC-USDT-SWAP, a COIN-M BTCUSD_PERP or a
 * Hyperliquid BTC leg runs on the BTC prices under its own name). Symbols without data are left out.
 */
export function seriesForSymbols<S extends { readonly symbol: string }>(series: readonly S[], symbols: readonly string[]): S[] {
  const out: S[] = [];
  for (const symbol of new Set(symbols)) {
    const found = series.find((s) => s.symbol === symbol) ?? series.find((s) => baseOf(s.symbol) === baseOf(symbol));
    if (found) out.push(found.symbol === symbol ? found : { ...found, symbol });
  }
  return out;
}
