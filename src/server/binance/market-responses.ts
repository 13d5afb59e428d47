// The venue's markets in Binance's public REST shapes: GET /fapi/v1/exchangeInfo, /fapi/v1/leverageBracket,
// /fapi/v1/premiumIndex, /fapi/v1/time. Built from the engine's markets (tick and step sizes, bracket
// tables, liquidation fee): a client that reads the filters here sees exactly the rules the engine and
// this layer enforce (tick: -4014, step: -1111, minimum notional: -4164).
// Fields: Binance's "Exchange Information", "Notional and Leverage Brackets" and "Mark Price" pages; the
// ones ccxt needs are those of ../shared/reference/binance-api-clients.md §1 (symbol, status TRADING,
// baseAsset, quoteAsset, marginAsset, contractType PERPETUAL, the four filters).
import { formatFixed, MAX_INPUT_MAGNITUDE, type Price } from '../../domain/fixed.ts';
import { BINANCE_FUNDING_INTERVAL_MS } from '../../domain/funding.ts';
import type { EngineState } from '../../engine/state.ts';
import type { Market } from '../../exchanges/rules.ts';
import { WEIGHT_LIMIT_PER_MINUTE } from './weights.ts';
import { assetsOf, minNotionalOf, tradedMarket, venueSymbols } from './symbols.ts';

/** The largest price and quantity the venue parses (perpguard's input bound, params.ts via decimalProblem). */
const MAX_VALUE = String(Number(MAX_INPUT_MAGNITUDE));

/** Decimals of a step ("0.001" -> 3, "1" -> 0): Binance's pricePrecision / quantityPrecision. */
function decimalsOf(step: Price | Market['stepSize']): number {
  const s = formatFixed(step);
  return s.includes('.') ? s.length - s.indexOf('.') - 1 : 0;
}

/** One exchangeInfo symbol. */
function symbolInfo(market: Market) {
  const { base, quote } = assetsOf(market);
  const tick = formatFixed(market.tickSize);
  const step = formatFixed(market.stepSize);
  return {
    symbol: market.symbol,
    pair: market.symbol,
    contractType: 'PERPETUAL',
    // Binance's "never delivers" date for perpetuals (exchangeInfo rows of every PERPETUAL symbol)
    deliveryDate: 4133404800000,
    status: 'TRADING',
    baseAsset: base,
    quoteAsset: quote,
    marginAsset: market.settleAsset,
    pricePrecision: decimalsOf(market.tickSize),
    quantityPrecision: decimalsOf(market.stepSize),
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    liquidationFee: formatFixed(market.liquidationFeeRate),
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: tick, maxPrice: MAX_VALUE, tickSize: tick },
      { filterType: 'LOT_SIZE', minQty: step, maxQty: MAX_VALUE, stepSize: step },
      { filterType: 'MARKET_LOT_SIZE', minQty: step, maxQty: MAX_VALUE, stepSize: step },
      { filterType: 'MIN_NOTIONAL', notional: formatFixed(minNotionalOf(market.symbol)) },
    ],
    // what the venue executes: no limit stops, no trailing stops, no GTD (order-request.ts)
    orderTypes: ['LIMIT', 'MARKET', 'STOP_MARKET', 'TAKE_PROFIT_MARKET'],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX'],
  };
}

/** GET /fapi/v1/exchangeInfo at `serverTimeMs`. */
export function exchangeInfoJson(state: EngineState, serverTimeMs: number) {
  const markets = venueSymbols(state).map((s) => tradedMarket(state, s)!);
  return {
    timezone: 'UTC',
    serverTime: serverTimeMs,
    futuresType: 'U_MARGINED',
    rateLimits: [{ rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: WEIGHT_LIMIT_PER_MINUTE }],
    exchangeFilters: [],
    assets: [...new Set(markets.map((m) => m.settleAsset))].sort().map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: null })),
    symbols: markets.map(symbolInfo),
  };
}

/**
 * GET /fapi/v1/leverageBracket: each symbol's bracket table in force now, as the engine margins with it.
 * Binance prints these as JSON numbers; they are decimal strings here so that every digit stays exact
 * (ccxt and perpguard's own importer read both).
 */
export function leverageBracketJson(state: EngineState, symbol?: string) {
  return venueSymbols(state)
    .filter((s) => symbol === undefined || s === symbol)
    .flatMap((s) => {
      const table = tradedMarket(state, s)!.brackets;
      if (!table) return [];
      return [
        {
          symbol: s,
          notionalCoef: 1,
          brackets: table.brackets.map((b) => ({
            bracket: b.bracket,
            initialLeverage: b.maxLeverage,
            notionalCap: formatFixed(b.cap),
            notionalFloor: formatFixed(b.floor),
            maintMarginRatio: formatFixed(b.maintenanceMarginRate),
            cum: formatFixed(b.maintenanceAmount),
          })),
        },
      ];
    });
}

/** The next funding time after `timeMs` (Binance: every 8 hours from 00:00 UTC). */
export function nextFundingTime(timeMs: number): number {
  return (Math.floor(timeMs / BINANCE_FUNDING_INTERVAL_MS) + 1) * BINANCE_FUNDING_INTERVAL_MS;
}

/**
 * GET /fapi/v1/premiumIndex for one symbol. The venue's only price is its mark, so the index and the
 * estimated settle price are the mark; the funding rate is the feed's, given by the caller ("0" until
 * one was applied), and the venue charges no interest part apart from it.
 */
export function premiumIndexJson(state: EngineState, symbol: string, serverTimeMs: number, lastFundingRate = '0') {
  const mark = state.marks[symbol];
  const price = mark ? formatFixed(mark) : '0';
  return {
    symbol,
    markPrice: price,
    indexPrice: price,
    estimatedSettlePrice: price,
    lastFundingRate,
    interestRate: '0',
    nextFundingTime: nextFundingTime(serverTimeMs),
    time: serverTimeMs,
  };
}

/** GET /fapi/v1/premiumIndex without a symbol: every symbol of the venue, with the feed's funding rates. */
export function premiumIndexRows(state: EngineState, serverTimeMs: number, lastFundingRates: Readonly<Record<string, string>> = {}) {
  return venueSymbols(state).map((s) => premiumIndexJson(state, s, serverTimeMs, lastFundingRates[s]));
}

/** GET /fapi/v1/time. */
export function serverTimeJson(serverTimeMs: number) {
  return { serverTime: serverTimeMs };
}
