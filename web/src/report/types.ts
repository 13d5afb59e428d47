// The report's data: the JSON src/views/report.ts prints, which the CLI exports and the dashboard draws
// (STYLE.md: src/views holds "the JSON shapes that the CLI, the server and the dashboard all print"). Types
// only: erased from the bundle, so the dashboard runs nothing of src/ (test/architecture.test.ts checks both).
export type { DistributionReport, LegChart, LiquidationMark, ModeRow, ModeStatistics, ReportData, SweepCellView, SweepView, WindowReport } from '../../../src/views/report.ts';
