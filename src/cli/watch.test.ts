// `perpguard watch` against perpguard's own paper venue, in-process, through the real ccxt binanceusdm (only
// its URLs changed) and the CLI's main(): one reading as one JSON document whose other-mode liquidation prices
// equal `perpguard calc` on the recorded snapshot switched to the other mode; a stale tier table caught as a
// divergence from the venue's reported price; the bundled 2024-08-04/05 crash replayed a quarter hour per
// tick, the warnings firing in order (margin ratio, missing stop, liquidation near, liquidated), each once;
// read-only (every request a GET, every ccxt call a fetch*); no secret in any output, file or webhook body.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { join } from 'node:path';
import { add, div, mul } from '../io/import/values.ts';
import { openExchange, ReadOnlyRefusal } from '../io/watch-source.ts';
import { memoryIo } from './io.ts';
import { main } from './main.ts';
import { runCli } from './test-support.ts';
import { setWatchPause, watchCalls } from './watch.ts';
import { crashVenue, ETH, QUARTER_HOUR_MS, recordingProxy, webhookReceiver, type CrashVenue } from './watch-test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-watch-'));

interface Recorded {
  walletBalance: string;
  positions: { symbol: string; side: string; size: string; entryPrice: string; marginMode: string; leverage: number; isolatedMargin?: string }[];
}

/** The recorded snapshot with position `index` in the other mode, as `advise liquidation` switches it. */
function otherMode(record: Recorded, index: number): Recorded {
  const s = structuredClone(record);
  const p = s.positions[index]!;
  if (p.marginMode === 'isolated') {
    // its bucket returns to the cross wallet
    s.walletBalance = add(s.walletBalance, p.isolatedMargin!);
    p.marginMode = 'cross';
    delete p.isolatedMargin;
  } else {
    // isolated with the initial margin at entry: notional at entry / leverage
    p.marginMode = 'isolated';
    p.isolatedMargin = div(mul(p.size, p.entryPrice), String(p.leverage));
  }
  return s;
}

