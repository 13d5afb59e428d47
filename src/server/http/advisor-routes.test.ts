// The advisor over HTTP against the CLI on the same positions: an account trades on the venue (BTCUSDT
// isolated 10x long with three top-ups, ETHUSDT cross long, SOLUSDT cross short), then each /perpguard/v1
// answer is compared with what `perpguard calc`, `advise liquidation`, `advise hedge`, `advise chasing` and
// `checklist` print for the account's snapshot (GET /perpguard/v1/account's `snapshot`) or exported journal.
// Requests are signed as ccxt signs them; another account sees only its own (empty) book.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Decimal } from 'decimal.js';
import { add, formatFixed, parseFixed, zero, type Money } from '../../domain/fixed.ts';
import { runCli } from '../../cli/test-support.ts';
import { openStore } from '../../store/store.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
const folder = mkdtempSync(join(tmpdir(), 'perpguard-advisor-http-'));
const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));
after(() => rmSync(folder, { recursive: true, force: true }));

async function cliJson(args: readonly string[]): Promise<any> {
  const result = await runCli([...args, '--json']);
  assert.ok(result.code === 0 || result.code === 3, `${args.join(' ')}: exit ${result.code}: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

for (const backend of list) describe(`/perpguard/v1 on ${backend.name}: the advisor on the account's live state equals the CLI on its snapshot`, { skip: backend.skip }, () => {
  let server: RunningServer;
  let venue: Venue;
  let api: SignedClient;
  let other: SignedClient;
  let accountId: string;
  let snapshotFile: string;
  let account: any;

  before(async () => {
    const store = await openStore({ location: backend.fresh(), env });
    const created = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] });
    const second = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '500' }] });
    accountId = created.accountId;
    venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
    // marks stand still: the CLI must see the marks the server answered with
    venue.feed.pause(Date.now());
    venue.tick();
    server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0 });
    api = client(server.url, created.apiKey, created.secret);
    other = client(server.url, second.apiKey, second.secret);
    const steps: [string, Record<string, string>][] = [
      ['/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' }],
      ['/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '10' }],
      ['/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.05' }],
      ['/fapi/v1/positionMargin', { symbol: 'BTCUSDT', amount: '100', type: '1' }],
      ['/fapi/v1/positionMargin', { symbol: 'BTCUSDT', amount: '150', type: '1' }],
      ['/fapi/v1/positionMargin', { symbol: 'BTCUSDT', amount: '200', type: '1' }],
      ['/fapi/v1/positionMargin', { symbol: 'BTCUSDT', amount: '250', type: '1' }],
      ['/fapi/v1/leverage', { symbol: 'ETHUSDT', leverage: '20' }],
      ['/fapi/v1/order', { symbol: 'ETHUSDT', side: 'BUY', type: 'MARKET', quantity: '10' }],
      ['/fapi/v1/order', { symbol: 'SOLUSDT', side: 'SELL', type: 'MARKET', quantity: '20' }],
    ];
    for (const [path, params] of steps) {
      const reply = await api.signed('POST', path, params);
      assert.equal(reply.status, 200, `${path} ${JSON.stringify(params)}: ${JSON.stringify(reply.body)}`);
    }
    const reply = await api.signed('GET', '/perpguard/v1/account');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    account = reply.body;
    snapshotFile = join(folder, `${backend.name}-snapshot.json`);
    writeFileSync(snapshotFile, JSON.stringify(account.snapshot));
  });
  after(async () => {
    await server.close();
    await backend.cleanup();
  });

  it('account: three positions, the BTCUSDT one isolated with 700 USDT added (100 at entry, then three top-ups); calc equals `perpguard calc --json` on the snapshot', async () => {
    assert.deepEqual(account.snapshot.positions.map((p: any) => `${p.symbol} ${p.side} ${p.size} ${p.marginMode} ${p.leverage}x`), [
      'BTCUSDT long 0.05 isolated 10x',
      'ETHUSDT long 10 cross 20x',
      'SOLUSDT short 20 cross 20x',
    ]);
    const btc = account.snapshot.positions[0];
    // isolated margin = the entry's initial margin (notional / 10) + 100 + 150 + 200 + 250
    const entryMargin = new Decimal(btc.isolatedMargin).minus(700);
    assert.equal(entryMargin.toString(), new Decimal(btc.entryPrice).times('0.05').div(10).toString());
    assert.deepEqual(account.calc, await cliJson(['calc', snapshotFile]));
    assert.equal(account.state.account, accountId);
  });

  it('liquidation: each position isolated (IM at entry, and as assigned) and cross equals `perpguard advise liquidation --index i --json`', async () => {
    const reply = await api.signed('GET', '/perpguard/v1/liquidation');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.equal(reply.body.positions.length, 3);
    for (const [i, row] of reply.body.positions.entries()) {
      const cli = await cliJson(['advise', 'liquidation', snapshotFile, '--index', String(i)]);
      assert.deepEqual({ isolated: row.isolated, assigned: row.assigned, cross: row.cross }, { isolated: cli.isolated, assigned: cli.assigned, cross: cli.cross }, `position ${i}`);
      assert.equal(row.symbol, cli.position.symbol);
    }
    const btc = reply.body.positions[0];
    // the BTC long is isolated: its assigned liquidation price lies below the mark, and more margin puts it further than IM alone
    assert.ok(Number(btc.assigned.liquidationPrice) < Number(btc.isolated.liquidationPrice), JSON.stringify(btc));
    assert.ok(Number(btc.assigned.distancePct) > Number(btc.isolated.distancePct));
  });

  it('blastRadius: the cross account (ETH long, SOL short) equals the blast radius of `advise liquidation` on a cross leg', async () => {
    const reply = await api.signed('GET', '/perpguard/v1/blastRadius');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    // index 1 (ETHUSDT) is cross: the CLI's account for it is the account as it is
    const cli = await cliJson(['advise', 'liquidation', snapshotFile, '--index', '1']);
    assert.deepEqual(reply.body, cli.blastRadius);
    // net long: 10 ETH long less 20 SOL short at their marks; a uniform fall of ~30 % takes the margin balance to the maintenance margin
    const [, eth, sol] = account.snapshot.positions;
    assert.equal(new Decimal(reply.body.netNotional).toString(), new Decimal(eth.markPrice).times(10).minus(new Decimal(sol.markPrice).times(20)).toString());
    assert.equal(reply.body.adverse, 'down');
    assert.ok(Number(reply.body.down.movePct) < -20 && Number(reply.body.down.movePct) > -40, reply.body.down.movePct);
    assert.ok(new Decimal(reply.body.down.maintenanceMarginAtMove).minus(reply.body.down.marginBalanceAtMove).abs().lt('0.01'));
    // the isolated BTC long (10x) is liquidated on the way, before the cross account
    assert.deepEqual(reply.body.down.isolatedOnTheWay.map((x: any) => x.symbol), ['BTCUSDT']);
    assert.equal(reply.body.up.movePct, null);
  });

  it('domino: equals `perpguard advise hedge --json` on the snapshot', async () => {
    const reply = await api.signed('GET', '/perpguard/v1/domino');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    assert.deepEqual(reply.body, await cliJson(['advise', 'hedge', snapshotFile]));
    assert.deepEqual(reply.body.positions[1].domino.closedAtCrossLiquidation, ['BTCUSDT long', 'SOLUSDT short']);
  });

  it('chasing: three top-ups of the isolated BTCUSDT long make it de facto cross; equals `advise chasing` on the exported journal', async () => {
    const reply = await api.signed('GET', '/perpguard/v1/chasing');
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const journalFile = join(folder, `${backend.name}-journal.json`);
    writeFileSync(journalFile, JSON.stringify(await venue.records.journal(accountId)));
    const cli = await cliJson(['advise', 'chasing', journalFile]);
    assert.deepEqual(reply.body.positions, cli.positions);
    const [btc] = reply.body.positions;
    assert.equal(btc.symbol, 'BTCUSDT');
    assert.equal(btc.topUps.length, 3);
    assert.equal(btc.marginAdded, '600');
    assert.equal(btc.deFactoCross, true);
  });

  it('checklist: a proposed 0.01 BTC long with a stop equals `perpguard checklist --json` with the account equity (wallets + PnL)', async () => {
    const state = account.state;
    const equity = [state.walletBalance, ...state.positions.flatMap((p: any) => [p.isolatedMargin ?? '0', p.unrealizedPnl])].reduce((sum: Money, x: string) => add(sum, parseFixed<'Money'>(x)), zero<'Money'>());
    const mark = account.snapshot.positions[0].markPrice;
    const stop = new Decimal(mark).minus(1000).toString();
    const reply = await api.signed('GET', '/perpguard/v1/checklist', { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01', stopPrice: stop, strategy: 'speculative', leverage: '10' });
    assert.equal(reply.status, 200, JSON.stringify(reply.body));
    const cli = await cliJson(['checklist', '--equity', formatFixed(equity), '--symbol', 'BTCUSDT', '--side', 'long', '--entry', mark, '--size', '0.01', '--leverage', '10', '--mode', 'isolated', '--stop', stop, '--strategy', 'speculative']);
    assert.deepEqual(reply.body, cli);
    assert.equal(reply.body.ready, true, JSON.stringify(reply.body.refusals));
    // without a stop the checklist refuses
    const noStop = await api.signed('GET', '/perpguard/v1/checklist', { symbol: 'BTCUSDT', side: 'BUY', quantity: '0.01', strategy: 'speculative' });
    assert.equal(noStop.body.ready, false);
    assert.ok(noStop.body.refusals.some((r: string) => r.startsWith('5.')), JSON.stringify(noStop.body.refusals));
  });

  it("another account sees only its own book; bad requests get Binance's codes", async () => {
    const mine = await other.signed('GET', '/perpguard/v1/liquidation');
    assert.equal(mine.status, 200);
    assert.deepEqual(mine.body.positions, []);
    const theirs = await other.signed('GET', '/perpguard/v1/account');
    assert.equal(theirs.body.state.walletBalance, '500');
    assert.deepEqual(theirs.body.snapshot.positions, []);
    const forged = await other.signed('GET', '/perpguard/v1/account', {}, { secret: 'x'.repeat(64) });
    assert.equal(forged.body.code, -1022);
    const unknown = await api.signed('GET', '/perpguard/v1/liquidation', { symbol: 'BTCUSDT' });
    assert.equal(unknown.body.code, -1104);
    const badSide = await api.signed('GET', '/perpguard/v1/checklist', { symbol: 'BTCUSDT', side: 'UP', quantity: '1' });
    assert.equal(badSide.body.code, -1117);
    const unsigned = await api.get('/perpguard/v1/account');
    assert.equal(unsigned.status, 401);
    assert.equal(unsigned.body.code, -2014);
  });
});
