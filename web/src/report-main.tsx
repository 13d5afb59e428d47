// A report exported to one self-contained HTML file (`perpguard study --html`, `simulate --html`,
// `montecarlo --html`): its data sits in the page as JSON (<script type="application/json" id="report-data">)
// and the dashboard's report components (./report/) draw it; no network.
import { render } from 'preact';
import { Report } from './report/report.tsx';
import type { ReportData } from './report/types.ts';
import './styles.css';

const data = JSON.parse(document.getElementById('report-data')!.textContent ?? '{}') as ReportData;
render(<Report data={data} />, document.getElementById('app')!);
