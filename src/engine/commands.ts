// Commands: the operations of the journal form (../shared/vectors/README.md "Operation journal"), parsed
// and validated into typed values. A malformed command becomes a rejection (-1102) naming the field.
import { z } from 'zod';
import { decimalProblem, parseFixed, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import type { MarginMode, PositionMode, PositionSide } from '../exchanges/rules.ts';
import { decimal, decimalSchema } from '../schema/decimal.ts';
import { firstProblem, strictObject } from '../schema/fields.ts';
import { reject, type Rejection } from './codes.ts';
import type { OrderSide, OrderType, TimeInForce } from './state.ts';

export type Command =
  | { op: 'deposit' | 'withdraw'; account: string; asset: string; amount: Money }
  | { op: 'setPositionMode'; account: string; mode: PositionMode }
  | { op: 'setMarginMode'; account: string; symbol: string; mode: MarginMode }
  | { op: 'setLeverage'; account: string; symbol: string; leverage: number }
  | { op: 'mark'; symbol: string; price: Price }
  | {
      op: 'order';
      account: string;
      symbol: string;
      side: OrderSide;
      type: OrderType;
      quantity: Quantity | undefined;
      price: Price | undefined;
      stopPrice: Price | undefined;
      timeInForce: TimeInForce;
      reduceOnly: boolean;
      closePosition: boolean;
      positionSide: PositionSide | undefined;
      clientOrderId: string | undefined;
    }
  | { op: 'cancel'; account: string; symbol: string; clientOrderId: string | undefined; orderId: number | undefined }
  /** A resting limit order's new price and quantity (Binance's PUT /fapi/v1/order): same id, same side. */
  | { op: 'modify'; account: string; symbol: string; clientOrderId: string | undefined; orderId: number | undefined; side: OrderSide; quantity: Quantity; price: Price }
  | { op: 'addMargin' | 'reduceMargin'; account: string; symbol: string; amount: Money; positionSide: PositionSide | undefined }
  | { op: 'funding'; symbol: string; rate: Rate; time?: number };

/** A market order command with every optional field unset (the simulator's and the advisor's orders). */
export function marketOrder(account: string, symbol: string, side: OrderSide, quantity: Quantity): Extract<Command, { op: 'order' }> {
  return {
    op: 'order',
    account,
    symbol,
    side,
    type: 'market',
    quantity,
    price: undefined,
    stopPrice: undefined,
    timeInForce: 'GTC',
    reduceOnly: false,
    closePosition: false,
    positionSide: undefined,
    clientOrderId: undefined,
  };
}

// funding rates are fractions per interval (real ones within +-1 %); 1 (100 %) is far beyond any venue's cap
const fundingRate = decimalSchema('1');
const symbol = z.string({ error: 'must be a symbol such as "BTCUSDT"' }).min(1, 'must not be empty');
const account = z.string().min(1).default('main');
const positionSide = z.enum(['BOTH', 'LONG', 'SHORT'], { error: 'must be BOTH, LONG or SHORT' });

const schema = z.discriminatedUnion(
  'op',
  [
    strictObject({ op: z.literal(['deposit', 'withdraw']), account, asset: z.string().min(1, 'must name an asset such as "USDT"'), amount: decimal }),
    strictObject({ op: z.literal('setPositionMode'), account, mode: z.enum(['one-way', 'hedge'], { error: 'must be "one-way" or "hedge"' }) }),
    strictObject({ op: z.literal('setMarginMode'), account, symbol, mode: z.enum(['isolated', 'cross'], { error: 'must be "isolated" or "cross"' }) }),
    strictObject({ op: z.literal('setLeverage'), account, symbol, leverage: z.number({ error: 'must be a number (whole, or in 0.01 steps on Bybit and OKX)' }).finite('must be a finite number') }),
    strictObject({ op: z.literal('mark'), symbol, price: decimal }),
    strictObject({
      op: z.literal('order'),
      account,
      symbol,
      side: z.enum(['buy', 'sell'], { error: 'must be "buy" or "sell"' }),
      type: z.enum(['market', 'limit', 'stop_market', 'take_profit_market'], { error: 'must be market, limit, stop_market or take_profit_market' }),
      quantity: decimal.optional(),
      price: decimal.optional(),
      stopPrice: decimal.optional(),
      timeInForce: z.enum(['GTC', 'IOC', 'FOK', 'GTX'], { error: 'must be GTC, IOC, FOK or GTX (post-only)' }).optional(),
      postOnly: z.boolean().optional(),
      reduceOnly: z.boolean().optional(),
      closePosition: z.boolean().optional(),
      positionSide: positionSide.optional(),
      clientOrderId: z.string().min(1).max(36, 'must be at most 36 characters').optional(),
    }),
    strictObject({ op: z.literal('cancel'), account, symbol, clientOrderId: z.string().optional(), orderId: z.number().int().optional() }),
    strictObject({
      op: z.literal('modify'),
      account,
      symbol,
      clientOrderId: z.string().optional(),
      orderId: z.number().int().optional(),
      side: z.enum(['buy', 'sell'], { error: 'must be "buy" or "sell"' }),
      quantity: decimal,
      price: decimal,
    }),
    strictObject({ op: z.literal(['addMargin', 'reduceMargin']), account, symbol, amount: decimal, positionSide: positionSide.optional() }),
    strictObject({ op: z.literal('funding'), symbol, rate: fundingRate, time: z.number({ error: 'must be the funding time in ms since 1970' }).int('must be a whole number of ms').nonnegative('must not be negative').optional() }),
  ],
  { error: 'op must be one of deposit, withdraw, setPositionMode, setMarginMode, setLeverage, mark, order, cancel, modify, addMargin, reduceMargin, funding' },
);

const d = <U extends string>(text: string | undefined) => (text === undefined ? undefined : parseFixed<U>(text));

const ORDER_FIELDS: ReadonlySet<string> = new Set(['op', 'account', 'symbol', 'side', 'type', 'quantity', 'price', 'stopPrice', 'timeInForce', 'postOnly', 'reduceOnly', 'closePosition', 'positionSide', 'clientOrderId']);
const ORDER_SIDES: ReadonlySet<unknown> = new Set(['buy', 'sell']);
const ORDER_TYPES: ReadonlySet<unknown> = new Set(['market', 'limit', 'stop_market', 'take_profit_market']);
const TIMES_IN_FORCE: ReadonlySet<unknown> = new Set(['GTC', 'IOC', 'FOK', 'GTX']);
const POSITION_SIDES: ReadonlySet<unknown> = new Set(['BOTH', 'LONG', 'SHORT']);
/** A client order id the schema's 1..36 characters certainly accept: printable ASCII (one unit per character). */
const PLAIN_CLIENT_ID = /^[\x20-\x7e]{1,36}$/;

/**
 * True when `json` is an order the schema certainly accepts, checked field by field without it: the server
 * logs an order per request and the schema's generic parse (a copied object, an issue list) cost more than
 * the rest of the log entry. Anything it is unsure of goes to the schema, which names the problem, so the
 * answer never differs from the schema's (src/engine/commands.test.ts checks it against the schema).
 */
function plainValidOrder(json: unknown): boolean {
  if (typeof json !== 'object' || json === null || Object.getPrototypeOf(json) !== Object.prototype) return false;
  const o = json as Record<string, unknown>;
  if (o['op'] !== 'order') return false;
  for (const key of Object.keys(o)) if (!ORDER_FIELDS.has(key)) return false;
  const { account, symbol, clientOrderId } = o;
  if (typeof account !== 'string' || account === '' || typeof symbol !== 'string' || symbol === '') return false;
  if (!ORDER_SIDES.has(o['side']) || !ORDER_TYPES.has(o['type'])) return false;
  for (const field of ['quantity', 'price', 'stopPrice']) if (o[field] !== undefined && decimalProblem(o[field]) !== undefined) return false;
  for (const field of ['postOnly', 'reduceOnly', 'closePosition']) if (o[field] !== undefined && typeof o[field] !== 'boolean') return false;
  if (o['timeInForce'] !== undefined && !TIMES_IN_FORCE.has(o['timeInForce'])) return false;
  if (o['positionSide'] !== undefined && !POSITION_SIDES.has(o['positionSide'])) return false;
  return clientOrderId === undefined || (typeof clientOrderId === 'string' && PLAIN_CLIENT_ID.test(clientOrderId));
}

/** What is wrong with an operation as the command schema sees it (the field and the reason), if anything. */
export function commandProblem(json: unknown): { field: string; reason: string } | undefined {
  if (plainValidOrder(json)) return undefined;
  const parsed = schema.safeParse(json);
  if (parsed.success) return undefined;
  const { field, reason } = firstProblem(parsed.error);
  return { field: field || 'op', reason };
}

/** Validates one journal operation. */
export function parseCommand(json: unknown): { command: Command } | { rejection: Rejection } {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const { field, reason } = firstProblem(parsed.error);
    return { rejection: reject('MALFORMED', field || 'op', reason) };
  }
  const c = parsed.data;
  switch (c.op) {
    case 'deposit':
    case 'withdraw':
      return { command: { op: c.op, account: c.account, asset: c.asset, amount: parseFixed(c.amount) } };
    case 'mark':
      return { command: { op: 'mark', symbol: c.symbol, price: parseFixed(c.price) } };
    case 'order':
      return {
        command: {
          op: 'order',
          account: c.account,
          symbol: c.symbol,
          side: c.side,
          type: c.type,
          quantity: d<'Quantity'>(c.quantity),
          price: d<'Price'>(c.price),
          stopPrice: d<'Price'>(c.stopPrice),
          timeInForce: c.postOnly ? 'GTX' : (c.timeInForce ?? 'GTC'),
          reduceOnly: c.reduceOnly ?? false,
          closePosition: c.closePosition ?? false,
          positionSide: c.positionSide,
          clientOrderId: c.clientOrderId,
        },
      };
    case 'cancel':
      return { command: { op: 'cancel', account: c.account, symbol: c.symbol, clientOrderId: c.clientOrderId, orderId: c.orderId } };
    case 'modify':
      return {
        command: { op: 'modify', account: c.account, symbol: c.symbol, clientOrderId: c.clientOrderId, orderId: c.orderId, side: c.side, quantity: parseFixed(c.quantity), price: parseFixed(c.price) },
      };
    case 'addMargin':
    case 'reduceMargin':
      return { command: { op: c.op, account: c.account, symbol: c.symbol, amount: parseFixed(c.amount), positionSide: c.positionSide } };
    case 'funding':
      return { command: { op: 'funding', symbol: c.symbol, rate: parseFixed(c.rate), ...(c.time !== undefined ? { time: c.time } : {}) } };
    default:
      return { command: c };
  }
}
