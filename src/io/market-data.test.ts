// Market-data loading and validation on the bundled files (data/README.md) and on broken inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed } from '../domain/fixed.ts';
import {
  CRASH_WINDOWS,
  DataError,
  bundled,
  loadCandles,
  loadFunding,
  parseBinanceKlineCsv,
  parseCandleCsv,
  parseCcxtOhlcv,
  parseFundingCsv,
  parseTimeframe,
  slice,
  splice,
} from './market-data.ts';

const header = 'timestamp_ms,open,high,low,close,volume\n';

describe('bundled market data', () => {
  it('loads every crash window, complete and contiguous (data/README.md: 60,000 ms steps)', () => {
    for (const w of CRASH_WINDOWS) {
      const s = loadCandles(bundled(w.file));
      assert.ok(s.time.length > 100, w.file);
      for (let i = 1; i < s.time.length; i++) assert.equal(s.time[i]! - s.time[i - 1]!, 60_000, `${w.file} bar ${i}`);
    }
  });
  it('Black Thursday: the 02:16 wick to 3,621.81 is in the 1m window (data/README.md)', () => {
    const s = loadCandles(bundled(CRASH_WINDOWS[0].file));
    let low = 0;
    for (let i = 1; i < s.time.length; i++) if (s.lowF[i]! < s.lowF[low]!) low = i;
    assert.equal(formatFixed(s.low[low]!), '3621.81');
    assert.equal(new Date(s.time[low]!).toISOString(), '2020-03-13T02:16:00.000Z');
  });
  it('marks zero-volume flat bars as no trading (BTC spot 2019-03-12 02:00, exchange downtime)', () => {
    const s = loadCandles(bundled('binance-spot-BTCUSDT-1h-2019-2021.csv'));
    const i = s.time.indexOf(1552356000000);
    assert.equal(s.noTrading[i], 1);
    assert.equal(s.noTrading[i - 1], 0);
    assert.ok(s.noTrading.reduce((a, b) => a + b, 0) >= 40);
  });
  it('funding: 4,383 BTCUSDT rows 2020-2023, the 2020-03-13 08:00 rate is -0.3 %', () => {
    const f = loadFunding(bundled('binance-futures-BTCUSDT-funding-8h.csv'), 'BTCUSDT');
    assert.equal(f.time.length, 4383);
    const i = f.time.findIndex((t) => t >= Date.UTC(2020, 2, 13, 8) && t < Date.UTC(2020, 2, 13, 8, 1));
    assert.equal(formatFixed(f.rate[i]!), '-0.003');
  });
  it('splices a 1m crash window into hourly history, replacing the overlapped hours', () => {
    const hourly = loadCandles(bundled('binance-spot-BTCUSDT-1h-2019-2021.csv'));
    const window = loadCandles(bundled(CRASH_WINDOWS[1].file));
    const spliced = splice(hourly, window);
    for (let i = 1; i < spliced.time.length; i++) assert.ok(spliced.time[i]! > spliced.time[i - 1]!);
    const inside = spliced.time.filter((t) => t >= window.time[0]! && t <= window.time[window.time.length - 1]!).length;
    assert.equal(inside, window.time.length);
    // the 11:00 and 12:00 and 13:00 hours that the window (11:45-13:58) overlaps are gone
    assert.ok(spliced.time.length < hourly.time.length + window.time.length);
    const cut = slice(spliced, window.time[0]!, window.time[0]! + 10 * 60_000);
    assert.equal(cut.time.length, 10);
  });
});

describe('bad data is an error naming the file and line', () => {
  const cases: [string, RegExp][] = [
    [header + '2000,1,2,0.5,1.5,1\n1000,1,2,0.5,1.5,1\n', /x\.csv:3: bars are not sorted/],
    [header + '1000,1,2,0.5,1.5,1\n1000,1,2,0.5,1.5,1\n', /x\.csv:3: duplicate bar/],
    [header + '1000,1,0.5,2,1,1\n', /x\.csv:2: impossible bar: high 0.5 is below low 2/],
    [header + '1000,3,2,0.5,1.5,1\n', /x\.csv:2: impossible bar: open 3 is outside/],
    [header + '1000,1,2,0.5,abc,1\n', /x\.csv:2: close must be a decimal string/],
  ];
  for (const [text, message] of cases) {
    it(message.source, () => assert.throws(() => parseCandleCsv('BTCUSDT', 'x.csv', text, 60_000), (e: unknown) => e instanceof DataError && message.test((e as Error).message)));
  }
});

