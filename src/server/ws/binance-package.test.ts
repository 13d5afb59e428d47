// A second independent client: the `binance` package (tiagosiebler, 3.6.5, pinned for Node 20: it declares
// no engines and ran here on Node 20), pointed at the venue by its baseUrl and wsUrl options only. Its
// USDMClient places a market order (query-signed, empty form body) and reads positions (v3); its
// WebsocketClient opens the USDⓈ-M user data stream (REST POST /fapi/v1/listenKey, then
// /private/stream?listenKey=…) and receives ORDER_TRADE_UPDATE and ACCOUNT_UPDATE for that order, with
// the figures REST gives.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { USDMClient, WebsocketClient } from 'binance';
import { backends } from '../../store/store-test-support.ts';
import { startVenue, type TestVenue } from './ws-test-support.ts';

const { list: [sqlite] } = await backends();

async function eventually(what: string, done: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('the `binance` package: USDMClient and WebsocketClient', () => {
  let v: TestVenue;
  let rest: USDMClient;
  let ws: WebsocketClient;
  const received: any[] = [];
  const errors: unknown[] = [];

  before(async () => {
    v = await startVenue(sqlite!.fresh());
    const { apiKey, secret } = await v.account('10000');
    const restOptions = { api_key: apiKey, api_secret: secret, baseUrl: v.server.url };
    rest = new USDMClient(restOptions);
    const quiet = { trace: () => undefined, info: () => undefined, error: (...args: unknown[]) => errors.push(args) };
    ws = new WebsocketClient({ api_key: apiKey, api_secret: secret, wsUrl: v.wsUrl, restOptions: { baseUrl: v.server.url } }, quiet);
    ws.on('message', (message: any) => received.push(message));
  });
  after(async () => {
    await ws.unsubscribeUsdFuturesUserDataStream();
    ws.closeAll(true);
    // binance 3.6.5 clears its 50-minute listenKey keepalive interval only on listenKeyExpired, not on a
    // close: cleared here through its own teardown, or the test process would wait 50 minutes to end
    const cache = (ws as any).getUserDataStreamManager().listenKeyStateCache;
    for (const key of Object.keys(cache.listenKeyStateStore)) cache.clearAllListenKeyState(key);
    await v.close();
    await sqlite!.cleanup();
  });

  it('a market order on USDMClient reaches the WebsocketClient as ORDER_TRADE_UPDATE (NEW, TRADE) and ACCOUNT_UPDATE', async () => {
    await ws.subscribeUsdFuturesUserDataStream();
    const placed = await rest.submitNewOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'MARKET', quantity: 0.03, newOrderRespType: 'RESULT' });
    assert.equal(placed.status, 'FILLED');
    // the package hands over the payload of /private/stream's {stream, data} envelope
    const events = () => received;
    await eventually('ACCOUNT_UPDATE', () => events().some((e) => e.e === 'ACCOUNT_UPDATE'));
    const [created, traded, account] = events();
    assert.deepEqual([created.e, created.o.x, created.o.c, created.o.i], ['ORDER_TRADE_UPDATE', 'NEW', placed.clientOrderId, placed.orderId]);
    assert.deepEqual([traded.e, traded.o.x, traded.o.X, traded.o.z, traded.o.ap], ['ORDER_TRADE_UPDATE', 'TRADE', 'FILLED', String(placed.executedQty), String(placed.avgPrice)]);
    // 0.03 BTC sold at the mark 5,807.97; fee 0.05 % of 174.2391
    assert.deepEqual([traded.o.L, traded.o.n], ['5807.97', '0.08711955']);
    assert.equal(account.e, 'ACCOUNT_UPDATE');

    const positions = await rest.getPositionsV3({ symbol: 'BTCUSDT' });
    assert.equal(positions.length, 1);
    const position = positions[0]!;
    assert.deepEqual(account.a.P, [
      { s: 'BTCUSDT', pa: String(position.positionAmt), ep: String(position.entryPrice), bep: '5807.97', cr: '0', up: String(position.unRealizedProfit), mt: 'cross', iw: '0', ps: 'BOTH', ma: 'USDT' },
    ]);
    assert.equal(String(position.positionAmt), '-0.03');
    const [usdt] = (await rest.getBalanceV3()).filter((b) => b.asset === 'USDT');
    assert.deepEqual(account.a.B, [{ a: 'USDT', wb: String(usdt!.balance), cw: String(usdt!.crossWalletBalance), bc: '0' }]);
    assert.equal(account.a.B[0].wb, '9999.91288045');
    assert.deepEqual(errors, []);
  });
});
