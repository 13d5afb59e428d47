// Test helpers for the advisor's tests (not part of the build's layers: see test/architecture.test.ts).
import { parseFixed } from '../domain/fixed.ts';
import type { CandleSeries } from '../sim/data.ts';

const HOUR = 3_600_000;

/** Bars from [open, high, low, close] rows, hourly from `start` unless `times` gives each bar's time. */
export function bars(symbol: string, rows: readonly (readonly [number, number, number, number])[], times?: readonly number[], barMs = HOUR, start = 0): CandleSeries {
  const p = (x: number) => parseFixed<'Price'>(String(x));
  return {
    symbol,
    source: 'test',
    time: times ? [...times] : rows.map((_, i) => start + i * barMs),
    durationMs: rows.map(() => barMs),
    open: rows.map((r) => p(r[0])),
    high: rows.map((r) => p(r[1])),
    low: rows.map((r) => p(r[2])),
    close: rows.map((r) => p(r[3])),
    openF: Float64Array.from(rows, (r) => r[0]),
    highF: Float64Array.from(rows, (r) => r[1]),
    lowF: Float64Array.from(rows, (r) => r[2]),
    closeF: Float64Array.from(rows, (r) => r[3]),
    noTrading: new Uint8Array(rows.length),
  };
}

/** A trader who tops up a 20x isolated BTC long three times, takes a little back and closes; plus an ETH position left alone and a cross SOL one. */
export const CHASER_JOURNAL = {
  setup: { exchange: 'binance-usdm', fees: { taker: '0', maker: '0' } },
  ops: [
    { op: 'deposit', asset: 'USDT', amount: '10000' }, // 0
    { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' }, // 1
    { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 20 }, // 2
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' }, // 3
    { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.2' }, // 4: IM 10,000 / 20 = 500
    { op: 'mark', symbol: 'BTCUSDT', price: '48000' }, // 5
    { op: 'addMargin', symbol: 'BTCUSDT', amount: '250' }, // 6: 750
    { op: 'mark', symbol: 'BTCUSDT', price: '47000' }, // 7
    { op: 'addMargin', symbol: 'BTCUSDT', amount: '250' }, // 8: 1,000
    { op: 'addMargin', symbol: 'BTCUSDT', amount: '100' }, // 9: 1,100
    { op: 'reduceMargin', symbol: 'BTCUSDT', amount: '20' }, // 10: 1,080 (at 47,000 at most 30 can leave)
    { op: 'setMarginMode', symbol: 'ETHUSDT', mode: 'isolated' }, // 11
    { op: 'setLeverage', symbol: 'ETHUSDT', leverage: 10 }, // 12
    { op: 'mark', symbol: 'ETHUSDT', price: '2000' }, // 13
    { op: 'order', symbol: 'ETHUSDT', side: 'buy', type: 'market', quantity: '1' }, // 14: IM 2,000 / 10 = 200
    { op: 'addMargin', symbol: 'ETHUSDT', amount: '100' }, // 15: right after the opening fill: assigned at entry
    { op: 'mark', symbol: 'ETHUSDT', price: '1900' }, // 16
    { op: 'addMargin', symbol: 'ETHUSDT', amount: '50' }, // 17: one top-up, 350
    { op: 'mark', symbol: 'SOLUSDT', price: '100' }, // 18
    { op: 'order', symbol: 'SOLUSDT', side: 'sell', type: 'market', quantity: '10' }, // 19: cross, not analysed
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' }, // 20
    { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.2' }, // 21: closes BTC
  ],
};
