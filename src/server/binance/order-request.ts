// Binance order requests as engine commands: POST /fapi/v1/order (MARKET and LIMIT) and POST
// /fapi/v1/algoOrder (the conditional orders: Binance moved STOP_MARKET and TAKE_PROFIT_MARKET to the Algo
// API in 2025-12, and ccxt sends them only there: ../shared/reference/binance-api-clients.md §1).
// Parameters, mandatory ones and refusals follow Binance's "New Order (TRADE)" and "New Algo Order
// (TRADE)" pages (developers.binance.com/docs/derivatives/usds-margined-futures/trade/rest-api). What the
// engine cannot do (limit stops, trailing stops, price match, GTD) is refused with Binance's code for
// the parameter and a detail saying so, never accepted and ignored.
import { formatFixed, lt, notional, type Price, type Quantity } from '../../domain/fixed.ts';
import type { Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import { binanceError, type ParamNames } from './errors.ts';
import { read, type ParamMap, type Reader } from './params.ts';
import { minNotionalOf, tradedMarket } from './symbols.ts';

export type OrderCommand = Extract<Command, { op: 'order' }>;
export type RespType = 'ACK' | 'RESULT';

/** A translated request: the engine command, the response form asked for, and the field renames for errors. */
export interface OrderRequest {
  readonly command: OrderCommand;
  readonly respType: RespType;
  /** Engine field -> Binance parameter, for fromRejection (errors.ts). */
  readonly names: ParamNames;
}

export const SIDES = ['BUY', 'SELL'] as const;
export const POSITION_SIDES = ['BOTH', 'LONG', 'SHORT'] as const;
export const ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'] as const;
export const TIME_IN_FORCE = ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'] as const;
export const RESP_TYPES = ['ACK', 'RESULT'] as const;
const WORKING_TYPES = ['MARK_PRICE', 'CONTRACT_PRICE'] as const;
const STP_MODES = ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH'] as const;
// the refusals a parameter's reader is given, built once: every order request passed them, refused or not
const INVALID_SIDE = binanceError('INVALID_SIDE');
const INVALID_POSITION_SIDE = binanceError('INVALID_POSITION_SIDE');
const INVALID_RESP_TYPE = binanceError('INVALID_RESP_TYPE');
const INVALID_ORDER_TYPE = binanceError('INVALID_ORDER_TYPE');
const INVALID_TIF = binanceError('INVALID_TIF');
/** What a plain order may not carry, and why, per type (the reason is spelled once, not per request). */
const CONDITIONAL_ONLY = ['stopPrice', 'closePosition', 'activationPrice', 'callbackRate', 'workingType', 'priceProtect'];
const conditionalOnly = (type: string) => `only for conditional orders (POST /fapi/v1/algoOrder), not ${type}`;
const CONDITIONAL_ONLY_WHY: Readonly<Record<string, string>> = { MARKET: conditionalOnly('MARKET'), LIMIT: conditionalOnly('LIMIT') };

/** The parameters the order and algo endpoints share: symbol, side, position side, response type. */
function common(r: Reader, state: EngineState) {
  const symbol = r.requiredSymbol();
  if (!tradedMarket(state, symbol)) r.refuse(binanceError('BAD_SYMBOL', [], `symbol: ${symbol} is not a market of this venue`));
  const side = r.requiredOneOf('side', SIDES, INVALID_SIDE);
  const positionSide = r.oneOf('positionSide', POSITION_SIDES, INVALID_POSITION_SIDE);
  const respType = r.oneOf('newOrderRespType', RESP_TYPES, INVALID_RESP_TYPE) ?? 'ACK';
  // there is no other trader in a paper venue's book to self-trade with: every mode means the same
  r.oneOf('selfTradePreventionMode', STP_MODES);
  const priceMatch = r.string('priceMatch');
  if (priceMatch !== undefined && priceMatch !== 'NONE') r.refuse(binanceError('INVALID_PARAMETER', ['priceMatch'], `priceMatch: the venue has no order book to match ${priceMatch} against; send a price`));
  r.notSent('goodTillDate', 'GTD orders are not supported here (timeInForce GTC, IOC, FOK or GTX)');
  return { symbol, side, positionSide, respType };
}

/** timeInForce without GTD (the engine keeps no expiry time). */
function timeInForceOf(r: Reader) {
  const tif = r.oneOf('timeInForce', TIME_IN_FORCE, INVALID_TIF);
  if (tif === 'GTD') r.refuse(binanceError('INVALID_TIF', [], 'timeInForce: GTD is not supported here (GTC, IOC, FOK or GTX)'));
  return tif;
}

/**
 * reduceOnly: refused in hedge mode (Binance: "cannot be sent in Hedge Mode"; ccxt drops it there), so a
 * hedge-mode order states its leg by positionSide alone.
 */
function reduceOnlyOf(r: Reader, positionSide: string | undefined): boolean {
  if (positionSide === 'LONG' || positionSide === 'SHORT') {
    r.notSent('reduceOnly', 'cannot be sent in hedge mode; LONG/SHORT with the closing side reduces the leg');
    return false;
  }
  return r.boolean('reduceOnly') ?? false;
}

/** MIN_NOTIONAL (-4164): quantity x price at least the symbol's minimum, unless reduce-only. */
export function checkMinNotional(r: Reader, symbol: string, quantity: Quantity, price: Price | undefined, exempt: boolean): void {
  if (exempt || price === undefined) return;
  const min = minNotionalOf(symbol);
  const value = notional(quantity, price, 'halfEven');
  if (lt(value, min)) {
    r.refuse(binanceError('MIN_NOTIONAL', [formatFixed(min)], `quantity: ${formatFixed(quantity)} x ${formatFixed(price)} = ${formatFixed(value)}, below ${symbol}'s minimum notional ${formatFixed(min)}`));
  }
}

/**
 * POST /fapi/v1/order: MARKET (quantity) and LIMIT (timeInForce, quantity, price). Conditional types are
 * refused with -4120, as Binance refuses them here since they moved to the Algo API.
 */
export function newOrderRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): OrderRequest => {
    const { symbol, side, positionSide, respType } = common(r, state);
    const type = r.requiredOneOf('type', ORDER_TYPES, INVALID_ORDER_TYPE);
    if (type !== 'MARKET' && type !== 'LIMIT') r.refuse(binanceError('USE_ALGO_API', [], `type: ${type} orders go to POST /fapi/v1/algoOrder`));
    const why = CONDITIONAL_ONLY_WHY[type]!;
    for (const name of CONDITIONAL_ONLY) r.notSent(name, why);
    const quantity = r.decimal<'Quantity'>('quantity');
    const reduceOnly = reduceOnlyOf(r, positionSide);
    const clientOrderId = r.clientId('newClientOrderId');
    let price: Price | undefined;
    let timeInForce: OrderCommand['timeInForce'] = 'GTC';
    if (type === 'LIMIT') {
      timeInForce = timeInForceOf(r) ?? r.refuse(binanceError('MANDATORY_PARAM', ['timeInForce'], 'timeInForce: a LIMIT order needs GTC, IOC, FOK or GTX'));
      price = r.decimal<'Price'>('price') ?? r.refuse(binanceError('MANDATORY_PARAM', ['price'], 'price: a LIMIT order needs a price'));
    } else {
      r.notSent('price', 'a MARKET order trades at the mark');
      r.notSent('timeInForce', 'a MARKET order has none');
    }
    if (quantity === undefined) return r.refuse(binanceError('MANDATORY_PARAM', ['quantity'], `quantity: a ${type} order needs a quantity`));
    // a market order is valued at the mark, where the engine fills it (no mark yet: the engine refuses it)
    checkMinNotional(r, symbol, quantity, price ?? state.marks[symbol], reduceOnly);
    return {
      command: {
        op: 'order',
        account,
        symbol,
        side: side === 'BUY' ? 'buy' : 'sell',
        type: type === 'LIMIT' ? 'limit' : 'market',
        quantity,
        price,
        stopPrice: undefined,
        timeInForce,
        reduceOnly,
        closePosition: false,
        positionSide,
        clientOrderId,
      },
      respType,
      names: { clientOrderId: 'newClientOrderId' },
    };
  });
}