describe('perpguard watch against the paper venue through ccxt binanceusdm', { timeout: 120_000 }, () => {
  let v: CrashVenue;
  before(async () => {
    v = await crashVenue(folder);
    process.env['PERPGUARD_API_KEY'] = v.credentials.apiKey;
    process.env['PERPGUARD_API_SECRET'] = v.credentials.secret;
  });
  after(async () => {
    setWatchPause(undefined);
    await v?.server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('--once --json: one document; each position in its mode and the other, the other equal to perpguard calc on the recorded snapshot', async () => {
    const record = join(folder, 'once');
    const r = await runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--once', '--json', '--record', record]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /read-only: it only calls fetch\* methods and never places, changes or cancels an order/);
    const tick = JSON.parse(r.stdout);
    assert.deepEqual(tick.positions.map((p: any) => `${p.symbol} ${p.marginMode} -> ${p.otherMode}`), ['BTCUSDT cross -> isolated', 'ETHUSDT isolated -> cross']);
    const eth = tick.positions[1];
    // the venue reports the isolated ETH liquidation price perpguard computes: 0 ticks apart
    assert.equal(eth.venue.liquidationPrice, '2682.09672022');
    assert.equal(eth.venue.differenceTicks, '0.00');
    // the stop at 2,840 closes half the long (3.4 of 6.8): the other half is left to the liquidation
    assert.deepEqual(eth.stop, { triggerPrice: '2840.00000000', inFrontOfLiquidation: false });
    // the 98 complete hours the venue serves before 12:00 (its klines): 0.5386 % an hour, 43.8 h to a 99 % move
    // down to 2,682.1 (src/advisor/watch-volatility.test.ts works the same figures out from the bundled data)
    assert.deepEqual(eth.volatility, { hourlyPct: '0.5386', returns: 97, confidence: 0.99, scaling: 'sqrt-time', hoursToLiquidation: '43.8' });
    assert.equal(tick.positions[0].volatility, null); // BTC in cross: no liquidation price
    assert.equal(tick.blastRadius.adverse, 'down');
    assert.deepEqual(tick.warnings, { raised: [], cleared: [], active: [] });
    const [file] = readdirSync(record);
    const recorded = JSON.parse(readFileSync(join(record, file!), 'utf8')) as Recorded;
    // the recorded snapshot is what perpguard calc reads: the same figures in the position's own mode
    const own = JSON.parse((await runCli(['calc', join(record, file!), '--json'])).stdout);
    assert.deepEqual(own.positions.map((p: any) => p.liquidationPrice), tick.positions.map((p: any) => p.liquidationPrice));
    for (const [i, p] of tick.positions.entries()) {
      const switched = join(folder, `other-${i}.json`);
      writeFileSync(switched, JSON.stringify(otherMode(recorded, i)));
      const calc = await runCli(['calc', switched, '--json']);
      assert.equal(calc.code, 0, calc.stderr);
      const theirs = JSON.parse(calc.stdout).positions[i];
      assert.equal(theirs.marginMode, p.otherMode);
      assert.equal(p.modes[p.otherMode].liquidationPrice, theirs.liquidationPrice, `${p.symbol} in ${p.otherMode}`);
    }
    assert.equal(tick.positions[0].modes.isolated.liquidationPrice, '58083.53413655');
    assert.equal(eth.modes.cross.liquidationPrice, '1451.29705115');
  });

  it("tiers that are no longer the venue's (--tiers with ETH at 1 % maintenance): the divergence warning names the position, the figure and the threshold", async () => {
    const tiers = join(folder, 'tiers.json');
    writeFileSync(tiers, JSON.stringify({ [ETH]: [{ tier: 1, minNotional: 0, maxNotional: 10_000_000, maintenanceMarginRate: 0.01, maxLeverage: 50 }] }));
    const r = await runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--once', '--json', '--tiers', tiers]);
    assert.equal(r.code, 1, r.stderr); // --once exits 1 while a warning is active
    const tick = JSON.parse(r.stdout);
    const [w] = tick.warnings.raised;
    assert.equal(tick.warnings.raised.length, 1);
    assert.deepEqual([w.kind, w.position, w.threshold], ['divergence', 'ETHUSDT long', '1.00 ticks']);
    assert.match(w.figure, /^\d+\.\d\d ticks$/);
    assert.ok(Number(w.figure.split(' ')[0]) > 1000, w.figure); // 1 % against 0.4 % of 2,914 is tens of dollars: thousands of 0.01 ticks
  });

  it('--once for people: a table within 100 columns, both modes side by side, the warnings under it', async () => {
    const r = await runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--once', '--min-distance-pct', '10']);
    assert.equal(r.code, 1, r.stderr);
    const lines = r.stdout.split('\n');
    assert.ok(Math.max(...lines.map((l) => [...l].length)) <= 100, r.stdout);
    assert.ok(lines.some((l) => /ETHUSDT long .* isolated 12x .* 2,682\.1 .* 1,451\.3 \(cross\)/.test(l)), r.stdout);
    assert.ok(lines.some((l) => /BTCUSDT long .* cross 20x .* none .* 58,083\.6 \(isolated\)/.test(l)), r.stdout);
    assert.equal(lines.filter((l) => l.startsWith('WARNING')).length, 1, r.stdout);
    // the distance rounds toward danger, as calc's "to liq." column: the table and the warning agree
    assert.match(r.stdout.replace(/\s+/g, ' '), /WARNING \[distance\] ETHUSDT long: 7\.96 % from its liquidation price, < 10\.00 % \(figure 7\.96 %, threshold 10\.00 %\)/);
  });

  it('the replayed crash: a stop for half the position at once, then margin ratio, liquidation near, liquidated; each raised once; read-only; no secret anywhere', async () => {
    const record = join(folder, 'crash');
    const proxy = await recordingProxy(v.server.url);
    const hook = await webhookReceiver();
    setWatchPause(async () => v.step(QUARTER_HOUR_MS));
    try {
      const args = ['watch', '--exchange', 'binanceusdm', '--url', proxy.url, '--json', '--ticks', '24', '--interval-ms', '100', '--record', record, '--webhook', hook.url];
      const r = await runCli([...args, '--max-margin-ratio', '6', '--require-stop', '--min-distance-pct', '4.6', '--min-distance-hours', '24']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.equal(lines.filter((l) => l.type === 'tick').length, 24);
      const warnings = lines.filter((l) => l.type === 'warning');
      const firstRaised = (kind: string) => warnings.find((w) => w.kind === kind && w.state === 'raised')?.tick as number;
      const order = ['marginRatio', 'distanceHours', 'stop', 'distance', 'liquidated'].map((k) => [k, firstRaised(k)] as const);
      // from the first reading the stop at 2,840 closes only half the long: "stop" at once, and it stays raised when
      // the half stop fires at 15:30 (2,819.5), the rest then without any; 14:30 ETH 2,851.8 (ratio 6.3 %); 16:30
      // 2,805.93 is 4.4 % from 2,682.1; 17:30 2,630. The volatility distance (a 99 % move within 24 h) warns at
      // 15:00, well before the 4.6 % distance does
      assert.deepEqual(order, [['marginRatio', 11], ['distanceHours', 13], ['stop', 1], ['distance', 19], ['liquidated', 23]]);
      for (const w of warnings) assert.equal(w.position, 'ETHUSDT long', JSON.stringify(w));
      // no flood: a warning is raised again only after it was cleared
      const state = new Map<string, string>();
      for (const w of warnings) {
        assert.notEqual(state.get(w.kind), w.state, `${w.kind} ${w.state} twice in a row at tick ${w.tick}`);
        state.set(w.kind, w.state);
      }
      const stop = warnings.find((w) => w.kind === 'stop')!;
      assert.deepEqual([stop.figure, stop.threshold, stop.message], ['2840', 'buffer 0.50 %', 'ETHUSDT long: its stops in front of the liquidation price close 50.00 % of it: the rest goes to the liquidation']);
      // one POST per warning raised or cleared, the same figures
      assert.equal(hook.bodies.length, warnings.length);
      assert.deepEqual(hook.bodies.map((b) => JSON.parse(b).kind), warnings.map((w) => w.kind));
      // read-only: the venue saw GETs only, and ccxt was asked for fetch* and loadMarkets only
      assert.ok(proxy.requests.length > 24 * 4, `${proxy.requests.length} requests`);
      assert.deepEqual([...new Set(proxy.requests.map((q) => q.split(' ')[0]))], ['GET']);
      assert.deepEqual([...new Set(watchCalls)].sort(), ['fetchBalance', 'fetchLeverageTiers', 'fetchMarginAdjustmentHistory', 'fetchMyLiquidations', 'fetchOHLCV', 'fetchOpenOrders', 'fetchPositions', 'loadMarkets']);
      // every tick recorded, and no key or secret in anything watch wrote or sent
      const files = readdirSync(record);
      assert.equal(files.length, 24);
      const everything = [r.stdout, r.stderr, ...hook.bodies, ...files.map((f) => readFileSync(join(record, f), 'utf8'))].join('\n');
      assert.ok(!everything.includes(v.credentials.secret), 'the API secret appears in an output');
      assert.ok(!everything.includes(v.credentials.apiKey), 'the API key appears in an output');
    } finally {
      setWatchPause(undefined);
      await proxy.close();
      await hook.close();
    }
  });

  it('margin chasing: an isolated SOL short topped up 3 times (fetchMarginAdjustmentHistory) warns once, naming the top-ups', async () => {
    const SOL = 'SOL/USDT:USDT';
    await v.trader.setMarginMode('isolated', SOL);
    await v.trader.setLeverage(10, SOL);
    await v.trader.createOrder(SOL, 'market', 'sell', 10);
    for (let i = 0; i < 3; i++) await v.trader.addMargin(SOL, 20);
    const r = await runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--once', '--json']);
    const tick = JSON.parse(r.stdout);
    const sol = tick.positions.find((p: any) => p.symbol === 'SOLUSDT');
    assert.deepEqual(sol.chasing, { topUps: 3, marginAdded: '60.00000000' });
    const chasing = tick.warnings.raised.filter((w: any) => w.kind === 'chasing');
    assert.deepEqual(chasing.map((w: any) => [w.position, w.figure, w.threshold]), [['SOLUSDT short', '3 top-ups', '3 top-ups']]);
    assert.match(chasing[0].message, /60\.00 USDT added\): isolated in name, de facto cross/);
  });

  it('--stream: a position change on the account stream (ccxt.pro watchPositions) is read at once, not after the 10-minute interval', async () => {
    const SOL = 'SOL/USDT:USDT';
    let stdout = '';
    let stderr = '';
    let firstTick: () => void = () => undefined;
    const ticked = new Promise<void>((resolve) => (firstTick = resolve));
    const streams = memoryIo('', { stdout: (t) => ((stdout += t), stdout.includes('"type":"tick"') && firstTick()), stderr: (t) => (stderr += t) });
    // without the stream the second reading would come after 600 s, long after this test's timeout (the wait
    // is unref'd so that a failing stream cannot keep the test process alive)
    setWatchPause((ms, signal) => sleepFor(ms, undefined, { ref: false, ...(signal ? { signal } : {}) }));
    const running = main(['node', 'perpguard', 'watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--json', '--stream', '--ticks', '2', '--interval-ms', '600000'], streams);
    await ticked;
    await v.trader.createOrder(SOL, 'market', 'sell', 2);
    assert.equal(await running, 0, stderr);
    setWatchPause(undefined);
    assert.match(stderr, /streaming watchPositions, watchBalance, watchOrders, watchMarkPrices: a change is read at once, else every 600000 ms/);
    const ticks = stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'tick');
    assert.deepEqual(ticks.map((t) => t.trigger), ['start', 'stream']);
    assert.deepEqual(ticks.map((t) => t.positions.find((p: any) => p.symbol === 'SOLUSDT').size), ['10', '12']);
    assert.ok(![stdout, stderr].join('').includes(v.credentials.secret) && ![stdout, stderr].join('').includes(v.credentials.apiKey));
  });

  it('--stream where the streams cannot connect (a proxy that forwards REST only): said once per stream, and the readings go on at the interval', async () => {
    const proxy = await recordingProxy(v.server.url);
    let stderr = '';
    let stdout = '';
    const streams = memoryIo('', { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    // each pause waits for the four failures to be said (they come from the watchers, not the loop)
    setWatchPause(async () => {
      for (let i = 0; i < 500 && (stderr.match(/stream failed/g)?.length ?? 0) < 4; i++) await sleepFor(20);
    });
    try {
      const code = await main(['node', 'perpguard', 'watch', '--exchange', 'binanceusdm', '--url', proxy.url, '--json', '--stream', '--ticks', '3', '--interval-ms', '100'], streams);
      assert.equal(code, 0, stderr);
    } finally {
      setWatchPause(undefined);
      await proxy.close();
    }
    const ticks = stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'tick');
    assert.deepEqual(ticks.map((t) => t.trigger), ['start', 'interval', 'interval']);
    for (const method of ['watchPositions', 'watchBalance', 'watchOrders', 'watchMarkPrices']) {
      assert.equal(stderr.split(`the ${method} stream failed`).length - 1, 1, stderr);
    }
    assert.match(stderr, /reading at the interval, trying it again every 100 ms/);
  });

  it('a planted secret the venue refuses: one line, exit 2, the secret and key nowhere in it', async () => {
    const secret = 'PLANTED-s3cr3t-7f1e9c0d-never-print-me';
    const config = join(folder, 'keys.yaml');
    writeFileSync(config, `apiKey: ${v.credentials.apiKey}\nsecret: ${secret}\n`);
    const r = await runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--once', '--json', '--config', config]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.equal(r.stderr.trim().split('\n').length, 2, r.stderr); // the read-only line, then the refusal
    assert.match(r.stderr, /^perpguard: --exchange: binanceusdm: AuthenticationError/m);
    assert.ok(!r.stderr.includes(secret) && !r.stderr.includes(v.credentials.apiKey), r.stderr);
  });

  it('the guard refuses every method that is not fetch* before a request is made', async () => {
    const guarded = (await openExchange('binanceusdm', v.credentials, v.server.url)) as unknown as Record<string, (...a: unknown[]) => unknown>;
    for (const method of ['createOrder', 'cancelOrder', 'cancelAllOrders', 'editOrder', 'setLeverage', 'setMarginMode', 'addMargin', 'reduceMargin', 'transfer']) {
      assert.throws(() => guarded[method]!(ETH, 'market', 'buy', 1), ReadOnlyRefusal, method);
    }
  });
});

describe('perpguard watch --stream: a mark a quarter of the way to a liquidation price wakes a reading', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'perpguard-watch-marks-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('the crash replayed minute by minute: the ETH long (mark 2,914.22, liquidation 2,682.1) is read again once its mark is under 2,856.2, before its stop fires', async () => {
    const v = await crashVenue(dir);
    process.env['PERPGUARD_API_KEY'] = v.credentials.apiKey;
    process.env['PERPGUARD_API_SECRET'] = v.credentials.secret;
    let stdout = '';
    let stderr = '';
    const streams = memoryIo('', { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
    setWatchPause((ms, signal) => sleepFor(ms, undefined, { ref: false, ...(signal ? { signal } : {}) }));
    let done = false;
    try {
      const running = main(['node', 'perpguard', 'watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--json', '--stream', '--ticks', '2', '--interval-ms', '600000'], streams).finally(() => (done = true));
      while (!stdout.includes('"type":"tick"')) await sleepFor(10);
      // minute by minute up to 15:25 (the half stop at 2,840 fires at 15:30): the mark stream hears each step
      for (let minute = 0; minute < 205 && !done; minute++) {
        v.step(60_000);
        await sleepFor(20);
      }
      assert.equal(await running, 0, stderr);
    } finally {
      setWatchPause(undefined);
      await v.server.close();
    }
    const ticks = stdout.trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'tick');
    assert.deepEqual(ticks.map((t) => t.trigger), ['start', 'mark']);
    const eth = (t: any) => t.positions.find((p: any) => p.symbol === 'ETHUSDT');
    // the band: 2,914.22 + (2,682.09672021 - 2,914.22) / 4 = 2,856.19
    assert.ok(Number(eth(ticks[1]).markPrice) < 2856.19, eth(ticks[1]).markPrice);
    assert.ok(Number(eth(ticks[1]).markPrice) > 2840, eth(ticks[1]).markPrice);
    assert.equal(eth(ticks[1]).stop.triggerPrice, '2840.00000000'); // the stop has not fired: no account event woke it
  });
});

