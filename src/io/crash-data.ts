// Loads the bundled crash windows for the crash study: Binance BTCUSDT perpetual 1-minute bars around each
// crash, ETH and SOL hourly spot bars over the same hours where the bundled files cover them, and the
// BTC/ETH funding history (data/README.md lists what exists: SOL has no funding, LUNA and FTX have no
// intraday ETH/SOL).
//
// Every venue runs on the same data: a leg's symbol is mapped to the bundled prices by its base asset
// (BTCUSDT, BTCUSD_PERP, BTC-USDT-SWAP, BTC-USD-SWAP, BTCUSD and BTC are all "BTC"), and the series is
// named after the leg, so the engine sees the venue's own market (its contract kind, size and tables).
// The USDT price stands in for the USD index of inverse contracts. Funding is Binance USD-M's, so it is
// applied only when the venue is binance-usdm; other venues replay without funding.
import { baseOf, DEFAULT_MARKETS } from '../exchanges/markets.ts';
import type { ExchangeId } from '../exchanges/rules.ts';
import { slice, type CandleSeries, type FundingSeries } from '../sim/data.ts';
import type { WindowData } from '../sim/study.ts';
import { CRASH_WINDOWS, bundled, loadCandles, loadFunding } from './market-data.ts';

const HOURLY: Record<string, string[]> = {
  ETH: ['binance-spot-ETHUSDT-1h-2019-2021.csv', 'binance-spot-ETHUSDT-1h-2024-2026.csv'],
  SOL: ['binance-spot-SOLUSDT-1h-2019-2021.csv', 'binance-spot-SOLUSDT-1h-2024-2026.csv'],
};
const FUNDING: Record<string, string> = {
  BTC: 'binance-futures-BTCUSDT-funding-8h.csv',
  ETH: 'binance-futures-ETHUSDT-funding-8h.csv',
};
const HOUR = 3_600_000;
/** A table entry for a leg's base asset: own entries only ("constructor" is a name, not Object's). */
const own = <T>(table: Readonly<Record<string, T>>, key: string): T | undefined => (Object.hasOwn(table, key) ? table[key] : undefined);

/** `ids`: only those windows (the dashboard's study replays one; reading the other files costs a second). */
export function loadCrashWindows(symbols: readonly string[] = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'], exchange: ExchangeId = 'binance-usdm', ids?: readonly string[]): WindowData[] {
  const unique = [...new Set(symbols)];
  const funding: FundingSeries[] =
    exchange === 'binance-usdm'
      ? unique.flatMap((symbol) => {
          const file = own(FUNDING, baseOf(symbol));
          return file ? [loadFunding(bundled(file), symbol)] : [];
        })
      : [];
  return CRASH_WINDOWS.filter((w) => ids === undefined || ids.includes(w.id)).map((w) => {
    const btc = loadCandles(bundled(w.file), 'BTCUSDT');
    const start = btc.time[0]!;
    const end = btc.time[btc.time.length - 1]! + btc.durationMs[btc.time.length - 1]!;
    // the BTC 1-minute window comes first and sets the window's span, also without a BTC leg (then under
    // the venue's own BTC market, which holds no position)
    const btcLegs = unique.filter((symbol) => baseOf(symbol) === 'BTC');
    const btcNames = btcLegs.length > 0 ? btcLegs : [DEFAULT_MARKETS[exchange].find((m) => m.base === 'BTC')?.symbol ?? 'BTCUSDT'];
    const series: CandleSeries[] = btcNames.map((symbol) => (symbol === 'BTCUSDT' ? btc : { ...btc, symbol }));
    const skipped: string[] = [];
    for (const symbol of unique) {
      const base = baseOf(symbol);
      if (base === 'BTC') continue;
      const files = own(HOURLY, base) ?? [];
      let found: CandleSeries | undefined;
      for (const file of files.filter((f) => mayCover(f, start))) {
        // the hour that contains the window's first minute, through the window's end
        const cut = slice(loadCandles(bundled(file), symbol, HOUR), Math.floor(start / HOUR) * HOUR, end);
        if (cut.time.length > 0 && cut.time[0]! <= start) found = cut;
      }
      if (found) series.push(found);
      else skipped.push(symbol);
    }
    return {
      id: w.id,
      title: w.title,
      series,
      funding: funding.map((f) => cutFunding(f, start, end)),
      skipped,
    };
  });
}

/**
 * Whether a bundled file can hold a time, from the years its name spans ("-1h-2019-2021.csv"): an hourly file
 * is ~25,000 rows, over a second to parse, and one that cannot cover the window would be cut to nothing anyway.
 * A name without years is read.
 */
function mayCover(file: string, timeMs: number): boolean {
  const years = /-(\d{4})-(\d{4})\.csv$/.exec(file);
  if (!years) return true;
  const year = new Date(timeMs).getUTCFullYear();
  return year >= Number(years[1]) && year <= Number(years[2]);
}

function cutFunding(f: FundingSeries, start: number, end: number): FundingSeries {
  const keep = f.time.map((t, i) => [t, i] as const).filter(([t]) => t >= start && t <= end);
  return { ...f, time: keep.map(([t]) => t), rate: keep.map(([, i]) => f.rate[i]!) };
}
