// Binance's account-history routes: GET /fapi/v1/income and /fapi/v1/positionMargin/history, from the
// account's log replayed (../venue/ledger-history.ts), and /fapi/v1/forceOrders, the liquidation orders
// the account's history keeps. Rows oldest first, as Binance returns them.
import { incomeJson, marginMoveJson } from '../binance/income.ts';
import { forceOrdersRequest, INCOME_DEFAULT_WINDOW_MS, incomeRequest, marginHistoryRequest } from '../binance/history-request.ts';
import { keptOrders } from '../../engine/history.ts';
import { orderJson } from '../../views/orders.ts';
import { ledgerHistory } from '../venue/ledger-history.ts';
import { answerOf, ok, type Route } from './route.ts';

const within = (time: number, startTime: number | undefined, endTime: number | undefined) => (startTime === undefined || time >= startTime) && (endTime === undefined || time <= endTime);

export const HISTORY_ROUTES: readonly Route[] = [
  {
    method: 'GET',
    path: '/fapi/v1/income',
    security: 'SIGNED',
    handle: ({ params, venue, account, state }) =>
      answerOf(incomeRequest(params, state), async (q) => {
        // without a time window, Binance's last 7 days (of the venue's clock: the feed time)
        const startTime = q.startTime ?? (q.endTime === undefined ? venue.nowMs() - INCOME_DEFAULT_WINDOW_MS : undefined);
        const { income } = await ledgerHistory(venue, account);
        const rows = income.filter((row) => (q.symbol === undefined || row.symbol === q.symbol) && (q.incomeType === undefined || row.incomeType === q.incomeType) && within(row.time, startTime, q.endTime));
        return ok(rows.slice((q.page - 1) * q.limit, q.page * q.limit).map(incomeJson));
      }),
  },
  {
    method: 'GET',
    path: '/fapi/v1/positionMargin/history',
    security: 'SIGNED',
    handle: ({ params, venue, account, state }) =>
      answerOf(marginHistoryRequest(params, state), async (q) => {
        const { marginMoves } = await ledgerHistory(venue, account);
        const rows = marginMoves.filter((m) => m.symbol === q.symbol && (q.type === undefined || m.type === q.type) && within(m.time, q.startTime, q.endTime));
        return ok(rows.slice(0, q.limit).map(marginMoveJson));
      }),
  },
  {
    method: 'GET',
    path: '/fapi/v1/forceOrders',
    security: 'SIGNED',
    // the venue's liquidations close at the mark through `autoclose-` orders; its ADL draws on modelled
    // counterparties, never on an account, so an account has no ADL order to list
    handle: ({ params, venue, account, state }) =>
      answerOf(forceOrdersRequest(params, state), (q) => {
        // without a startTime, Binance's 7 days before the endTime (or now: the feed time)
        const endTime = q.endTime ?? venue.nowMs();
        const startTime = q.startTime ?? endTime - INCOME_DEFAULT_WINDOW_MS;
        const rows = q.autoCloseType === 'ADL' ? [] : keptOrders(state, account).filter((o) => o.liquidation && (q.symbol === undefined || o.symbol === q.symbol) && within(o.updateTime, startTime, endTime));
        return ok(rows.slice(-q.limit).map((o) => orderJson(o, 'linear')));
      }),
  },
];
