// The rest of the REST surface driven by an unmodified ccxt 4.5.84 binanceusdm (only its URLs changed):
// fetchOHLCV (last and mark prices), fetchTicker(s), fetchOrderBook, fetchFundingRateHistory,
// fetchLeverageTiers, fetchMyTrades, fetchMyLiquidations, fetchLedger, fetchPositions (whose liquidation prices `perpguard calc --compare`
// reproduces to the tick from ccxt's own output), addMargin / reduceMargin and
// fetchMarginAdjustmentHistory, fetchFundingHistory (income), editOrder, editOrders, cancelOrders, and the
// error mapping:
// InsufficientFunds, AuthenticationError, InvalidNonce, OrderNotFound.
// The venue runs on the test's clock (the feed follows it: a funding settlement comes when the test moves
// it); the server's clock, which checks signatures, is the wall clock.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ccxt from 'ccxt';
import { calcOutput } from '../../cli/calc-account.ts';
import { formatFixed } from '../../domain/fixed.ts';
import { bundledSeries } from '../venue/default-feed.ts';
import type { Venue } from '../venue/venue.ts';
import type { RunningServer } from './app.ts';
import { ccxtOn, ccxtVenue, type Exchange } from './ccxt-test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-ccxt-rest-'));
const HOUR = 3_600_000;
const FEED_START = Date.UTC(2025, 5, 1, 7);
const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';
const SOL = 'SOL/USDT:USDT';

const num = (x: Parameters<typeof formatFixed>[0]) => Number(formatFixed(x));

