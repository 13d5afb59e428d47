// Request weights: what each USDⓈ-M endpoint costs against the REQUEST_WEIGHT limit (2,400 per minute per
// IP on Binance), and a rolling one-minute counter per key (an IP, or an account) that reports
// X-MBX-USED-WEIGHT-1M and refuses a request that would go over the limit with HTTP 429, -1003 and a
// Retry-After header. Pure: the caller passes the time; nothing here reads a clock.
//
// Weights are Binance's published "Request Weight" of each endpoint page under
// developers.binance.com/docs/derivatives/usds-margined-futures/ (2026 copies): e.g. Position Information
// V3 "5", Mark Price "1 with symbol, 10 without symbol", Current All Open Orders "1 for a single symbol;
// 40 when the symbol parameter is omitted", Query All Algo Orders "5", New Order and New Algo Order
// "0 on IP rate limit" (they count against the ORDER limits instead). Binance's counter is per IP, not per
// key ("The limits on the API are based on the IPs, not the API keys"); the counter here takes any key so
// that the server can also count per account.
import { binanceError, type BinanceError } from './errors.ts';

/** Binance's REQUEST_WEIGHT limit for USDⓈ-M (exchangeInfo rateLimits: 2400 per 1 MINUTE). */
export const WEIGHT_LIMIT_PER_MINUTE = 2400;
export const WINDOW_MS = 60_000;

type Weight = number | ((params: ReadonlyMap<string, string>) => number);

const bySymbol = (withSymbol: number, without: number): Weight => (params) => (params.has('symbol') ? withSymbol : without);
/** depth: limit 5/10/20/50 -> 2, 100 -> 5, 500 (default) -> 10, 1000 -> 20 (Order Book page). */
const depth: Weight = (params) => {
  const limit = Number(params.get('limit') ?? 500);
  return limit <= 50 ? 2 : limit <= 100 ? 5 : limit <= 500 ? 10 : 20;
};
/** klines: limit [1,100) -> 1, [100,500) -> 2, [500,1000] -> 5, above -> 10; default 500 (Kline page). */
const klines: Weight = (params) => {
  const limit = Number(params.get('limit') ?? 500);
  return limit < 100 ? 1 : limit < 500 ? 2 : limit <= 1000 ? 5 : 10;
};

/** Weight of each endpoint the venue serves, keyed "METHOD /path". */
export const ENDPOINT_WEIGHTS: Readonly<Record<string, Weight>> = {
  // market data
  'GET /fapi/v1/ping': 1,
  'GET /fapi/v1/time': 1,
  'GET /fapi/v1/exchangeInfo': 1,
  'GET /fapi/v1/depth': depth,
  'GET /fapi/v1/klines': klines,
  'GET /fapi/v1/markPriceKlines': klines,
  'GET /fapi/v1/indexPriceKlines': klines,
  'GET /fapi/v1/ticker/bookTicker': bySymbol(2, 5),
  'GET /fapi/v1/premiumIndex': bySymbol(1, 10),
  // Binance counts fundingRate in its own 500 per 5 minutes limit shared with fundingInfo; 1 here [UNSURE]
  'GET /fapi/v1/fundingRate': 1,
  'GET /fapi/v1/ticker/24hr': bySymbol(1, 40),
  'GET /fapi/v1/ticker/price': bySymbol(1, 2),
  'GET /fapi/v2/ticker/price': bySymbol(1, 2),
  // orders
  'POST /fapi/v1/order': 0,
  'PUT /fapi/v1/order': 0,
  'POST /fapi/v1/batchOrders': 5,
  'PUT /fapi/v1/batchOrders': 5,
  'DELETE /fapi/v1/order': 1,
  'DELETE /fapi/v1/allOpenOrders': 1,
  'DELETE /fapi/v1/batchOrders': 1,
  'GET /fapi/v1/order': 1,
  'GET /fapi/v1/openOrder': 1,
  'GET /fapi/v1/openOrders': bySymbol(1, 40),
  'GET /fapi/v1/allOrders': 5,
  'GET /fapi/v1/userTrades': 5,
  // conditional orders (the Algo API, where Binance moved them in 2025-12)
  'POST /fapi/v1/algoOrder': 0,
  'DELETE /fapi/v1/algoOrder': 1,
  'DELETE /fapi/v1/algoOpenOrders': 1,
  'GET /fapi/v1/algoOrder': 1,
  'GET /fapi/v1/openAlgoOrders': bySymbol(1, 40),
  'GET /fapi/v1/allAlgoOrders': 5,
  // account and settings
  'GET /fapi/v2/account': 5,
  'GET /fapi/v3/account': 5,
  'GET /fapi/v2/balance': 5,
  'GET /fapi/v3/balance': 5,
  'GET /fapi/v2/positionRisk': 5,
  'GET /fapi/v3/positionRisk': 5,
  'GET /fapi/v1/leverageBracket': 1,
  'GET /fapi/v1/symbolConfig': 5,
  'GET /fapi/v1/positionSide/dual': 30,
  'POST /fapi/v1/positionSide/dual': 1,
  'POST /fapi/v1/marginType': 1,
  'POST /fapi/v1/leverage': 1,
  'POST /fapi/v1/positionMargin': 1,
  'GET /fapi/v1/positionMargin/history': 1,
  'GET /fapi/v1/commissionRate': 20,
  'GET /fapi/v1/income': 30,
  'GET /fapi/v1/forceOrders': bySymbol(20, 50),
  // user data stream
  'POST /fapi/v1/listenKey': 1,
  'PUT /fapi/v1/listenKey': 1,
  'DELETE /fapi/v1/listenKey': 1,
};

