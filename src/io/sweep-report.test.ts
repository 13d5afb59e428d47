// `perpguard sweep --html` in headless Chromium: one heatmap per mode, each cell showing the P(ruin) that
// `sweep --json` prints, the safe region outlined (a thick border exactly where a safe cell meets an unsafe
// one or the edge), the cross cells that break the seed's rule marked, no network, no serious axe violation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { runCli } from '../cli/test-support.ts';
import { ARTIFACTS, chromiumMissing, launchChromium } from '../server/http/browser-test-support.ts';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SMALL = ['sweep', '--spec', 'examples/max-exposure.yaml', '--leverage', '3,20', '--allocation', '0.3,1', '--modes', 'isolated,cross', '--paths', '40', '--hours', '48', '--crashes', '2024-08-05', '--seed', '7', '--max-ruin', '0.05', '--workers', '1'];

describe('sweep --html in headless Chromium', { skip: chromiumMissing, timeout: 120_000 }, () => {
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-sweep-report-'));
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    rmSync(folder, { recursive: true, force: true });
  });

  it('a heatmap per mode: P(ruin) per cell as --json prints it, the safe region outlined, the rule marked', async () => {
    const file = join(folder, 'sweep.html');
    const html = await runCli([...SMALL, '--html', file]);
    assert.equal(html.code, 0, html.stderr);
    const json = JSON.parse((await runCli([...SMALL, '--json'])).stdout) as { cells: { leverage: number; allocation: string; mode: string; ruinProbability: number; safe: boolean; breaksRule: boolean }[] };
    const context = await browser.newContext({ offline: true, viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`file://${file}`);
    await page.waitForSelector('.report-sweep');
    for (const mode of ['isolated', 'cross']) {
      const cells = await page.$$eval(`.sweep-map[data-mode="${mode}"] tbody td`, (tds) =>
        tds.map((td) => ({ text: td.textContent, safe: td.classList.contains('sweep-safe'), rule: td.classList.contains('sweep-rule'), top: getComputedStyle(td).borderTopWidth, left: getComputedStyle(td).borderLeftWidth })),
      );
      const expected = json.cells.filter((c) => c.mode === mode);
      assert.equal(cells.length, 4);
      cells.forEach((cell, i) => {
        const c = expected[i]!;
        assert.equal(cell.text!.replace('✕', ''), `${(c.ruinProbability * 100).toFixed(1)} %`, `${mode} ${c.leverage}x ${c.allocation}`);
        assert.equal(cell.safe, c.safe);
        assert.equal(cell.rule, c.breaksRule);
        // the outline: a safe cell on the top row or under an unsafe one has a thick top border
        const above = i >= 2 ? expected[i - 2] : undefined;
        if (c.safe) assert.equal(cell.top, !above || !above.safe ? '3px' : '1px', `top border of ${mode} ${c.leverage}x ${c.allocation}`);
      });
    }
    assert.ok(json.cells.some((c) => c.safe) && json.cells.some((c) => !c.safe), 'the grid has both sides of the boundary');
    assert.ok(json.cells.some((c) => c.breaksRule));
    assert.deepEqual(errors, []);
    await page.screenshot({ path: join(ARTIFACTS, 'report-sweep.png'), fullPage: true });
    await page.addScriptTag({ content: AXE_SOURCE });
    const violations = await page.evaluate(async () => ((await (window as any).axe.run(document, { resultTypes: ['violations'] })).violations as any[]).map((v) => ({ id: v.id, impact: v.impact })));
    assert.deepEqual(violations.filter((v) => v.impact === 'serious' || v.impact === 'critical'), []);
    await context.close();
  });
});
