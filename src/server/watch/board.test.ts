// `perpguard watch --dashboard`: the trader's account (here perpguard's own paper venue, read through ccxt
// binanceusdm as a real exchange is) on the dashboard's portfolio page in headless Chromium, while the bundled
// 2024-08-04/05 crash replays: the page shows what `perpguard watch --once --json` prints for the same
// reading (each position's liquidation price in its mode and in the other, the venue's own), the warnings
// watch holds active, and a new warning once the next reading raises it; read-only (no trading pages); the
// session's link is the only way in (unsigned and foreign requests refused); no serious axe-core violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { price } from '../../../web/src/format.ts';
import { webAssets } from '../../io/web-bundle.ts';
import { runCli, type CliResult } from '../../cli/test-support.ts';
import { setWatchPause, watchBoardUrls } from '../../cli/watch.ts';
import { crashVenue, QUARTER_HOUR_MS, type CrashVenue } from '../../cli/watch-test-support.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from '../http/browser-test-support.ts';
import { client } from '../http/http-test-support.ts';
import { boardApp } from './board.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const folder = mkdtempSync(join(tmpdir(), 'perpguard-watch-board-'));
const THRESHOLDS = ['--max-margin-ratio', '6', '--require-stop', '--min-distance-hours', '24'];

describe('the board without a browser', () => {
  it('answers 503 before the first reading, and refuses an unsigned request and a foreign key', async () => {
    const app = boardApp(await webAssets(), 'binanceusdm', { apiKey: 'k'.repeat(48), secret: 's'.repeat(64) }, () => undefined, Date.now);
    const server = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const own = await client(server, 'k'.repeat(48), 's'.repeat(64)).signed('GET', '/perpguard/v1/account');
      assert.equal(own.status, 503);
      assert.equal(own.body.code, -1000);
      const unsigned = await fetch(`${server}/perpguard/v1/account`);
      assert.equal(unsigned.status, 401); // no key: -2014, as Binance answers
      assert.equal(((await unsigned.json()) as { code: number }).code, -2014);
      const foreign = await client(server, 'x'.repeat(48), 's'.repeat(64)).signed('GET', '/perpguard/v1/account');
      assert.equal(foreign.status, 401);
      const page = await (await fetch(`${server}/`)).text();
      assert.match(page, /<meta name="perpguard-board" content="watch binanceusdm">/);
    } finally {
      await app.close();
    }
  });
});

