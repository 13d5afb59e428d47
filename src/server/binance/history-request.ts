// The parameters of Binance's ledger-history endpoints with Binance's refusals: GET /fapi/v1/income
// (symbol, incomeType, startTime, endTime, page, limit 1..1000 default 100; without a time, the last 7
// days) and GET /fapi/v1/positionMargin/history (symbol required, type 1 add / 2 reduce, startTime,
// endTime at most 30 days apart, limit default 500). Sources: Binance's "Get Income History" and "Get
// Position Margin Change History" pages. Every incomeType Binance lists is accepted (a paper account has
// no WELCOME_BONUS, so that query answers []); a name Binance does not list is -1130.
import type { EngineState } from '../../engine/state.ts';
import { binanceError } from './errors.ts';
import { limitOf, timesOf } from './market-data-request.ts';
import { read, type ParamMap } from './params.ts';
import { symbolOf } from './query-request.ts';

const BINANCE_INCOME_TYPES = [
  'TRANSFER', 'WELCOME_BONUS', 'REALIZED_PNL', 'FUNDING_FEE', 'COMMISSION', 'INSURANCE_CLEAR', 'REFERRAL_KICKBACK', 'COMMISSION_REBATE',
  'API_REBATE', 'CONTEST_REWARD', 'CROSS_COLLATERAL_TRANSFER', 'OPTIONS_PREMIUM_FEE', 'OPTIONS_SETTLE_PROFIT', 'INTERNAL_TRANSFER',
  'AUTO_EXCHANGE', 'DELIVERED_SETTELMENT', 'COIN_SWAP_DEPOSIT', 'COIN_SWAP_WITHDRAW', 'POSITION_LIMIT_INCREASE_FEE',
  'STRATEGY_UMFUTURES_TRANSFER', 'FEE_RETURN', 'BFUSD_REWARD',
] as const;

export const INCOME_DEFAULT_LIMIT = 100;
export const INCOME_MAX_LIMIT = 1000;
/** Without startTime and endTime Binance answers the last 7 days. */
export const INCOME_DEFAULT_WINDOW_MS = 7 * 24 * 3_600_000;
export const MARGIN_HISTORY_DEFAULT_LIMIT = 500;
export const MARGIN_HISTORY_MAX_WINDOW_MS = 30 * 24 * 3_600_000;

export interface IncomeQuery {
  readonly symbol: string | undefined;
  readonly incomeType: string | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly page: number;
  readonly limit: number;
}

/** GET /fapi/v1/income. */
export function incomeRequest(params: ParamMap, state: EngineState) {
  return read(params, (r): IncomeQuery => {
    const symbol = symbolOf(r, state, false);
    const incomeType = r.oneOf('incomeType', BINANCE_INCOME_TYPES);
    const page = r.integer('page') ?? 1;
    if (page < 1) r.refuse(binanceError('INVALID_PARAMETER', ['page'], `page: must be 1 or more, got ${page}`));
    return { symbol, incomeType, ...timesOf(r), page, limit: limitOf(r, INCOME_DEFAULT_LIMIT, INCOME_MAX_LIMIT) };
  });
}

export interface MarginHistoryQuery {
  readonly symbol: string;
  readonly type: 1 | 2 | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

/** GET /fapi/v1/positionMargin/history. */
export function marginHistoryRequest(params: ParamMap, state: EngineState) {
  return read(params, (r): MarginHistoryQuery => {
    const symbol = symbolOf(r, state, true)!;
    const type = r.oneOf('type', ['1', '2'] as const);
    const { startTime, endTime } = timesOf(r);
    if (startTime !== undefined && endTime !== undefined && endTime - startTime > MARGIN_HISTORY_MAX_WINDOW_MS) {
      r.refuse(binanceError('INVALID_PARAMETER', ['endTime'], `endTime: at most 30 days after startTime, got ${endTime - startTime} ms`));
    }
    return { symbol, type: type === undefined ? undefined : type === '1' ? 1 : 2, startTime, endTime, limit: limitOf(r, MARGIN_HISTORY_DEFAULT_LIMIT, INCOME_MAX_LIMIT) };
  });
}

export const FORCE_ORDERS_DEFAULT_LIMIT = 50;
export const FORCE_ORDERS_MAX_LIMIT = 100;

export interface ForceOrdersQuery {
  readonly symbol: string | undefined;
  readonly autoCloseType: 'LIQUIDATION' | 'ADL' | undefined;
  readonly startTime: number | undefined;
  readonly endTime: number | undefined;
  readonly limit: number;
}

/** GET /fapi/v1/forceOrders (Binance "User's Force Orders"): symbol, autoCloseType, startTime, endTime, limit 1..100 default 50. */
export function forceOrdersRequest(params: ParamMap, state: EngineState) {
  return read(params, (r): ForceOrdersQuery => ({
    symbol: symbolOf(r, state, false),
    autoCloseType: r.oneOf('autoCloseType', ['LIQUIDATION', 'ADL'] as const),
    ...timesOf(r),
    limit: limitOf(r, FORCE_ORDERS_DEFAULT_LIMIT, FORCE_ORDERS_MAX_LIMIT),
  }));
}
