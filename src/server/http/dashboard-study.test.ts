// The dashboard's study page (#/study) in headless Chromium against a real venue: the account's own positions
// (a cross BTC long at 20x and an isolated ETH long) replayed through the 5 August 2024 crash, every leg
// charted, each mode's equity curve with the liquidation markers the chart holds, the domino named; an example
// replayed on the smoothed mark with every bar exact, its rows and exact-bar counts those the venue sent; a small
// Monte Carlo whose P(liquidation) per mode is `perpguard montecarlo --json`'s for the same spec, seed and
// paths; a bad value shows the venue's one-line refusal; the page loads under the dashboard's strict CSP (its
// own bundle, /study.js), and axe-core finds no serious violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../../cli/test-support.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from './browser-test-support.ts';
import { dashboardVenue, signedInPage, type Credentials, type DashboardVenue } from './dashboard-test-support.ts';
import { client, type SignedClient } from './http-test-support.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

describe('the dashboard in headless Chromium: the crash study and the Monte Carlo', { skip: chromiumMissing, timeout: 60_000 }, () => {
  let venue: DashboardVenue;
  let browser: Browser;
  let trader: Credentials;
  let api: SignedClient;

  before(async () => {
    venue = await dashboardVenue(['10000']);
    trader = venue.accounts[0]!;
    api = client(venue.server.url, trader.apiKey, trader.secret);
    assert.equal((await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' })).status, 200);
    assert.equal((await api.signed('POST', '/fapi/v1/marginType', { symbol: 'ETHUSDT', marginType: 'ISOLATED' })).status, 200);
    assert.equal((await api.signed('POST', '/fapi/v1/leverage', { symbol: 'ETHUSDT', leverage: '20' })).status, 200);
    for (const [symbol, quantity] of [['BTCUSDT', '0.5'], ['ETHUSDT', '4']] as const) assert.equal((await api.signed('POST', '/fapi/v1/order', { symbol, side: 'BUY', type: 'MARKET', quantity })).status, 200);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await venue?.close();
  });

  const open = (bypassCSP = false): Promise<Page> => signedInPage(browser, venue.server.url, trader, { route: '#/study', bypassCSP });

  async function replay(page: Page, windowId: string): Promise<void> {
    await page.waitForSelector(`form.study-form select[name=window] option[value="${windowId}"]`, { state: 'attached' });
    await page.selectOption('form.study-form select[name=window]', windowId);
    await page.click('form.study-form button[type=submit]');
    await page.waitForSelector(`section.report-window[data-window="${windowId}"] figure.equity .chart-box[data-markers]`, { timeout: 20_000 });
  }

  it('the account through 5 August 2024: every leg charted, each mode\'s equity with its liquidation markers, the domino named; axe-core finds no serious violation', async () => {
    // axe is injected as a script of its own: the page's policy (script-src 'self') is bypassed here only (the
    // Monte Carlo case below loads the study bundle under the policy)
    const page = await open(true);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // what the venue answered the page (its route's equality with the CLI: analysis-routes.test.ts)
    const response = page.waitForResponse((r) => r.url().includes('/perpguard/v1/study?'), { timeout: 20_000 });
    await replay(page, '2024-08-05');
    const expected = (await (await response).json()).window;
    const section = 'section.report-window[data-window="2024-08-05"]';
    assert.deepEqual(await page.$$eval(`${section} figure[data-leg]`, (f) => f.map((x) => x.getAttribute('data-leg'))), ['BTCUSDT', 'ETHUSDT']);
    assert.ok((await page.$$(`${section} figure[data-leg] canvas`)).length >= 2, 'a chart per leg');
    assert.deepEqual(await page.$$eval(`${section} figure.equity .legend li`, (li) => li.map((x) => x.getAttribute('data-curve'))), ['isolated', 'cross', 'mixed']);
    // the markers the equity chart holds: one per liquidation in any mode, and there are some in this crash
    const markers = Number(await page.getAttribute(`${section} figure.equity .chart-box`, 'data-markers'));
    assert.equal(markers, expected.liquidations.length);
    assert.ok(markers > 0, 'the crash liquidates something');
    assert.equal(await page.$$eval(`${section} .report-liquidations li`, (li) => li.length), expected.liquidations.length);
    const dominos = expected.liquidations.filter((l: any) => l.domino).length;
    assert.equal(await page.$$eval(`${section} .report-liquidations li strong`, (s) => s.filter((x) => x.textContent === ' (domino)').length), dominos);
    assert.deepEqual(
      await page.$$eval(`${section} table.report-rows tbody tr`, (trs) => trs.map((tr) => [tr.getAttribute('data-mode'), tr.lastElementChild!.textContent])),
      expected.rows.map((r: any) => [r.mode, `${r.keptPct} %`]),
    );
    assert.match((await page.textContent('[data-spec-legs]')) ?? '', /BTCUSDT long 20x cross, ETHUSDT long 20x isolated/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-study.png'), fullPage: true });
    assert.deepEqual(errors, []);
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => ((await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as any[]).map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
    await page.context().close();
  });

  it('the smoothed mark and the exact engine only: the rows and the bars run exactly are the venue\'s answer to mark=smoothed&markSpan=10&exactOnly=true', async () => {
    const page = await open();
    await page.waitForSelector('form.study-form select[name=spec] option[value=crash-study]', { state: 'attached' });
    await page.selectOption('form.study-form select[name=spec]', 'crash-study');
    await page.selectOption('form.study-form select[name=mark]', 'smoothed');
    await page.fill('form.study-form input[name=markSpan]', '10');
    await page.check('form.study-form input[name=exactOnly]');
    const response = page.waitForResponse((r) => r.url().includes('/perpguard/v1/study?'), { timeout: 20_000 });
    await replay(page, '2021-05-19');
    const answered = await response;
    const sent = new URL(answered.url()).searchParams;
    assert.deepEqual([sent.get('spec'), sent.get('mark'), sent.get('markSpan'), sent.get('exactOnly')], ['crash-study', 'smoothed', '10', 'true']);
    const expected = await answered.json();
    assert.deepEqual(
      await page.$$eval('section.report-window[data-window="2021-05-19"] table.report-rows tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-mode'), tr.lastElementChild!.textContent])),
      expected.window.rows.map((r: any) => [r.mode, `${r.keptPct} %`]),
    );
    assert.ok(expected.exactBars.every((m: any) => m.exactBars === m.bars && m.bars > 0), JSON.stringify(expected.exactBars));
    assert.equal(
      await page.textContent('[data-study-run]'),
      `Mark: smoothed, an EMA of 10 bars (no wicks). Bars run through the exact engine (all of them: exact only): ${expected.exactBars.map((m: any) => `${m.mode} ${m.exactBars} of ${m.bars}`).join(', ')}.`,
    );
    await page.context().close();
  });

  it('Monte Carlo: P(liquidation) per mode equals `perpguard montecarlo --json` for the same spec, seed and paths; a bad value shows the venue\'s refusal', async () => {
    const page = await open();
    await page.waitForSelector('form.montecarlo-form select[name=spec] option[value=crash-study]', { state: 'attached' });
    await page.selectOption('form.montecarlo-form select[name=spec]', 'crash-study');
    await page.fill('form.montecarlo-form input[name=paths]', '0');
    await page.click('form.montecarlo-form button[type=submit]');
    assert.match((await (await page.waitForSelector('p.montecarlo-problem')).textContent()) ?? '', /paths: must be a whole number from 1 to 2000, got 0/);
    for (const [name, value] of [['paths', '60'], ['hours', '120'], ['seed', '11']]) await page.fill(`form.montecarlo-form input[name=${name}]`, value!);
    await page.click('form.montecarlo-form button[type=submit]');
    await page.waitForSelector('.report-distribution table.report-stats tbody tr', { timeout: 20_000 });
    const cli = await runCli(['montecarlo', '--spec', 'examples/crash-study.yaml', '--paths', '60', '--hours', '120', '--seed', '11', '--json']);
    assert.equal(cli.code, 0, cli.stderr);
    const statistics = JSON.parse(cli.stdout).statistics as any[];
    const shown = await page.$$eval('table.report-stats tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-mode'), tr.children[2]!.textContent, tr.children[3]!.textContent]));
    assert.deepEqual(shown, statistics.map((s) => [s.mode, pct(s.liquidationProbability), pct(s.ruinProbability)]));
    assert.ok(await page.$('.report-distribution canvas'), 'the distribution is drawn');
    assert.equal(await page.$('p.montecarlo-problem'), null);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-montecarlo.png'), fullPage: true });
    await page.context().close();
  });
});
