// The dashboard's live account over a real socket (/perpguard/ws?listenKey=…): the first frame and every
// later one equal what GET /perpguard/v1/account, /liquidation, /blastRadius and /domino answer at that
// moment; a mark of one symbol moves a cross position's liquidation price in another symbol while its
// isolated figure (initial margin at entry) stays; a burst of marks is one frame; an account hears only
// its own figures; a change is shown only once it is durable. SQLite always, PostgreSQL when reachable.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { backends } from '../../store/store-test-support.ts';
import { client, type SignedClient } from '../http/http-test-support.ts';
import { AppendGate, listenKeyCall, Reader, startVenue, type TestVenue } from './ws-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** The figures' pace here (the venue's is 250 ms): a burst still makes one frame, the waits stay short. */
const FIGURES_EVERY_MS = 60;
const streams = { figuresEveryMs: FIGURES_EVERY_MS };

/** The four REST answers the frame stands for, read now. */
async function restFigures(rest: SignedClient) {
  const read = async (path: string) => {
    const reply = await rest.signed('GET', path);
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    return reply.body;
  };
  return { account: await read('/perpguard/v1/account'), liquidation: await read('/perpguard/v1/liquidation'), blastRadius: await read('/perpguard/v1/blastRadius'), domino: await read('/perpguard/v1/domino') };
}

const figuresOf = (frame: any) => ({ account: frame.account, liquidation: frame.liquidation, blastRadius: frame.blastRadius, domino: frame.domino });
const positionOf = (frame: any, symbol: string) => frame.liquidation.positions.find((p: any) => p.symbol === symbol);

async function openFigures(v: TestVenue, apiKey: string): Promise<Reader> {
  const key = (await listenKeyCall(v.server.url, 'POST', apiKey)).body.listenKey as string;
  return Reader.open(`${v.wsUrl}/perpguard/ws?listenKey=${key}`);
}

for (const backend of list) describe(`the dashboard's live account figures on ${backend.name}`, { skip: backend.skip }, () => {
  let v: TestVenue;
  before(async () => {
    v = await startVenue(backend.fresh(), { streams });
  });
  after(async () => {
    await v.close();
    await backend.cleanup();
  });

  it('the first frame is the REST figures; a BTC mark moves the cross ETH long\'s liquidation price, its isolated figure stays; a burst is one frame', async () => {
    const alice = await v.account('10000');
    const rest = client(v.server.url, alice.apiKey, alice.secret);
    for (const [symbol, quantity] of [['BTCUSDT', '5'], ['ETHUSDT', '400']] as const) {
      assert.equal((await rest.signed('POST', '/fapi/v1/leverage', { symbol, leverage: '10' })).status, 200);
      const placed = await rest.signed('POST', '/fapi/v1/order', { symbol, side: 'BUY', type: 'MARKET', quantity });
      assert.equal(placed.status, 200, JSON.stringify(placed.body));
    }
    const reader = await openFigures(v, alice.apiKey);
    await reader.until((m) => m.length === 1);
    const first = reader.messages[0];
    assert.equal(first.e, 'perpguardAccount');
    assert.deepEqual(figuresOf(first), await restFigures(rest));
    assert.deepEqual(first.account.calc.positions.map((p: any) => [p.symbol, p.marginMode]), [['BTCUSDT', 'cross'], ['ETHUSDT', 'cross']]);

    // one minute of the 2020-03-12 crash: BTCUSDT's mark moves (ETHUSDT's hourly bar does not)
    const ethBefore = positionOf(first, 'ETHUSDT');
    v.advance(60_000);
    await reader.until((m) => m.length === 2);
    const second = reader.messages[1];
    assert.notEqual(second.account.calc.positions[0].markPrice, first.account.calc.positions[0].markPrice);
    assert.equal(second.account.calc.positions[1].markPrice, first.account.calc.positions[1].markPrice);
    const ethAfter = positionOf(second, 'ETHUSDT');
    assert.notEqual(ethAfter.cross.liquidationPrice, ethBefore.cross.liquidationPrice, 'the cross line moves with BTC');
    assert.equal(ethAfter.isolated.liquidationPrice, ethBefore.isolated.liquidationPrice, 'the isolated line stays');
    assert.equal(second.account.calc.positions[1].liquidationPrice, ethAfter.cross.liquidationPrice);
    assert.ok(second.E > first.E);

    // 30 minutes of marks applied at once: one frame, the state after the last of them
    v.advance(30 * 60_000);
    await reader.until((m) => m.length === 3);
    await sleep(3 * FIGURES_EVERY_MS);
    assert.equal(reader.messages.length, 3);
    assert.deepEqual(figuresOf(reader.messages[2]), await restFigures(rest));
    reader.close();
  });

  it("an account hears only its own figures, and its trade's at once", async () => {
    const alice = await v.account('10000');
    const bob = await v.account('2000');
    const a = await openFigures(v, alice.apiKey);
    const b = await openFigures(v, bob.apiKey);
    await a.until((m) => m.length === 1);
    await b.until((m) => m.length === 1);
    const placed = await client(v.server.url, bob.apiKey, bob.secret).signed('POST', '/fapi/v1/order', { symbol: 'ETHUSDT', side: 'SELL', type: 'MARKET', quantity: '1' });
    assert.equal(placed.status, 200, JSON.stringify(placed.body));
    await b.until((m) => m.length === 2);
    assert.deepEqual(b.messages[1].account.calc.positions.map((p: any) => [p.symbol, p.side, p.size]), [['ETHUSDT', 'short', '1']]);
    await sleep(3 * FIGURES_EVERY_MS);
    assert.equal(a.messages.length, 1, 'bob\'s trade is no change of alice\'s');
    assert.deepEqual(a.messages[0].account.calc.positions, []);
    assert.equal(a.messages[0].account.calc.account.totalWalletBalance, '10000.00000000');
    a.close();
    b.close();
  });

  it('refuses a path or key it does not serve, before the upgrade', async () => {
    await assert.rejects(Reader.open(`${v.wsUrl}/perpguard/ws`), (e: any) => e.status === 400);
    await assert.rejects(Reader.open(`${v.wsUrl}/perpguard/ws?listenKey=${'x'.repeat(64)}`), (e: any) => e.status === 400 && JSON.parse(e.body).code === -1125);
    await assert.rejects(Reader.open(`${v.wsUrl}/perpguard/stream`), (e: any) => e.status === 404);
  });
});

for (const backend of list) describe(`the live figures wait for the log on ${backend.name}`, { skip: backend.skip }, () => {
  let v: TestVenue;
  const gate = new AppendGate();
  before(async () => {
    v = await startVenue(backend.fresh(), { streams, store: gate.wrap });
  });
  after(async () => {
    gate.release();
    await v.close();
    await backend.cleanup();
  });

  it('an order shows in the figures only once its append is durable', async () => {
    const alice = await v.account();
    const reader = await openFigures(v, alice.apiKey);
    await reader.until((m) => m.length === 1);
    gate.hold();
    const placing = client(v.server.url, alice.apiKey, alice.secret).signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.02' });
    await sleep(4 * FIGURES_EVERY_MS);
    assert.ok(Object.keys(v.venue.state(alice.accountId)!.users[alice.accountId]!.positions).length > 0, 'applied in memory');
    assert.equal(reader.messages.length, 1, 'not shown before it is durable');
    gate.release();
    assert.equal((await placing).status, 200);
    await reader.until((m) => m.length === 2);
    assert.deepEqual(reader.messages[1].account.calc.positions.map((p: any) => [p.symbol, p.size]), [['BTCUSDT', '0.02']]);
    reader.close();
  });
});
