// The workload's markets (per venue: symbols, ticks, steps, reference prices, funds) and the state a
// workload configuration starts from (the journal setup plus a modelled ADL counterparty book).
import { parseFixed, toScaled, type Price } from '../domain/fixed.ts';
import type { ExchangeId } from '../exchanges/rules.ts';
import { stateOfSetup } from '../engine/journal.ts';
import type { Transfer } from '../engine/ledger.ts';
import type { CounterpartyPosition, EngineState } from '../engine/state.ts';

// ------------------------------------------------------------------------------------------- markets

export interface SymbolSpec {
  readonly symbol: string;
  /** Inverse only: USD face value of one contract (quantities are contracts). */
  readonly contractUsd?: number;
  /** Tick and step in 1e-8 units (prices) and as decimals (quantities). */
  readonly tickUnits: number;
  readonly stepDecimals: number;
  /** Reference price in 1e-8 units: marks revert toward it so a long run keeps realistic prices. */
  readonly baseUnits: number;
  readonly maxLeverage: number;
}

export const UNIT = 1e8;
/** binance-usdm bundled markets: ticks 0.1 / 0.01 / 0.01, steps 0.001 / 0.001 / 1, bracket-1 max leverage 125 / 125 / 100. */
export const SYMBOLS: readonly SymbolSpec[] = [
  { symbol: 'BTCUSDT', tickUnits: 0.1 * UNIT, stepDecimals: 3, baseUnits: 60_000 * UNIT, maxLeverage: 125 },
  { symbol: 'ETHUSDT', tickUnits: 0.01 * UNIT, stepDecimals: 3, baseUnits: 3_000 * UNIT, maxLeverage: 125 },
  { symbol: 'SOLUSDT', tickUnits: 0.01 * UNIT, stepDecimals: 0, baseUnits: 150 * UNIT, maxLeverage: 100 },
];
export const USERS = ['a', 'b', 'c', 'd'] as const;

/**
 * A venue the workload runs on: its symbols (all settled in `asset`), fees, funds and amounts in the
 * asset's units. `deep` turns on the deep tier's extremes: funding rates up to +-1 % with explicit funding
 * times (a few sent twice, to be refused), crashes of x0.01 and x100, fractional leverage requests.
 */
export interface VenueSpec {
  readonly name: string;
  readonly exchange: ExchangeId;
  readonly asset: string;
  readonly symbols: readonly SymbolSpec[];
  readonly fees: { readonly taker: string; readonly maker: string };
  /** Insurance fund seeds: large covers everything, small runs dry. */
  readonly funds: { readonly large: string; readonly small: string };
  /** Deposits: integer counts of 10^-cashDecimals between cashMin and cashMax. */
  readonly cashDecimals: number;
  readonly cashMin: number;
  readonly cashMax: number;
  /** USD value of one unit of the asset at the reference prices (1 for stablecoins). */
  readonly usdPerUnit: number;
  readonly deep: boolean;
}

/** The normal tier's venue: binance-usdm, taker 0.05 %, maker 0.02 %. */
export const BINANCE_USDM: VenueSpec = {
  name: 'binance-usdm',
  exchange: 'binance-usdm',
  asset: 'USDT',
  symbols: SYMBOLS,
  fees: { taker: '0.0005', maker: '0.0002' },
  funds: { large: '100000000', small: '20000' },
  cashDecimals: 2,
  cashMin: 200_000,
  cashMax: 6_000_000,
  usdPerUnit: 1,
  deep: false,
};

/**
 * The deep tier's venues (linear and inverse), each with a maker REBATE (negative maker fee). Ticks, steps
 * and max leverage are the bundled markets' (src/exchanges/markets.ts); the bracket tables are the bundled
 * ones of each venue.
 */
