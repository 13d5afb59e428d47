// The order types a bot sends, through an unmodified ccxt 4.5.84 binanceusdm (only its URLs changed):
// hedge mode (setPositionMode, fetchPositionMode) with a long and a short leg of one symbol, a stop-market
// and a take-profit-market closing the long (ccxt sends both to /fapi/v1/algoOrder), their listing and
// cancel as ccxt's trigger orders, and reduce-only orders in one-way mode (one closes the position; one
// with nothing to reduce is Binance's -2022).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { formatFixed } from '../../domain/fixed.ts';
import type { Venue } from '../venue/venue.ts';
import type { RunningServer } from './app.ts';
import { ccxtVenue, type Exchange } from './ccxt-test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-ccxt-orders-'));
const BTC = 'BTC/USDT:USDT';

describe('ccxt binanceusdm: hedge mode, stop-market, take-profit and reduce-only orders', () => {
  let server: RunningServer;
  let venue: Venue;
  let exchange: Exchange;
  const wallMs = 1_000_000;
  const mark = () => Number(formatFixed(venue.market.marks['BTCUSDT']!));
  const tick = (price: number) => Math.round(price * 10) / 10;

  before(async () => {
    ({ venue, server, exchange } = await ccxtVenue(folder, () => wallMs, Date.UTC(2025, 5, 1, 7)));
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('setPositionMode(true): hedge mode, a long and a short leg of BTC side by side', async () => {
    await exchange.setPositionMode(true);
    assert.equal((await exchange.fetchPositionMode(BTC)).hedged, true);
    await exchange.createOrder(BTC, 'market', 'buy', 0.02, undefined, { positionSide: 'LONG' });
    await exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'SHORT' });
    const legs = (await exchange.fetchPositions([BTC])).filter((p) => p.contracts).map((p) => [p.side, p.contracts, p.hedged]);
    assert.deepEqual(legs.sort(), [['long', 0.02, true], ['short', 0.01, true]]);
  });

  it('a stop-market and a take-profit-market closing the long: trigger orders on /fapi/v1/algoOrder, listed and cancelled as ccxt does', async () => {
    const stopPrice = tick(mark() * 0.9);
    const takeProfitPrice = tick(mark() * 1.1);
    const stop = await exchange.createOrder(BTC, 'market', 'sell', 0.02, undefined, { stopLossPrice: stopPrice, positionSide: 'LONG' });
    const take = await exchange.createOrder(BTC, 'market', 'sell', 0.02, undefined, { takeProfitPrice, positionSide: 'LONG' });
    const open = await exchange.fetchOpenOrders(BTC, undefined, undefined, { trigger: true });
    // ccxt's unified type of both is 'market' with a trigger price; Binance's own type is in `info`
    const shown = open.map((o) => [o.id, o.type, o.info['orderType'], o.side, o.triggerPrice, o.amount]).sort();
    assert.deepEqual(shown, [[stop.id, 'market', 'STOP_MARKET', 'sell', stopPrice, 0.02], [take.id, 'market', 'TAKE_PROFIT_MARKET', 'sell', takeProfitPrice, 0.02]].sort());
    // not among the plain orders: ccxt lists trigger orders only with { trigger: true }
    assert.deepEqual(await exchange.fetchOpenOrders(BTC), []);
    await exchange.cancelOrder(stop.id!, BTC, { trigger: true });
    await exchange.cancelOrder(take.id!, BTC, { trigger: true });
    assert.deepEqual(await exchange.fetchOpenOrders(BTC, undefined, undefined, { trigger: true }), []);
  });

  it("reduce-only in one-way mode: closes the long; with nothing to reduce it is Binance's -2022", async () => {
    await exchange.createOrder(BTC, 'market', 'sell', 0.02, undefined, { positionSide: 'LONG' });
    await exchange.createOrder(BTC, 'market', 'buy', 0.01, undefined, { positionSide: 'SHORT' });
    await exchange.setPositionMode(false);
    assert.equal((await exchange.fetchPositionMode(BTC)).hedged, false);
    await exchange.createOrder(BTC, 'market', 'buy', 0.03);
    const closing = await exchange.createOrder(BTC, 'market', 'sell', 0.03, undefined, { reduceOnly: true });
    assert.equal(closing.reduceOnly, true);
    assert.deepEqual((await exchange.fetchPositions([BTC])).filter((p) => p.contracts), []);
    // Binance's body; ccxt maps USDⓈ-M codes by the URL's host, so on a 127.0.0.1 base it is an ExchangeError
    // (reference/binance-api-clients.md §3, as for -2019 in ./ccxt.test.ts)
    await assert.rejects(exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true }), (error: Error) => error instanceof ccxt.ExchangeError && error.message.includes('{"code":-2022,"msg":"ReduceOnly Order is rejected."}'));
  });
});
