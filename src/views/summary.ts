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

/**
 * One mode's row. `decimals`: of the settlement asset (2 for USDT, 8 for a coin-margined spec, whose
 * equity of 0.07 BTC would otherwise print as 0.07 or 0.00).
 */
export function modeRow(result: ModeResult, decimals = 2): ModeRow {
  const s = summarize(result);
  return {
    mode: s.mode,
    liquidations: s.liquidations,
    dominoLiquidations: s.dominoLiquidations,
    marginLost: s.marginLost.toFixed(decimals),
    marginCalls: s.marginCalls,
    fees: formatFixedTo(s.fees, decimals, 'halfEven'),
    funding: formatFixedTo(s.funding, decimals, 'halfEven'),
    finalEquity: formatFixedTo(s.finalEquity, decimals, 'floor'),
    minEquity: s.minEquity.toFixed(decimals),
    maxDrawdownPct: (s.maxDrawdown * 100).toFixed(2),
    keptPct: (s.keptFraction * 100).toFixed(2),
    firstLiquidation: s.firstLiquidation,
  };
}
