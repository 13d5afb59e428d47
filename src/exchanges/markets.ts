// Default market facts per venue and the bundled bracket tables.
//
// Tick and step sizes are the exchanges' PRICE_FILTER / LOT_SIZE values as listed by their public
// exchange-info endpoints; they are used only to round displayed prices and order quantities, never inside
// the margin math. Where a value is not in ../shared/reference it is marked [UNSURE] and a snapshot's
// "markets" entry overrides it.
import { fromInt, parseFixed, rate, type Price, type Quantity, type Rate, type Usd } from '../domain/fixed.ts';
import { BracketRegistry, bracketTableFromSpec } from '../domain/tiers.ts';
import type { ContractKind } from '../domain/solver.ts';
import { binanceUsdmBracketSpecs } from './data/binance-usdm-brackets.ts';
import { bybitLinearTierSpecs } from './data/bybit-linear-tiers.ts';
import type { ExchangeId } from './rules.ts';

export interface MarketDefaults {
  readonly symbol: string;
  readonly base: string;
  readonly kind: ContractKind;
  readonly settleAsset: string;
  readonly contractSizeUsd?: Usd;
  readonly tickSize: Price;
  readonly stepSize: Quantity;
  /** Max leverage when the venue has no bracket table for the symbol (with a table, bracket 1's). */
  readonly maxLeverage: number;
  readonly liquidationFeeRate: Rate;
}

const p = (s: string): Price => parseFixed(s);
const q = (s: string): Quantity => parseFixed(s);

function linear(symbol: string, base: string, settle: string, tick: string, step: string, maxLeverage: number, liqFee = '0'): MarketDefaults {
  return { symbol, base, kind: 'linear', settleAsset: settle, tickSize: p(tick), stepSize: q(step), maxLeverage, liquidationFeeRate: rate(liqFee) };
}
function inverse(symbol: string, base: string, contractUsd: number, tick: string, maxLeverage: number, liqFee = '0'): MarketDefaults {
  return {
    symbol,
    base,
    kind: 'inverse',
    settleAsset: base,
    contractSizeUsd: fromInt<'Usd'>(contractUsd),
    tickSize: p(tick),
    stepSize: q('1'),
    maxLeverage,
    liquidationFeeRate: rate(liqFee),
  };
}

export const DEFAULT_MARKETS: Readonly<Record<ExchangeId, readonly MarketDefaults[]>> = {
  // liquidationFee 0.0125 for BTCUSDT (exchangeInfo fixtures 2025-26, reference part 2 §3.2);
  // ETHUSDT/SOLUSDT assumed the same [UNSURE]. Ticks 0.10 / 0.01 / 0.0100, steps 0.001 / 0.001 / 1 [UNSURE].
  'binance-usdm': [
    linear('BTCUSDT', 'BTC', 'USDT', '0.1', '0.001', 125, '0.0125'),
    linear('ETHUSDT', 'ETH', 'USDT', '0.01', '0.001', 125, '0.0125'),
    linear('SOLUSDT', 'SOL', 'USDT', '0.01', '1', 100, '0.0125'),
  ],
  // COIN-M contract sizes: BTCUSD 100 USD (confirmed by the fee FAQ example), others 10 USD [UNSURE]
  'binance-coinm': [
    inverse('BTCUSD_PERP', 'BTC', 100, '0.1', 125, '0.0125'),
    inverse('ETHUSD_PERP', 'ETH', 10, '0.01', 100, '0.0125'),
    inverse('SOLUSD_PERP', 'SOL', 10, '0.01', 50, '0.0125'),
  ],
  'bybit-linear': [
    linear('BTCUSDT', 'BTC', 'USDT', '0.1', '0.001', 100),
    linear('ETHUSDT', 'ETH', 'USDT', '0.01', '0.01', 100),
    linear('SOLUSDT', 'SOL', 'USDT', '0.01', '0.1', 100),
  ],
  'bybit-inverse': [inverse('BTCUSD', 'BTC', 1, '0.5', 100), inverse('ETHUSD', 'ETH', 1, '0.05', 100)],
  'okx-swap': [
    linear('BTC-USDT-SWAP', 'BTC', 'USDT', '0.1', '0.0001', 100),
    linear('ETH-USDT-SWAP', 'ETH', 'USDT', '0.01', '0.001', 100),
    inverse('BTC-USD-SWAP', 'BTC', 100, '0.1', 100),
  ],
  // Hyperliquid max leverage BTC 40, ETH 25, SOL 20 (2025 listing) [UNSURE]; prices have 5 significant figures
  hyperliquid: [
    linear('BTC', 'BTC', 'USDC', '1', '0.00001', 40),
    linear('ETH', 'ETH', 'USDC', '0.1', '0.0001', 25),
    linear('SOL', 'SOL', 'USDC', '0.01', '0.01', 20),
  ],
};

/** Dated bracket tables bundled per venue. */
export function bundledBrackets(exchange: ExchangeId): BracketRegistry {
  switch (exchange) {
    case 'binance-usdm':
      return new BracketRegistry(binanceUsdmBracketSpecs.map(bracketTableFromSpec));
    case 'bybit-linear':
      return new BracketRegistry(bybitLinearTierSpecs.map(bracketTableFromSpec));
    default:
      return new BracketRegistry();
  }
}

const QUOTE_SUFFIXES = ['USDT', 'USDC', 'USD', 'BUSD'];

/** The base asset of a symbol: "BTCUSDT" -> BTC, "BTCUSD_PERP" -> BTC, "BTC-USDT-SWAP" -> BTC, "SOL" -> SOL. */
export function baseOf(symbol: string): string {
  const head = symbol.split(/[-_/:]/)[0] ?? symbol;
  for (const quote of QUOTE_SUFFIXES) if (head.length > quote.length && head.endsWith(quote)) return head.slice(0, -quote.length);
  return head;
}
