// Binance's order routes: place, query, cancel (one, all, a batch) and the conditional (Algo) orders.
// A command goes through Venue.submit: the answer is shaped from the state right after the apply, sent
// once the command is durable; an engine refusal becomes Binance's error (fromRejection).
import type { Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import type { ApplyResult } from '../../engine/apply.ts';
import { batchCancelRequest, batchOrdersRequest } from '../binance/batch-request.ts';
import { cancelAlgoRequest, cancelAllRequest, cancelRequest, type CommandRequest } from '../binance/command-request.ts';
import { errorBody, fromRejection, type ParamNames } from '../binance/errors.ts';
import { algoOrderRequest, newOrderRequest, type OrderRequest } from '../binance/order-request.ts';
import {
  ALL_CANCELED,
  algoCanceledJson,
  allAlgoOrdersJson,
  allOrdersJson,
  newAlgoOrderResponse,
  newOrderResponse,
  newOrderResponseJson,
  openAlgoOrdersJson,
  openOrderJson,
  openOrdersJson,
  placedOrder,
  queryAlgoOrderJson,
  queryOrderJson,
  userTradesJson,
} from '../binance/order-responses.ts';
import { algoQueryRequest, allAlgoOrdersRequest, allOrdersRequest, orderQueryRequest, symbolRequest, userTradesRequest } from '../binance/query-request.ts';
import type { Venue } from '../venue/venue.ts';
import { answerOf, bodyOrError, ok, type Answer, type BodyAnswer, type Route } from './route.ts';

/** Submits one command; the answer `respond` shapes, or the engine's refusal as Binance's error. */
function run(venue: Venue, account: string, command: Command, names: ParamNames, respond: (state: EngineState, result: ApplyResult, orderIdBefore: number) => unknown): Promise<BodyAnswer> {
  return venue.submit(account, command, respond).then((submitted) => ('rejection' in submitted ? fromRejection(submitted.rejection, names) : bodyOrError(submitted.value)));
}

function placeOrder(venue: Venue, account: string, request: OrderRequest, algo: boolean): Promise<BodyAnswer> {
  const { command, respType, names } = request;
  return run(venue, account, command, names, (state, _result, orderId) => {
    const record = placedOrder(state, account, command.symbol, orderId)!;
    return algo ? newAlgoOrderResponse(record, respType) : newOrderResponse(record, respType);
  });
}

/** POST /fapi/v1/order's answer as JSON text: the same as placeOrder's body serialized, without the object (every placement answers with it). */
function placeOrderJson(venue: Venue, account: string, { command, respType, names }: OrderRequest): Promise<Answer> {
  const json = (state: EngineState, _result: ApplyResult, orderId: number) => newOrderResponseJson(placedOrder(state, account, command.symbol, orderId)!, respType);
  return venue.submit(account, command, json).then((submitted) => ('rejection' in submitted ? fromRejection(submitted.rejection, names) : { json: submitted.value }));
}

/** One cancel, answered with the order as it stands after (CANCELED). */
function cancelOne(venue: Venue, account: string, { command, names }: CommandRequest<Extract<Command, { op: 'cancel' }>>): Promise<BodyAnswer> {
  return run(venue, account, command, names, (after) => queryOrderJson(after, account, command.symbol, command.orderId !== undefined ? { orderId: command.orderId } : { clientOrderId: command.clientOrderId! }));
}

/** Cancels in order (each its own logged command): the first refusal, else ALL_CANCELED. */
async function cancelAll(venue: Venue, account: string, requests: readonly CommandRequest[]): Promise<BodyAnswer> {
  const answers = await Promise.all(requests.map((r) => run(venue, account, r.command, r.names, () => ALL_CANCELED)));
  return answers.find((a) => !('body' in a)) ?? ok(ALL_CANCELED);
}

export const ORDER_ROUTES: readonly Route[] = [
  { method: 'POST', path: '/fapi/v1/order', security: 'SIGNED', handle: ({ venue, params, account, state }) => answerOf(newOrderRequest(params, account, state), (r) => placeOrderJson(venue, account, r)) },
  {
    method: 'GET',
    path: '/fapi/v1/order',
    security: 'SIGNED',
    handle: ({ params, account, state }) => answerOf(orderQueryRequest(params, state), ({ symbol, id }) => bodyOrError(queryOrderJson(state, account, symbol, id))),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/order',
    security: 'SIGNED',
    handle: ({ venue, params, account, state }) => answerOf(cancelRequest(params, account, state), (request) => cancelOne(venue, account, request)),
  },
  {
    method: 'GET',
    path: '/fapi/v1/openOrder',
    security: 'SIGNED',
    handle: ({ params, account, state }) => answerOf(orderQueryRequest(params, state), ({ symbol, id }) => bodyOrError(openOrderJson(state, account, symbol, id))),
  },
  { method: 'GET', path: '/fapi/v1/openOrders', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(symbolRequest(params, state), (symbol) => ok(openOrdersJson(state, account, symbol))) },
  { method: 'GET', path: '/fapi/v1/allOrders', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(allOrdersRequest(params, state), (query) => ok(allOrdersJson(state, account, query))) },
  { method: 'GET', path: '/fapi/v1/userTrades', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(userTradesRequest(params, state), (query) => ok(userTradesJson(state, account, query))) },
  {
    method: 'DELETE',
    path: '/fapi/v1/allOpenOrders',
    security: 'SIGNED',
    handle: ({ venue, params, account, state }) => answerOf(cancelAllRequest(params, account, state, false), (requests) => cancelAll(venue, account, requests)),
  },
  {
    method: 'POST',
    path: '/fapi/v1/batchOrders',
    security: 'SIGNED',
    // each order in its own slot: an order, or the {code, msg} that refused it (Binance "Place Multiple Orders")
    handle: ({ venue, params, account, state }) =>
      answerOf(batchOrdersRequest(params), async (orders) => {
        const slots = await Promise.all(
          orders.map(async (order) => {
            const request = newOrderRequest(order, account, state);
            const answer = 'error' in request ? request.error : await placeOrder(venue, account, request.value, false);
            return 'body' in answer ? answer.body : errorBody(answer);
          }),
        );
        return ok(slots);
      }),
  },
  {
    method: 'DELETE',
    path: '/fapi/v1/batchOrders',
    security: 'SIGNED',
    // each id in its own slot: the canceled order, or the {code, msg} that refused it (Binance "Cancel Multiple Orders")
    handle: ({ venue, params, account }) =>
      answerOf(batchCancelRequest(params), async (cancels) => {
        const slots: unknown[] = [];
        for (const one of cancels) {
          const request = cancelRequest(one, account, venue.state(account)!);
          const answer = 'error' in request ? request.error : await cancelOne(venue, account, request.value);
          slots.push('body' in answer ? answer.body : errorBody(answer));
        }
        return ok(slots);
      }),
  },
  { method: 'POST', path: '/fapi/v1/algoOrder', security: 'SIGNED', handle: ({ venue, params, account, state }) => answerOf(algoOrderRequest(params, account, state), (r) => placeOrder(venue, account, r, true)) },
  { method: 'GET', path: '/fapi/v1/algoOrder', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(algoQueryRequest(params), (id) => bodyOrError(queryAlgoOrderJson(state, account, id))) },
  {
    method: 'DELETE',
    path: '/fapi/v1/algoOrder',
    security: 'SIGNED',
    handle: ({ venue, params, account, state }) =>
      answerOf(cancelAlgoRequest(params, account, state), ({ command, names }) => {
        const order = state.users[account]!.orders.find((o) => o.orderId === command.orderId)!;
        return run(venue, account, command, names, () => algoCanceledJson(order));
      }),
  },
  { method: 'GET', path: '/fapi/v1/openAlgoOrders', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(symbolRequest(params, state), (symbol) => ok(openAlgoOrdersJson(state, account, symbol))) },
  { method: 'GET', path: '/fapi/v1/allAlgoOrders', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(allAlgoOrdersRequest(params, state), (query) => ok(allAlgoOrdersJson(state, account, query))) },
  {
    method: 'DELETE',
    path: '/fapi/v1/algoOpenOrders',
    security: 'SIGNED',
    handle: ({ venue, params, account, state }) => answerOf(cancelAllRequest(params, account, state, true), (requests) => cancelAll(venue, account, requests)),
  },
];
