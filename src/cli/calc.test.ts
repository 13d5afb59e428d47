// `perpguard calc`'s tables: coin amounts at the coin's precision, hedge mode explained, 100 columns.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import { calcReport, renderCalc } from './calc.ts';
import { reportJson } from '../views/calc.ts';
import { setWideOutput } from './format.ts';

function render(snapshot: object): string {
  const report = calcReport(parseSnapshotText(JSON.stringify(snapshot)));
  return renderCalc(reportJson(report), report);
}
const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));
const cells = (text: string, symbol: string): string[][] =>
  text
    .split('\n')
    .filter((l) => l.startsWith(`│ ${symbol} `))
    .map((l) => l.split('│').slice(1, -1).map((c) => c.trim()));

const mm = { rate: '0.004', amount: '0' };
// Binance COIN-M, BN-CM-MM (reference part 2 §2): BTCUSD contracts are 100 USD each, PnL and margin in BTC
const coinmHedge = {
  exchange: 'binance-coinm',
  positionMode: 'hedge',
  walletBalance: '0.05',
  positions: [
    { symbol: 'BTCUSD_PERP', side: 'long', size: '100', entryPrice: '50000', markPrice: '48000', marginMode: 'cross', leverage: 10, maintenance: mm },
    { symbol: 'BTCUSD_PERP', side: 'short', size: '3', entryPrice: '50000', markPrice: '48000', marginMode: 'cross', leverage: 10, maintenance: mm },
  ],
};

afterEach(() => setWideOutput(false));

describe('perpguard calc tables', () => {
  it('inverse: coin amounts at 8 decimals (Binance COIN-M positionRisk precision), never 0 or -0', () => {
    setWideOutput(true);
    const text = render(coinmHedge);
    const [long, short] = cells(text, 'BTCUSD_PERP');
    // uPnL = 100 x 100 USD x (1/50,000 - 1/48,000) = -0.008333... BTC, rounded down
    assert.deepEqual(long!.slice(6, 9), ['0.02083334', '0.00083334', '-0.00833334']);
    // the short leg: 3 x 100 x (1/48,000 - 1/50,000) = 0.00025 BTC; MM 300 / 48,000 x 0.4 % = 0.000025
    assert.deepEqual(short!.slice(6, 9), ['0.000625', '0.000025', '0.00025']);
    assert.doesNotMatch(text, /│ -?0 +│/);
  });
  it('linear stays at the cent and never prints -0 for a loss below a cent', () => {
    setWideOutput(true);
    const text = render({
      exchange: 'binance-usdm',
      walletBalance: '1000',
      positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.001', entryPrice: '50000', markPrice: '49999.9', marginMode: 'cross', leverage: 10 }],
    });
    // uPnL = 0.001 x -0.1 = -0.0001 USDT, rounded down to the cent: -0.01 (not "-0")
    assert.equal(cells(text, 'BTCUSDT')[0]![8], '-0.01');
  });
  it('hedge mode: no false "past its liquidation price" warning, one line on the shared liquidation price', () => {
    const text = render(coinmHedge);
    assert.doesNotMatch(text, /past its liquidation price/);
    const explained = text.split('\n').filter((l) => /share one cross liquidation price/.test(l));
    assert.equal(explained.length, 1);
    // both legs show the same price, 16.82 % below the mark (the legs' net position is long)
    const legs = cells(text, 'BTCUSD_PERP');
    assert.equal(legs[0]!.at(-2), '39,923');
    assert.equal(legs[1]!.at(-2), '39,923');
    assert.equal(legs[1]!.at(-1), '16.82 %');
  });
  it('a position that is past its liquidation price is still warned about', () => {
    // the seed's isolated example: liquidation at 45,180.72, mark 45,000
    const text = render({
      exchange: 'binance-usdm',
      positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', markPrice: '45000', marginMode: 'isolated', leverage: 10, isolatedMargin: '100' }],
    });
    assert.match(text, /warning: a position is already past its liquidation price/);
    assert.equal(cells(text, 'BTCUSDT')[0]!.at(-1), '-0.4 %');
  });
  it('fits 100 columns by default, names what it left out; --wide shows every column', () => {
    const narrow = render(coinmHedge);
    assert.ok(widest(narrow) <= 100, `widest line ${widest(narrow)}`);
    assert.match(narrow, /left out to fit 100 columns: .*bankr\. price.*--wide shows them/);
    assert.doesNotMatch(narrow, /│ bankr\./);
    setWideOutput(true);
    const wide = render(coinmHedge);
    assert.match(wide, /│ bankr\./);
    assert.match(wide, /│ margin/);
    assert.ok(widest(wide) > 100);
  });
});
