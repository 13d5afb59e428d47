// The exported reports in a real browser (headless Chromium): `perpguard study --html` draws every leg of every
// window (not only the first), with each mode's levels named in a legend that shows its value, the equity
// curves side by side and the summary rows the terminal prints (`study --json`); `perpguard montecarlo --html`
// shows the statistics the terminal prints (P(liquidation), P(ruin), quantiles, expected shortfall) beside the
// distribution. Both open from a file with no network, and axe-core finds no serious violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../cli/test-support.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from '../server/http/browser-test-support.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

describe('exported HTML reports in headless Chromium', { skip: chromiumMissing, timeout: 120_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-report-'));
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  async function open(file: string): Promise<{ page: Page; errors: string[] }> {
    // offline: a report that reached for the network would fail here
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('main.report');
    return { page, errors };
  }

  async function seriousViolations(page: Page) {
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => ((await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as any[]).map((v) => ({ id: v.id, impact: v.impact })));
    return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  it('study --html: every leg of every window charted with each mode\'s levels, equity per mode, the rows study --json prints', async () => {
    const file = join(folder, 'study.html');
    assert.equal((await runCli(['study', '--html', file])).code, 0);
    const json = JSON.parse((await runCli(['study', '--json'])).stdout);
    const { page, errors } = await open(file);
    const windows = await page.$$eval('section.report-window', (sections) =>
      sections.map((s) => ({
        id: s.getAttribute('data-window'),
        legs: [...s.querySelectorAll('figure[data-leg]')].map((f) => f.getAttribute('data-leg')),
        canvases: s.querySelectorAll('figure[data-leg] canvas').length,
        legend: [...s.querySelectorAll('figure[data-leg] .legend li')].map((li) => li.textContent),
        kept: [...s.querySelectorAll('table.report-rows tbody tr')].map((tr) => [tr.getAttribute('data-mode'), tr.lastElementChild!.textContent]),
        equity: s.querySelectorAll('figure.equity .legend li').length,
      })),
    );
    assert.deepEqual(
      windows.map((w) => [w.id, w.legs]),
      json.map((w: any) => [w.window.id, w.legs.map((l: any) => l.symbol)]),
    );
    for (const [i, w] of windows.entries()) {
      assert.ok(w.canvases >= w.legs.length, `${w.id}: a chart per leg`);
      // every level has its value in the legend (no "--" until hovered)
      assert.ok(w.legend.length > 0 && w.legend.every((text) => /: [0-9,.]+ USDT$/.test(text ?? '')), `${w.id}: ${w.legend.join(' | ')}`);
      assert.deepEqual(
        w.kept,
        Object.entries(json[i].modes).map(([mode, m]: [string, any]) => [mode, `${m.summary.keptPct} %`]),
      );
      assert.equal(w.equity, 3);
    }
    const dominos = json.flatMap((w: any) => Object.values(w.modes).flatMap((m: any) => m.liquidations.filter((l: any) => l.domino))).length;
    assert.equal(await page.$$eval('.report-liquidations li strong', (s) => s.filter((x) => x.textContent === ' (domino)').length), dominos);
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'report-study.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });

  it('montecarlo --html: the statistics montecarlo --json prints, beside the distribution per mode', async () => {
    const file = join(folder, 'mc.html');
    const args = ['montecarlo', '--paths', '120', '--hours', '240', '--workers', '1', '--seed', '7'];
    assert.equal((await runCli([...args, '--html', file])).code, 0);
    const json = JSON.parse((await runCli([...args, '--json'])).stdout);
    const { page, errors } = await open(file);
    const rows = await page.$$eval('table.report-stats tbody tr', (trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent)));
    assert.deepEqual(
      rows,
      json.statistics.map((s: any) => [s.mode, String(s.paths), ...[s.liquidationProbability, s.ruinProbability, ...s.keptQuantiles, s.expectedShortfall5, s.meanKept].map((x: number) => `${(x * 100).toFixed(2)} %`)]),
    );
    assert.ok(await page.$('.report-distribution canvas'), 'the distribution is drawn');
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'report-montecarlo.png'), fullPage: true });
    assert.deepEqual(await seriousViolations(page), []);
    await page.context().close();
  });
});