describe('perpguard watch: bad input is one line naming the field, exit 2', () => {
  const cases: [string[], string][] = [
    [['--exchange', 'kraken'], '--exchange: must be one of binanceusdm, binancecoinm, bybit, okx, hyperliquid'],
    [['--exchange', 'binanceusdm', '--api-secret', 'xyz'], "--api-secret: unknown option"],
    [['--exchange', 'binanceusdm', '--interval-ms', '5'], '--interval-ms: must be a whole number from 100'],
    [['--exchange', 'binanceusdm', '--max-margin-ratio', '-3'], '--max-margin-ratio: must be a percentage of 0 or more'],
    [['--exchange', 'binanceusdm', '--min-distance-pct', 'far'], '--min-distance-pct:'],
    [['--exchange', 'binanceusdm', '--min-distance-hours', '0'], '--min-distance-hours: must be a number of hours above 0, got "0"'],
    [['--exchange', 'binanceusdm', '--webhook', 'ftp://x'], '--webhook: must be an http(s) URL'],
    [['--exchange', 'bybit', '--url', 'http://127.0.0.1:1'], '--url: points ccxt'],
    [['--exchange', 'binanceusdm', '--config', '/nonexistent/keys.json'], '--config: cannot read /nonexistent/keys.json: ENOENT'],
    [['--exchange', 'binanceusdm', '--config', 'BROKEN'], '--config: BROKEN is not valid JSON or YAML'],
    [['--exchange', 'binanceusdm', '--config', 'EXTRA'], '--config: EXTRA: unknown field "apiSecret"'],
  ];
  const dir = mkdtempSync(join(tmpdir(), 'perpguard-watch-bad-'));
  const planted = 'PLANTED-yaml-secret-4b1d';
  const files: Record<string, string> = { BROKEN: `secret: "${planted}\n  apiKey: [`, EXTRA: `apiKey: k\napiSecret: ${planted}\n` };
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  after(() => rmSync(dir, { recursive: true, force: true }));
  for (const c of cases) for (const [i, a] of c[0].entries()) if (a in files) c[0][i] = join(dir, a);
  for (const [args, line] of cases) {
    it(args.slice(2).join(' ') || args.join(' '), async () => {
      const r = await runCli(['watch', ...args]);
      assert.equal(r.code, 2, r.stderr);
      const expected = `perpguard: ${line.replace(/^--config: (BROKEN|EXTRA)/, (_m, f: string) => `--config: ${join(dir, f)}`)}`;
      assert.ok(r.stderr.split('\n').some((l) => l.startsWith(expected)), r.stderr);
      assert.doesNotMatch(r.stderr, /at .*\.ts:\d+/);
      assert.ok(!r.stderr.includes(planted), r.stderr);
    });
  }
});
