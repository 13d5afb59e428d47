// A report as one self-contained HTML file: the dashboard's report page (web/src/report-main.tsx: the same
// components the dashboard draws with) with its script, styles and data inlined, so the file opens anywhere
// without a network. What it shows is src/views/report.ts's: every leg's candles with each mode's levels, the
// equity curves side by side with the liquidations marked, the summary rows, the Monte Carlo distribution.
import type { WindowResult } from '../sim/study.ts';
import { windowReport, type DistributionReport, type ReportData, type SweepView } from '../views/report.ts';
import { webAssets } from './web-bundle.ts';

const escapeHtml = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
/** JSON inside a script element: no "</script>" or "<!--" can close or open anything early. */
const scriptJson = (value: unknown): string => JSON.stringify(value).replace(/</g, '\\u003c');
/** A script or style inlined: its own text may not close the element that holds it. */
const inline = (text: string, tag: 'script' | 'style'): string => text.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);

export async function htmlReport(options: { title: string; subtitle: string; windows: readonly WindowResult[]; distribution?: DistributionReport; sweep?: SweepView; notes?: readonly string[] }): Promise<string> {
  const data: ReportData = {
    title: options.title,
    subtitle: options.subtitle,
    notes: options.notes ?? [],
    windows: options.windows.map(windowReport),
    ...(options.distribution ? { distribution: options.distribution } : {}),
    ...(options.sweep ? { sweep: options.sweep } : {}),
  };
  const assets = await webAssets();
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<style>${inline(assets.reportStyles, 'style')}</style>
</head>
<body>
<div id="app"></div>
<noscript>This report draws its charts with JavaScript.</noscript>
<script type="application/json" id="report-data">${scriptJson(data)}</script>
<script type="module">${inline(assets.reportScript, 'script')}</script>
</body>
</html>
`;
}