export const DEEP_VENUES: readonly VenueSpec[] = [
  { ...BINANCE_USDM, name: 'binance-usdm', fees: { taker: '0.0005', maker: '-0.0001' }, deep: true },
  {
    name: 'binance-coinm BTC',
    exchange: 'binance-coinm',
    asset: 'BTC',
    symbols: [{ symbol: 'BTCUSD_PERP', contractUsd: 100, tickUnits: 0.1 * UNIT, stepDecimals: 0, baseUnits: 60_000 * UNIT, maxLeverage: 125 }],
    fees: { taker: '0.0005', maker: '-0.00005' },
    funds: { large: '2000', small: '0.3' },
    cashDecimals: 8,
    cashMin: 3_000_000,
    cashMax: 100_000_000,
    usdPerUnit: 60_000,
    deep: true,
  },
  {
    name: 'okx-swap USDT',
    exchange: 'okx-swap',
    asset: 'USDT',
    symbols: [
      { symbol: 'BTC-USDT-SWAP', tickUnits: 0.1 * UNIT, stepDecimals: 4, baseUnits: 60_000 * UNIT, maxLeverage: 100 },
      { symbol: 'ETH-USDT-SWAP', tickUnits: 0.01 * UNIT, stepDecimals: 3, baseUnits: 3_000 * UNIT, maxLeverage: 100 },
      { symbol: 'SOL-USDT-SWAP', tickUnits: 0.01 * UNIT, stepDecimals: 2, baseUnits: 150 * UNIT, maxLeverage: 75 },
    ],
    fees: { taker: '0.0005', maker: '-0.00005' },
    funds: { large: '100000000', small: '20000' },
    cashDecimals: 2,
    cashMin: 200_000,
    cashMax: 6_000_000,
    usdPerUnit: 1,
    deep: true,
  },
  {
    name: 'okx-swap BTC (inverse)',
    exchange: 'okx-swap',
    asset: 'BTC',
    symbols: [{ symbol: 'BTC-USD-SWAP', contractUsd: 100, tickUnits: 0.1 * UNIT, stepDecimals: 0, baseUnits: 60_000 * UNIT, maxLeverage: 125 }],
    fees: { taker: '0.0005', maker: '-0.00005' },
    funds: { large: '2000', small: '0.3' },
    cashDecimals: 8,
    cashMin: 3_000_000,
    cashMax: 100_000_000,
    usdPerUnit: 60_000,
    deep: true,
  },
  {
    name: 'bybit-linear',
    exchange: 'bybit-linear',
    asset: 'USDT',
    symbols: [
      { symbol: 'BTCUSDT', tickUnits: 0.1 * UNIT, stepDecimals: 3, baseUnits: 60_000 * UNIT, maxLeverage: 100 },
      { symbol: 'ETHUSDT', tickUnits: 0.01 * UNIT, stepDecimals: 2, baseUnits: 3_000 * UNIT, maxLeverage: 100 },
      { symbol: 'SOLUSDT', tickUnits: 0.01 * UNIT, stepDecimals: 1, baseUnits: 150 * UNIT, maxLeverage: 100 },
    ],
    fees: { taker: '0.00055', maker: '-0.00005' },
    funds: { large: '100000000', small: '20000' },
    cashDecimals: 2,
    cashMin: 200_000,
    cashMax: 6_000_000,
    usdPerUnit: 1,
    deep: true,
  },
  {
    name: 'bybit-inverse BTC',
    exchange: 'bybit-inverse',
    asset: 'BTC',
    symbols: [{ symbol: 'BTCUSD', contractUsd: 1, tickUnits: 0.5 * UNIT, stepDecimals: 0, baseUnits: 60_000 * UNIT, maxLeverage: 100 }],
    fees: { taker: '0.00055', maker: '-0.00005' },
    funds: { large: '2000', small: '0.3' },
    cashDecimals: 8,
    cashMin: 3_000_000,
    cashMax: 100_000_000,
    usdPerUnit: 60_000,
    deep: true,
  },
  {
    name: 'hyperliquid',
    exchange: 'hyperliquid',
    asset: 'USDC',
    symbols: [
      { symbol: 'BTC', tickUnits: 1 * UNIT, stepDecimals: 5, baseUnits: 60_000 * UNIT, maxLeverage: 40 },
      { symbol: 'ETH', tickUnits: 0.1 * UNIT, stepDecimals: 4, baseUnits: 3_000 * UNIT, maxLeverage: 25 },
      { symbol: 'SOL', tickUnits: 0.01 * UNIT, stepDecimals: 2, baseUnits: 150 * UNIT, maxLeverage: 20 },
    ],
    fees: { taker: '0.00045', maker: '-0.00002' },
    funds: { large: '100000000', small: '20000' },
    cashDecimals: 2,
    cashMin: 200_000,
    cashMax: 6_000_000,
    usdPerUnit: 1,
    deep: true,
  },
];

