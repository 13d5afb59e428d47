// The JSON of `perpguard advise mode`: the recommendation, its criteria and the numbers behind them
// (crash windows, Monte Carlo, correlations), with undefined as null. Pure.
import { type ModeAdvice } from '../advisor/mode.ts';

export function modeJson(a: ModeAdvice) {
  return {
    trade: a.trade,
    tradeIndex: a.tradeIndex,
    experience: a.experience,
    recommendation: a.recommendation,
    reason: a.reason,
    criteria: a.criteria,
    correlation: a.correlation ?? null,
    legCorrelations: a.legCorrelations.map((l) => ({ ...l, correlation: l.correlation ?? null })),
    windows: a.windows,
    skippedWindows: a.skippedWindows,
    monteCarlo: a.monteCarlo ?? null,
  };
}
