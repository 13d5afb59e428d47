// `perpguard protect` against perpguard's own paper venue through ccxt binanceusdm (only its URLs changed):
// an account at 2024-08-04 12:00 with an ETH long (isolated 12x) and a SOL short (isolated 10x) without stops
// and a BTC long in cross (no liquidation price). No terminal and no --yes: refused before anything is read;
// --dry-run: the orders, none placed; on a terminal: asked per order (declined ETH, accepted SOL); --yes:
// placed; the stops then sit in the venue's open orders and watch --require-stop finds them in front. No key
// or secret in any output.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memoryIo } from './io.ts';
import { main } from './main.ts';
import { runCli, type CliResult } from './test-support.ts';
import { protectCalls } from './protect.ts';
import { openStopPlacing } from '../io/protect-venue.ts';
import { ReadOnlyRefusal } from '../io/watch-source.ts';
import { ccxtVenue, type Exchange } from '../server/http/ccxt-test-support.ts';
import type { RunningServer } from '../server/http/app.ts';
import { BTC, CRASH_START_MS, ETH } from './watch-test-support.ts';

const SOL = 'SOL/USDT:USDT';
const folder = mkdtempSync(join(tmpdir(), 'perpguard-protect-'));

/** `perpguard <args>` with standard input a terminal answering `answers`. */
async function onTerminal(args: readonly string[], answers: string): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const streams = { ...memoryIo(answers, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) }), stdinIsTTY: true };
  const code = await main(['node', 'perpguard', ...args], streams);
  return { code, stdout, stderr };
}

