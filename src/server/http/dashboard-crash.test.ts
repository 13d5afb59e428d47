// The crash study on the dashboard, live: the demo account opens the study's portfolio (./../../cli/
// demo-portfolio.ts: BTC long 40,000 at 20x in cross, ETH long 500 margin at 20x and SOL short 200 margin at
// 10x isolated) at 2024-08-04 12:00 UTC, the feed replays the 2024-08-05 crash at x10,000 (an hour in 0.36 s),
// and the portfolio page, open in headless Chromium, shows the isolated ETH long liquidated while the cross
// BTC long survives the bottom (BTC 49,804 at 13:00 on the 5th; its cross liquidation price ~46,940).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { openDemoPortfolio } from '../../cli/demo-portfolio.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from './browser-test-support.ts';
import { dashboardVenue, signedInPage, type DashboardVenue } from './dashboard-test-support.ts';
import { client } from './http-test-support.ts';

const CRASH_START_MS = Date.UTC(2024, 7, 4, 12);
const PAST_THE_BOTTOM_MS = Date.UTC(2024, 7, 5, 15);

describe('the dashboard in headless Chromium: a replayed crash liquidates the isolated position while the cross one survives', { skip: chromiumMissing, timeout: 120_000 }, () => {
  let venue: DashboardVenue;
  let browser: Browser;
  before(async () => {
    venue = await dashboardVenue(['10000'], { fromMs: CRASH_START_MS, speed: 10_000 });
    venue.venue.start();
    const opened = await openDemoPortfolio(venue.venue, venue.accounts[0]!.accountId);
    assert.deepEqual(opened, ['BTCUSDT long cross 20x', 'ETHUSDT long isolated 20x', 'SOLUSDT short isolated 10x']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await venue?.close();
  });

  it("SOL's chart, live over the account's socket: its isolated liquidation line stays, the line it would have in cross moves with BTC", async () => {
    const trader = venue.accounts[0]!;
    const page = await signedInPage(browser, venue.server.url, trader, { route: '#/chart/SOLUSDT' });
    const polled: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/perpguard/v1/')) polled.push(path);
    });
    await page.waitForSelector('.live-status[data-as-of-ms]', { timeout: 10_000 });
    polled.length = 0;
    const legend = (key: string) => page.textContent(`li[data-line="${key}"]`);
    const samples: { asOfMs: number; isolated: string | null; cross: string | null }[] = [];
    // ~2 s of the replay: about 5 market hours of BTC's fall
    for (let i = 0; i < 20; i++) {
      samples.push({ asOfMs: Number(await page.getAttribute('.live-status', 'data-as-of-ms')), isolated: await legend('liquidation'), cross: await legend('liquidation other') });
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const distinct = (key: 'isolated' | 'cross') => new Set(samples.map((s) => s[key]));
    // an isolated position's margin changes only by its funding (every 8 h): its line moves at most once per funding
    const EIGHT_HOURS_MS = 8 * 3600_000;
    const fundings = Math.floor(samples.at(-1)!.asOfMs / EIGHT_HOURS_MS) - Math.floor(samples[0]!.asOfMs / EIGHT_HOURS_MS);
    assert.ok(distinct('isolated').size <= 1 + fundings, `the isolated line moved between fundings: ${[...distinct('isolated')].join(' | ')}`);
    for (const text of distinct('isolated')) assert.match(text ?? '', /^liquidation \(isolated\): [\d,.]+ USDT$/);
    assert.ok(distinct('cross').size >= 3 + fundings, `the cross line did not follow BTC: ${[...distinct('cross')].join(' | ')}`);
    for (const text of distinct('cross')) assert.match(text ?? '', /^liquidation if cross \(whole wallet\): [\d,.]+ USDT$/);
    // once live, the page only listened: no request of the account's figures
    assert.deepEqual(polled, []);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-chart-live.png') });
    await page.context().close();
  });

  it('ETH isolated is liquidated (listed, its row gone); BTC cross is still open past the bottom', async () => {
    const trader = venue.accounts[0]!;
    const page = await signedInPage(browser, venue.server.url, trader);
    await page.waitForSelector('li[data-liquidated=ETHUSDT]', { timeout: 60_000 });
    await page.waitForSelector('tr[data-symbol=ETHUSDT]', { state: 'detached', timeout: 10_000 });
    const api = client(venue.server.url, trader.apiKey, trader.secret);
    for (;;) {
      const feedMs = (await api.get('/fapi/v1/premiumIndex?symbol=BTCUSDT')).body.time as number;
      if (feedMs >= PAST_THE_BOTTOM_MS) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // the page's figures, pushed live by the venue, are those of a market time past the bottom
    await page.waitForFunction((bottomMs) => Number(document.querySelector('.live-status')?.getAttribute('data-as-of-ms')) >= bottomMs, PAST_THE_BOTTOM_MS, { timeout: 10_000 });
    assert.ok(await page.$('tr[data-symbol=BTCUSDT]'), 'the cross BTC long survived the crash');
    assert.equal(await page.$('li[data-liquidated=BTCUSDT]'), null);
    const positions = (await api.signed('GET', '/perpguard/v1/account')).body.calc.positions.map((p: any) => `${p.symbol} ${p.marginMode}`);
    assert.deepEqual(positions.filter((p: string) => p.startsWith('BTC')), ['BTCUSDT cross']);
    // BTC has fallen further than its isolated liquidation price at entry margin: the domino table says so
    // rather than showing a rise to liquidation
    const btcRow = await page.textContent('table.domino tr:has(th:text("BTCUSDT long"))');
    const isolatedMove = (await api.signed('GET', '/perpguard/v1/domino')).body.positions.find((p: any) => p.symbol === 'BTCUSDT').isolated.movePct;
    if (Number(isolatedMove) > 0) assert.match(btcRow ?? '', /already past/);
    else assert.doesNotMatch(btcRow ?? '', /already past/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-crash.png'), fullPage: true });
    await page.context().close();
  });
});