/**
 * POST /fapi/v1/algoOrder (algoType CONDITIONAL): STOP_MARKET and TAKE_PROFIT_MARKET with triggerPrice
 * and quantity, or closePosition=true without quantity. The engine triggers on the mark: with no traded
 * price apart from the mark in a paper venue, CONTRACT_PRICE and MARK_PRICE are the same price here.
 */
export function algoOrderRequest(params: ParamMap, account: string, state: EngineState) {
  return read(params, (r): OrderRequest => {
    const algoType = r.requiredString('algoType');
    if (algoType !== 'CONDITIONAL') r.refuse(binanceError('INVALID_PARAMETER', ['algoType'], `algoType: only CONDITIONAL, got "${algoType}"`));
    const { symbol, side, positionSide, respType } = common(r, state);
    const type = r.requiredOneOf('type', ORDER_TYPES, INVALID_ORDER_TYPE);
    if (type !== 'STOP_MARKET' && type !== 'TAKE_PROFIT_MARKET') {
      r.refuse(binanceError('INVALID_ORDER_TYPE', [], `type: ${type} is not supported here (STOP_MARKET and TAKE_PROFIT_MARKET; limit and trailing stops are not)`));
    }
    for (const name of ['price', 'activatePrice', 'callbackRate']) r.notSent(name, `not for a ${type} order`);
    r.oneOf('workingType', WORKING_TYPES, binanceError('INVALID_WORKING_TYPE', [String(params.get('workingType'))]));
    r.boolean('priceProtect');
    const timeInForce = timeInForceOf(r) ?? 'GTC';
    const triggerPrice = r.decimal<'Price'>('triggerPrice') ?? r.refuse(binanceError('MANDATORY_PARAM', ['triggerPrice'], `triggerPrice: a ${type} order needs one`));
    const closePosition = r.boolean('closePosition') ?? false;
    const clientOrderId = r.clientId('clientAlgoId');
    let quantity: Quantity | undefined;
    let reduceOnly = false;
    if (closePosition) {
      if (r.has('quantity')) r.refuse(binanceError('QUANTITY_WITH_CLOSE_POSITION', [], 'quantity: closePosition=true closes the whole position; send no quantity'));
      r.notSent('quantity', 'closePosition=true');
      r.notSent('reduceOnly', 'closePosition=true already only reduces');
    } else {
      reduceOnly = reduceOnlyOf(r, positionSide);
      quantity = r.decimal<'Quantity'>('quantity') ?? r.refuse(binanceError('MANDATORY_PARAM', ['quantity'], 'quantity: send it, or closePosition=true'));
      checkMinNotional(r, symbol, quantity, triggerPrice, reduceOnly);
    }
    return {
      command: {
        op: 'order',
        account,
        symbol,
        side: side === 'BUY' ? 'buy' : 'sell',
        type: type === 'STOP_MARKET' ? 'stop_market' : 'take_profit_market',
        quantity,
        price: undefined,
        stopPrice: triggerPrice,
        timeInForce,
        reduceOnly,
        closePosition,
        positionSide,
        clientOrderId,
      },
      respType,
      names: { stopPrice: 'triggerPrice', clientOrderId: 'clientAlgoId' },
    };
  });
}