describe('import formats', () => {
  it('Binance 12-column kline dump, with or without a header; timeframe from close_time', () => {
    const row = '1584052740000,5807.97,5819.96,5801.01,5817.15,187.299,1584052799999,1088000.1,500,90.1,523000.5,0';
    for (const text of [row + '\n', 'open_time,open,high,low,close,volume,close_time,quote_volume,count,taker_buy_volume,taker_buy_quote_volume,ignore\n' + row + '\n']) {
      const s = parseBinanceKlineCsv('BTCUSDT', 'k.csv', text);
      assert.equal(s.durationMs[0], 60_000);
      assert.equal(formatFixed(s.low[0]!), '5801.01');
    }
    assert.throws(() => parseBinanceKlineCsv('BTCUSDT', 'k.csv', '1,2,3\n'), /k\.csv:1: expected the 12 columns/);
  });
  it('ccxt fetchOHLCV JSON', () => {
    const s = parseCcxtOhlcv('BTC/USDT', 'o.json', [[1000, 10, 12, 9, 11, 5], [61000, 11, 11.5, 10.5, 11.2, 0]], 60_000);
    assert.equal(s.time.length, 2);
    assert.equal(formatFixed(s.close[1]!), '11.2');
    assert.throws(() => parseCcxtOhlcv('X', 'o.json', [[1000, 10, 9, 12, 11]], 60_000), /o\.json: \[0\]: impossible bar/);
  });
});

describe('loader errors name file:line (CSV) or file and index (JSON); none is a crash', () => {
  const header = 'timestamp_ms,open,high,low,close,volume\n';
  const cases: [string, () => unknown, RegExp][] = [
    ['a CSV line with 3 columns (csv-parse threw "Invalid Record Length")', () => parseCandleCsv('X', 'a-1m-.csv', `${header}0,1,2,1,1,5\n60000,1,2\n`), /^a-1m-\.csv:3: missing column low/],
    ['blank lines are counted in the line number', () => parseCandleCsv('X', 'a-1m-.csv', `${header}\n\n60000,1,2,abc,1,1\n`), /^a-1m-\.csv:4: low must be a decimal string/],
    ['unsorted bars', () => parseCandleCsv('X', 'a-1m-.csv', `${header}120000,1,2,1,1,5\n60000,1,2,1,1,5\n`), /^a-1m-\.csv:3: bars are not sorted/],
    ['a non-numeric timestamp', () => parseCandleCsv('X', 'a-1m-.csv', `${header}soon,1,2,1,1,5\n`), /^a-1m-\.csv:2: timestamp NaN is not epoch milliseconds/],
    ['a timestamp past the last Date', () => parseCandleCsv('X', 'a-1m-.csv', `${header}9000000000000000,1,2,1,1,5\n`), /^a-1m-\.csv:2: timestamp .* is not epoch milliseconds/],
    ['an unclosed quote', () => parseCandleCsv('X', 'a-1m-.csv', `${header}"0,1,2,1,1,5\n`), /^a-1m-\.csv:2: not a CSV file/],
    ['ccxt JSON that is not OHLCV (an array of numbers)', () => parseCcxtOhlcv('X', 'o.json', [1, 2, 3], 60_000), /^o\.json: \[0\]: each bar must be \[timestamp, open, high, low, close, volume\]/],
    ['ccxt JSON of objects', () => parseCcxtOhlcv('X', 'o.json', { BTC: [] }, 60_000), /^o\.json: expected ccxt fetchOHLCV output/],
    ['ccxt JSON with a string timestamp at index 1', () => parseCcxtOhlcv('X', 'o.json', [[0, 1, 1, 1, 1], ['x', 1, 1, 1, 1]], 60_000), /^o\.json: \[1\]: timestamp "x"/],
    ['a price of 1e400', () => parseCcxtOhlcv('X', 'o.json', [[0, 1, 1e300 * 1e100, 1, 1]], 60_000), /^o\.json: \[0\]: high must be a decimal string/],
    ['a funding file without its columns', () => parseFundingCsv('X', 'f.csv', 'time,rate\n1,0.0001\n'), /^f\.csv:2: expected the columns timestamp_ms,funding_rate/],
    ['a funding rate of 150 %', () => parseFundingCsv('X', 'f.csv', 'timestamp_ms,funding_rate\n1,1.5\n'), /^f\.csv:2: funding_rate must be at most 1 in magnitude/],
    ['one bar and no timeframe in the name', () => parseCandleCsv('X', 'mine.csv', `${header}0,1,2,1,1,5\n`), /^mine\.csv: cannot tell the timeframe from one bar/],
  ];
  for (const [name, load, message] of cases) {
    it(name, () => {
      assert.throws(load, (error: unknown) => error instanceof DataError && message.test(error.message));
    });
  }
  it('the timeframe comes from the timestamps when the file name does not say it', () => {
    // 5-minute bars with a gap: the smallest step is the bar
    const s = parseCandleCsv('X', 'mine.csv', `${header}0,1,2,1,1,5\n300000,1,2,1,1,5\n1200000,1,2,1,1,5\n`);
    assert.equal(s.durationMs[0], 300_000);
    assert.equal(parseTimeframe('15m'), 900_000);
    assert.equal(parseTimeframe('4h'), 14_400_000);
    assert.equal(parseTimeframe('0m'), undefined);
    assert.equal(parseTimeframe('1y'), undefined);
  });
});
