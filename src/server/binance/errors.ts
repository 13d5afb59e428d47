// The Binance USDⓈ-M errors the paper-trading venue returns: {code, msg} bodies with Binance's HTTP
// statuses, so that an unmodified client (ccxt binanceusdm, the `binance` package, Binance's own
// connector) maps them to the exceptions it maps the real ones to.
//
// Sources of the texts (the body's `msg` is always Binance's own text, never ours, because ccxt matches
// some errors on the message: -4046 "No need to change margin type." is swallowed by setMarginMode):
//  [E] https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code (2026-01 copy):
//      every code below unless marked otherwise.
//  [R] ../shared/reference/binance-api-clients.md §2-§3 (measured against ccxt 4.5.84): -1022's text and
//      HTTP 400, -2014/-2015 with HTTP 401, -1003 with HTTP 429, -1000 400 / -1001 503.
//  [D] https://developers.binance.com/docs/derivatives/usds-margined-futures/general-info: 4XX for the
//      sender's errors, 429 for a broken rate limit, 5XX for the venue's own.
// What perpguard adds (which field, why) travels beside the body as `detail`: the server logs it and may
// send it as a header, but never inside `msg`, where it would break a client's exact-message match.
import { REJECTIONS, type Rejection, type RejectionKey } from '../../engine/codes.ts';

export interface BinanceError {
  readonly code: number;
  /** Binance's message text, with its %s filled in where Binance fills them (parameter names, limits). */
  readonly msg: string;
  /** The HTTP status Binance answers this error with. */
  readonly status: number;
  /** perpguard's one line naming the field and the reason (for logs and a detail header, never `msg`). */
  readonly detail?: string;
  /** 429 only: the Retry-After header, whole seconds. */
  readonly retryAfterSeconds?: number;
}

