// The dashboard's study, Monte Carlo and advice routes on a live venue account: each answer equals the CLI's
// --json on the same input (the spec the route ran is in its answer, written to a file for the CLI); the
// venue keeps answering while a Monte Carlo runs (it runs on the analysis thread); a bad parameter is 400
// naming its field, an unknown one -1104, an unsigned request is refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../cli/test-support.ts';
import { openStore } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const cliJson = async (args: string[]) => {
  const result = await runCli([...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
};

describe('/perpguard/v1/study, montecarlo, adviseSize, adviseLeverage, adviseMode', { timeout: 60_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-analysis-'));
  let server: RunningServer;
  let api: SignedClient;
  let other: SignedClient;
  before(async () => {
    const store = await openStore({ location: { kind: 'sqlite', path: join(folder, 'venue.db') }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
    const trader = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] });
    const stranger = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '500' }] });
    const venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wall) => defaultFeed({ speed: 1, fromMs: Date.UTC(2025, 2, 1), logTimeMs }, wall) });
    venue.tick();
    server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0 });
    api = client(server.url, trader.apiKey, trader.secret);
    other = client(server.url, stranger.apiKey, stranger.secret);
    assert.equal((await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' })).status, 200);
    assert.equal((await api.signed('POST', '/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' })).status, 200);
    for (const [symbol, side, quantity] of [['BTCUSDT', 'BUY', '0.5'], ['ETHUSDT', 'BUY', '2']] as const) assert.equal((await api.signed('POST', '/fapi/v1/order', { symbol, side, type: 'MARKET', quantity })).status, 200);
  });
  after(async () => {
    await server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('study of the account on 2024-08-05: its legs are the positions, its rows equal `perpguard study --json` on that spec', async () => {
    const answer = await api.signed('GET', '/perpguard/v1/study', { window: '2024-08-05' });
    assert.equal(answer.status, 200, answer.headers.get('x-perpguard-detail') ?? '');
    const { spec, window } = answer.body;
    assert.deepEqual(spec.legs.map((l: any) => `${l.symbol} ${l.side} ${l.marginMode} ${l.leverage}x`), ['BTCUSDT long cross 20x', 'ETHUSDT long isolated 20x']);
    assert.deepEqual(window.legs.map((l: any) => l.symbol), ['BTCUSDT', 'ETHUSDT']);
    assert.deepEqual(window.equity.map((e: any) => e.mode), ['isolated', 'cross', 'mixed']);
    const file = join(folder, 'account-spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const cli = (await cliJson(['study', '--spec', file])).find((w: any) => w.window.id === '2024-08-05');
    assert.deepEqual(window.rows, Object.values(cli.modes).map((m: any) => m.summary));
  });

  it('study with the smoothed mark and the exact engine only equals `perpguard study --mark smoothed --mark-span 10 --exact-only --json`', async () => {
    const params = { spec: 'crash-study', window: '2021-05-19' };
    const [last, smoothed] = await Promise.all([
      api.signed('GET', '/perpguard/v1/study', params),
      api.signed('GET', '/perpguard/v1/study', { ...params, mark: 'smoothed', markSpan: '10', exactOnly: 'true' }),
    ]);
    assert.equal(smoothed.status, 200, smoothed.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual([smoothed.body.mark, smoothed.body.exactOnly, last.body.mark, last.body.exactOnly], [{ model: 'smoothed', spanBars: 10 }, true, { model: 'last' }, false]);
    const cli = (await cliJson(['study', '--spec', 'examples/crash-study.yaml', '--mark', 'smoothed', '--mark-span', '10', '--exact-only'])).find((w: any) => w.window.id === '2021-05-19');
    assert.deepEqual(smoothed.body.window.rows, Object.values(cli.modes).map((m: any) => m.summary));
    assert.deepEqual(smoothed.body.exactBars, Object.values(cli.modes).map((m: any) => ({ mode: m.summary.mode, exactBars: m.exactBars, bars: m.bars })));
    // every bar ran exactly; screened, only the few bars where something could happen did
    for (const m of smoothed.body.exactBars) assert.equal(m.exactBars, m.bars, m.mode);
    assert.ok(last.body.exactBars.every((m: any) => m.exactBars < m.bars), JSON.stringify(last.body.exactBars));
    // the wicks of the last price liquidate more in this crash than its EMA does
    assert.notDeepEqual(smoothed.body.window.rows.map((r: any) => r.keptPct), last.body.window.rows.map((r: any) => r.keptPct));
  });

  it('Monte Carlo of an example equals `perpguard montecarlo --json` (same spec, seed, paths); the venue answers meanwhile', async () => {
    const order: string[] = [];
    const pending = api.signed('GET', '/perpguard/v1/montecarlo', { spec: 'crash-study', paths: '400', hours: '168', seed: '7' }).then((a) => (order.push('montecarlo'), a));
    // the event loop is free: a request sent during the run (400 paths: a few tenths of a second on the warm
    // analysis thread; 60 paths had become quicker than the 100 ms this test waited) is answered before it ends
    await new Promise((resolve) => setTimeout(resolve, 20));
    const ping = api.get('/fapi/v1/time').then(() => order.push('time'));
    const [answer] = await Promise.all([pending, ping]);
    assert.deepEqual(order, ['time', 'montecarlo']);
    assert.equal(answer.status, 200, answer.headers.get('x-perpguard-detail') ?? '');
    const cli = await cliJson(['montecarlo', '--spec', 'examples/crash-study.yaml', '--paths', '400', '--hours', '168', '--seed', '7', '--workers', '2']);
    assert.deepEqual(answer.body.json.statistics, cli.statistics);
    assert.deepEqual(answer.body.distribution.modes.map((m: any) => m.stats), cli.statistics);
  });

  it('sizing equals `perpguard advise size --json`; leverage (a lone trade) equals `advise leverage --json`', async () => {
    const size = await api.signed('GET', '/perpguard/v1/adviseSize', { symbol: 'BTCUSDT', portfolio: '10000', riskPct: '2', entryPrice: '60000', stopPrice: '58800', leverage: '10' });
    assert.equal(size.status, 200, size.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual(size.body, await cliJson(['advise', 'size', '--portfolio', '10000', '--risk', '2', '--entry', '60000', '--stop', '58800', '--leverage', '10']));
    const leverage = await api.signed('GET', '/perpguard/v1/adviseLeverage', { symbol: 'ETHUSDT', side: 'SHORT', horizonHours: '4', wallet: '10000', margin: '500', paths: '40', leverages: '5,20' });
    assert.equal(leverage.status, 200, leverage.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual(leverage.body, await cliJson(['advise', 'leverage', '--symbol', 'ETHUSDT', '--side', 'short', '--horizon', '4', '--wallet', '10000', '--margin', '500', '--paths', '40', '--leverages', '5,20']));
    // on the account's own positions (the CLI's --snapshot): a symbol it holds is refused (one-way mode), another is calibrated beside them
    const held = await api.signed('GET', '/perpguard/v1/adviseLeverage', { symbol: 'BTCUSDT', paths: '0' });
    assert.equal(held.headers.get('x-perpguard-detail'), 'symbol: the portfolio already holds BTCUSDT; one-way mode holds one position per symbol');
    const beside = await api.signed('GET', '/perpguard/v1/adviseLeverage', { symbol: 'SOLUSDT', paths: '0', price: '150', movePct: '5' });
    assert.equal(beside.status, 200, beside.headers.get('x-perpguard-detail') ?? '');
    assert.match(beside.body.account, /^the account's positions: cross wallet [0-9,.]+, 2 position\(s\)$/);
    assert.deepEqual(beside.body.modes.map((m: any) => m.mode), ['isolated', 'cross']);
  });

  it('leverage against a spec equals `advise leverage --spec`: an example by name, the account\'s positions as a spec', async () => {
    const example = await api.signed('GET', '/perpguard/v1/adviseLeverage', { symbol: 'ETHUSDT', side: 'SHORT', horizonHours: '24', spec: 'safety-net', paths: '40', leverages: '5,20' });
    assert.equal(example.status, 200, example.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual(example.body, await cliJson(['advise', 'leverage', '--symbol', 'ETHUSDT', '--side', 'short', '--horizon', '24', '--spec', 'examples/safety-net.yaml', '--paths', '40', '--leverages', '5,20']));
    assert.match(example.body.monteCarlo, /with the spec's legs as specified$/);
    // the account as a spec (the study's): the CLI on that spec written to a file, the file's name aside
    const { spec } = (await api.signed('GET', '/perpguard/v1/study', { window: '2024-08-05', modes: 'cross' })).body;
    const file = join(folder, 'leverage-spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const account = await api.signed('GET', '/perpguard/v1/adviseLeverage', { symbol: 'SOLUSDT', spec: 'account', paths: '20', leverages: '5,20' });
    assert.equal(account.status, 200, account.headers.get('x-perpguard-detail') ?? '');
    const cli = await cliJson(['advise', 'leverage', '--symbol', 'SOLUSDT', '--spec', file, '--paths', '20', '--leverages', '5,20']);
    assert.deepEqual({ ...account.body, account: '' }, { ...cli, account: '' });
    assert.equal(account.body.account, cli.account.replace(`(${file})`, "(the account's positions)"));
  });

  it('mode advice for a new trade beside the account\'s positions equals `advise mode --symbol` on that portfolio', async () => {
    const { spec } = (await api.signed('GET', '/perpguard/v1/study', { window: '2024-08-05', modes: 'cross' })).body;
    const file = join(folder, 'mode-spec.json');
    writeFileSync(file, JSON.stringify(spec));
    const mode = await api.signed('GET', '/perpguard/v1/adviseMode', { symbol: 'SOLUSDT', side: 'SHORT', margin: '300', leverage: '5', role: 'hedge', paths: '30', hours: '72' });
    assert.equal(mode.status, 200, mode.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual(mode.body, await cliJson(['advise', 'mode', '--spec', file, '--symbol', 'SOLUSDT', '--side', 'short', '--margin', '300', '--leverage', '5', '--role', 'hedge', '--paths', '30', '--hours', '72']));
    // the trade is the one about to be opened, after the two positions held
    assert.deepEqual([mode.body.tradeIndex, mode.body.trade], [2, { symbol: 'SOLUSDT', side: 'short', size: { margin: '300' }, leverage: 5, marginMode: 'isolated', role: 'hedge' }]);
    assert.deepEqual(mode.body.legCorrelations.map((l: any) => l.symbol), ['BTCUSDT', 'ETHUSDT']);
  });

  it('mode advice on an example equals `perpguard advise mode --json`', async () => {
    const mode = await api.signed('GET', '/perpguard/v1/adviseMode', { spec: 'crash-study', leg: 'ETHUSDT', experience: 'expert', paths: '30', hours: '72' });
    assert.equal(mode.status, 200, mode.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual(mode.body, await cliJson(['advise', 'mode', '--spec', 'examples/crash-study.yaml', '--leg', 'ETHUSDT', '--experience', 'expert', '--paths', '30', '--hours', '72']));
    assert.match(mode.body.reason, /\d/);
  });

  it('refusals: a bad value is 400 naming its field, an unknown parameter -1104, too much work is refused, unsigned is refused', async () => {
    const cases: [string, Record<string, string>, RegExp][] = [
      ['/perpguard/v1/study', { window: '2019-01-01' }, /^window: must be /],
      ['/perpguard/v1/study', { window: '2024-08-05', spec: '../etc/passwd' }, /^spec: must be account or an example/],
      ['/perpguard/v1/montecarlo', { paths: '0' }, /^paths: must be a whole number from 1/],
      ['/perpguard/v1/montecarlo', { paths: '2000', hours: '720' }, /^paths: 2000 paths x 720 h is over/],
      ['/perpguard/v1/montecarlo', { crashProbability: '2' }, /^crashProbability: must be from 0 to 1/],
      ['/perpguard/v1/adviseSize', { symbol: 'BTCUSDT', entryPrice: '60000', stopPrice: '61000', side: 'LONG' }, /^stopPrice: a long's stop must be below/],
      ['/perpguard/v1/adviseSize', { symbol: 'BTCUSDT' }, /^stopPrice: /],
      ['/perpguard/v1/adviseLeverage', { symbol: 'BTCUSDT', confidence: '1.5' }, /^confidence: /],
      ['/perpguard/v1/adviseMode', { spec: 'crash-study', leg: '7' }, /^leg: the portfolio has 3 leg/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', leg: '0', symbol: 'SOLUSDT', margin: '100' }, /^leg: give either leg \(a leg of the portfolio\) or symbol \(a new trade\), not both$/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', leg: '0', margin: '100' }, /^margin: only for a new trade \(with symbol\)$/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'SOLUSDT' }, /^margin: a new trade needs margin or notional/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'SOLUSDT', margin: '100', notional: '500' }, /^notional: give either margin or notional, not both$/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'SOLUSDT', margin: '0' }, /^margin: must be above zero$/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'SOLUSDT', margin: '100', side: 'UP' }, /^side: must be LONG, SHORT/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'SOLUSDT', margin: '100', leverage: '200' }, /^leverage: must be a whole number from 1 to 125, got 200$/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'BTCUSDT', margin: '100' }, /^symbol: the portfolio already holds BTCUSDT; one-way mode/],
      ['/perpguard/v1/adviseMode', { spec: 'max-exposure', symbol: 'XRPUSDT', margin: '100' }, /^symbol: legs\[2\]\.symbol: XRPUSDT is not a bundled market of binance-usdm/],
      ['/perpguard/v1/adviseLeverage', { symbol: 'SOLUSDT', spec: 'nope' }, /^spec: must be account or an example/],
      ['/perpguard/v1/adviseLeverage', { symbol: 'SOLUSDT', spec: 'crash-study', wallet: '1000' }, /^wallet: a lone trade's wallet, not with spec/],
      ['/perpguard/v1/study', { window: '2024-08-05', mark: 'index' }, /^mark: must be last, smoothed, got "index"$/],
      ['/perpguard/v1/study', { window: '2024-08-05', mark: 'smoothed', markSpan: '0' }, /^markSpan: must be a whole number from 1 to 1440, got 0$/],
      ['/perpguard/v1/study', { window: '2024-08-05', markSpan: '5' }, /^markSpan: only with mark=smoothed/],
      ['/perpguard/v1/study', { window: '2024-08-05', exactOnly: 'yes' }, /^exactOnly: must be "true" or "false", got "yes"$/],
    ];
    for (const [path, params, detail] of cases) {
      const answer = await api.signed('GET', path, params);
      assert.equal(answer.status, 400, `${path} ${JSON.stringify(params)}`);
      assert.match(answer.headers.get('x-perpguard-detail') ?? '', detail);
    }
    const unknown = await api.signed('GET', '/perpguard/v1/montecarlo', { pathz: '10' });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.code, -1104);
    assert.match(unknown.headers.get('x-perpguard-detail') ?? '', /^pathz: not a parameter of this endpoint \(did you mean paths\?\)/);
    // one account never runs another's positions: the other account's "account" is its own, empty book
    const empty = await other.signed('GET', '/perpguard/v1/study', { window: '2024-08-05' });
    assert.equal(empty.status, 400);
    assert.equal(empty.headers.get('x-perpguard-detail'), 'spec: the account holds no position: open one, or pick an example portfolio');
    const unsigned = await api.get('/perpguard/v1/study?window=2024-08-05');
    assert.ok(unsigned.status === 400 || unsigned.status === 401, String(unsigned.status));
    const stranger = client(server.url, 'x'.repeat(64), 'y'.repeat(64));
    assert.equal((await stranger.signed('GET', '/perpguard/v1/montecarlo', { paths: '10' })).status, 401);
  });
});
