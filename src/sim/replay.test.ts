// The simulator on real bundled data, with numbers checked by hand (data/README.md for the data; the
// Binance isolated formula, reference part 2 §1.2, for the liquidation price).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { formatFixed, parseFixed, toApproxNumber } from '../domain/fixed.ts';
import { CRASH_WINDOWS, bundled, loadCandles, loadFunding } from '../io/market-data.ts';
import { loadCrashWindows } from '../io/crash-data.ts';
import { replay } from './replay.ts';
import { parseSpec } from './spec.ts';
import { runWindow } from './study.ts';

const blackThursday = loadCandles(bundled(CRASH_WINDOWS[0].file));
const oneBtc = parseSpec({ wallet: '10000', fees: { taker: '0.0004', maker: '0.0002' }, legs: [{ symbol: 'BTCUSDT', side: 'long', size: { margin: '1000' }, leverage: 10, marginMode: 'isolated' }] });

describe('a 10x BTC long opened at the first bar of Black Thursday (2020-03-12 22:39 UTC, open 5,807.97)', () => {
  const funding = [loadFunding(bundled('binance-futures-BTCUSDT-funding-8h.csv'), 'BTCUSDT')];
  const isolated = replay({ spec: oneBtc, mode: 'isolated', series: [blackThursday], funding });
  const cross = replay({ spec: oneBtc, mode: 'cross', series: [blackThursday], funding });
  // quantity = 1,000 x 10 / 5,807.97 = 1.72176... -> 1.721 (step 0.001); IM = 1.721 x 5,807.97 / 10 = 999.5516
  // LP = (Q x EP - IM) / (Q x (1 - 0.4 %)) = (9,995.51637 - 999.551637) / 1.714116 = 5,248.1657 (bracket 1: MMR 0.4 %, cum 0)
  it('enters 1.721 BTC with 999.55 of isolated margin, liquidation price 5,248.17', () => {
    const entry = isolated.entries[0]!;
    assert.equal(formatFixed(entry.quantity), '1.721');
    assert.equal(formatFixed(entry.price), '5807.97');
    assert.equal(formatFixed(entry.liquidationPrice!).slice(0, 9), '5248.1656');
  });
  it('is liquidated in the first minute whose low reaches 5,248.17, isolated', () => {
    const first = blackThursday.time.find((_, i) => blackThursday.lowF[i]! <= 5248.1656);
    assert.equal(isolated.liquidations.length, 1);
    assert.equal(isolated.liquidations[0]!.time, first);
    assert.equal(new Date(first!).toISOString(), '2020-03-12T23:23:00.000Z');
    // the isolated wallet (999.551637) is lost, the rest of the account is not:
    // 10,000 - 999.551637 - 3.998206548 taker fee (9,995.51637 x 0.04 %)
    assert.equal(formatFixed(isolated.finalEquity), '8996.450156452');
  });
  it('in cross the same book is never liquidated: the $10,000 wallet backs the whole notional (no liquidation price)', () => {
    assert.equal(cross.liquidations.length, 0);
    assert.equal(cross.entries[0]!.liquidationPrice, undefined);
    // it survives the 02:16 wick to 3,621.81 with 10,000 - 3.9982 - 1.721 x (5,807.97 - 3,621.81) = 6,233.64 of
    // equity, plus the funding it received at 00:00 (negative payment)
    assert.ok(Math.abs(cross.minEquity - (10000 - 3.9982 - 1.721 * (5807.97 - 3621.81) - toApproxNumber(cross.funding))) < 0.01, String(cross.minEquity));
    // and keeps the recovery: final equity at the window's last close
    const last = blackThursday.closeF[blackThursday.closeF.length - 1]!;
    assert.ok(Math.abs(toApproxNumber(cross.finalEquity) - (10000 - 3.9982 - 1.721 * (5807.97 - last) - toApproxNumber(cross.funding))) < 0.01);
  });
  it('the cross position paid (here: received) funding at 2020-03-13 00:00 UTC from the bundled history', () => {
    const funding = cross.events.filter((e) => e.type === 'funding');
    assert.equal(funding.length, 1);
    assert.equal(new Date(funding[0]!.time).toISOString(), '2020-03-13T00:00:00.000Z');
  });
});

describe('stops fire before liquidation, at their own price', () => {
  it('a 5 % stop-loss on the same trade sells at 5,517.57 long before the liquidation price', () => {
    const spec = parseSpec({ wallet: '10000', fees: { taker: '0', maker: '0' }, legs: [{ symbol: 'BTCUSDT', side: 'long', size: { margin: '1000' }, leverage: 10, marginMode: 'isolated', stopLoss: { percent: '5' } }] });
    const r = replay({ spec, mode: 'isolated', series: [blackThursday] });
    assert.equal(r.liquidations.length, 0);
    const fills = r.events.filter((e): e is Extract<typeof e, { type: 'fill' }> => e.type === 'fill');
    assert.equal(fills.length, 2);
    // stop = 5,807.97 x 0.95 = 5,517.5715 -> 5,517.5 (rounded to the 0.1 tick away from the entry)
    assert.equal(formatFixed(fills[1]!.price), '5517.5');
    assert.ok(Math.abs(toApproxNumber(r.finalEquity) - (10000 - 1.721 * (5807.97 - 5517.5))) < 1e-9);
  });
});

