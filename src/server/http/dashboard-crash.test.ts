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
    // one more refresh of the page after the bottom (the page marks each refresh on its performance timeline)
    const refreshes = await page.evaluate(() => performance.getEntriesByName('perpguard:portfolio').length);
    await page.waitForFunction((seen) => performance.getEntriesByName('perpguard:portfolio').length > seen, refreshes, { timeout: 10_000 });
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