describe('perpguard protect against the paper venue through ccxt binanceusdm', { timeout: 120_000 }, () => {
  let server: RunningServer;
  let trader: Exchange;
  let credentials: { apiKey: string; secret: string };
  const outputs: string[] = [];
  const triggers = async (symbol: string) => ((await trader.fetchOpenOrders(symbol, undefined, undefined, { trigger: true })) as { triggerPrice?: number; side: string; reduceOnly?: boolean; amount: number }[]).map((o) => [o.side, o.amount, o.triggerPrice, o.reduceOnly]);
  const cli = async (args: string[], answers?: string) => {
    const r = answers === undefined ? await runCli(args) : await onTerminal(args, answers);
    outputs.push(r.stdout, r.stderr);
    return r;
  };
  const base = () => ['protect', '--exchange', 'binanceusdm', '--url', server.url, '--buffer-pct', '1'];

  before(async () => {
    const now = Date.now();
    const v = await ccxtVenue(folder, () => now, CRASH_START_MS);
    ({ server, exchange: trader, credentials } = v);
    await trader.setMarginMode('isolated', ETH);
    await trader.setLeverage(12, ETH);
    await trader.createOrder(ETH, 'market', 'buy', 6.8);
    await trader.setMarginMode('isolated', SOL);
    await trader.setLeverage(10, SOL);
    await trader.createOrder(SOL, 'market', 'sell', 10);
    await trader.setLeverage(20, BTC);
    await trader.createOrder(BTC, 'market', 'buy', 0.01);
    process.env['PERPGUARD_API_KEY'] = credentials.apiKey;
    process.env['PERPGUARD_API_SECRET'] = credentials.secret;
  });
  after(async () => {
    await server?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('no terminal and no --yes: one line, exit 2, nothing read or placed', async () => {
    const r = await cli(base());
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'perpguard: --yes: no terminal to confirm each order on: give --yes to place them all, or --dry-run to see them\n');
    assert.deepEqual(protectCalls, []);
  });

  it('--dry-run --json: a stop 1 % of the mark in front of each liquidation price, on the tick, none placed', async () => {
    const r = await cli([...base(), '--dry-run', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /needs trade-enabled API keys/);
    const doc = JSON.parse(r.stdout);
    assert.equal(doc.bufferPct, '1');
    assert.deepEqual(doc.orders.map((x: any) => [x.position, x.status]), [['BTCUSDT long', 'skipped'], ['ETHUSDT long', 'would place'], ['SOLUSDT short', 'would place']]);
    const eth = doc.orders[1];
    // 2,682.09672021 (watch's figure for this position) + 1 % of 2,914.22 = 2,711.23892022, up to the 0.01 tick
    assert.equal(eth.liquidationPrice, '2682.09672021');
    assert.deepEqual(eth.order, { type: 'STOP_MARKET', side: 'sell', size: '6.8', triggerPrice: '2711.24', reduceOnly: true });
    const sol = doc.orders[2];
    assert.equal(sol.order.side, 'buy');
    assert.ok(Number(sol.order.triggerPrice) < Number(sol.liquidationPrice) && Number(sol.order.triggerPrice) > Number(sol.markPrice), JSON.stringify(sol));
    assert.ok(!protectCalls.includes('createOrder'));
    assert.deepEqual(await triggers(ETH), []);
    assert.deepEqual(await triggers(SOL), []);
  });

  it('on a terminal: asked once per order; "n" leaves ETH bare, "y" places the SOL stop', async () => {
    const r = await cli([...base(), '--symbol', 'ETHUSDT', 'SOLUSDT'], 'n\ny\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr.match(/\[y\/N\]/g)?.length, 2, r.stderr);
    assert.match(r.stderr, /Place a reduce-only stop-market sell of 6\.8 ETHUSDT triggering at 2,711\.24 \(liquidation 2,682\.09672021, mark 2,914\.22\)\? \[y\/N\] /);
    assert.match(r.stdout, /ETHUSDT long .* declined/);
    assert.match(r.stdout, /SOLUSDT short .* placed \(order \d+\)/);
    assert.deepEqual(await triggers(ETH), []);
    const [sol] = await triggers(SOL);
    assert.deepEqual([sol![0], sol![1], sol![3]], ['buy', 10, true]);
  });

  it('--yes: places the ETH stop (SOL is covered now); watch --require-stop then finds both stops in front', async () => {
    const r = await cli([...base(), '--yes', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout);
    assert.deepEqual(doc.orders.map((x: any) => [x.position, x.status]), [['BTCUSDT long', 'skipped'], ['ETHUSDT long', 'placed'], ['SOLUSDT short', 'skipped']]);
    assert.match(doc.orders[2].reason, /already in front of the liquidation price by the buffer/);
    assert.deepEqual(await triggers(ETH), [['sell', 6.8, 2711.24, true]]);
    assert.deepEqual([...new Set(protectCalls)].sort(), ['createOrder', 'fetchBalance', 'fetchLeverageTiers', 'fetchMarginAdjustmentHistory', 'fetchOHLCV', 'fetchOpenOrders', 'fetchPositions', 'loadMarkets']);
    const w = await cli(['watch', '--exchange', 'binanceusdm', '--url', server.url, '--once', '--json', '--require-stop', '--stop-buffer-pct', '1']);
    assert.equal(w.code, 1); // one warning stays: BTC's, below
    const tick = JSON.parse(w.stdout);
    assert.deepEqual(tick.positions[1].stop, { triggerPrice: '2711.24000000', inFrontOfLiquidation: true });
    assert.equal(tick.positions[2].stop.inFrontOfLiquidation, true);
    // the cross BTC long has no liquidation price, so nothing for protect to stand in front of: watch still
    // asks it for a stop, and it is the only warning left
    assert.deepEqual(tick.warnings.active.map((x: any) => [x.kind, x.position, x.figure]), [['stop', 'BTCUSDT long', 'none']]);
  });

  it("protect's guard lets through a reduce-only stop only", async () => {
    const guarded = (await openStopPlacing('binanceusdm', credentials, server.url)) as unknown as Record<string, (...a: unknown[]) => unknown>;
    assert.throws(() => guarded['createOrder']!(ETH, 'market', 'buy', 1), ReadOnlyRefusal);
    assert.throws(() => guarded['createOrder']!(ETH, 'market', 'sell', 1, undefined, { stopLossPrice: 2000 }), ReadOnlyRefusal);
    for (const method of ['cancelOrder', 'cancelAllOrders', 'editOrder', 'setLeverage', 'addMargin']) assert.throws(() => guarded[method]!(ETH), ReadOnlyRefusal, method);
  });

  it('a planted secret the venue refuses: one line, exit 2, the secret and key nowhere in it', async () => {
    const secret = 'PLANTED-protect-s3cr3t-2c9d';
    const config = join(folder, 'keys.yaml');
    writeFileSync(config, `apiKey: ${credentials.apiKey}\nsecret: ${secret}\n`);
    const r = await cli([...base(), '--yes', '--config', config]);
    assert.equal(r.code, 2, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^perpguard: --exchange: binanceusdm: AuthenticationError/m);
    assert.ok(!r.stderr.includes(secret) && !r.stderr.includes(credentials.apiKey), r.stderr);
    assert.ok(!protectCalls.includes('createOrder'));
  });

  it('no key or secret in any output of protect or watch', () => {
    const everything = outputs.join('\n');
    assert.ok(everything.length > 1000);
    assert.ok(!everything.includes(credentials.secret), 'the API secret appears in an output');
    assert.ok(!everything.includes(credentials.apiKey), 'the API key appears in an output');
  });
});

describe('perpguard protect: bad input is one line naming the field, exit 2', () => {
  const cases: [string[], string][] = [
    [['--exchange', 'hyperliquid', '--buffer-pct', '1'], '--exchange: must be one of binanceusdm, binancecoinm, bybit, okx'],
    [['--exchange', 'binanceusdm'], "--buffer-pct"],
    [['--exchange', 'binanceusdm', '--buffer-pct', '-1'], '--buffer-pct: must be a percentage of 0 or more'],
    [['--exchange', 'bybit', '--buffer-pct', '1', '--url', 'http://127.0.0.1:1'], '--url: points ccxt'],
  ];
  for (const [args, line] of cases) {
    it(args.join(' '), async () => {
      const r = await runCli(['protect', ...args, '--dry-run']);
      assert.equal(r.code, 2, r.stderr);
      assert.ok(r.stderr.startsWith(`perpguard: ${line}`), r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
    });
  }
});
