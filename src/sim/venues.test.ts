// The simulator on every venue, on bundled data: the 19 May 2021 crash window (Binance BTCUSDT perpetual,
// 1-minute bars, 43,000 -> 30,000), replayed through each venue's own BTC market (mapped by base asset,
// ../io/crash-data.ts). A 20x isolated BTC long loses exactly the margin it was given (IM = notional at
// entry / 20, the venues' shared initial-margin rule) and is liquidated at or below the liquidation price
// it had at entry; the same long in cross is backed by the whole wallet, survives longer and loses more.
// In-process replays of one window (no CLI).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { add, divideBy, gt, lte, parseFixed, sub } from '../domain/fixed.ts';
import { marketOf } from '../engine/state.ts';
import { legNotional } from '../exchanges/rules.ts';
import { loadCrashWindows } from '../io/crash-data.ts';
import { runWindow } from './study.ts';
import { parseSpec } from './spec.ts';
import type { ExchangeId } from '../exchanges/rules.ts';

const CASES: readonly { exchange: ExchangeId; symbol: string; wallet: string; notional: string }[] = [
  { exchange: 'binance-usdm', symbol: 'BTCUSDT', wallet: '10000', notional: '40000' },
  { exchange: 'binance-coinm', symbol: 'BTCUSD_PERP', wallet: '0.25', notional: '40000' },
  { exchange: 'bybit-linear', symbol: 'BTCUSDT', wallet: '10000', notional: '40000' },
  { exchange: 'bybit-inverse', symbol: 'BTCUSD', wallet: '0.25', notional: '40000' },
  { exchange: 'okx-swap', symbol: 'BTC-USDT-SWAP', wallet: '10000', notional: '40000' },
  { exchange: 'hyperliquid', symbol: 'BTC', wallet: '10000', notional: '40000' },
];

describe('every venue through the May 2021 crash window (bundled data)', () => {
  for (const c of CASES) {
    it(`${c.exchange} ${c.symbol}: isolated loses exactly its margin at or past its entry liquidation price; cross loses more`, () => {
      const spec = parseSpec({
        exchange: c.exchange,
        wallet: c.wallet,
        legs: [{ symbol: c.symbol, side: 'long', size: { notional: c.notional }, leverage: 20, marginMode: 'isolated' }],
      });
      const window = loadCrashWindows([c.symbol], c.exchange).find((w) => w.id === '2021-05-19')!;
      assert.equal(window.series[0]?.symbol, c.symbol, 'the BTC prices under the venue symbol');
      const result = runWindow(spec, window, { modes: ['isolated', 'cross'] });
      const isolated = result.modes.isolated;
      const entry = isolated.entries[0]!;
      const market = marketOf(isolated.state, c.symbol)!;
      assert.equal(isolated.state.config.exchange, c.exchange);
      assert.equal(isolated.liquidations.length, 1, 'the isolated long is liquidated once');
      const liquidation = isolated.liquidations[0]!;
      // liquidated at or below the LP it had at entry (the mark only went down from there to the liquidation)
      assert.ok(entry.liquidationPrice !== undefined && lte(liquidation.markPrice, entry.liquidationPrice), 'at or past the entry LP');
      // the margin lost is the initial margin: notional at entry / 20, rounded up
      const im = divideBy(legNotional({ size: entry.quantity, market }, entry.price), 20, 'ceil');
      assert.equal(liquidation.marginLost, im, 'isolated loses exactly its margin');
      const start = parseFixed<'Money'>(c.wallet);
      // and nothing else: final equity = wallet - margin - fees - funding
      assert.equal(isolated.finalEquity, sub(sub(start, im), add(isolated.fees, isolated.funding)));
      const cross = result.modes.cross;
      assert.ok(gt(isolated.finalEquity, cross.finalEquity), 'cross keeps less than isolated on this crash');
    });
  }
});
