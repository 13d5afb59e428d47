// The dashboard's sweep page (#/sweep) in headless Chromium against a real venue, under the dashboard's strict
// CSP (the page comes in the second bundle, /study.js): reached by the nav's "Sweep" link, a bad axis refused in
// the venue's words, then a tiny sweep of the Maximum Exposure example whose heatmap cells (P(ruin), the safe
// outline, the seed's rule marked) and table rows are the route's JSON (which is `perpguard sweep --json`:
// sweep-route.test.ts), axe-core finds no serious or critical violation, and the study page replaces it in place.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { ARTIFACTS, chromiumMissing, launchChromium } from './browser-test-support.ts';
import { dashboardVenue, signedInPage, type DashboardVenue } from './dashboard-test-support.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

interface Cell {
  leverage: number;
  allocation: string;
  mode: string;
  ruinProbability: number;
  liquidationProbability: number;
  legLiquidationProbability: number[];
  firstCrash: string | null;
  safe: boolean;
  breaksRule: boolean;
}

describe('the dashboard in headless Chromium: the sweep page', { skip: chromiumMissing, timeout: 60_000 }, () => {
  let venue: DashboardVenue;
  let browser: Browser;

  before(async () => {
    venue = await dashboardVenue(['10000']);
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await venue?.close();
  });

  it('a tiny sweep: each heatmap cell is the route\'s P(ruin) with its safe outline and rule mark, the rows are its figures; a bad axis is refused in words; no serious axe violation', async () => {
    const page = await signedInPage(browser, venue.server.url, venue.accounts[0]!);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.click('nav a[href="#/sweep"]');
    await page.waitForSelector('main.sweep form.sweep-form select[name=spec] option[value=max-exposure]', { state: 'attached' });
    assert.equal(await page.getAttribute('nav a[href="#/sweep"]', 'aria-current'), 'page');
    await page.selectOption('form.sweep-form select[name=spec]', 'max-exposure');
    await page.fill('form.sweep-form input[name=leverage]', '3,x');
    await page.click('form.sweep-form button[type=submit]');
    assert.match((await (await page.waitForSelector('p.sweep-problem')).textContent()) ?? '', /leverage: "x" is not a number; write a list \(2,5,10\)/);

    for (const [name, value] of [['leverage', '3,20'], ['allocation', '0.3,1'], ['paths', '40'], ['hours', '48'], ['seed', '7'], ['maxRuin', '0.05']] as const) await page.fill(`form.sweep-form input[name=${name}]`, value);
    await page.uncheck('form.sweep-form input[name=modes][value=mixed]');
    await page.selectOption('form.sweep-form select[name=crashes]', '2024-08-05');
    const response = page.waitForResponse((r) => r.url().includes('/perpguard/v1/sweep?'), { timeout: 20_000 });
    await page.click('form.sweep-form button[type=submit]');
    const answer = await response;
    assert.equal(answer.status(), 200);
    const json = (await answer.json()).json as { modes: string[]; cells: Cell[]; legs: string[] };
    assert.deepEqual(json.modes, ['isolated', 'cross']);
    await page.waitForSelector('.report-sweep .sweep-map[data-mode=cross] tbody td', { timeout: 20_000 });
    assert.equal(await page.$('p.sweep-problem'), null);

    for (const mode of json.modes) {
      const shown = await page.$$eval(`.sweep-map[data-mode="${mode}"] tbody td`, (tds) =>
        tds.map((td) => ({ text: td.textContent, safe: td.classList.contains('sweep-safe'), rule: td.classList.contains('sweep-rule'), top: getComputedStyle(td).borderTopWidth, left: getComputedStyle(td).borderLeftWidth })),
      );
      const expected = json.cells.filter((c) => c.mode === mode);
      assert.equal(shown.length, 4);
      shown.forEach((cell, i) => {
        const c = expected[i]!;
        const at = `${mode} ${c.leverage}x ${c.allocation}`;
        assert.equal(cell.text!.replace('✕', ''), pct(c.ruinProbability), at);
        assert.equal(cell.safe, c.safe, at);
        assert.equal(cell.rule, c.breaksRule, at);
        // the outline: a safe cell on the top row or under an unsafe one has a thick top border, and on the
        // left column or right of an unsafe one a thick left border (2 allocations a row)
        const above = i >= 2 ? expected[i - 2] : undefined;
        const left = i % 2 === 1 ? expected[i - 1] : undefined;
        if (c.safe) {
          assert.equal(cell.top, !above || !above.safe ? '3px' : '1px', `top border of ${at}`);
          assert.equal(cell.left, !left || !left.safe ? '3px' : '1px', `left border of ${at}`);
        }
      });
    }
    assert.ok(json.cells.some((c) => c.safe) && json.cells.some((c) => !c.safe), 'the grid has both sides of the boundary');
    assert.ok(json.cells.some((c) => c.breaksRule), 'a cross cell breaks the seed\'s rule');

    // the rows: the CLI table's figures for every cell and mode
    const rows = await page.$$eval('.report-sweep-rows tbody tr', (trs) => trs.map((tr) => [tr.getAttribute('data-cell'), ...[...tr.children].map((td) => td.textContent)]));
    assert.deepEqual(
      rows.map((r) => [r[0], ...r.slice(4, 6), r[6], r.at(-2), r.at(-1)]),
      json.cells.map((c) => [`${c.leverage} ${c.allocation} ${c.mode}`, ...c.legLiquidationProbability.map(pct), pct(c.ruinProbability), c.firstCrash ?? '—', [c.safe ? 'safe' : '', c.breaksRule ? 'breaks rule' : ''].filter(Boolean).join(', ') || '—']),
    );
    assert.match((await page.textContent('[data-sweep-run]')) ?? '', /^maximum exposure .*: wallet 10000; BTCUSDT long \(core\), ETHUSDT short \(hedge\); 2 leverages × 2 allocations × isolated, cross/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-sweep.png'), fullPage: true });
    assert.deepEqual(errors, []);

    // axe through the devtools protocol: the page's CSP (script-src 'self') stays on
    await page.evaluate(AXE_SOURCE);
    const violations = await page.evaluate(async () => ((await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as any[]).map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length })));
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
    // one bundle, two pages: the study replaces the sweep in place, and back
    await page.click('nav a[href="#/study"]');
    await page.waitForSelector('main.study form.study-form');
    assert.equal(await page.$('form.sweep-form'), null);
    await page.click('nav a[href="#/sweep"]');
    await page.waitForSelector('form.sweep-form');
    assert.equal(await page.$('form.study-form'), null);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
});
