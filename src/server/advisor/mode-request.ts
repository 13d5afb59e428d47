// GET /perpguard/v1/adviseMode: `perpguard advise mode` (isolated or cross for one trade of a portfolio) on the
// account's positions or a bundled example: spec; the trade, either a leg of it (leg: a 0-based index or a
// symbol; default the last leg) or a new trade added to it (symbol, side LONG/SHORT, margin or notional,
// leverage: the CLI's --symbol, --side, --margin, --notional, --leverage), not both; role (core, speculative,
// hedge: overrides the leg's; the venue does not know a position's intent), experience, and the Monte Carlo's
// paths, hours, seed and crashProbability with the CLI's defaults, capped.
import { formatFixed, isPositive } from '../../domain/fixed.ts';
import type { EngineState } from '../../engine/state.ts';
import type { ModeTask } from '../../io/analysis-task.ts';
import { EXPERIENCES, type Experience } from '../../advisor/mode.ts';
import { withNewTrade } from '../../advisor/mode-trade.ts';
import type { LegSpec, Spec } from '../../sim/spec.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap, type Reader } from '../binance/params.ts';
import { capPathHours, MAX_HOURS, MAX_PATHS, probability, specParam, whole } from './analysis-params.ts';
import { accountSpec } from './study-request.ts';

/** What only a new trade reads: sent with a leg (or alone), each is refused naming itself. */
const NEW_TRADE_FIELDS = ['side', 'margin', 'notional', 'leverage'] as const;

export function modeRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): ModeTask => {
    const portfolio = specParam(r, accountSpec(state, account));
    const role = r.oneOf<LegSpec['role']>('role', ['core', 'speculative', 'hedge']);
    const { spec, tradeIndex } = r.has('symbol') ? newTrade(r, portfolio, role) : legOf(r, portfolio, role);
    const experience = r.oneOf<Experience>('experience', EXPERIENCES) ?? 'intermediate';
    const paths = whole(r, 'paths', 0, MAX_PATHS, 100);
    const hours = whole(r, 'hours', 2, MAX_HOURS, 168);
    capPathHours(r, paths, hours);
    const seed = whole(r, 'seed', 0, 2 ** 31 - 1, 42);
    const crashProbability = probability(r, 'crashProbability', 0.2);
    return { kind: 'mode', spec, tradeIndex, experience, paths, hours, seed, crashProbability };
  });
}

/** A leg of the portfolio, by index or symbol (default the last), with the role given. */
function legOf(r: Reader, spec: Spec, role: LegSpec['role'] | undefined): { spec: Spec; tradeIndex: number } {
  for (const name of NEW_TRADE_FIELDS) r.notSent(name, 'only for a new trade (with symbol)');
  const leg = r.string('leg');
  let tradeIndex = spec.legs.length - 1;
  if (leg !== undefined && /^\d+$/.test(leg)) {
    tradeIndex = Number(leg);
    if (tradeIndex >= spec.legs.length) r.refuse(binanceError('INVALID_PARAMETER', ['leg'], `leg: the portfolio has ${spec.legs.length} leg(s) (0 to ${spec.legs.length - 1}), got ${leg}`));
  } else if (leg !== undefined) {
    tradeIndex = spec.legs.findIndex((l) => l.symbol === leg);
    if (tradeIndex < 0) r.refuse(binanceError('INVALID_PARAMETER', ['leg'], `leg: no leg of ${leg} in the portfolio (${spec.legs.map((l) => l.symbol).join(', ')})`));
  }
  const legs = role === undefined ? spec.legs : spec.legs.map((l, i) => (i === tradeIndex ? { ...l, role } : l));
  return { spec: { ...spec, legs }, tradeIndex };
}

/** The trade about to be opened, added as the portfolio's last leg (`advise mode --symbol`; role default core). */
function newTrade(r: Reader, spec: Spec, role: LegSpec['role'] | undefined): { spec: Spec; tradeIndex: number } {
  r.notSent('leg', 'give either leg (a leg of the portfolio) or symbol (a new trade), not both');
  const symbol = r.requiredSymbol();
  // one-way mode: the CLI finds this later and names --leg; here the field sent is named
  if (spec.legs.some((l) => l.symbol === symbol)) r.refuse(binanceError('INVALID_PARAMETER', ['symbol'], `symbol: the portfolio already holds ${symbol}; one-way mode holds one position per symbol (pick it as a leg)`));
  const side = (r.oneOf('side', ['LONG', 'SHORT'] as const) ?? 'LONG') === 'LONG' ? 'long' : 'short';
  const margin = r.decimal<'Money'>('margin');
  if (margin !== undefined) r.notSent('notional', 'give either margin or notional, not both');
  const notional = margin === undefined ? r.decimal<'Money'>('notional') : undefined;
  if (margin === undefined && notional === undefined) r.refuse(binanceError('MANDATORY_PARAM', ['margin'], 'margin: a new trade needs margin or notional (one of them)'));
  for (const [name, value] of [['margin', margin], ['notional', notional]] as const) {
    if (value !== undefined && !isPositive(value)) r.refuse(binanceError('INVALID_PARAMETER', [name], `${name}: must be above zero`));
  }
  const size = margin !== undefined ? { margin: formatFixed(margin) } : { notional: formatFixed(notional!) };
  const leverage = whole(r, 'leverage', 1, 125, 10);
  const added = withNewTrade(spec, { symbol, side, size, leverage, role: role ?? 'core' });
  if ('problem' in added) return r.refuse(binanceError('INVALID_PARAMETER', ['symbol'], `symbol: ${added.problem}`));
  return { spec: added, tradeIndex: added.legs.length - 1 };
}
