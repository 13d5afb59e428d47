// What the venue says about each symbol beyond the engine's market (tick, step, brackets): the
// MIN_NOTIONAL filter that Binance applies to orders, and the Binance contract facts exchangeInfo lists.
// The protocol layer enforces the minimum notional (-4164) before the engine sees the order: the engine
// itself has no such rule, and a client that reads exchangeInfo expects the filter it lists to hold.
import { parseFixed, type Money } from '../../domain/fixed.ts';
import { marketOf, type EngineState } from '../../engine/state.ts';
import { DEFAULT_MARKETS } from '../../exchanges/markets.ts';
import type { Market } from '../../exchanges/rules.ts';

/**
 * MIN_NOTIONAL `notional` per symbol. BTCUSDT 100: a saved GET /fapi/v1/exchangeInfo row (BTCUSDT
 * PERPETUAL, liquidationFee 0.012500, the same row the bundled market's fee comes from). ETHUSDT 20 and
 * SOLUSDT 5 are Binance's announced minimums [UNSURE: not in a saved response here]; any other symbol
 * gets Binance's general minimum 5, the figure of the -4164 message in Binance's error-code page.
 */
const MIN_NOTIONAL: Readonly<Record<string, string>> = { BTCUSDT: '100', ETHUSDT: '20', SOLUSDT: '5' };
const DEFAULT_MIN_NOTIONAL = '5';

/** Parsed once per symbol: every order checks its minimum (a bigint is immutable, so one value is shared). */
const minNotionals = new Map<string, Money>();

export function minNotionalOf(symbol: string): Money {
  let min = minNotionals.get(symbol);
  if (min === undefined) minNotionals.set(symbol, (min = parseFixed(MIN_NOTIONAL[symbol] ?? DEFAULT_MIN_NOTIONAL)));
  return min;
}

/** The base and quote assets of a linear symbol: BTCUSDT -> BTC / USDT (the settle asset is the quote). */
export function assetsOf(market: Market): { base: string; quote: string } {
  const quote = market.settleAsset;
  const base = market.symbol.endsWith(quote) ? market.symbol.slice(0, -quote.length) : market.symbol;
  return { base, quote };
}

/** The market of a symbol the venue trades (linear USDⓈ-M markets only), or undefined. */
export function tradedMarket(state: EngineState, symbol: string): Market | undefined {
  const market = marketOf(state, symbol);
  return market && market.kind === 'linear' ? market : undefined;
}

/** Every symbol the venue trades: the venue's bundled markets and the engine's own, sorted. */
export function venueSymbols(state: EngineState): string[] {
  const symbols = new Set([...DEFAULT_MARKETS[state.config.exchange].map((m) => m.symbol), ...Object.keys(state.config.markets)]);
  return [...symbols].filter((s) => tradedMarket(state, s) !== undefined).sort();
}
