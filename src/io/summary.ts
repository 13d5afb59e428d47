// The side-by-side table's rows as strings, for the terminal, JSON and HTML.
import { formatFixedTo } from '../domain/fixed.ts';
import type { ModeResult } from '../sim/replay.ts';
import { summarize, type ModeSummary } from '../sim/study.ts';

export interface ModeRow {
  readonly mode: ModeSummary['mode'];
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

export function modeRow(result: ModeResult): ModeRow {
  const s = summarize(result);
  return {
    mode: s.mode,
    liquidations: s.liquidations,
    dominoLiquidations: s.dominoLiquidations,
    marginLost: s.marginLost.toFixed(2),
    marginCalls: s.marginCalls,
    fees: formatFixedTo(s.fees, 2, 'halfEven'),
    funding: formatFixedTo(s.funding, 2, 'halfEven'),
    finalEquity: formatFixedTo(s.finalEquity, 2, 'floor'),
    minEquity: s.minEquity.toFixed(2),
    maxDrawdownPct: (s.maxDrawdown * 100).toFixed(2),
    keptPct: (s.keptFraction * 100).toFixed(2),
    firstLiquidation: s.firstLiquidation,
  };
}
