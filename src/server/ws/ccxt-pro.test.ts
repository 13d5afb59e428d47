// ccxt.pro (ccxt 4.5.84's pro.binanceusdm, only its URLs changed: the fapi*/sapi REST bases and
// urls.api.ws.future = ws://…/ws, which ccxt rewrites to /private/ws?listenKey=…; an http.Agent for the
// non-TLS ws://, reference/binance-api-clients.md §4; listenKeyRefreshRate 1 s instead of 20 min, so its
// keepalive PUT runs during the test and no 20-minute timer outlives it) watches its orders, positions and balance while the
// venue replays Black Thursday: a 10x isolated BTCUSDT long is liquidated in the crash, a 2x cross ETHUSDT
// long rides it out. What ccxt.pro hears is checked against the feed (the liquidation comes at the first
// mark through the liquidation price ccxt's own fetchPositions reported) and against ccxt's REST answers.
// Its market watchers (watchOHLCV 1m, watchMarkPrice on /market/ws/<n>, watchBidsAsks on /public/ws/<n>)
// carry the whole crash into ccxt's caches.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import ccxt from 'ccxt';
import { formatFixed, parseFixed, lte } from '../../domain/fixed.ts';
import { backends } from '../../store/store-test-support.ts';
import { markTicks } from '../feed/replay-feed.ts';
import { CRASH_START_MS, startVenue, type TestVenue } from './ws-test-support.ts';
import { bundled, loadCandles } from '../../io/market-data.ts';

const { list: [sqlite] } = await backends();
const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