/** The catalogue: one entry per (code, message) the venue can answer; codes are Binance's. */
export const BINANCE_ERRORS = {
  // [E]'s text, its typo included; HTTP 500 because it is the venue's own fault ([D] 5XX), never the client's
  UNKNOWN: { code: -1000, msg: 'An unknown error occured while processing the request.', status: 500 },
  TOO_MANY_REQUESTS: { code: -1003, msg: 'Too many requests; current limit is %s requests per minute. Please use the websocket for live updates to avoid polling the API.', status: 429 },
  // [E] -1008's text; 503 ([D] 5XX: the venue's own limit): the dashboard's analysis queue is full
  SERVER_BUSY: { code: -1008, msg: 'Server is currently overloaded with other requests. Please try again in a few minutes.', status: 503 },
  INVALID_TIMESTAMP_WINDOW: { code: -1021, msg: 'Timestamp for this request is outside of the recvWindow.', status: 400 },
  INVALID_TIMESTAMP_AHEAD: { code: -1021, msg: "Timestamp for this request was 1000ms ahead of the server's time.", status: 400 },
  INVALID_SIGNATURE: { code: -1022, msg: 'Signature for this request is not valid.', status: 400 },
  START_AFTER_END: { code: -1023, msg: 'Start time is greater than end time.', status: 400 },
  ILLEGAL_CHARS: { code: -1100, msg: "Illegal characters found in parameter '%s'; legal range is '%s'.", status: 400 },
  DUPLICATE_PARAMETER: { code: -1101, msg: 'Duplicate values for a parameter detected.', status: 400 },
  MANDATORY_PARAM: { code: -1102, msg: "Mandatory parameter '%s' was not sent, was empty/null, or malformed.", status: 400 },
  EITHER_PARAM: { code: -1102, msg: "Param '%s' or '%s' must be sent, but both were empty/null!", status: 400 },
  UNREAD_PARAMETERS: { code: -1104, msg: "Not all sent parameters were read; read '%s' parameter(s) but was sent '%s'.", status: 400 },
  PARAM_NOT_REQUIRED: { code: -1106, msg: "Parameter '%s' sent when not required.", status: 400 },
  BAD_PRECISION: { code: -1111, msg: 'Precision is over the maximum defined for this asset.', status: 400 },
  INVALID_TIF: { code: -1115, msg: 'Invalid timeInForce.', status: 400 },
  INVALID_ORDER_TYPE: { code: -1116, msg: 'Invalid orderType.', status: 400 },
  INVALID_SIDE: { code: -1117, msg: 'Invalid side.', status: 400 },
  BAD_INTERVAL: { code: -1120, msg: 'Invalid interval.', status: 400 },
  BAD_SYMBOL: { code: -1121, msg: 'Invalid symbol.', status: 400 },
  INVALID_PARAMETER: { code: -1130, msg: "Data sent for parameter '%s' is not valid.", status: 400 },
  INVALID_RESP_TYPE: { code: -1136, msg: 'Invalid newOrderRespType.', status: 400 },
  // [E] describes -2011 as 'Cancel request failure as open order not found in the orderbook: "Unknown
  // order sent"'; the body Binance sends is "Unknown order sent." (src/engine/codes.ts, reference part 2 §8.1)
  CANCEL_REJECTED: { code: -2011, msg: 'Unknown order sent.', status: 400 },
  NO_SUCH_ORDER: { code: -2013, msg: 'Order does not exist.', status: 400 },
  BAD_API_KEY_FORMAT: { code: -2014, msg: 'API-key format invalid.', status: 401 },
  REJECTED_API_KEY: { code: -2015, msg: 'Invalid API-key, IP, or permissions for action.', status: 401 },
  MARGIN_INSUFFICIENT: { code: -2019, msg: 'Margin is insufficient.', status: 400 },
  WOULD_TRIGGER_IMMEDIATELY: { code: -2021, msg: 'Order would immediately trigger.', status: 400 },
  REDUCE_ONLY_REJECTED: { code: -2022, msg: 'ReduceOnly Order is rejected.', status: 400 },
  MAX_LEVERAGE_RATIO: { code: -2027, msg: 'Exceeded the maximum allowable position at current leverage.', status: 400 },
  MIN_LEVERAGE_RATIO: { code: -2028, msg: 'Leverage is smaller than permitted: insufficient margin balance.', status: 400 },
  // [E] lists "Quantity less than zero."; the engine's catalogue (src/engine/codes.ts) keeps the text
  // Binance answers for a zero quantity, which is what a client sends by mistake
  QUANTITY_NOT_POSITIVE: { code: -4003, msg: 'Quantity less than or equal to zero.', status: 400 },
  PRICE_TICK: { code: -4014, msg: 'Price not increased by tick size.', status: 400 },
  CLIENT_ORDER_ID_INVALID: { code: -4015, msg: 'Client order id is not valid.', status: 400 },
  INVALID_LEVERAGE: { code: -4028, msg: 'Invalid leverage', status: 400 },
  INVALID_WORKING_TYPE: { code: -4031, msg: 'Invalid parameter working type: %s', status: 400 },
  NO_NEED_TO_CHANGE_MARGIN_TYPE: { code: -4046, msg: 'No need to change margin type.', status: 400 },
  MARGIN_TYPE_OPEN_ORDERS: { code: -4047, msg: 'Margin type cannot be changed if there exists open orders.', status: 400 },
  MARGIN_TYPE_POSITION: { code: -4048, msg: 'Margin type cannot be changed if there exists position.', status: 400 },
  ADD_MARGIN_ISOLATED_ONLY: { code: -4049, msg: 'Add margin only support for isolated position.', status: 400 },
  CROSS_BALANCE_INSUFFICIENT: { code: -4050, msg: 'Cross balance insufficient.', status: 400 },
  ISOLATED_BALANCE_INSUFFICIENT: { code: -4051, msg: 'Isolated balance insufficient.', status: 400 },
  NO_POSITION_FOR_MARGIN: { code: -4054, msg: 'Cannot add position margin: position is 0.', status: 400 },
  AMOUNT_NOT_POSITIVE: { code: -4055, msg: 'Amount must be positive.', status: 400 },
  NO_NEED_TO_CHANGE_POSITION_SIDE: { code: -4059, msg: 'No need to change position side.', status: 400 },
  INVALID_POSITION_SIDE: { code: -4060, msg: 'Invalid position side.', status: 400 },
  POSITION_SIDE_MISMATCH: { code: -4061, msg: "Order's position side does not match user's setting.", status: 400 },
  POSITION_MODE_OPEN_ORDERS: { code: -4067, msg: 'Position side cannot be changed if there exists open orders.', status: 400 },
  POSITION_MODE_POSITION: { code: -4068, msg: 'Position side cannot be changed if there exists position.', status: 400 },
  DUPLICATE_CLIENT_ORDER_ID: { code: -4116, msg: 'clientOrderId is duplicated', status: 400 },
  USE_ALGO_API: { code: -4120, msg: 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.', status: 400 },
  NO_MARK_PRICE: { code: -4131, msg: "The counterparty's best price does not meet the PERCENT_PRICE filter limit", status: 400 },
  QUANTITY_WITH_CLOSE_POSITION: { code: -4137, msg: 'Quantity must be zero with closePosition equals true', status: 400 },
  ISOLATED_LEVERAGE_REDUCTION: { code: -4161, msg: 'Leverage reduction is not supported in Isolated Margin Mode with open positions', status: 400 },
  BATCH_SIZE: { code: -4082, msg: 'Invalid number of batch place orders.', status: 400 },
  MIN_NOTIONAL: { code: -4164, msg: "Order's notional must be no smaller than %s (unless you choose reduce only)", status: 400 },
  NO_NEED_TO_MODIFY: { code: -5027, msg: 'No need to modify the order.', status: 400 },
  POST_ONLY_REJECTED: { code: -5022, msg: 'Due to the order could not be executed as maker, the Post Only order will be rejected.', status: 400 },
} as const satisfies Record<string, { code: number; msg: string; status: number }>;

export type BinanceErrorKey = keyof typeof BINANCE_ERRORS;

/** The error `key` with Binance's %s filled by `args` in order, and perpguard's detail beside it. */
export function binanceError(key: BinanceErrorKey, args: readonly (string | number)[] = [], detail?: string): BinanceError {
  const entry = BINANCE_ERRORS[key];
  let i = 0;
  const msg = entry.msg.replace(/%s/g, () => String(args[i++] ?? ''));
  return { code: entry.code, msg, status: entry.status, ...(detail !== undefined ? { detail } : {}) };
}

/** True for an error value (the parsers return a value or a BinanceError). */
export function isBinanceError(value: unknown): value is BinanceError {
  return typeof value === 'object' && value !== null && !(value instanceof Map) && 'code' in value && 'msg' in value && 'status' in value;
}

/** The JSON body Binance sends: exactly {code, msg}. */
export function errorBody(error: BinanceError): { code: number; msg: string } {
  return { code: error.code, msg: error.msg };
}

/**
 * The engine's rejection codes (src/engine/codes.ts) as Binance errors. Most are Binance's own codes
 * already; the exceptions are mapped here with the reason beside each.
 */
const FROM_ENGINE: Record<RejectionKey, BinanceErrorKey> = {
  MALFORMED: 'MANDATORY_PARAM',
  PRECISION: 'BAD_PRECISION',
  UNKNOWN_ORDER: 'CANCEL_REJECTED',
  MARGIN_INSUFFICIENT: 'MARGIN_INSUFFICIENT',
  WOULD_TRIGGER_IMMEDIATELY: 'WOULD_TRIGGER_IMMEDIATELY',
  REDUCE_ONLY_REJECTED: 'REDUCE_ONLY_REJECTED',
  MAX_LEVERAGE_RATIO: 'MAX_LEVERAGE_RATIO',
  MIN_LEVERAGE_RATIO: 'MIN_LEVERAGE_RATIO',
  QUANTITY_NOT_POSITIVE: 'QUANTITY_NOT_POSITIVE',
  PRICE_TICK: 'PRICE_TICK',
  INVALID_LEVERAGE: 'INVALID_LEVERAGE',
  NO_NEED_TO_CHANGE_MARGIN_TYPE: 'NO_NEED_TO_CHANGE_MARGIN_TYPE',
  MARGIN_TYPE_OPEN_ORDERS: 'MARGIN_TYPE_OPEN_ORDERS',
  MARGIN_TYPE_POSITION: 'MARGIN_TYPE_POSITION',
  ADD_MARGIN_ISOLATED_ONLY: 'ADD_MARGIN_ISOLATED_ONLY',
  CROSS_BALANCE_INSUFFICIENT: 'CROSS_BALANCE_INSUFFICIENT',
  ISOLATED_BALANCE_INSUFFICIENT: 'ISOLATED_BALANCE_INSUFFICIENT',
  NO_POSITION_FOR_MARGIN: 'NO_POSITION_FOR_MARGIN',
  NO_NEED_TO_CHANGE_POSITION_SIDE: 'NO_NEED_TO_CHANGE_POSITION_SIDE',
  POSITION_SIDE_MISMATCH: 'POSITION_SIDE_MISMATCH',
  POSITION_MODE_OPEN_ORDERS: 'POSITION_MODE_OPEN_ORDERS',
  POSITION_MODE_POSITION: 'POSITION_MODE_POSITION',
  ISOLATED_LEVERAGE_REDUCTION: 'ISOLATED_LEVERAGE_REDUCTION',
  POST_ONLY_REJECTED: 'POST_ONLY_REJECTED',
  NO_MARK_PRICE: 'NO_MARK_PRICE',
  // the engine refuses a client id that an open order holds; Binance's code for that is -4116 ([E]),
  // -4015 being its answer to a malformed id (which params.ts gives)
  DUPLICATE_CLIENT_ORDER_ID: 'DUPLICATE_CLIENT_ORDER_ID',
};

/**
 * The engine's field names where the Binance parameter is named otherwise (the `mode` of a margin-type
 * or position-mode change, the `stopPrice` of an algo order), so that -1102 names what the client sent.
 */
export interface ParamNames {
  readonly [engineField: string]: string;
}

/**
 * A refused command as the Binance error a client expects. `names` renames engine fields to the
 * endpoint's parameters. A MALFORMED rejection on `time` is the venue's own clock going backwards, not
 * the client's input: -1000, HTTP 500. A non-positive margin amount is -4055 (Binance's code for
 * positionMargin), not the order endpoint's -4003.
 */
export function fromRejection(rejection: Rejection, names: ParamNames = {}): BinanceError {
  const field = names[rejection.field] ?? rejection.field;
  // the engine's message is "<Binance text> <field>: <reason>" (codes.ts reject())
  const reason = rejection.message.slice(REJECTIONS[rejection.key].text.length + rejection.field.length + 3);
  const detail = `${field}: ${reason}`;
  if (rejection.key === 'MALFORMED' && rejection.field === 'time') return binanceError('UNKNOWN', [], rejection.message);
  if (rejection.key === 'MALFORMED' && rejection.field === 'symbol') return binanceError('BAD_SYMBOL', [], detail);
  if (rejection.key === 'QUANTITY_NOT_POSITIVE' && rejection.field === 'amount') return binanceError('AMOUNT_NOT_POSITIVE', [], detail);
  const key = FROM_ENGINE[rejection.key];
  if (key === 'MANDATORY_PARAM') return binanceError(key, [field], detail);
  return binanceError(key, [], detail);
}
