// Loads the bundled crash windows for the crash study: Binance BTCUSDT perpetual 1-minute bars around each
// crash, ETH and SOL hourly spot bars over the same hours where the bundled files cover them, and the
// BTC/ETH funding history (data/README.md lists what exists: SOL has no funding, LUNA and FTX have no
// intraday ETH/SOL).
import { slice, type CandleSeries, type FundingSeries } from '../sim/data.ts';
import type { WindowData } from '../sim/study.ts';
import { CRASH_WINDOWS, bundled, loadCandles, loadFunding } from './market-data.ts';

const HOURLY: Record<string, string[]> = {
  ETHUSDT: ['binance-spot-ETHUSDT-1h-2019-2021.csv', 'binance-spot-ETHUSDT-1h-2024-2026.csv'],
  SOLUSDT: ['binance-spot-SOLUSDT-1h-2019-2021.csv', 'binance-spot-SOLUSDT-1h-2024-2026.csv'],
};
const HOUR = 3_600_000;

export function loadCrashWindows(symbols: readonly string[] = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']): WindowData[] {
  const funding: FundingSeries[] = [
    loadFunding(bundled('binance-futures-BTCUSDT-funding-8h.csv'), 'BTCUSDT'),
    loadFunding(bundled('binance-futures-ETHUSDT-funding-8h.csv'), 'ETHUSDT'),
  ];
  return CRASH_WINDOWS.map((w) => {
    const btc = loadCandles(bundled(w.file), 'BTCUSDT');
    const start = btc.time[0]!;
    const end = btc.time[btc.time.length - 1]! + btc.durationMs[btc.time.length - 1]!;
    const series: CandleSeries[] = [btc];
    const skipped: string[] = [];
    for (const symbol of symbols) {
      if (symbol === 'BTCUSDT') continue;
      const files = HOURLY[symbol] ?? [];
      let found: CandleSeries | undefined;
      for (const file of files) {
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

function cutFunding(f: FundingSeries, start: number, end: number): FundingSeries {
  const keep = f.time.map((t, i) => [t, i] as const).filter(([t]) => t >= start && t <= end);
  return { ...f, time: keep.map(([t]) => t), rate: keep.map(([, i]) => f.rate[i]!) };
}