async function eventually(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('ccxt.pro watchOrders / watchPositions / watchBalance (and watchOHLCV / watchMarkPrice / watchBidsAsks) through a replayed crash', () => {
  let v: TestVenue;
  let pro: InstanceType<typeof ccxt.pro.binanceusdm>;
  const orders: any[] = [];
  const positions: any[] = [];
  const balances: any[] = [];
  const candles: any[] = [];
  const markPrices: any[] = [];
  const books: any[] = [];
  let stopped = false;
  const watchErrors: unknown[] = [];

  /** Keeps calling a watch method (each call resolves with the next updates) until the test ends. */
  const collect = (watch: () => Promise<any>, sink: any[]) =>
    void (async () => {
      while (!stopped) {
        try {
          const got = await watch();
          sink.push(...(Array.isArray(got) ? got : [got]));
        } catch (error) {
          if (!stopped) watchErrors.push(error);
          return;
        }
      }
    })();

  before(async () => {
    v = await startVenue(sqlite!.fresh());
    const { apiKey, secret } = await v.account('10000');
    pro = new ccxt.pro.binanceusdm({ apiKey, secret, options: { fetchCurrencies: false, listenKeyRefreshRate: 1000 } });
    const api = pro.urls['api'] as Record<string, any>;
    for (const version of ['', 'V2', 'V3']) {
      const path = `${v.server.url}/fapi/${version === '' ? 'v1' : version.toLowerCase()}`;
      api[`fapiPublic${version}`] = path;
      api[`fapiPrivate${version}`] = path;
    }
    api['sapi'] = `${v.server.url}/sapi/v1`;
    api['ws'] = { ...api['ws'], future: `${v.wsUrl}/ws` };
    await pro.loadHttpProxyAgent();
  });
  after(async () => {
    stopped = true;
    await pro.close();
    await v.close();
    await sqlite!.cleanup();
  });

  it('isolated 10x BTC is liquidated at the first mark through its liquidation price; cross 2x ETH survives; the streams agree with REST', async () => {
    await pro.loadMarkets();
    await pro.setMarginMode('isolated', BTC);
    await pro.setLeverage(10, BTC);
    await pro.setLeverage(2, ETH);

    collect(() => pro.watchOrders(), orders);
    collect(() => pro.watchPositions(), positions);
    collect(() => pro.watchBalance(), balances);
    await eventually('the private stream', () => Object.keys(pro.clients).some((url) => url.includes('/private/ws?listenKey=')));
    const url = Object.keys(pro.clients).find((u) => u.includes('/private/ws?listenKey='))!;
    await pro.clients[url]!.connected;

    const btcBuy = await pro.createOrder(BTC, 'market', 'buy', 0.5);
    const ethBuy = await pro.createOrder(ETH, 'market', 'buy', 10);
    await eventually('both fills on watchOrders', () => orders.filter((o) => o.status === 'closed').length === 2);
    assert.deepEqual(
      orders.filter((o) => o.status === 'closed').map((o) => [o.id, o.symbol, o.side, o.filled, o.average]),
      [[btcBuy.id, BTC, 'buy', 0.5, 5807.97], [ethBuy.id, ETH, 'buy', 10, 126.2]],
    );
    await eventually('both positions on watchPositions', () => positions.some((p) => p.symbol === BTC && p.contracts === 0.5) && positions.some((p) => p.symbol === ETH && p.contracts === 10));
    const rest = await pro.fetchPositions([BTC, ETH]);
    const btcBefore = rest.find((p) => p.symbol === BTC)!;
    const ethBefore = rest.find((p) => p.symbol === ETH)!;
    assert.deepEqual([btcBefore.marginMode, btcBefore.contracts, ethBefore.marginMode, ethBefore.contracts], ['isolated', 0.5, 'cross', 10]);
    const liquidationText = String(btcBefore.info['liquidationPrice']);

    // the market streams as ccxt.pro opens them: kline_1m and markPrice on /market/ws/<n>, bookTicker on /public/ws/<n>
    collect(() => pro.watchOHLCV(BTC, '1m'), candles);
    collect(() => pro.watchMarkPrice(BTC), markPrices);
    collect(() => pro.watchBidsAsks([BTC]), books);
    await eventually('the market sockets', () => ['/market/ws/', '/public/ws/'].every((path) => Object.keys(pro.clients).some((u) => u.includes(path))));
    // one step, until every market watcher has heard it: their SUBSCRIBEs are in before the crash
    for (let step = 0; step < 50 && [candles, markPrices, books].some((sink) => sink.length === 0); step++) {
      v.advance(1000);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok([candles, markPrices, books].every((sink) => sink.length > 0), 'the market watchers heard the first step');

    // the crash, minute by minute: 22:40 to 03:25 UTC
    for (let minute = 0; minute < 290; minute++) v.advance(60_000);

    // the market streams carried the whole crash into ccxt.pro's own caches (its watch calls return only
    // what came after the call, and the crash arrives in one burst): every 1 m candle from 22:39 to 03:25,
    // the lowest low 3,621.81 at 02:16 UTC, and the last mark, 03:25's close 5,249.61, as the last candle's
    // close, the mark price, and between the synthetic bid and ask one tick (0.1) apart
    const cached = () => (pro.ohlcvs[BTC]?.['1m'] ?? []) as number[][];
    await eventually('the last mark on every market stream', () => cached().at(-1)?.[4] === 5249.61 && pro.tickers[BTC]?.['markPrice'] === 5249.61 && pro.bidsasks[BTC]?.bid === 5249.6);
    assert.equal(cached().length, 287);
    assert.equal(cached()[0]![0], CRASH_START_MS);
    assert.equal(Math.min(...cached().map((c) => c[3]!)), 3621.81);
    assert.equal(cached().find((c) => c[3] === 3621.81)![0], Date.UTC(2020, 2, 13, 2, 16));
    assert.deepEqual([pro.bidsasks[BTC]!.bid, pro.bidsasks[BTC]!.ask], [5249.6, 5249.7]);
    assert.equal(formatFixed(v.venue.market.marks['BTCUSDT']!), '5249.61');

    // when: the first BTCUSDT mark of the feed at or below the liquidation price ccxt read before
    const btcSeries = loadCandles(bundled('binance-futures-BTCUSDT-1m-crash-2020-03-12.csv'), 'BTCUSDT');
    const through = markTicks([btcSeries], CRASH_START_MS).find((t) => t.command.op === 'mark' && lte(t.command.price, parseFixed(liquidationText)))!;
    assert.ok(through, `no mark through ${liquidationText}`);

    await eventually('the liquidation on watchOrders', () => orders.some((o) => String(o.clientOrderId).startsWith('autoclose-') && o.status === 'closed'));
    const liquidation = orders.find((o) => String(o.clientOrderId).startsWith('autoclose-') && o.status === 'closed');
    assert.deepEqual([liquidation.symbol, liquidation.side, liquidation.filled, liquidation.timestamp], [BTC, 'sell', 0.5, through.time]);
    const restLiquidation = await pro.fetchOrder(liquidation.id, BTC);
    assert.deepEqual([restLiquidation.average, restLiquidation.filled, restLiquidation.status], [liquidation.average, 0.5, 'closed']);

    await eventually('the closed BTC position on watchPositions', () => positions.some((p) => p.symbol === BTC && p.contracts === 0));
    const lastOf = (symbol: string) => positions.filter((p) => p.symbol === symbol).at(-1);
    assert.equal(lastOf(BTC).contracts, 0);
    assert.deepEqual([lastOf(ETH).contracts, lastOf(ETH).entryPrice, lastOf(ETH).marginMode], [10, 126.2, 'cross']);
    const after = await pro.fetchPositions([BTC, ETH]);
    assert.equal(after.find((p) => p.symbol === BTC)?.contracts ?? 0, 0);
    assert.equal(after.find((p) => p.symbol === ETH)!.contracts, 10);

    // ccxt.pro's balance total is ACCOUNT_UPDATE's wallet balance (wb), REST's walletBalance: the isolated
    // margin is gone, the cross wallet stands. 10,000 less the isolated margin 290.3985 (0.5 x 5,807.97 / 10),
    // the taker fees 1.4519925 (0.05 % of 2,903.985) and 0.631 (of 10 x 126.2), and ETH's funding at
    // 2020-03-13 00:00 UTC, 0.10782 (0.01 % of 10 x 107.82); BTC's position was gone by then.
    const restWallet = (await pro.fetchBalance()).info['assets'].find((a: any) => a.asset === 'USDT').walletBalance;
    assert.equal(restWallet, '9707.4106875');
    assert.ok(through.time < Date.UTC(2020, 2, 13), new Date(through.time).toISOString());
    await eventually('the last balance', () => balances.at(-1)?.['USDT']?.total === 9707.4106875);
    assert.deepEqual(watchErrors, []);
  });
});
