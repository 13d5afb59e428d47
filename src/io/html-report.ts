// A self-contained HTML report: uPlot (22 kB gzipped) and its CSS are inlined from node_modules, so the
// file opens anywhere without a network. Charts: each window's price with every mode's entry, stop and
// liquidation lines, and the equity curve of each mode; the Monte Carlo distributions when given.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { toApproxNumber } from '../domain/fixed.ts';
import type { WindowResult } from '../sim/study.ts';
import { modeRow, type ModeRow } from '../views/summary.ts';

const require = createRequire(import.meta.url);

function asset(path: string): string {
  return readFileSync(require.resolve(path), 'utf8');
}

const escape = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

export interface HistogramData {
  readonly title: string;
  readonly unit: string;
  /** Per mode: the sample values (kept equity, say). */
  readonly series: Record<string, number[]>;
}

const COLORS: Record<string, string> = { isolated: '#2b8a3e', cross: '#c92a2a', mixed: '#1c7ed6' };

function rowsTable(rows: ModeRow[]): string {
  const head = ['mode', 'liquidations', 'domino', 'margin calls', 'fees', 'funding', 'final equity', 'min equity', 'max drawdown', 'kept'];
  const body = rows
    .map(
      (r) =>
        `<tr><td style="color:${COLORS[r.mode]}">${r.mode}</td><td>${r.liquidations}</td><td>${r.dominoLiquidations}</td><td>${r.marginCalls}</td><td>${r.fees}</td><td>${r.funding}</td><td>${r.finalEquity}</td><td>${r.minEquity}</td><td>${r.maxDrawdownPct} %</td><td><b>${r.keptPct} %</b></td></tr>`,
    )
    .join('');
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table>`;
}

/** Chart data of one window: the first series' closes plus horizontal lines per mode, and equity per mode. */
function windowCharts(result: WindowResult, index: number) {
  const main = result.window.series[0]!;
  const x = main.time.map((t) => t / 1000);
  const priceSeries: { label: string; color: string; dash?: number[]; values: (number | null)[] }[] = [
    { label: `${main.symbol} close`, color: '#222', values: Array.from(main.closeF) },
    { label: `${main.symbol} low`, color: '#aaa', values: Array.from(main.lowF) },
  ];
  for (const [mode, r] of Object.entries(result.modes)) {
    for (const e of r.entries.filter((e) => e.symbol === main.symbol)) {
      priceSeries.push({ label: `${mode} entry`, color: COLORS[mode]!, dash: [2, 2], values: x.map(() => toApproxNumber(e.price)) });
      if (e.liquidationPrice) priceSeries.push({ label: `${mode} liquidation`, color: COLORS[mode]!, dash: [8, 4], values: x.map(() => toApproxNumber(e.liquidationPrice!)) });
      if (e.stopPrice) priceSeries.push({ label: `${mode} stop`, color: COLORS[mode]!, dash: [1, 6], values: x.map(() => toApproxNumber(e.stopPrice!)) });
    }
  }
  const equity = Object.entries(result.modes).map(([mode, r]) => ({ label: `${mode} equity`, color: COLORS[mode]!, times: r.times.map((t) => t / 1000), values: r.equity }));
  return { id: index, x, priceSeries, equity };
}

export function htmlReport(options: { title: string; subtitle: string; windows: WindowResult[]; histograms?: HistogramData[]; notes?: string[] }): string {
  const charts = options.windows.map(windowCharts);
  const sections = options.windows
    .map((w, i) => {
      const rows = Object.values(w.modes).map(modeRow);
      const skipped = w.window.skipped.length ? `<p class="note">No intraday data for ${w.window.skipped.join(', ')} in this window: those legs are left out.</p>` : '';
      const liqs = Object.values(w.modes)
        .flatMap((m) => m.liquidations.map((l) => `<li><span style="color:${COLORS[m.mode]}">${m.mode}</span>: ${escape(l.symbol)} ${l.marginMode}${l.domino ? ' <b>(domino)</b>' : ''} at mark ${toApproxNumber(l.markPrice).toFixed(2)}, ${new Date(l.time).toISOString().slice(0, 16)} UTC, lost ${toApproxNumber(l.marginLost).toFixed(2)}</li>`))
        .join('');
      return `<section><h2>${escape(w.window.title)} <small>(${escape(w.window.id)})</small></h2>${skipped}${rowsTable(rows)}
        <div class="chart" id="price${i}"></div><div class="chart" id="equity${i}"></div>${liqs ? `<ul>${liqs}</ul>` : '<p>No liquidation in any mode.</p>'}</section>`;
    })
    .join('');
  const histograms = (options.histograms ?? [])
    .map((h, i) => `<section><h2>${escape(h.title)}</h2><div class="chart" id="hist${i}"></div></section>`)
    .join('');
  const data = JSON.stringify({ charts, histograms: options.histograms ?? [], colors: COLORS });
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escape(options.title)}</title>
<style>${asset('uplot/dist/uPlot.min.css')}
body{font-family:system-ui,sans-serif;margin:2rem;max-width:1100px;color:#222}table{border-collapse:collapse;margin:1rem 0}
td,th{border:1px solid #ddd;padding:.3rem .6rem;text-align:right}th{background:#f4f4f4}td:first-child{text-align:left;font-weight:600}
.note{color:#864}.chart{margin:1rem 0}small{color:#888}</style></head><body>
<h1>${escape(options.title)}</h1><p>${escape(options.subtitle)}</p>${(options.notes ?? []).map((n) => `<p class="note">${escape(n)}</p>`).join('')}
${sections}${histograms}
<script>${asset('uplot/dist/uPlot.iife.min.js')}</script>
<script>
const D = ${data};
const W = Math.min(1050, window.innerWidth - 40);
for (const c of D.charts) {
  new uPlot({ title: 'price and each mode\\'s entry, stop and liquidation levels', width: W, height: 300, axes: [{}, { size: 80 }],
    series: [{}, ...c.priceSeries.map(s => ({ label: s.label, stroke: s.color, dash: s.dash, width: 1.5 }))] },
    [c.x, ...c.priceSeries.map(s => s.values)], document.getElementById('price' + c.id));
  const xs = [...new Set(c.equity.flatMap(e => e.times))].sort((a, b) => a - b);
  const cols = c.equity.map(e => { const m = new Map(e.times.map((t, i) => [t, e.values[i]])); let last = null; return xs.map(t => (m.has(t) ? (last = m.get(t)) : last)); });
  new uPlot({ title: 'equity by mode', width: W, height: 240, axes: [{}, { size: 80 }], series: [{}, ...c.equity.map(e => ({ label: e.label, stroke: e.color, width: 2 }))] },
    [xs, ...cols], document.getElementById('equity' + c.id));
}
D.histograms.forEach((h, i) => {
  const all = Object.values(h.series).flat(); if (!all.length) return;
  const lo = Math.min(...all), hi = Math.max(...all), bins = 40, step = (hi - lo) / bins || 1;
  const xs = Array.from({ length: bins }, (_, k) => lo + step * (k + 0.5));
  const cols = Object.values(h.series).map(v => { const counts = new Array(bins).fill(0); for (const x of v) counts[Math.min(bins - 1, Math.floor((x - lo) / step))]++; return counts.map(n => n / v.length); });
  new uPlot({ title: h.title + ' (' + h.unit + ')', width: W, height: 260, scales: { x: { time: false } }, axes: [{}, { size: 60 }],
    series: [{}, ...Object.keys(h.series).map(m => ({ label: m, stroke: D.colors[m] || '#555', width: 2 }))] },
    [xs, ...cols], document.getElementById('hist' + i));
});
</script></body></html>`;
}