/** The weight of a request, or undefined for a route the venue does not serve (the server answers 404). */
export function weightOf(method: string, path: string, params: ReadonlyMap<string, string>): number | undefined {
  const weight = ENDPOINT_WEIGHTS[`${method.toUpperCase()} ${path}`];
  if (weight === undefined) return undefined;
  return typeof weight === 'number' ? weight : weight(params);
}

/** What the counter answers: the weight used in the last minute (the header) and, refused, the error. */
export interface WeightDecision {
  /** X-MBX-USED-WEIGHT-1M after this request (unchanged when it was refused). */
  readonly usedWeight1m: number;
  /** Present when refused: -1003, HTTP 429, with retryAfterSeconds. */
  readonly error?: BinanceError;
}

/**
 * A rolling one-minute weight counter per key. A request is charged at its time and counts until 60 s
 * later; one that would take the key above the limit is refused and not charged. Times may not go
 * backwards per key (the server's clock); a time before the newest charge is treated as that time.
 */
export class WeightCounter {
  /** Per key, the charges of the last minute, oldest first: [timeMs, weight]. */
  private readonly charges = new Map<string, { times: number[]; weights: number[]; head: number; used: number }>();

  constructor(readonly limitPerMinute = WEIGHT_LIMIT_PER_MINUTE) {}

  /** The weight `key` has used in the minute up to `nowMs`. */
  used(key: string, nowMs: number): number {
    const entry = this.charges.get(key);
    if (!entry) return 0;
    this.expire(entry, nowMs);
    return entry.used;
  }

  /** Charges `weight` to `key` at `nowMs` when it fits under the limit, else refuses (429, -1003). */
  charge(key: string, weight: number, nowMs: number): WeightDecision {
    let entry = this.charges.get(key);
    if (!entry) this.charges.set(key, (entry = { times: [], weights: [], head: 0, used: 0 }));
    this.expire(entry, nowMs);
    if (entry.used + weight > this.limitPerMinute) {
      const error = binanceError('TOO_MANY_REQUESTS', [this.limitPerMinute], `${key}: ${entry.used} of ${this.limitPerMinute} weight used in the last minute, this request needs ${weight}`);
      return { usedWeight1m: entry.used, error: { ...error, retryAfterSeconds: this.retryAfterSeconds(entry, weight, nowMs) } };
    }
    if (weight > 0) {
      const last = entry.times.length > entry.head ? entry.times[entry.times.length - 1]! : -Infinity;
      entry.times.push(Math.max(nowMs, last));
      entry.weights.push(weight);
      entry.used += weight;
    }
    return { usedWeight1m: entry.used };
  }

  /** Forgets the keys with nothing in their window at `nowMs` (call now and then: memory stays bounded). */
  prune(nowMs: number): void {
    for (const [key, entry] of this.charges) {
      this.expire(entry, nowMs);
      if (entry.used === 0) this.charges.delete(key);
    }
  }

  /** How many keys hold charges (for the server's metrics and the tests). */
  get keys(): number {
    return this.charges.size;
  }

  private expire(entry: { times: number[]; weights: number[]; head: number; used: number }, nowMs: number): void {
    while (entry.head < entry.times.length && entry.times[entry.head]! + WINDOW_MS <= nowMs) {
      entry.used -= entry.weights[entry.head]!;
      entry.head += 1;
    }
    // compact once the expired prefix is most of the arrays, so they do not grow without bound
    if (entry.head > 64 && entry.head * 2 > entry.times.length) {
      entry.times = entry.times.slice(entry.head);
      entry.weights = entry.weights.slice(entry.head);
      entry.head = 0;
    }
  }

  /** Whole seconds until enough old charges have expired for `weight` to fit (at least 1). */
  private retryAfterSeconds(entry: { times: number[]; weights: number[]; head: number; used: number }, weight: number, nowMs: number): number {
    // a request heavier than the whole limit never fits: wait a full window, as after a ban
    if (weight > this.limitPerMinute) return WINDOW_MS / 1000;
    let used = entry.used;
    let i = entry.head;
    while (i < entry.times.length && used + weight > this.limitPerMinute) {
      used -= entry.weights[i]!;
      i += 1;
    }
    const freeAt = entry.times[i - 1]! + WINDOW_MS;
    return Math.max(1, Math.ceil((freeAt - nowMs) / 1000));
  }
}
