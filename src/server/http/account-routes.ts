// Binance's account and settings routes: positions, account, balances, leverage, margin type, isolated
// margin moves, position mode and the per-symbol settings. Settings changes are engine commands, applied
// and logged through Venue.submit like orders.
import {
  SUCCESS,
  accountV2,
  accountV3,
  balanceRows,
  leverageChanged,
  marginModified,
  positionModeJson,
  positionRiskV2,
  positionRiskV3,
  symbolConfigRows,
} from '../binance/account-responses.ts';
import { leverageRequest, marginTypeRequest, positionMarginRequest, positionModeRequest, type CommandRequest } from '../binance/command-request.ts';
import { fromRejection } from '../binance/errors.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { symbolRequest } from '../binance/query-request.ts';
import type { Venue } from '../venue/venue.ts';
import { answerOf, ok, type Answer, type Route } from './route.ts';

const noParams = (params: ParamMap) => read(params, () => null);

async function change(venue: Venue, account: string, request: CommandRequest, respond: () => unknown): Promise<Answer> {
  const submitted = await venue.submit(account, request.command, respond);
  return 'rejection' in submitted ? fromRejection(submitted.rejection, request.names) : ok(submitted.value);
}

export const ACCOUNT_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/fapi/v2/positionRisk', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(symbolRequest(params, state), (symbol) => ok(positionRiskV2(state, account, symbol))) },
  { method: 'GET', path: '/fapi/v3/positionRisk', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(symbolRequest(params, state), (symbol) => ok(positionRiskV3(state, account, symbol))) },
  { method: 'GET', path: '/fapi/v2/account', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(accountV2(state, account))) },
  { method: 'GET', path: '/fapi/v3/account', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(accountV3(state, account))) },
  { method: 'GET', path: '/fapi/v2/balance', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(balanceRows(state, account))) },
  { method: 'GET', path: '/fapi/v3/balance', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(balanceRows(state, account))) },
  { method: 'GET', path: '/fapi/v1/symbolConfig', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(symbolRequest(params, state), (symbol) => ok(symbolConfigRows(state, account, symbol))) },
  { method: 'GET', path: '/fapi/v1/positionSide/dual', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(noParams(params), () => ok(positionModeJson(state, account))) },
  { method: 'POST', path: '/fapi/v1/positionSide/dual', security: 'SIGNED', handle: ({ venue, params, account }) => answerOf(positionModeRequest(params, account), (r) => change(venue, account, r, () => SUCCESS)) },
  { method: 'POST', path: '/fapi/v1/marginType', security: 'SIGNED', handle: ({ venue, params, account, state }) => answerOf(marginTypeRequest(params, account, state), (r) => change(venue, account, r, () => SUCCESS)) },
  {
    method: 'POST',
    path: '/fapi/v1/leverage',
    security: 'SIGNED',
    handle: ({ venue, params, account, state }) =>
      answerOf(leverageRequest(params, account, state), (r) => change(venue, account, r, () => leverageChanged(state, account, (r.command as { symbol: string }).symbol))),
  },
  {
    method: 'POST',
    path: '/fapi/v1/positionMargin',
    security: 'SIGNED',
    handle: ({ venue, params, account, state }) =>
      answerOf(positionMarginRequest(params, account, state), (r) => {
        const command = r.command as Extract<typeof r.command, { op: 'addMargin' | 'reduceMargin' }>;
        return change(venue, account, r, () => marginModified(command.amount, command.op === 'addMargin' ? 1 : 2));
      }),
  },
];
