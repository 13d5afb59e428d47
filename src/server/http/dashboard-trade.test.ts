// The dashboard's what-if and trading ticket in headless Chromium against a real venue: a cross BTC long is
// switched to isolated in the what-if and its liquidation line moves to the venue's own figure before
// anything is sent; sending the switch is refused in plain words (Binance keeps an open position's margin
// mode, -4048); the ticket places a market order (the position appears on the portfolio), a limit order far
// from the mark (listed, then cancelled), and an order too large for the account (refused: not enough margin);
// the advisor's pre-trade checklist refuses a speculative trade without a stop, at step 5, and passes it with one.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { price } from '../../../web/src/format.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from './browser-test-support.ts';
import { dashboardVenue, signedInPage, type Credentials, type DashboardVenue } from './dashboard-test-support.ts';
import { client, type SignedClient } from './http-test-support.ts';

describe('the dashboard in headless Chromium: what-if and the trading ticket', { skip: chromiumMissing, timeout: 120_000 }, () => {
  let venue: DashboardVenue;
  let browser: Browser;
  let trader: Credentials;
  let api: SignedClient;

  before(async () => {
    venue = await dashboardVenue(['10000']);
    trader = venue.accounts[0]!;
    api = client(venue.server.url, trader.apiKey, trader.secret);
    assert.equal((await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' })).status, 200);
    assert.equal((await api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5' })).status, 200);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await venue?.close();
  });

  const open = (route: string): Promise<Page> => signedInPage(browser, venue.server.url, trader, { route });

  it('what-if: BTC switched to isolated moves its liquidation price to the venue\'s figure before anything is sent; sending it is refused in words', async () => {
    const page = await open('#/whatif');
    await page.waitForSelector('tr[data-row="BTCUSDT liquidation"]');
    await page.check('input[name=mode][value=ISOLATED]');
    const expected = (await api.signed('GET', '/perpguard/v1/whatIf', { symbol: 'BTCUSDT', marginType: 'ISOLATED' })).body;
    const isolatedLp = price(expected.after.calc.positions[0].liquidationPrice);
    await page.waitForFunction((text) => document.querySelector('tr[data-row="BTCUSDT liquidation"] td.after')?.textContent === text, isolatedLp, { timeout: 10_000 });
    assert.match((await page.textContent('tr[data-row="BTCUSDT liquidation"] th')) ?? '', /cross → isolated/);
    // and on BTC's candles: the cross line now, solid, and the isolated line it moves to, dashed
    const legend = (key: string) => page.textContent(`.whatif-chart li[data-line="${key}"]`);
    assert.equal(await legend('liquidation now'), `liquidation now (cross): ${price(expected.before.calc.positions[0].liquidationPrice)} USDT`);
    assert.equal(await legend('liquidation after'), `liquidation after (isolated): ${isolatedLp} USDT`);
    assert.ok((await page.$$('.whatif-chart canvas')).length > 0, 'the chart draws on a canvas');
    // nothing was sent: the account is still in cross
    assert.equal((await api.signed('GET', '/perpguard/v1/account')).body.calc.positions[0].marginMode, 'cross');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-whatif.png'), fullPage: true });
    await page.click('form.whatif-form button[type=submit]');
    const said = await page.waitForSelector('ul.sent li');
    assert.match((await said.textContent()) ?? '', /refused\. The margin mode cannot be changed while a position is open .*\(-4048\)/);
    await page.context().close();
  });

  it('ticket: a market order opens a position the portfolio then shows; a far limit order is listed and cancelled', async () => {
    const page = await open('#/trade');
    await page.selectOption('select[name=symbol]', 'ETHUSDT');
    await page.fill('input[name=quantity]', '1');
    await page.click('form.ticket-form button[type=submit]');
    await page.waitForSelector('p.done[role=status]');
    assert.match((await page.textContent('p.done')) ?? '', /buy 1 ETHUSDT market: done/);
    await page.selectOption('select[name=type]', 'LIMIT');
    await page.fill('input[name=price]', '1000');
    await page.click('form.ticket-form button[type=submit]');
    const row = await page.waitForSelector('table.orders tbody tr');
    assert.match((await row.textContent()) ?? '', /ETHUSDT.*buy limit.*1.*1,000\.00/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-trade.png'), fullPage: true });
    await page.click('table.orders button');
    await page.waitForSelector('table.orders', { state: 'detached' });
    assert.deepEqual((await api.signed('GET', '/fapi/v1/openOrders')).body, []);
    await page.evaluate(() => (location.hash = '#/'));
    await page.waitForSelector('tr[data-symbol=ETHUSDT]');
    await page.context().close();
  });

  it('advisor: the checklist refuses a speculative trade without a stop (step 5), as the venue\'s checklist does', async () => {
    const page = await open('#/advisor');
    await page.selectOption('form.checklist-form select[name=symbol]', 'ETHUSDT');
    await page.fill('form.checklist-form input[name=quantity]', '0.5');
    await page.fill('form.checklist-form input[name=leverage]', '5');
    await page.click('form.checklist-form button[type=submit]');
    const verdict = await page.waitForSelector('#verdict');
    assert.match((await verdict.textContent()) ?? '', /^Refused: .*a trade without a stop-loss is not ready/);
    assert.equal(await page.getAttribute('li[data-step="5"]', 'class'), 'refusal');
    const direct = (await api.signed('GET', '/perpguard/v1/checklist', { symbol: 'ETHUSDT', side: 'BUY', quantity: '0.5', leverage: '5', marginType: 'ISOLATED', strategy: 'speculative' })).body;
    assert.equal(direct.ready, false);
    assert.deepEqual(await page.$$eval('.checklist-result li', (lis) => lis.length), direct.steps.length);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-advisor.png'), fullPage: true });
    await page.context().close();
  });

  it('ticket: an order too large for the account is refused in plain words', async () => {
    const page = await open('#/trade');
    await page.fill('input[name=quantity]', '100');
    await page.click('form.ticket-form button[type=submit]');
    const alert = await page.waitForSelector('p.problem[role=alert]');
    assert.match((await alert.textContent()) ?? '', /Not enough margin for this order.*\(-2019\)/);
    await page.context().close();
  });
});
