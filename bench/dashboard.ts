// The dashboard's first render (issue 12, "Done when": the portfolio's first render within 1 s): a venue with
// an account of three positions (BTCUSDT cross long, ETHUSDT isolated long, SOLUSDT cross short), and headless
// Chromium signing in LOADS times, each in a fresh browser context (no cache). The figure is the page's own
// timeline: navigation start to the `perpguard:portfolio` mark, set when the first full portfolio is drawn.
// The suite checks the budget on the best of three loads (src/server/http/dashboard.test.ts); this prints the spread.
import { dashboardVenue, signedInPage } from '../src/server/http/dashboard-test-support.ts';
import { chromiumMissing, launchChromium } from '../src/server/http/browser-test-support.ts';
export { FIRST_RENDER_BUDGET_MS } from '../src/io/web-bundle.ts';
import { client } from '../src/server/http/http-test-support.ts';
import { spreadOf, type Spread } from './timing.ts';

const LOADS = 9;

export interface FirstRender {
  readonly loads: number;
  readonly ms: Spread;
}

/** The portfolio's first render, LOADS times; a skip (with the reason) when Chromium is not installed. */
export async function firstRenderBench(): Promise<FirstRender | { skip: string }> {
  if (chromiumMissing) return { skip: chromiumMissing };
  const venue = await dashboardVenue(['10000']);
  const browser = await launchChromium();
  try {
    const trader = venue.accounts[0]!;
    const api = client(venue.server.url, trader.apiKey, trader.secret);
    const ok = async (path: string, params: Record<string, string>) => {
      const answer = await api.signed('POST', path, params);
      if (answer.status !== 200) throw new Error(`${path}: ${JSON.stringify(answer.body)}`);
    };
    await ok('/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' });
    for (const [symbol, side, quantity] of [['BTCUSDT', 'BUY', '0.1'], ['ETHUSDT', 'BUY', '1'], ['SOLUSDT', 'SELL', '10']] as const) {
      await ok('/fapi/v1/order', { symbol, side, type: 'MARKET', quantity });
    }
    const times: number[] = [];
    for (let i = 0; i < LOADS; i++) {
      const page = await signedInPage(browser, venue.server.url, trader);
      await page.waitForSelector('table.positions tbody tr');
      times.push(await page.evaluate(() => performance.getEntriesByName('perpguard:portfolio')[0]!.startTime));
      await page.context().close();
    }
    return { loads: LOADS, ms: spreadOf(times) };
  } finally {
    await browser.close();
    await venue.close();
  }
}
