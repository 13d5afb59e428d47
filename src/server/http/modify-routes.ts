// Binance's order modification routes: PUT /fapi/v1/order (one) and PUT /fapi/v1/batchOrders (up to 5,
// each slot the modified order or the {code, msg} that refused it, as Binance's "Modify Multiple Orders").
// Each modification is one engine command through Venue.submit, answered with the order as it stands after.
import { batchOrdersRequest } from '../binance/batch-request.ts';
import { errorBody, fromRejection } from '../binance/errors.ts';
import { modifyOrderRequest } from '../binance/modify-request.ts';
import { queryOrderJson } from '../binance/order-responses.ts';
import type { ParamMap } from '../binance/params.ts';
import type { Venue } from '../venue/venue.ts';
import { answerOf, bodyOrError, type BodyAnswer, type Route } from './route.ts';

async function modify(venue: Venue, account: string, params: ParamMap): Promise<BodyAnswer> {
  const request = modifyOrderRequest(params, account, venue.state(account)!);
  if ('error' in request) return request.error;
  const { command, names } = request.value;
  const submitted = await venue.submit(account, command, (after) => queryOrderJson(after, account, command.symbol, { orderId: command.orderId! }));
  return 'rejection' in submitted ? fromRejection(submitted.rejection, names) : bodyOrError(submitted.value);
}

export const MODIFY_ROUTES: readonly Route[] = [
  { method: 'PUT', path: '/fapi/v1/order', security: 'SIGNED', handle: ({ venue, params, account }) => modify(venue, account, params) },
  {
    method: 'PUT',
    path: '/fapi/v1/batchOrders',
    security: 'SIGNED',
    handle: ({ venue, params, account }) =>
      answerOf(batchOrdersRequest(params), async (orders) => {
        // in order, each against the state the previous one left (two slots may name the same order)
        const slots: unknown[] = [];
        for (const order of orders) {
          const answer = await modify(venue, account, order);
          slots.push('body' in answer ? answer.body : errorBody(answer));
        }
        return { body: slots };
      }),
  },
];
