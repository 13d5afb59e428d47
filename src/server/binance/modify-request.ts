// PUT /fapi/v1/order (Binance "Modify Order"): symbol, side, orderId or origClientOrderId (orderId wins),
// quantity and price, both mandatory; only a resting LIMIT order can be modified. Binance's refusals: an
// order that is not open is -2013, the same price and quantity is -5027 "No need to modify the order.",
// the minimum notional -4164 (unless reduce-only); priceMatch is refused as on a new order (no book to
// match). The engine's modify (src/engine/orders.ts modifyOrder) does the rest of placement's ladder.
import { eq, formatFixed } from '../../domain/fixed.ts';
import type { Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import type { CommandRequest } from './command-request.ts';
import { binanceError } from './errors.ts';
import { read, type ParamMap } from './params.ts';
import { checkMinNotional, SIDES } from './order-request.ts';
import { tradedMarket } from './symbols.ts';

export type ModifyCommand = Extract<Command, { op: 'modify' }>;

export function modifyOrderRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): CommandRequest<ModifyCommand> => {
    const symbol = r.requiredSymbol();
    if (!tradedMarket(state, symbol)) r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
    const side = r.requiredOneOf('side', SIDES, binanceError('INVALID_SIDE'));
    const orderId = r.integer('orderId');
    const clientOrderId = r.clientId('origClientOrderId');
    if (orderId === undefined && clientOrderId === undefined) r.refuse(binanceError('EITHER_PARAM', ['orderId', 'origClientOrderId'], 'orderId: send orderId or origClientOrderId'));
    const quantity = r.decimal<'Quantity'>('quantity') ?? r.refuse(binanceError('MANDATORY_PARAM', ['quantity'], 'quantity: a modify sends the new quantity'));
    const price = r.decimal<'Price'>('price') ?? r.refuse(binanceError('MANDATORY_PARAM', ['price'], 'price: a modify sends the new price'));
    const priceMatch = r.string('priceMatch');
    if (priceMatch !== undefined && priceMatch !== 'NONE') r.refuse(binanceError('INVALID_PARAMETER', ['priceMatch'], `priceMatch: the venue has no order book to match ${priceMatch} against; send a price`));
    const open = (state.users[account]?.orders ?? []).find((o) => o.symbol === symbol && (orderId !== undefined ? o.orderId === orderId : o.clientOrderId === clientOrderId));
    const named = orderId !== undefined ? `orderId: ${orderId}` : `origClientOrderId: ${clientOrderId}`;
    if (!open) return r.refuse(binanceError('NO_SUCH_ORDER', [], `${named} is not an open ${symbol} order of this account`));
    if (open.type !== 'limit') return r.refuse(binanceError('NO_SUCH_ORDER', [], `${named} is a conditional order: only a LIMIT order can be modified`));
    if (eq(open.price!, price) && eq(open.quantity, quantity)) r.refuse(binanceError('NO_NEED_TO_MODIFY', [], `${named} already has price ${formatFixed(price)} and quantity ${formatFixed(quantity)}`));
    checkMinNotional(r, symbol, quantity, price, open.reduceOnly);
    return {
      command: { op: 'modify', account, symbol, orderId: open.orderId, clientOrderId: undefined, side: side === 'BUY' ? 'buy' : 'sell', quantity, price },
      names: { orderId: orderId !== undefined ? 'orderId' : 'origClientOrderId' },
    };
  });
}
