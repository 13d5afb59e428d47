// GET /perpguard/v1/whatIf: the account as it would be after a change of one position (./../../advisor/
// what-if.ts), evaluated beside the account as it is, so a client sees every liquidation price, margin
// ratio and the blast radius move before it sends anything. Binance's parameter style: symbol; marginType
// ISOLATED/CROSSED; leverage; amount with type 1 (add) or 2 (reduce) as POST /fapi/v1/positionMargin takes
// them; othersMovePct with othersDirection UP/DOWN for the marks of every other symbol.
import { divideBy, gte, neg, parseFixed, type Money, type Rate } from '../../domain/fixed.ts';
import { whatIf, type WhatIfChange } from '../../advisor/what-if.ts';
import { profileFor, type EngineState } from '../../engine/state.ts';
import type { AccountSnapshot } from '../../exchanges/rules.ts';
import { reportJson } from '../../views/calc.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { accountSnapshot, blastRadiusJson } from './account-advice.ts';

const HUNDRED = 100;
const ALL_OF_IT = parseFixed<'Rate'>('100');

export function whatIfRequest(params: ParamMap) {
  return read(params, (r): WhatIfChange => {
    const symbol = r.requiredSymbol();
    const marginType = r.oneOf('marginType', ['ISOLATED', 'CROSSED'] as const);
    const leverage = r.integer('leverage');
    if (leverage !== undefined && (leverage < 1 || leverage > 125)) r.refuse(binanceError('INVALID_LEVERAGE', [], `leverage: 1 to 125, got ${leverage}`));
    const amount = r.decimal<'Money'>('amount');
    const type = r.oneOf('type', ['1', '2'] as const);
    if ((amount === undefined) !== (type === undefined)) r.refuse(binanceError('MANDATORY_PARAM', [amount === undefined ? 'amount' : 'type'], 'amount and type (1 add, 2 reduce) go together'));
    const movePct = r.decimal<'Rate'>('othersMovePct');
    const direction = r.oneOf('othersDirection', ['UP', 'DOWN'] as const);
    if ((movePct === undefined) !== (direction === undefined)) r.refuse(binanceError('MANDATORY_PARAM', [movePct === undefined ? 'othersMovePct' : 'othersDirection'], 'othersMovePct and othersDirection (UP or DOWN) go together'));
    if (movePct !== undefined && direction === 'DOWN' && gte(movePct, ALL_OF_IT)) r.refuse(binanceError('INVALID_PARAMETER', ['othersMovePct'], 'othersMovePct: a fall of 100 % or more leaves no price'));
    const move = movePct === undefined ? undefined : divideBy(movePct, HUNDRED, 'halfEven');
    return {
      symbol,
      ...(marginType ? { marginMode: marginType === 'ISOLATED' ? ('isolated' as const) : ('cross' as const) } : {}),
      ...(leverage !== undefined ? { leverage } : {}),
      ...(amount !== undefined ? { marginDelta: type === '2' ? neg(amount) : (amount as Money) } : {}),
      ...(move !== undefined ? { othersMove: direction === 'DOWN' ? neg(move) : (move as Rate) } : {}),
    };
  });
}

function figures(state: EngineState, snapshot: AccountSnapshot) {
  return { calc: reportJson(profileFor(state).evaluate(snapshot)), blastRadius: blastRadiusJson(snapshot) };
}

/** The account now and after the change, or Binance's -1102 naming the field the change cannot apply to. */
export function whatIfAnswer(state: EngineState, account: string, change: WhatIfChange) {
  const now = accountSnapshot(state, account);
  const result = whatIf(now, change, profileFor(state));
  if (!('account' in result)) return binanceError('INVALID_PARAMETER', [result.field], `${result.field}: ${result.reason}`);
  return { before: figures(state, now), after: figures(state, result.account) };
}
