// POST /fapi/v1/batchOrders: `batchOrders` is a JSON array of 1 to 5 orders, each an object of the same
// parameters as POST /fapi/v1/order (Binance "Place Multiple Orders"). ccxt sends it without
// percent-encoding (auth.ts signs the raw bytes); here it is only parsed: each order becomes a parameter
// map that newOrderRequest (order-request.ts) reads like a single order, so a batch refuses exactly what
// a single order refuses, and each refusal is reported in its own slot of the answer, as Binance does.
import { binanceError, type BinanceError } from './errors.ts';
import { read, type ParamMap } from './params.ts';

/** Binance's batch limit ("Max 5 orders"). */
export const MAX_BATCH_ORDERS = 5;

/**
 * A JSON value as the parameter text a form would carry: strings as they are; whole numbers and booleans
 * as their text. A fractional JSON number is refused: it was a float before it reached the venue, and a
 * price or quantity must arrive as the exact decimal string the client meant.
 */
function valueText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  return undefined;
}

/** The orders of a batch as parameter maps, or the error that refuses the whole batch. */
export function batchOrdersRequest(params: ParamMap): { value: ParamMap[] } | { error: BinanceError } {
  return read(params, (r) => {
    const raw = r.requiredString('batchOrders');
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      return r.refuse(binanceError('INVALID_PARAMETER', ['batchOrders'], 'batchOrders: not valid JSON'));
    }
    if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > MAX_BATCH_ORDERS) {
      return r.refuse(binanceError('BATCH_SIZE', [], `batchOrders: must be a JSON array of 1 to ${MAX_BATCH_ORDERS} orders`));
    }
    return parsed.map((order, i) => {
      if (typeof order !== 'object' || order === null || Array.isArray(order)) return r.refuse(binanceError('INVALID_PARAMETER', ['batchOrders'], `batchOrders[${i}]: must be an object of order parameters`));
      const map = new Map<string, string>();
      for (const [name, value] of Object.entries(order as Record<string, unknown>)) {
        const text = valueText(value);
        if (text === undefined) return r.refuse(binanceError('INVALID_PARAMETER', [name], `batchOrders[${i}].${name}: must be a string such as "0.01" (a JSON number with decimals is not exact)`));
        map.set(name, text);
      }
      return map as ParamMap;
    });
  });
}

/** Binance's batch cancel limit ("max length 10" for orderIdList and origClientOrderIdList). */
export const MAX_BATCH_CANCELS = 10;

/**
 * DELETE /fapi/v1/batchOrders: symbol and orderIdList (a JSON array of ids) or origClientOrderIdList (of
 * client ids), at most 10. ccxt sends the names in lower case (orderidlist, as real Binance accepts them),
 * so both spellings are read. Each id becomes one cancel's parameters (symbol with orderId or
 * origClientOrderId), for cancelRequest (command-request.ts) to read like a single cancel.
 */
export function batchCancelRequest(params: ParamMap): { value: ParamMap[] } | { error: BinanceError } {
  return read(params, (r) => {
    const symbol = r.requiredSymbol();
    const listOf = (names: readonly string[]) => names.map((n) => [n, r.string(n)] as const).find(([, v]) => v !== undefined);
    const ids = listOf(['orderIdList', 'orderidlist']);
    const clientIds = listOf(['origClientOrderIdList', 'origclientorderidlist']);
    if (!ids && !clientIds) return r.refuse(binanceError('EITHER_PARAM', ['orderIdList', 'origClientOrderIdList'], 'orderIdList: send orderIdList or origClientOrderIdList'));
    const [name, raw] = (ids ?? clientIds)!;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw!);
    } catch {
      return r.refuse(binanceError('INVALID_PARAMETER', [name], `${name}: not valid JSON`));
    }
    const wanted = ids ? (v: unknown) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 : (v: unknown) => typeof v === 'string';
    if (!Array.isArray(parsed) || parsed.length < 1 || parsed.length > MAX_BATCH_CANCELS || !parsed.every(wanted)) {
      return r.refuse(binanceError('INVALID_PARAMETER', [name], `${name}: must be a JSON array of 1 to ${MAX_BATCH_CANCELS} ${ids ? 'order ids' : 'client order ids'}`));
    }
    return parsed.map((id) => new Map([['symbol', symbol], [ids ? 'orderId' : 'origClientOrderId', String(id)]]) as ParamMap);
  });
}