describe('the crash study: the domino effect on 2021-05-19', () => {
  const spec = parseSpec({
    wallet: '10000',
    legs: [
      { symbol: 'BTCUSDT', side: 'long', size: { notional: '40000' }, leverage: 20, marginMode: 'cross' },
      { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 20, marginMode: 'isolated' },
      { symbol: 'SOLUSDT', side: 'short', size: { margin: '200' }, leverage: 10, marginMode: 'isolated' },
    ],
  });
  const window = loadCrashWindows().find((w) => w.id === '2021-05-19')!;
  const result = runWindow(spec, window);
  it('all-cross: the BTC liquidation takes the ETH and SOL positions with it (domino), nothing is kept', () => {
    const cross = result.modes.cross;
    assert.deepEqual(cross.liquidations.map((l) => [l.symbol, l.domino]).sort(), [['BTCUSDT', false], ['ETHUSDT', true], ['SOLUSDT', true]]);
    assert.equal(formatFixed(cross.finalEquity), '0');
  });
  it('all-isolated: each position loses only its own margin; the account keeps the rest', () => {
    const isolated = result.modes.isolated;
    assert.ok(isolated.liquidations.every((l) => l.marginMode === 'isolated' && !l.domino));
    assert.ok(toApproxNumber(isolated.finalEquity) > 7000);
  });
  it('screened and exact-only runs give identical events and balances', () => {
    const exact = runWindow(spec, window, { screening: false });
    for (const mode of ['isolated', 'cross', 'mixed'] as const) {
      assert.deepEqual(withoutOp(exact.modes[mode].events), withoutOp(result.modes[mode].events), mode);
      assert.ok(isDeepStrictEqual(exact.modes[mode].state.balances, result.modes[mode].state.balances), mode);
      assert.ok(result.modes[mode].exactBars < exact.modes[mode].exactBars);
    }
  });
});

/** Events without their command index: a screened run issues fewer mark commands, so indexes differ. */
export function withoutOp(events: readonly { op: number }[]): unknown[] {
  return events.map(({ op: _op, ...rest }) => rest);
}

describe('mark-price model: last-price candles vs a smoothed mark (EMA of closes, no wicks)', () => {
  it('EMA arithmetic: alpha = 2 / (span + 1), exact, rounded to the tick; a bar opens at the previous average', async () => {
    const { smoothedMark } = await import('./data.ts');
    const { parseCandleCsv } = await import('../io/market-data.ts');
    const s = parseCandleCsv('BTCUSDT', 't.csv', 'timestamp_ms,open,high,low,close,volume\n0,100,100,100,100,1\n60000,100,120,50,110,1\n120000,110,111,90,90,1\n', 60_000);
    const m = smoothedMark(s, 3, parseFixed('0.1'));
    // alpha 0.5: 100 -> 100 + 0.5 x 10 = 105 -> 105 + 0.5 x (90 - 105) = 97.5
    assert.deepEqual(m.close.map((p) => formatFixed(p)), ['100', '105', '97.5']);
    assert.deepEqual(m.low.map((p) => formatFixed(p)), ['100', '100', '97.5']);
    assert.deepEqual(m.high.map((p) => formatFixed(p)), ['100', '105', '105']);
  });
  it('May 2021: the all-cross book is wiped out on last-price wicks but survives a 5-minute smoothed mark', async () => {
    const { smoothedMark } = await import('./data.ts');
    const window = loadCrashWindows().find((w) => w.id === '2021-05-19')!;
    const spec = parseSpec({ wallet: '10000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: '40000' }, leverage: 20, marginMode: 'cross' }] });
    const last = replay({ spec, mode: 'cross', series: [window.series[0]!] });
    const smoothed = replay({ spec, mode: 'cross', series: [smoothedMark(window.series[0]! as never, 5, parseFixed('0.1'))] });
    assert.equal(last.liquidations.length, 1);
    assert.equal(smoothed.liquidations.length, 0);
  });
});

describe('an opening order the venue refuses', () => {
  // 1,000 x 125 = 125,000 USDT of BTC at 125x: Binance's first bracket allows 125x up to 50,000 notional only
  // (reference/tiers.md), so the engine refuses the order (leverage above the bracket's maximum)
  const tooLarge = parseSpec({ wallet: '10000', fees: { taker: '0.0004', maker: '0.0002' }, legs: [{ symbol: 'BTCUSDT', side: 'long', size: { margin: '1000' }, leverage: 125, marginMode: 'isolated' }] });
  it('opens nothing and records no entry (an entry would claim a position the account never held)', () => {
    const run = replay({ spec: tooLarge, mode: 'isolated', series: [blackThursday] });
    assert.deepEqual(run.entries, []);
    assert.deepEqual(run.liquidations, []);
    assert.equal(formatFixed(run.finalEquity), '10000');
  });
});