describe('ccxt binanceusdm: market data, history, positions, modify and errors', () => {
  let wallMs = 1_000_000;
  let server: RunningServer;
  let venue: Venue;
  let exchange: Exchange;
  let credentials: { apiKey: string; secret: string };
  const btc = bundledSeries().find((s) => s.symbol === 'BTCUSDT')!;

  before(async () => {
    ({ venue, server, exchange, credentials } = await ccxtVenue(folder, () => wallMs, FEED_START));
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('fetchOHLCV 1h: the bundled bars; price "mark" reads markPriceKlines, the same candles', async () => {
    const i = btc.time.findIndex((t) => t === Date.UTC(2025, 4, 20));
    const candles = await exchange.fetchOHLCV(BTC, '1h', btc.time[i], 3);
    const expected = [0, 1, 2].map((k) => [btc.time[i + k]!, num(btc.open[i + k]!), num(btc.high[i + k]!), num(btc.low[i + k]!), num(btc.close[i + k]!), 0]);
    assert.deepEqual(candles, expected);
    const mark = await exchange.fetchOHLCV(BTC, '1h', btc.time[i], 3, { price: 'mark' });
    assert.deepEqual(mark.map((c) => c.slice(0, 5)), expected.map((c) => c.slice(0, 5)));
  });

  it('fetchTicker and fetchTickers: last is the applied mark (as premiumIndex gives it); the day from the bars', async () => {
    const ticker = await exchange.fetchTicker(ETH);
    const mark = num(venue.market.marks['ETHUSDT']!);
    assert.equal(ticker.last, mark);
    assert.equal(ticker.timestamp, venue.market.time);
    assert.ok(ticker.high! >= mark && ticker.low! <= mark);
    assert.equal(ticker.change, Number((mark - ticker.open!).toFixed(8)));
    const tickers = await exchange.fetchTickers([BTC, ETH]);
    assert.deepEqual(Object.keys(tickers).sort(), [BTC, ETH]);
    assert.equal(tickers[BTC]!.last, num(venue.market.marks['BTCUSDT']!));
  });

  it('fetchOrderBook: 5 levels a side around the mark, one tick apart, the feed time as nonce', async () => {
    const book = await exchange.fetchOrderBook(BTC, 5);
    const mark = num(venue.market.marks['BTCUSDT']!);
    assert.equal(book.bids.length, 5);
    assert.equal(book.asks.length, 5);
    assert.ok(book.bids[0]![0]! <= mark && mark < book.asks[0]![0]!);
    assert.equal(Math.round((book.asks[0]![0]! - book.bids[0]![0]!) * 10), 1);
    assert.equal(book.nonce, venue.market.time);
  });

  it('fetchFundingRateHistory: the 8-hour settlements, oldest first', async () => {
    const since = FEED_START - 25 * HOUR;
    const rows = await exchange.fetchFundingRateHistory(BTC, since, 3);
    const first = Math.ceil(since / (8 * HOUR)) * 8 * HOUR;
    assert.deepEqual(rows.map((r) => [r.timestamp, r.fundingRate]), [[first, 0.0001], [first + 8 * HOUR, 0.0001], [first + 16 * HOUR, 0.0001]]);
  });

  it('fetchLeverageTiers: the bracket table the engine margins with', async () => {
    const tiers = await exchange.fetchLeverageTiers([BTC]);
    const table = venue.market.config.registry.marketAt('BTCUSDT', venue.market.time)!.brackets!.brackets;
    assert.equal(tiers[BTC]!.length, table.length);
    assert.deepEqual([tiers[BTC]![0]!.maxLeverage, tiers[BTC]![0]!.maintenanceMarginRate, tiers[BTC]![0]!.maxNotional], [table[0]!.maxLeverage, num(table[0]!.maintenanceMarginRate), num(table[0]!.cap)]);
  });

  it('a cross BTC long and an isolated ETH short: fetchMyTrades, addMargin / reduceMargin, fetchMarginAdjustmentHistory', async () => {
    await exchange.setLeverage(10, ETH);
    await exchange.setMarginMode('isolated', ETH);
    // 1.5 BTC on 10,000 USDT at the default 20x: the cross account has a liquidation price (about 6 % below)
    const long = await exchange.createOrder(BTC, 'market', 'buy', 1.5);
    await exchange.createOrder(ETH, 'market', 'sell', 0.5);
    const trades = await exchange.fetchMyTrades(BTC);
    assert.deepEqual(trades.map((t) => [t.order, t.side, t.amount, t.price, t.fee?.currency]), [[long.id, 'buy', 1.5, long.average, 'USDT']]);
    assert.ok(Math.abs(trades[0]!.fee!.cost! - 1.5 * long.average! * 0.0005) < 1e-9);
    const added = await exchange.addMargin(ETH, 25);
    const reduced = await exchange.reduceMargin(ETH, 10);
    assert.deepEqual([added.type, added.amount, reduced.type, reduced.amount], ['add', 25, 'reduce', 10]);
    const history = await exchange.fetchMarginAdjustmentHistory(ETH);
    assert.deepEqual(history.map((h) => [h.type, h.amount, h.code, h.symbol]), [['add', 25, 'USDT', ETH], ['reduce', 10, 'USDT', ETH]]);
  });

  it('fetchPositions: `perpguard calc --compare` on ccxt\'s own positions and balance gives the same liquidation prices, 0 ticks apart', async () => {
    const positions = await exchange.fetchPositions([BTC, ETH]);
    assert.deepEqual(positions.map((p) => [p.symbol, p.side, p.marginMode, p.contracts]).sort(), [[BTC, 'long', 'cross', 1.5], [ETH, 'short', 'isolated', 0.5]]);
    const balance = await exchange.fetchBalance();
    const report = JSON.parse(calcOutput(JSON.stringify({ positions, balance }), 'ccxt', { json: true, compare: true }));
    const comparison = report.imported.comparison as { symbol: string; perpguard: string; exchange: string; differenceTicks: string }[];
    assert.deepEqual(comparison.map((c) => [c.symbol, c.differenceTicks]).sort(), [['BTCUSDT', '0.00'], ['ETHUSDT', '0.00']]);
    // real prices on both sides: the long's below the mark, the short's above
    const byPrice = Object.fromEntries(comparison.map((c) => [c.symbol, Number(c.exchange)]));
    assert.ok(byPrice['BTCUSDT']! > 0 && byPrice['BTCUSDT']! < num(venue.market.marks['BTCUSDT']!), JSON.stringify(comparison));
    assert.ok(byPrice['ETHUSDT']! > num(venue.market.marks['ETHUSDT']!), JSON.stringify(comparison));
    assert.deepEqual(positions.map((p) => p.liquidationPrice).sort(), comparison.map((c) => Number(c.exchange)).sort());
  });

  it('a funding settlement: fetchFundingHistory lists what each position paid (income FUNDING_FEE)', async () => {
    wallMs += 1.5 * HOUR; // feed 08:30: the 08:00 settlement
    venue.tick();
    const rows = await exchange.fetchFundingHistory(undefined, 0);
    assert.deepEqual(rows.map((r) => [r.symbol, r.timestamp, r.code]).sort(), [[BTC, FEED_START + HOUR, 'USDT'], [ETH, FEED_START + HOUR, 'USDT']]);
    // the long pays, the short receives, at the 0.01 % baseline rate
    const paid = Object.fromEntries(rows.map((r) => [r.symbol, r.amount]));
    assert.ok(paid[BTC]! < 0 && paid[ETH]! > 0, JSON.stringify(paid));
  });

  it('editOrder: the resting limit order keeps its id with the new price and amount', async () => {
    const mark = num(venue.market.marks['BTCUSDT']!);
    const at = (f: number) => Math.floor(mark * f * 10) / 10;
    const order = await exchange.createOrder(BTC, 'limit', 'buy', 0.01, at(0.9));
    const edited = await exchange.editOrder(order.id!, BTC, 'limit', 'buy', 0.02, at(0.85));
    assert.deepEqual([edited.id, edited.status, edited.price, edited.amount], [order.id, 'open', at(0.85), 0.02]);
    const open = await exchange.fetchOpenOrders(BTC);
    assert.deepEqual(open.map((o) => [o.id, o.price, o.amount]), [[order.id, at(0.85), 0.02]]);
    await exchange.cancelOrder(order.id!, BTC);
  });

  it('editOrders and cancelOrders: PUT and DELETE /fapi/v1/batchOrders', async () => {
    const mark = num(venue.market.marks['BTCUSDT']!);
    const at = (f: number) => Math.floor(mark * f * 10) / 10;
    const a = await exchange.createOrder(BTC, 'limit', 'buy', 0.01, at(0.9));
    const b = await exchange.createOrder(BTC, 'limit', 'buy', 0.01, at(0.91));
    // ccxt reads each order's `id` at run time; its OrderRequest type does not list it
    const edits = [
      { id: a.id!, symbol: BTC, type: 'limit', side: 'buy', amount: 0.02, price: at(0.8) },
      { id: b.id!, symbol: BTC, type: 'limit', side: 'buy', amount: 0.03, price: at(0.81) },
    ];
    const edited = await exchange.editOrders(edits as unknown as Parameters<Exchange['editOrders']>[0]);
    assert.deepEqual(edited.map((o) => [o.id, o.amount, o.price]), [[a.id, 0.02, at(0.8)], [b.id, 0.03, at(0.81)]]);
    const canceled = await exchange.cancelOrders([a.id!, b.id!], BTC);
    assert.deepEqual(canceled.map((o) => [o.id, o.status]), [[a.id, 'canceled'], [b.id, 'canceled']]);
    assert.deepEqual(await exchange.fetchOpenOrders(BTC), []);
  });

  it('a 100x isolated SOL long, liquidated by the next bar\'s low: fetchMyLiquidations lists it; the cross BTC long survives', async () => {
    await exchange.setMarginMode('isolated', SOL);
    await exchange.setLeverage(100, SOL);
    const entry = await exchange.createOrder(SOL, 'market', 'buy', 10);
    wallMs += 1.25 * HOUR; // feed 09:45: the 09:00 bar's low (150.81, 1.4 % down) came at 09:30
    venue.tick();
    const liquidations = await exchange.fetchMyLiquidations(SOL);
    assert.equal(liquidations.length, 1);
    const [liquidation] = liquidations;
    assert.deepEqual([liquidation!.symbol, liquidation!.side, liquidation!.contracts], [SOL, 'sell', 10]);
    assert.ok(liquidation!.price! < entry.average!, `${liquidation!.price} < ${entry.average}`);
    const positions = await exchange.fetchPositions();
    assert.deepEqual(positions.map((p) => [p.symbol, p.contracts]).sort(), [[BTC, 1.5], [ETH, 0.5]]);
    // the liquidation realized the position's loss; past its bankruptcy price the deficit was covered (the
    // insurance fund is empty: by ADL), so the account lost exactly the isolated margin: 10 x entry / 100
    const ledger = await exchange.fetchLedger('USDT', FEED_START);
    const sol = ledger.filter((row) => (row.info as { symbol: string; incomeType: string }).symbol === 'SOLUSDT' && (row.info as { incomeType: string }).incomeType === 'REALIZED_PNL');
    assert.deepEqual(sol.map((row) => (row.info as { info: string }).info), ['realizedPnl', 'adl']);
    const lost = sol.reduce((total, row) => total + Number((row.info as { income: string }).income), 0);
    assert.equal(lost.toFixed(8), (-(10 * entry.average!) / 100).toFixed(8));
  });

  it('error mapping: InsufficientFunds (ccxt\'s linear map), AuthenticationError, InvalidNonce, OrderNotFound', async () => {
    // on a 127.0.0.1 base ccxt applies only its top-level map, where -2019 is an ExchangeError (reference §3);
    // its USDⓈ-M map, which real fapi URLs select, says InsufficientFunds: the same body, mapped as on Binance
    const linear = ccxtOn(server.url, credentials);
    const maps = linear.exceptions as { exact: Record<string, unknown>; linear: { exact: Record<string, unknown> } };
    maps.exact = { ...maps.exact, ...maps.linear.exact };
    await assert.rejects(linear.createOrder(BTC, 'market', 'buy', 10), ccxt.InsufficientFunds);
    const forged = ccxtOn(server.url, { apiKey: credentials.apiKey, secret: 'f'.repeat(64) });
    await assert.rejects(forged.fetchBalance(), ccxt.AuthenticationError);
    // a clock a minute behind: the timestamp is outside ccxt's recvWindow of 10 s
    const late = ccxtOn(server.url, credentials, { timeDifference: 60_000 });
    await assert.rejects(late.fetchBalance(), ccxt.InvalidNonce);
    await assert.rejects(exchange.fetchOrder('999999', BTC), ccxt.OrderNotFound);
    await assert.rejects(exchange.cancelOrder('999999', BTC), ccxt.OrderNotFound);
    await assert.rejects(exchange.editOrder('999999', BTC, 'limit', 'buy', 0.01, 50_000), ccxt.OrderNotFound);
  });
});
