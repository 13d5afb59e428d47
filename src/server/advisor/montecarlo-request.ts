// GET /perpguard/v1/montecarlo: `perpguard montecarlo` on the account's positions or a bundled example, with
// the CLI's parameters and defaults (paths, hours, generator, blockHours, crashProbability, seed, modes),
// capped for a shared venue (./analysis-params.ts). Generated paths exist for BTC, ETH and SOL only.
import type { EngineState } from '../../engine/state.ts';
import { baseOf } from '../../exchanges/markets.ts';
import type { MonteCarloTask } from '../../io/analysis-task.ts';
import type { Spec } from '../../sim/spec.ts';
import { MC_SYMBOLS } from '../../io/returns.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap, type Reader } from '../binance/params.ts';
import { capPathHours, MAX_HOURS, MAX_PATHS, modes, probability, specParam, whole } from './analysis-params.ts';
import { accountSpec } from './study-request.ts';

/** Refuses a spec with a leg the Monte Carlo has no prices for (also the sweep's check). */
export function monteCarloSymbols(r: Reader, spec: Spec): void {
  spec.legs.forEach((leg) => {
    if (!MC_SYMBOLS.some((s) => baseOf(s) === baseOf(leg.symbol))) {
      r.refuse(binanceError('INVALID_PARAMETER', ['spec'], `spec: ${leg.symbol}: the Monte Carlo generates BTC, ETH and SOL prices only (${MC_SYMBOLS.join(', ')} history)`));
    }
  });
}

export function monteCarloRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): MonteCarloTask => {
    const spec = specParam(r, accountSpec(state, account));
    monteCarloSymbols(r, spec);
    const paths = whole(r, 'paths', 1, MAX_PATHS, 200);
    const hours = whole(r, 'hours', 2, MAX_HOURS, 168);
    capPathHours(r, paths, hours);
    const generator = r.oneOf('generator', ['bootstrap', 'gbm'] as const) ?? 'bootstrap';
    const blockHours = whole(r, 'blockHours', 1, MAX_HOURS, 24);
    const crashProbability = probability(r, 'crashProbability', 0.2);
    const seed = whole(r, 'seed', 0, 2 ** 31 - 1, 42);
    return { kind: 'montecarlo', spec, paths, hours, generator, blockHours, crashProbability, seed, modes: modes(r) };
  });
}