describe('perpguard watch --dashboard in headless Chromium, the crash replayed under it', { skip: chromiumMissing, timeout: 120_000 }, () => {
  let v: CrashVenue;
  let browser: Browser;
  // the watch's pending pause: released at the end so that a failed assertion mid-watch does not leave the
  // watch (and its board's listener) waiting, and the test process with it
  let releaseWatch: (() => void) | undefined;
  before(async () => {
    v = await crashVenue(folder);
    process.env['PERPGUARD_API_KEY'] = v.credentials.apiKey;
    process.env['PERPGUARD_API_SECRET'] = v.credentials.secret;
    browser = await launchChromium();
  });
  after(async () => {
    setWatchPause(async () => undefined);
    releaseWatch?.();
    await browser?.close();
    await v?.server.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it("shows watch's reading: both modes, the venue's price, the active warnings; the next reading's warning appears; read-only", async () => {
    // 14:30 on 2024-08-04: ETH 2,851.8, the isolated long's margin ratio 6.3 % (watch.test.ts's crash test)
    v.step(10 * QUARTER_HOUR_MS);
    const once = await runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--once', '--json', ...THRESHOLDS]);
    assert.equal(once.code, 1, once.stderr); // a warning is active
    const expected = JSON.parse(once.stdout);
    const eth = expected.positions.find((p: any) => p.symbol === 'ETHUSDT');
    assert.equal(eth.marginMode, 'isolated');

    // the watch with its dashboard: each pause waits for the test, which moves the venue's clock first
    let release: (() => void) | undefined;
    let paused!: Promise<void>;
    let pausedNow!: () => void;
    const nextPause = () => (paused = new Promise<void>((resolve) => (pausedNow = resolve)));
    nextPause();
    setWatchPause(() => new Promise<void>((resolve) => ((release = releaseWatch = resolve), pausedNow())));
    const running: Promise<CliResult> = runCli(['watch', '--exchange', 'binanceusdm', '--url', v.server.url, '--dashboard', '--ticks', '3', '--interval-ms', '100', ...THRESHOLDS]);
    await Promise.race([paused, running.then((r) => assert.fail(`watch ended: ${r.code} ${r.stderr}`))]); // the first reading is on the board
    const url = watchBoardUrls.at(-1)!;
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/#key=[0-9a-f]{48}&secret=[0-9a-f]{64}$/);

    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, bypassCSP: true });
    const page = await context.newPage();
    await page.goto(url);
    await page.waitForSelector('table.watch-positions tbody tr');
    const row = (symbol: string, cell: string) => page.textContent(`table.watch-positions tr[data-symbol="${symbol}"] td.${cell}`);
    assert.match((await row('ETHUSDT', 'own-mode'))!, new RegExp(`^${price(eth.liquidationPrice).replace(/[.,]/g, '\\$&')} `));
    assert.equal(await row('ETHUSDT', 'other-mode'), `${price(eth.modes.cross.liquidationPrice)} cross`);
    assert.match((await row('ETHUSDT', 'venue-price'))!, new RegExp(`^${price(eth.venue.liquidationPrice).replace(/[.,]/g, '\\$&')}`));
    const btc = expected.positions.find((p: any) => p.symbol === 'BTCUSDT');
    assert.equal(await row('BTCUSDT', 'other-mode'), `${price(btc.modes.isolated.liquidationPrice)} isolated`);
    assert.equal(await page.textContent('table.positions tr[data-symbol="ETHUSDT"] .liquidation-price'), price(eth.liquidationPrice));
    const active = await page.$$eval('ul.warnings li', (lis) => lis.map((li) => li.getAttribute('data-kind')));
    assert.deepEqual(active, expected.warnings.active.map((w: any) => w.kind));
    assert.ok(active.includes('marginRatio'), JSON.stringify(active));
    // the stop at 2,840 closes half the ETH long: not protection enough
    assert.match((await page.textContent('ul.warnings li[data-kind="stop"]'))!, /ETHUSDT long: its stops in front of the liquidation price close 50\.00 % of it/);
    assert.ok(!active.includes('distanceHours'), JSON.stringify(active));
    // read-only: no trading, what-if, advisor or study page, no chart link
    assert.equal(await page.$('nav[aria-label=pages]'), null);
    assert.equal(await page.$('table.positions a'), null);
    assert.match((await page.textContent('header'))!, /watching binanceusdm, read-only/);
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => ((await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as any[]).map((x) => ({ id: x.id, impact: x.impact })));
    assert.deepEqual(violations.filter((x) => x.impact === 'serious' || x.impact === 'critical'), []);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-watch.png'), fullPage: true });

    // 15:30: a 99 % move now reaches the ETH long's liquidation price within 24 h: the next reading raises it
    v.step(4 * QUARTER_HOUR_MS);
    nextPause();
    release!();
    await Promise.race([paused, running.then((r) => assert.fail(`watch ended: ${r.code} ${r.stderr}`))]);
    await page.waitForSelector('ul.warnings li[data-kind="distanceHours"]', { timeout: 10_000 });
    assert.match((await page.textContent('ul.warnings li[data-kind="distanceHours"]'))!, /ETHUSDT long: a 99 % move reaches its liquidation price within/);
    await context.close();
    release!(); // the third reading, the last
    const r = await running;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stderr.includes(url), 'the link is printed');
    assert.ok(![r.stdout, r.stderr].join('\n').includes(v.credentials.secret), "the exchange's secret appears in an output");
    // the board is closed with watch
    await assert.rejects(fetch(url.split('#')[0]!));
  });
});
