// The report's data as src/views/report.ts prints it (the dashboard sees only what perpguard serves or
// exports, so the shape is declared here again). Numbers are floats for drawing; table cells are the
// exact figures as text.
export interface ModeRow {
  readonly mode: string;
  readonly liquidations: number;
  readonly dominoLiquidations: number;
  readonly marginLost: string;
  readonly marginCalls: number;
  readonly fees: string;
  readonly funding: string;
  readonly finalEquity: string;
  readonly minEquity: string;
  readonly maxDrawdownPct: string;
  readonly keptPct: string;
  readonly firstLiquidation: string | null;
}

export interface LegChart {
  readonly symbol: string;
  readonly times: number[];
  readonly open: number[];
  readonly high: number[];
  readonly low: number[];
  readonly close: number[];
  readonly levels: { readonly mode: string; readonly kind: 'entry' | 'liquidation' | 'stop'; readonly price: number }[];
}

export interface LiquidationMark {
  readonly mode: string;
  readonly timeS: number;
  readonly symbol: string;
  readonly marginMode: 'isolated' | 'cross';
  readonly domino: boolean;
  readonly markPrice: number;
  readonly marginLost: number;
}

export interface WindowReport {
  readonly id: string;
  readonly title: string;
  readonly skipped: readonly string[];
  readonly asset: string;
  readonly rows: readonly ModeRow[];
  readonly legs: readonly LegChart[];
  readonly equity: readonly { readonly mode: string; readonly times: number[]; readonly values: number[] }[];
  readonly liquidations: readonly LiquidationMark[];
}

export interface ModeStatistics {
  readonly mode: string;
  readonly paths: number;
  readonly liquidationProbability: number;
  readonly ruinProbability: number;
  readonly keptQuantiles: readonly [number, number, number, number, number];
  readonly expectedShortfall5: number;
  readonly meanKept: number;
}

export interface DistributionReport {
  readonly title: string;
  readonly unit: string;
  readonly bins: number[];
  readonly modes: readonly { readonly mode: string; readonly shares: number[]; readonly stats: ModeStatistics }[];
}

export interface ReportData {
  readonly title: string;
  readonly subtitle: string;
  readonly notes: readonly string[];
  readonly windows: readonly WindowReport[];
  readonly distribution?: DistributionReport;
}
