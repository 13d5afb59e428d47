// Default market facts per venue and the bundled bracket tables.
//
// Tick and step sizes are the exchanges' PRICE_FILTER / LOT_SIZE values as listed by their public
// exchange-info endpoints; they are used only to round displayed prices and order quantities, never inside
// the margin math. Where a value is not in ../shared/reference it is marked [UNSURE] and a snapshot's
// "markets" entry overrides it.
import { fromInt, parseFixed, rate, type Price, type Quantity, type Rate, type Usd } from '../domain/fixed.ts';
import { BracketRegistry, bracketTableFromSpec, type BracketTable, type BracketTableSpec } from '../domain/tiers.ts';
import type { ContractKind } from '../domain/solver.ts';
import { binanceCoinmBracketSpecs } from './data/binance-coinm-brackets.ts';
import { binanceUsdmBracketSpecs } from './data/binance-usdm-brackets.ts';
import { bybitInverseTierSpecs } from './data/bybit-inverse-tiers.ts';
import { bybitLinearTierSpecs } from './data/bybit-linear-tiers.ts';
import { hyperliquidTierSpecs } from './data/hyperliquid-tiers.ts';
import { okxSwapTierSpecs } from './data/okx-swap-tiers.ts';
import type { ExchangeId, Market } from './rules.ts';

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
  // ctVal BTC-USDT-SWAP 0.01 BTC, ETH-USDT-SWAP 0.1 ETH, BTC-USD-SWAP 100 USD (nautilus_trader OKX instruments
  // fixture, tiers.md §2); perpguard sizes linear swaps in base quantity (contracts x ctVal), inverse in
  // contracts. SOL-USDT-SWAP 1 SOL and SOL-USD-SWAP 10 USD per contract, ticks 0.01 [UNSURE].
  'okx-swap': [
    linear('BTC-USDT-SWAP', 'BTC', 'USDT', '0.1', '0.0001', 100),
    linear('ETH-USDT-SWAP', 'ETH', 'USDT', '0.01', '0.001', 100),
    linear('SOL-USDT-SWAP', 'SOL', 'USDT', '0.01', '0.01', 75),
    inverse('BTC-USD-SWAP', 'BTC', 100, '0.1', 125),
    inverse('SOL-USD-SWAP', 'SOL', 10, '0.01', 75),
  ],
  // Hyperliquid max leverage BTC 40, ETH 25, SOL 20 (2025 listing) [UNSURE]; prices have 5 significant figures
  hyperliquid: [
    linear('BTC', 'BTC', 'USDC', '1', '0.00001', 40),
    linear('ETH', 'ETH', 'USDC', '0.1', '0.0001', 25),
    linear('SOL', 'SOL', 'USDC', '0.01', '0.01', 20),
  ],
};

/** The bundled tables of each venue (src/exchanges/data/, each file quoting its sources and dates). */
const BUNDLED_SPECS: Readonly<Record<ExchangeId, readonly BracketTableSpec[]>> = {
  'binance-usdm': binanceUsdmBracketSpecs,
  'binance-coinm': binanceCoinmBracketSpecs,
  'bybit-linear': bybitLinearTierSpecs,
  'bybit-inverse': bybitInverseTierSpecs,
  'okx-swap': okxSwapTierSpecs,
  hyperliquid: hyperliquidTierSpecs,
};

const registries = new Map<ExchangeId, BracketRegistry>();

/** Dated bracket tables bundled per venue, validated once (the registry is read-only after that). */
export function bundledBrackets(exchange: ExchangeId): BracketRegistry {
  let registry = registries.get(exchange);
  if (!registry) {
    registry = new BracketRegistry(BUNDLED_SPECS[exchange].map(bracketTableFromSpec));
    registries.set(exchange, registry);
  }
  return registry;
}

/** A symbol written without separators and without OKX's -SWAP / Binance's _PERP: BTC-USDT-SWAP -> BTCUSDT. */
function compactSymbol(symbol: string): string {
  return symbol.toUpperCase().replace(/(-SWAP|_PERP)$/, '').replace(/[-_/]/g, '');
}

/**
 * The bundled market a symbol names on a venue: its own listing, else the one listing with the same
 * base and quote written the venue's way ("ETHUSDT" on okx-swap is ETH-USDT-SWAP, as ccxt and freqtrade
 * name it). The position keeps the name it was given; only the market facts and tables are shared.
 */
export function findBundledMarket(exchange: ExchangeId, symbol: string): MarketDefaults | undefined {
  const markets = DEFAULT_MARKETS[exchange];
  const exact = markets.find((m) => m.symbol === symbol);
  if (exact) return exact;
  const compact = compactSymbol(symbol);
  const same = markets.filter((m) => compactSymbol(m.symbol) === compact);
  return same.length === 1 ? same[0] : undefined;
}

