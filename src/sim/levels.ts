// Prices at which a margin ratio reaches a level, for the replay's path: margin calls (and the margin
// chaser's top-ups) happen where the ratio crosses the level, not only at a bar's extremes. The same
// equation as the liquidation price (../domain/solver.ts) with every maintenance requirement divided by the
// level: margin balance = MM / level.
import { add, divideByRate, sub, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { solveMarginEquation, type MarginSegment, type SolverLeg } from '../domain/solver.ts';
import { DEFAULT_USER, marketOf, profileFor, snapshotOf, userOf, type EngineState } from '../engine/state.ts';
import { EXCHANGE_RULES } from '../exchanges/profiles.ts';
import { solverLegOf, unrealizedPnl } from '../exchanges/rules.ts';

function scaled(segments: readonly MarginSegment[], level: Rate): MarginSegment[] {
  return segments.map((s) => ({ ...s, rate: divideByRate(s.rate, level, 'ceil'), constant: divideByRate(s.constant, level, 'ceil') }));
}

/** For each scope holding `symbol` (each isolated position, the cross account), the mark where MM / MB = level. */
export function ratioLevelPrices(state: EngineState, symbol: string, level: Rate): Price[] {
  const market = marketOf(state, symbol);
  const user = state.users[DEFAULT_USER];
  if (!market || !user) return [];
  const rules = EXCHANGE_RULES[state.config.exchange];
  const profile = profileFor(state);
  const fees = state.config.fees;
  const snap = snapshotOf(state, userOf(state, DEFAULT_USER), market.settleAsset);
  const out: Price[] = [];
  let pool: Money = snap.crossWallet;
  const group: SolverLeg[] = [];
  for (const leg of snap.legs) {
    const schedule = rules.maintenanceSchedule(leg, fees, {});
    if (leg.marginMode === 'isolated') {
      if (leg.symbol !== symbol) continue;
      const p = solveMarginEquation(leg.isolatedWallet, [solverLegOf(leg, scaled(schedule, level))], leg.markPrice);
      if (p) out.push(p);
      continue;
    }
    if (leg.symbol === symbol) group.push(solverLegOf(leg, scaled(schedule, level)));
    else pool = sub(add(pool, unrealizedPnl(leg, leg.markPrice)), divideByRate(profile.maintenanceMargin(leg, fees).amount, level, 'ceil'));
  }
  if (group.length > 0) {
    const p = solveMarginEquation(pool, group, snap.legs.find((l) => l.symbol === symbol)!.markPrice);
    if (p) out.push(p);
  }
  return out;
}
