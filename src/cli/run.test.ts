// `perpguard run`'s tables: coin amounts at the coin's precision, hedge legs explained, 100 columns.
import { afterEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseJournal } from '../engine/journal.ts';
import { renderRun, runJson } from './run.ts';
import { setWideOutput } from './format.ts';

function render(journal: object): string {
  const { run, json } = runJson(parseJournal(journal));
  return renderRun(run, json.state);
}
const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));
const row = (text: string, symbol: string, n = 0): string[] =>
  text.split('\n').filter((l) => l.startsWith(`│ ${symbol} `))[n]!.split('│').slice(1, -1).map((c) => c.trim());

afterEach(() => setWideOutput(false));

describe('perpguard run tables', () => {
  it('inverse: 100 BTCUSD contracts (100 USD each) long from 50,000, mark 48,000: uPnL -0.00833334 BTC, not -0', () => {
    const text = render({
      id: 'coinm',
      setup: {
        exchange: 'binance-coinm',
        fees: { taker: '0.0005', maker: '0.0001' },
        markets: { BTCUSD_PERP: { brackets: [{ floor: '0', cap: '5', maintenanceMarginRate: '0.004', maxLeverage: 125 }] } },
      },
      ops: [
        { op: 'deposit', asset: 'BTC', amount: '0.05' },
        { op: 'mark', symbol: 'BTCUSD_PERP', price: '50000' },
        { op: 'setLeverage', symbol: 'BTCUSD_PERP', leverage: 10 },
        { op: 'order', symbol: 'BTCUSD_PERP', side: 'buy', type: 'market', quantity: '100' },
        { op: 'mark', symbol: 'BTCUSD_PERP', price: '48000' },
      ],
    });
    // Binance COIN-M (reference part 2 §2): PnL = 100 x 100 x (1/50,000 - 1/48,000) BTC, rounded down at 8 decimals
    assert.equal(row(text, 'BTCUSD_PERP')[7], '-0.00833334');
    // the taker fee of BN-FEE-3's form: 10,000 USD / 50,000 x 0.05 % = 0.0001 BTC, exact in the ledger
    assert.match(text, /│ fees +│ 0\.0001 +│ fee/);
    assert.ok(widest(text) <= 100, `widest line ${widest(text)}`);
  });
  it('hedge mode: both legs show the one cross liquidation price, and one line says why', () => {
    const text = render({
      id: 'hedge',
      setup: { exchange: 'binance-usdm' },
      ops: [
        { op: 'deposit', asset: 'USDT', amount: '10000' },
        { op: 'setPositionMode', mode: 'hedge' },
        { op: 'mark', symbol: 'BTCUSDT', price: '60000' },
        { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 20 },
        { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '1', positionSide: 'LONG' },
        { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.5', positionSide: 'SHORT' },
        { op: 'mark', symbol: 'BTCUSDT', price: '61000' },
      ],
    });
    assert.equal(row(text, 'BTCUSDT', 0).at(-1), row(text, 'BTCUSDT', 1).at(-1));
    assert.equal(text.split('\n').filter((l) => /share one cross liquidation price/.test(l)).length, 1);
    assert.ok(widest(text) <= 100, `widest line ${widest(text)}`);
  });
  it('the ledger wraps account paths instead of cutting them; --wide prints them on one line', () => {
    const journal = {
      id: 'seed-isolated',
      setup: { exchange: 'binance-usdm', fees: { taker: '0', maker: '0' } },
      ops: [
        { op: 'deposit', asset: 'USDT', amount: '1000' },
        { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
        { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'isolated' },
        { op: 'setLeverage', symbol: 'BTCUSDT', leverage: 10 },
        { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.02' },
        { op: 'mark', symbol: 'BTCUSDT', price: '45000' },
      ],
    };
    const text = render(journal);
    assert.ok(widest(text) <= 100, `widest line ${widest(text)}`);
    assert.doesNotMatch(text, /…/);
    setWideOutput(true);
    assert.match(render(journal), /user\/main\/isolated\/BTCUSDT\/BOTH │ market/);
  });
});