/** Market facts given by the user (a snapshot's, journal's or spec's `markets` entry), already parsed. */
export interface MarketOverride {
  readonly maxLeverage?: number;
  readonly contractSizeUsd?: Usd;
  readonly tickSize?: Price;
  readonly stepSize?: Quantity;
  readonly liquidationFeeRate?: Rate;
  readonly kind?: ContractKind;
  readonly settleAsset?: string;
  readonly brackets?: BracketTable;
}

/** A symbol that is neither bundled nor described by a `markets` entry, or one described too thinly. */
export class UnknownMarketError extends Error {
  override readonly name = 'UnknownMarketError';
  constructor(
    readonly exchange: ExchangeId,
    readonly symbol: string,
    readonly missing?: string,
  ) {
    super(
      missing
        ? `${symbol} is not a bundled market of ${exchange}; its "markets" entry must give ${missing}`
        : `${symbol} is not a bundled market of ${exchange} (bundled: ${DEFAULT_MARKETS[exchange].map((m) => m.symbol).join(', ')}); describe it under "markets" (maxLeverage or brackets, contractSize for inverse)`,
    );
  }
}

/**
 * The one place a market is put together, for snapshots, journals, specs and the engine: the bundled
 * defaults, the user's override on top, and the bracket table (the override's, else the bundled one in
 * force on `day`, newest without a day). No invented defaults: an unknown symbol needs a `markets` entry
 * with a max leverage (or brackets, or a bundled table) and, if inverse, a contract size. A bundled table
 * with basis 'size' (OKX) becomes `sizeTiers`, never `brackets` (whose caps are notional).
 */
export function buildMarket(
  exchange: ExchangeId,
  symbol: string,
  override: MarketOverride | undefined,
  day?: string,
  registry: Pick<BracketRegistry, 'at'> = bundledBrackets(exchange),
): Market {
  const known = findBundledMarket(exchange, symbol);
  if (!known && !override) throw new UnknownMarketError(exchange, symbol);
  const kind = override?.kind ?? known?.kind ?? (exchange === 'binance-coinm' || exchange === 'bybit-inverse' ? 'inverse' : 'linear');
  let table: BracketTable | undefined;
  let extrapolated = false;
  if (override?.brackets) table = override.brackets;
  // Hyperliquid: a max leverage alone is a one-tier margin table ("for IDs less than 50, there is a single
  // tier with max leverage equal to the ID"), so it replaces the bundled tiers rather than capping them.
  else if (!(exchange === 'hyperliquid' && override?.maxLeverage !== undefined)) {
    const found = registry.at(symbol, day) ?? (known && known.symbol !== symbol ? registry.at(known.symbol, day) : undefined);
    if (found) {
      table = found.table;
      extrapolated = found.extrapolated;
    }
  }
  const maxLeverage = override?.maxLeverage ?? table?.brackets[0]?.maxLeverage ?? known?.maxLeverage;
  if (maxLeverage === undefined) throw new UnknownMarketError(exchange, symbol, 'maxLeverage or brackets');
  const contractSizeUsd = override?.contractSizeUsd ?? known?.contractSizeUsd;
  if (kind === 'inverse' && contractSizeUsd === undefined) throw new UnknownMarketError(exchange, symbol, 'contractSize (USD per contract)');
  const base = baseOf(symbol);
  const tableField = table === undefined ? {} : table.basis === 'size' ? { sizeTiers: table } : { brackets: table, bracketsExtrapolated: extrapolated };
  return {
    symbol,
    kind,
    settleAsset: override?.settleAsset ?? known?.settleAsset ?? (kind === 'inverse' ? base : exchange === 'hyperliquid' ? 'USDC' : 'USDT'),
    ...(contractSizeUsd !== undefined ? { contractSizeUsd } : {}),
    // without a tick or step the figures are shown unrounded (8 decimals); they never enter the margin math
    tickSize: override?.tickSize ?? known?.tickSize ?? parseFixed('0.00000001'),
    stepSize: override?.stepSize ?? known?.stepSize ?? parseFixed('0.00000001'),
    maxLeverage,
    liquidationFeeRate: override?.liquidationFeeRate ?? known?.liquidationFeeRate ?? rate('0'),
    ...tableField,
  };
}

const QUOTE_SUFFIXES = ['USDT', 'USDC', 'USD', 'BUSD'];

/** The base asset of a symbol: "BTCUSDT" -> BTC, "BTCUSD_PERP" -> BTC, "BTC-USDT-SWAP" -> BTC, "SOL" -> SOL. */
export function baseOf(symbol: string): string {
  const head = symbol.split(/[-_/:]/)[0] ?? symbol;
  for (const quote of QUOTE_SUFFIXES) if (head.length > quote.length && head.endsWith(quote)) return head.slice(0, -quote.length);
  return head;
}
