// Binance's public market-data routes served from the feed's history (../feed/feed-history.ts) up to the
// feed time the market has reached (venue.market.time, the last mark or funding applied): klines and
// markPriceKlines (indexPriceKlines too: the venue's index is its mark), ticker/24hr, ticker/price (v1
// and ccxt's v2) and ticker/bookTicker, depth (synthetic, around the applied mark) and fundingRate.
// Feed time throughout, as premiumIndex: the clock the marks belong to.
import { tradedMarket, venueSymbols } from '../binance/symbols.ts';
import { depthRequest, fundingRateRequest, klinesRequest } from '../binance/market-data-request.ts';
import { bookTickerJson, depthJson, fundingRateJson, klineRow, ticker24hrJson, tickerPriceJson } from '../binance/market-data-responses.ts';
import { binanceError } from '../binance/errors.ts';
import { symbolRequest } from '../binance/query-request.ts';
import { FeedHistory } from '../feed/feed-history.ts';
import { klines } from '../feed/mark-history.ts';
import type { ReplayFeed } from '../feed/replay-feed.ts';
import type { Venue } from '../venue/venue.ts';
import { answerOf, ok, type Answer, type Route, type RouteContext } from './route.ts';

const histories = new WeakMap<ReplayFeed, FeedHistory>();

function historyOf(venue: Venue): FeedHistory {
  let history = histories.get(venue.feed);
  if (!history) histories.set(venue.feed, (history = new FeedHistory(venue.feed)));
  return history;
}

/** Klines of the mark path: trade klines (no trades: counts 0), mark-price and index-price klines (the index is the mark here). */
function candles(mark: boolean, symbolName: 'symbol' | 'pair' = 'symbol') {
  return ({ params, venue }: RouteContext): Answer | Promise<Answer> =>
    answerOf(klinesRequest(params, venue.market, symbolName), ({ symbol, ...query }) => ok(klines(historyOf(venue).path(symbol), query, venue.market.time).map((c) => klineRow(c, mark))));
}

/** One symbol's row, or every symbol's (those with a mark so far) without one. */
function perSymbol<T>(build: (venue: Venue, symbol: string) => T | undefined) {
  return ({ params, venue }: RouteContext): Answer | Promise<Answer> =>
    answerOf(symbolRequest(params, venue.market), (symbol) => {
      if (symbol === undefined) return ok(venueSymbols(venue.market).flatMap((s) => build(venue, s) ?? []));
      const row = build(venue, symbol);
      // a traded symbol the feed does not replay has no price yet: Binance's answer to a symbol it has no data for
      return row === undefined ? binanceError('BAD_SYMBOL', [], `symbol: ${symbol} has no mark yet`) : ok(row);
    });
}

const ticker24hr = perSymbol((venue, symbol) => ticker24hrJson(symbol, historyOf(venue).path(symbol), venue.market.time));
const bookTicker = perSymbol((venue, symbol) => {
  const mark = venue.market.marks[symbol];
  return mark === undefined ? undefined : bookTickerJson(tradedMarket(venue.market, symbol)!, mark, venue.market.time, venue.market.time);
});
const tickerPrice = perSymbol((venue, symbol) => tickerPriceJson(symbol, historyOf(venue).path(symbol), venue.market.time));

export const MARKET_DATA_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/fapi/v1/klines', security: 'NONE', handle: candles(false) },
  { method: 'GET', path: '/fapi/v1/markPriceKlines', security: 'NONE', handle: candles(true) },
  { method: 'GET', path: '/fapi/v1/indexPriceKlines', security: 'NONE', handle: candles(true, 'pair') },
  { method: 'GET', path: '/fapi/v1/ticker/bookTicker', security: 'NONE', handle: bookTicker },
  { method: 'GET', path: '/fapi/v1/ticker/24hr', security: 'NONE', handle: ticker24hr },
  { method: 'GET', path: '/fapi/v1/ticker/price', security: 'NONE', handle: tickerPrice },
  { method: 'GET', path: '/fapi/v2/ticker/price', security: 'NONE', handle: tickerPrice },
  {
    method: 'GET',
    path: '/fapi/v1/depth',
    security: 'NONE',
    handle: ({ params, venue }) =>
      answerOf(depthRequest(params, venue.market), ({ symbol, limit }) => {
        const mark = venue.market.marks[symbol];
        if (mark === undefined) return binanceError('BAD_SYMBOL', [], `symbol: ${symbol} has no mark yet`);
        // the book changes with each mark: the feed time of the last one applied numbers its versions
        return ok(depthJson(tradedMarket(venue.market, symbol)!, mark, limit, venue.market.time, venue.market.time));
      }),
  },
  {
    method: 'GET',
    path: '/fapi/v1/fundingRate',
    security: 'NONE',
    handle: ({ params, venue }) =>
      answerOf(fundingRateRequest(params, venue.market), ({ symbol, ...query }) =>
        ok(historyOf(venue).fundingRows(symbol !== undefined ? [symbol] : venueSymbols(venue.market), query, venue.market.time).map(fundingRateJson)),
      ),
  },
];
