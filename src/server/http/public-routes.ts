// Binance's market-data routes the venue serves from the feed's market state: time, ping, exchangeInfo,
// premiumIndex (public; its time and nextFundingTime are the feed's, the clock its mark belongs to), and leverageBracket, commissionRate (signed: USER_DATA on Binance), plus the two
// sapi calls ccxt's loadMarkets makes when it has an API key (reference/binance-api-clients.md §1: a 404
// there fails loadMarkets; [] is enough).
import { exchangeInfoJson, leverageBracketJson, premiumIndexJson, premiumIndexRows, serverTimeJson } from '../binance/market-responses.ts';
import { commissionRateJson } from '../binance/account-responses.ts';
import { read } from '../binance/params.ts';
import { symbolRequest } from '../binance/query-request.ts';
import { answerOf, ok, type Route } from './route.ts';

const noParams = (params: Parameters<typeof read>[0]) => read(params, () => null);

export const PUBLIC_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/fapi/v1/time', security: 'NONE', handle: ({ params, wallMs }) => answerOf(noParams(params), () => ok(serverTimeJson(wallMs))) },
  { method: 'GET', path: '/fapi/v1/ping', security: 'NONE', handle: ({ params }) => answerOf(noParams(params), () => ok({})) },
  { method: 'GET', path: '/fapi/v1/exchangeInfo', security: 'NONE', handle: ({ params, venue, wallMs }) => answerOf(noParams(params), () => ok(exchangeInfoJson(venue.market, wallMs))) },
  {
    method: 'GET',
    path: '/fapi/v1/premiumIndex',
    security: 'NONE',
    handle: ({ params, venue, wallMs }) =>
      answerOf(symbolRequest(params, venue.market), (symbol) =>
        ok(symbol !== undefined ? premiumIndexJson(venue.market, symbol, venue.nowMs(), venue.lastFundingRates[symbol]) : premiumIndexRows(venue.market, venue.nowMs(), venue.lastFundingRates)),
      ),
  },
  { method: 'GET', path: '/fapi/v1/leverageBracket', security: 'SIGNED', handle: ({ params, venue }) => answerOf(symbolRequest(params, venue.market), (symbol) => ok(leverageBracketJson(venue.market, symbol))) },
  { method: 'GET', path: '/fapi/v1/commissionRate', security: 'SIGNED', handle: ({ params, state }) => answerOf(symbolRequest(params, state, true), (symbol) => ok(commissionRateJson(state, symbol!))) },
  { method: 'GET', path: '/sapi/v1/capital/config/getall', security: 'SIGNED', handle: () => ok([]) },
  // ccxt's fetchStatus: Binance's system status, 0 "normal" while the venue answers at all
  { method: 'GET', path: '/sapi/v1/system/status', security: 'NONE', handle: ({ params }) => answerOf(noParams(params), () => ok({ status: 0, msg: 'normal' })) },
  { method: 'GET', path: '/sapi/v1/margin/allPairs', security: 'SIGNED', handle: () => ok([]) },
];