/** An integer count of 10^-decimals as an exact decimal string ("12345", 2 -> "123.45"). */
export function decimalOf(count: number, decimals: number): string {
  if (!Number.isSafeInteger(count)) throw new RangeError(`not a safe integer: ${count}`);
  const negative = count < 0;
  const digits = String(Math.abs(count)).padStart(decimals + 1, '0');
  const text = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  return (negative ? '-' : '') + text;
}

export const priceText = (units: number): string => decimalOf(Math.round(units), 8);
export const unitsOfPrice = (p: Price): number => Number(toScaled(p) / 10n ** 10n);

// ------------------------------------------------------------------------------------------- setup

export interface WorkloadConfig {
  readonly seed: number;
  /** binance-usdm (the normal tier's) unless given. */
  readonly venue?: VenueSpec;
  /** Insurance fund at the start: a large fund, a small one that runs dry, or none (every deficit goes to ADL). */
  readonly insuranceFund: 'large' | 'small' | 'empty';
}

/** The configuration a seed stands for: the fund cycles large, small, empty with the seed. */
export function configOfSeed(seed: number, venue?: VenueSpec): WorkloadConfig {
  return { seed, insuranceFund: (['large', 'small', 'empty'] as const)[seed % 3]!, ...(venue ? { venue } : {}) };
}

/** The journal setup a configuration starts from (what a failing seed's regression journal carries). */
export function setupOf(config: WorkloadConfig): { exchange: ExchangeId; fees: { taker: string; maker: string }; insuranceFund?: string } {
  const venue = config.venue ?? BINANCE_USDM;
  const fund = config.insuranceFund === 'empty' ? undefined : venue.funds[config.insuranceFund];
  return { exchange: venue.exchange, fees: { ...venue.fees }, ...(fund ? { insuranceFund: fund } : {}) };
}

/** The engine state the workload starts from: binance-usdm, taker 0.05 %, maker 0.02 %, a seeded insurance fund and an ADL book. */
export function workloadStart(config: WorkloadConfig): { state: EngineState; transfers: Transfer[] } {
  // large: enough to cover every deficit of a run; small: runs dry, so cover and ADL alternate
  const { state, transfers } = stateOfSetup(setupOf(config));
  // the deep tier replays from journals, which carry no counterparty book: ADL then reports its amount
  // as unallocated (balances are the same either way)
  if (config.venue?.deep) return { state, transfers };
  // the modelled counterparty book that auto-deleveraging draws on: a few longs and shorts per symbol,
  // small enough that a run of bankruptcies exhausts it (then the ADL event reports an unallocated rest)
  const book: CounterpartyPosition[] = [];
  for (const spec of config.venue?.symbols ?? SYMBOLS) {
    for (const [i, side, leverage, entryFactor] of [
      [1, 1, 10, 0.8],
      [2, 1, 50, 1.1],
      [3, -1, 20, 1.2],
      [4, -1, 5, 0.9],
    ] as const) {
      const entryUnits = Math.round((spec.baseUnits * entryFactor) / spec.tickUnits) * spec.tickUnits;
      const sizeSteps = Math.max(1, Math.round((200_000 * UNIT) / entryUnits * 10 ** spec.stepDecimals));
      book.push({
        id: `cp-${spec.symbol}-${i}`,
        symbol: spec.symbol,
        side,
        size: parseFixed<'Quantity'>(decimalOf(sizeSteps, spec.stepDecimals)),
        entryPrice: parseFixed<'Price'>(priceText(entryUnits)),
        leverage,
      });
    }
  }
  state.counterparties = book;
  return { state, transfers };
}
