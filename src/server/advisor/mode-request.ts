// GET /perpguard/v1/adviseMode: `perpguard advise mode` (isolated or cross for one trade of a portfolio) on the
// account's positions or a bundled example: spec, leg (a 0-based index or a symbol; default the last leg), role
// (core, speculative, hedge: overrides the leg's; the venue does not know a position's intent), experience,
// and the Monte Carlo's paths, hours, seed and crashProbability with the CLI's defaults, capped.
import type { EngineState } from '../../engine/state.ts';
import type { ModeTask } from '../../io/analysis-task.ts';
import { EXPERIENCES, type Experience } from '../../advisor/mode.ts';
import type { LegSpec } from '../../sim/spec.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { capPathHours, MAX_HOURS, MAX_PATHS, probability, specParam, whole } from './analysis-params.ts';
import { accountSpec } from './study-request.ts';

export function modeRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): ModeTask => {
    const spec = specParam(r, accountSpec(state, account));
    const leg = r.string('leg');
    let tradeIndex = spec.legs.length - 1;
    if (leg !== undefined && /^\d+$/.test(leg)) {
      tradeIndex = Number(leg);
      if (tradeIndex >= spec.legs.length) r.refuse(binanceError('INVALID_PARAMETER', ['leg'], `leg: the portfolio has ${spec.legs.length} leg(s) (0 to ${spec.legs.length - 1}), got ${leg}`));
    } else if (leg !== undefined) {
      tradeIndex = spec.legs.findIndex((l) => l.symbol === leg);
      if (tradeIndex < 0) r.refuse(binanceError('INVALID_PARAMETER', ['leg'], `leg: no leg of ${leg} in the portfolio (${spec.legs.map((l) => l.symbol).join(', ')})`));
    }
    const role = r.oneOf<LegSpec['role']>('role', ['core', 'speculative', 'hedge']);
    const experience = r.oneOf<Experience>('experience', EXPERIENCES) ?? 'intermediate';
    const paths = whole(r, 'paths', 0, MAX_PATHS, 100);
    const hours = whole(r, 'hours', 2, MAX_HOURS, 168);
    capPathHours(r, paths, hours);
    const seed = whole(r, 'seed', 0, 2 ** 31 - 1, 42);
    const crashProbability = probability(r, 'crashProbability', 0.2);
    const legs = role === undefined ? spec.legs : spec.legs.map((l, i) => (i === tradeIndex ? { ...l, role } : l));
    return { kind: 'mode', spec: { ...spec, legs }, tradeIndex, experience, paths, hours, seed, crashProbability };
  });
}
