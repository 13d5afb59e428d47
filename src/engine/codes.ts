// Rejection codes: one ordered list, never renumbered (append only). The codes and messages are
// Binance USD-M's (https://developers.binance.com/docs/derivatives/usds-margined-futures/error-code,
// reference part 2 §8.1) so that a Binance client reading them understands them.
export const REJECTIONS = {
  MALFORMED: { code: -1102, text: 'Mandatory parameter was not sent, was empty/null, or malformed.' },
  PRECISION: { code: -1111, text: 'Precision is over the maximum defined for this asset.' },
  UNKNOWN_ORDER: { code: -2011, text: 'Unknown order sent.' },
  MARGIN_INSUFFICIENT: { code: -2019, text: 'Margin is insufficient.' },
  WOULD_TRIGGER_IMMEDIATELY: { code: -2021, text: 'Order would immediately trigger.' },
  REDUCE_ONLY_REJECTED: { code: -2022, text: 'ReduceOnly Order is rejected.' },
  MAX_LEVERAGE_RATIO: { code: -2027, text: 'Exceeded the maximum allowable position at current leverage.' },
  MIN_LEVERAGE_RATIO: { code: -2028, text: 'Leverage is smaller than permitted: insufficient margin balance.' },
  QUANTITY_NOT_POSITIVE: { code: -4003, text: 'Quantity less than or equal to zero.' },
  PRICE_TICK: { code: -4014, text: 'Price not increased by tick size.' },
  INVALID_LEVERAGE: { code: -4028, text: 'Leverage is not valid.' },
  NO_NEED_TO_CHANGE_MARGIN_TYPE: { code: -4046, text: 'No need to change margin type.' },
  MARGIN_TYPE_OPEN_ORDERS: { code: -4047, text: 'Margin type cannot be changed if there exists open orders.' },
  MARGIN_TYPE_POSITION: { code: -4048, text: 'Margin type cannot be changed if there exists position.' },
  ADD_MARGIN_ISOLATED_ONLY: { code: -4049, text: 'Add margin only support for isolated position.' },
  CROSS_BALANCE_INSUFFICIENT: { code: -4050, text: 'Cross balance insufficient.' },
  ISOLATED_BALANCE_INSUFFICIENT: { code: -4051, text: 'Isolated balance insufficient.' },
  NO_POSITION_FOR_MARGIN: { code: -4054, text: 'Cannot add position margin: position is 0.' },
  NO_NEED_TO_CHANGE_POSITION_SIDE: { code: -4059, text: 'No need to change position side.' },
  POSITION_SIDE_MISMATCH: { code: -4061, text: "Order's position side does not match user's setting." },
  POSITION_MODE_OPEN_ORDERS: { code: -4067, text: 'Position side cannot be changed if there exists open orders.' },
  POSITION_MODE_POSITION: { code: -4068, text: 'Position side cannot be changed if there exists position.' },
  ISOLATED_LEVERAGE_REDUCTION: { code: -4161, text: 'Leverage reduction is not supported in Isolated Margin Mode with open positions.' },
  POST_ONLY_REJECTED: { code: -5022, text: 'Due to the order could not be executed as maker, the Post Only order will be rejected.' },
  NO_MARK_PRICE: { code: -4131, text: 'The counterparty\'s best price does not meet the PERCENT_PRICE filter limit.' },
  DUPLICATE_CLIENT_ORDER_ID: { code: -4015, text: 'Client order id is not valid.' },
} as const;

export type RejectionKey = keyof typeof REJECTIONS;

export interface Rejection {
  readonly key: RejectionKey;
  readonly code: number;
  /** The exchange's message, then what was wrong, naming the field. */
  readonly message: string;
  readonly field: string;
}

export function reject(key: RejectionKey, field: string, detail: string): Rejection {
  const r = REJECTIONS[key];
  return { key, code: r.code, field, message: `${r.text} ${field}: ${detail}` };
}
