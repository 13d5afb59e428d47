// The advisor page's sizing, leverage and margin-mode forms in headless Chromium against a real venue: each
// shows the numbers `perpguard advise size|leverage|mode --json` prints for the same input (the CLI run
// in-process here), leverage beside an example portfolio (--spec) and the mode of a new trade (--symbol)
// included, a form with a missing field shows the venue's one-line refusal naming it, and axe-core finds no
// serious violation with every answer on the page.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../../cli/test-support.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from './browser-test-support.ts';
import { dashboardVenue, signedInPage, type DashboardVenue } from './dashboard-test-support.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

const cliJson = async (args: string[]) => {
  const result = await runCli([...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
};

describe('the dashboard in headless Chromium: the advisor\'s sizing, leverage and mode forms', { skip: chromiumMissing, timeout: 60_000 }, () => {
  let venue: DashboardVenue;
  let browser: Browser;
  let page: Page;

  before(async () => {
    venue = await dashboardVenue(['10000']);
    browser = await launchChromium();
    // axe is injected as a script of its own at the end: the page's policy is bypassed for it only here
    page = await signedInPage(browser, venue.server.url, venue.accounts[0]!, { route: '#/advisor', bypassCSP: true });
  });
  after(async () => {
    await browser?.close();
    await venue?.close();
  });

  const ROUTES: Record<string, string> = { 'size-form': 'adviseSize', 'leverage-form': 'adviseLeverage', 'mode-form': 'adviseMode' };
  async function submit(form: string, values: Record<string, string>): Promise<void> {
    for (const [name, value] of Object.entries(values)) {
      const selector = `section.${form} [name=${name}]`;
      if ((await page.$eval(selector, (e) => e.tagName)) === 'SELECT') await page.selectOption(selector, value);
      else await page.fill(selector, value);
    }
    // a form answered before still shows that answer: wait for this one (the button is busy until it is drawn)
    const answered = page.waitForResponse((r) => r.url().includes(`/perpguard/v1/${ROUTES[form]}?`), { timeout: 20_000 });
    await page.click(`section.${form} button[type=submit]`);
    await answered;
    await page.waitForSelector(`section.${form} button[type=submit]:not([disabled])`);
    await page.waitForSelector(`section.${form} [role=status], section.${form} [role=alert]`);
  }
  const field = (form: string, name: string) => page.textContent(`section.${form} [data-field="${name}"]`);

  it('sizing: the quantity, leverage, isolated margin and liquidation price of `advise size --json`; a missing stop is refused in one line', async () => {
    await submit('size-form', { symbol: 'BTCUSDT', portfolio: '10000', riskPct: '2', entryPrice: '60000', stopPrice: '', leverage: '10' });
    assert.match((await page.textContent('section.size-form [role=alert]')) ?? '', /stopPrice: the stop-loss price is required/);
    await submit('size-form', { stopPrice: '58800' });
    const cli = await cliJson(['advise', 'size', '--portfolio', '10000', '--risk', '2', '--entry', '60000', '--stop', '58800', '--leverage', '10']);
    for (const name of ['quantity', 'notional', 'minimumLeverage', 'leverage', 'isolatedMargin', 'liquidationPriceTick', 'stopStatus']) assert.equal(await field('size-form', name), String(cli[name]), name);
    assert.equal(await field('size-form', 'loss.total'), cli.loss.total);
  });

  it('leverage: the calibrated leverage and sentence per mode and the odds of `advise leverage --json` (a lone trade)', async () => {
    await submit('leverage-form', { symbol: 'ETHUSDT', side: 'SHORT', horizonHours: '4', margin: '500', wallet: '10000', paths: '40' });
    const cli = await cliJson(['advise', 'leverage', '--symbol', 'ETHUSDT', '--side', 'short', '--horizon', '4', '--margin', '500', '--wallet', '10000', '--paths', '40']);
    const shown = await page.$$eval('section.leverage-form .advice-modes li', (li) => li.map((x) => [x.getAttribute('data-mode'), x.textContent]));
    assert.deepEqual(shown, cli.modes.map((m: any) => [m.mode, `${m.leverage === null ? 'none' : `${m.leverage}x`} ${m.sentence}`]));
    assert.equal(await field('leverage-form', 'move'), `${(Number(cli.move) * 100).toFixed(2)} %`);
    const odds = (await field('leverage-form', 'odds')) ?? '';
    for (const o of cli.odds) assert.ok(odds.includes(`${o.mode} ${o.leverage}x ${o.refused ? 'refused' : o.probability === null ? 'not opened' : `${(o.probability * 100).toFixed(1)} %`}`), `${o.mode} ${o.leverage}x in ${odds}`);
  });

  it('leverage beside an example portfolio: the account line, the leverages and odds of `advise leverage --spec`', async () => {
    await page.waitForSelector('section.leverage-form select[name=spec] option[value=safety-net]', { state: 'attached' });
    await submit('leverage-form', { symbol: 'ETHUSDT', side: 'SHORT', horizonHours: '24', margin: '1000', spec: 'safety-net', wallet: '', paths: '30' });
    const cli = await cliJson(['advise', 'leverage', '--symbol', 'ETHUSDT', '--side', 'short', '--horizon', '24', '--spec', 'examples/safety-net.yaml', '--paths', '30']);
    assert.equal(await field('leverage-form', 'account'), `Beside: ${cli.account}`);
    const shown = await page.$$eval('section.leverage-form .advice-modes li', (li) => li.map((x) => [x.getAttribute('data-mode'), x.textContent]));
    assert.deepEqual(shown, cli.modes.map((m: any) => [m.mode, `${m.leverage === null ? 'none' : `${m.leverage}x`} ${m.sentence}`]));
    const odds = (await field('leverage-form', 'odds')) ?? '';
    for (const o of cli.odds) assert.ok(odds.includes(`${o.mode} ${o.leverage}x ${o.refused ? 'refused' : o.probability === null ? 'not opened' : `${(o.probability * 100).toFixed(1)} %`}`), `${o.mode} ${o.leverage}x in ${odds}`);
  });

  it('mode: the recommendation and the reason that decided it, as `advise mode --json`; axe-core finds no serious violation', async () => {
    await page.waitForSelector('section.mode-form select[name=spec] option[value=crash-study]', { state: 'attached' });
    await submit('mode-form', { spec: 'crash-study', leg: 'ETHUSDT', experience: 'expert', paths: '30', hours: '72' });
    const cli = await cliJson(['advise', 'mode', '--spec', 'examples/crash-study.yaml', '--leg', 'ETHUSDT', '--experience', 'expert', '--paths', '30', '--hours', '72']);
    assert.equal(await field('mode-form', 'recommendation'), cli.recommendation);
    assert.equal(await field('mode-form', 'reason'), cli.reason);
    assert.deepEqual(await page.$$eval('section.mode-form .advice-criteria li', (li) => li.map((x) => x.getAttribute('data-criterion'))), cli.criteria.map((c: any) => c.name));
    // a new trade beside an example's legs (a BTC long and an ETH short): the leg field gives way to the trade's own
    await submit('mode-form', { spec: 'max-exposure', trade: 'new', symbol: 'SOLUSDT', side: 'SHORT', margin: '300', leverage: '5', role: 'hedge' });
    assert.equal(await page.$('section.mode-form [name=leg]'), null);
    const added = await cliJson(['advise', 'mode', '--spec', 'examples/max-exposure.yaml', '--symbol', 'SOLUSDT', '--side', 'short', '--margin', '300', '--leverage', '5', '--role', 'hedge', '--experience', 'expert', '--paths', '30', '--hours', '72']);
    assert.equal(await field('mode-form', 'trade'), 'Trade: SOLUSDT short 5x, margin 300, hedge');
    assert.equal(await field('mode-form', 'recommendation'), added.recommendation);
    assert.equal(await field('mode-form', 'reason'), added.reason);
    assert.equal(await field('mode-form', 'legCorrelations'), `PnL correlation with the other positions: ${added.legCorrelations.map((l: any) => `${l.symbol} ${l.side} ${l.marginMode} ${l.correlation.toFixed(2)}`).join(', ')}`);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-advice.png'), fullPage: true });
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => ((await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as any[]).map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
  });
});
