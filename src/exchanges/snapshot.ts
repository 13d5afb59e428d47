// Account snapshots in the form of ../shared/vectors/README.md: validation and resolution into the margin
// model's AccountSnapshot. Bad input raises InputError naming the field and the reason; nothing else.
import { z } from 'zod';
import {
  MAX_INPUT_MAGNITUDE,
  faceValue,
  formatFixed,
  notional,
  toScaled,
  gt,
  isNegative,
  isPositive,
  parseFixed,
  rate,
  zero,
  type Money,
  type Rate,
} from '../domain/fixed.ts';
import { calendarDate } from '../schema/dates.ts';
import { decimal, decimalSchema, feeRate, nonNegativeDecimal } from '../schema/decimal.ts';
import { firstProblem, strictObject } from '../schema/fields.ts';
import { nameRecord } from '../schema/names.ts';
import { BracketRegistry, BracketTableError, nextMaintenanceAmount, validateBracketTable, type BracketTable } from '../domain/tiers.ts';
import { UnknownMarketError, baseOf, buildMarket, bundledBrackets, type MarketOverride } from './markets.ts';
import { InputError } from '../schema/input-error.ts';
import { EXCHANGE_RULES } from './profiles.ts';
import { contractSize as contractSizeOf, EXCHANGE_IDS, type AccountSnapshot, type ExchangeId, type FeeRates, type Leg, type Market } from './rules.ts';

const wholeNumber = z.number({ error: 'must be a whole number' }).int('must be a whole number');

const bracketSchema = strictObject({
  floor: decimal,
  cap: decimalSchema('1e19'), // the last bracket's cap is often int64's maximum, 9223372036854775807
  maintenanceMarginRate: decimal,
  maintenanceAmount: decimal.optional(),
  maxLeverage: wholeNumber.min(1, 'must be at least 1'),
});

/** One `markets` entry; the same schema object for snapshots, journals and simulator specs. */
export const marketSchema = strictObject({
  maxLeverage: wholeNumber.min(1, 'must be at least 1').optional(),
  contractSize: decimal.optional(),
  tickSize: decimal.optional(),
  stepSize: decimal.optional(),
  liquidationFeeRate: decimal.optional(),
  kind: z.enum(['linear', 'inverse']).optional(),
  settleAsset: z.string().min(1).optional(),
  brackets: z.array(bracketSchema).min(1, 'must list at least one bracket').optional(),
});

/** The `markets` object of snapshots, journals and specs: symbol (or base asset, in snapshots) -> entry. */
export const marketsSchema = nameRecord(marketSchema);

const positionSchema = strictObject({
  symbol: z.string({ error: 'must be a symbol such as "BTCUSDT"' }).min(1, 'must not be empty'),
  side: z.enum(['long', 'short'], { error: 'must be "long" or "short"' }),
  size: decimal,
  entryPrice: decimal,
  markPrice: decimal.optional(),
  marginMode: z.enum(['cross', 'isolated'], { error: 'must be "cross" or "isolated"' }),
  leverage: wholeNumber.min(1, 'must be at least 1'),
  isolatedMargin: nonNegativeDecimal.optional(),
  maintenance: strictObject({ rate: decimal, amount: decimal }).optional(),
});

export const snapshotSchema = strictObject({
  exchange: z.enum(EXCHANGE_IDS as [ExchangeId, ...ExchangeId[]], { error: `must be one of ${EXCHANGE_IDS.join(', ')}` }),
  positionMode: z.enum(['one-way', 'hedge'], { error: 'must be "one-way" or "hedge"' }).default('one-way'),
  walletBalance: nonNegativeDecimal.optional(),
  asOf: calendarDate.optional(),
  positions: z.array(positionSchema, { error: 'must be a list of positions' }),
  markets: marketsSchema.optional(),
  fees: strictObject({ taker: feeRate, maker: feeRate }).optional(),
});

export type SnapshotInput = z.infer<typeof snapshotSchema>;
export type MarketInput = z.infer<typeof marketSchema>;

/** Base-tier (VIP 0 / regular) fees per venue when a snapshot gives none. */
export const DEFAULT_FEES: Readonly<Record<ExchangeId, { taker: string; maker: string }>> = {
  // Binance USD-M regular: maker 0.0200 %, taker 0.0500 % (fee FAQ 360033544231)
  'binance-usdm': { taker: '0.0005', maker: '0.0002' },
  // COIN-M fee example uses taker 0.050 %, maker 0.02 % (same FAQ)
  'binance-coinm': { taker: '0.0005', maker: '0.0002' },
  // Bybit taker 0.055 % (UTA example, reference part 2 §6.3); maker 0.02 % [UNSURE]
  'bybit-linear': { taker: '0.00055', maker: '0.0002' },
  // Bybit inverse classic taker 0.075 % (inverse liquidation example, §6.1); maker 0.025 % rebate omitted [UNSURE]
  'bybit-inverse': { taker: '0.00075', maker: '0' },
  // OKX taker 0.05 % (coin-margined example, §7); maker 0.02 % [UNSURE]
  'okx-swap': { taker: '0.0005', maker: '0.0002' },
  // Hyperliquid base tier taker 0.045 %, maker 0.015 % [UNSURE: not in the reference]
  hyperliquid: { taker: '0.00045', maker: '0.00015' },
};

/** Parses JSON text into a snapshot, or throws InputError naming the field. */
export interface SnapshotOptions {
  /** Bracket tables to use instead of the bundled ones for their symbols (e.g. a ccxt import). */
  readonly brackets?: readonly BracketTable[];
}

export function parseSnapshotText(text: string, options: SnapshotOptions = {}): AccountSnapshot {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError('', `the input is not valid JSON (${(error as Error).message})`);
  }
  return resolveSnapshot(json, options);
}

export function resolveSnapshot(json: unknown, options: SnapshotOptions = {}): AccountSnapshot {
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success) {
    const { field, reason } = firstProblem(parsed.error);
    throw new InputError(field, reason);
  }
  const input = parsed.data;
  const exchange = input.exchange;
  const fees = parseFees(input.fees ?? DEFAULT_FEES[exchange]);
  const bundled = bundledBrackets(exchange);
  const imported = new BracketRegistry(options.brackets ?? []);
  const registry = {
    at: (symbol: string, date?: string) => imported.at(symbol, date) ?? bundled.at(symbol, date),
  };
  const marketCache = new Map<string, Market>();
  const seen = new Map<string, number>();
  const modeBySymbol = new Map<string, { mode: string; index: number }>();
  const legs: Leg[] = input.positions.map((pos, i) => {
    const at = `positions[${i}]`;
    const market = marketCache.get(pos.symbol) ?? resolveMarket(exchange, pos.symbol, input, registry, `${at}.symbol`);
    marketCache.set(pos.symbol, market);
    const size = positive<'Quantity'>(pos.size, `${at}.size`);
    const entryPrice = positive<'Price'>(pos.entryPrice, `${at}.entryPrice`);
    const markPrice = pos.markPrice === undefined ? entryPrice : positive<'Price'>(pos.markPrice, `${at}.markPrice`);
    // size and prices are each bounded at 1e15, their product is not: a notional beyond 1e15 is a typo
    const notionalUsd = market.kind === 'linear' ? notional(size, gt(markPrice, entryPrice) ? markPrice : entryPrice, 'halfEven') : faceValue(size, contractSizeOf(market));
    if (toScaled(notionalUsd) > toScaled(parseFixed(MAX_INPUT_MAGNITUDE))) {
      throw new InputError(`${at}.size`, `makes a notional of ${formatFixed(notionalUsd)}, above the ${MAX_INPUT_MAGNITUDE} perpguard accepts`);
    }
    if (pos.leverage > market.maxLeverage) {
      throw new InputError(`${at}.leverage`, `${pos.leverage}x is above the ${market.maxLeverage}x maximum of ${pos.symbol} on ${exchange}`);
    }
    const positionSide = input.positionMode === 'one-way' ? 'BOTH' : pos.side === 'long' ? 'LONG' : 'SHORT';
    const key = `${pos.symbol}/${positionSide}`;
    if (seen.has(key)) {
      throw new InputError(
        `${at}.symbol`,
        input.positionMode === 'one-way'
          ? `${pos.symbol} appears twice (positions[${seen.get(key)}]); one-way mode holds one position per symbol (use "positionMode": "hedge" for a long and a short)`
          : `${pos.symbol} ${pos.side} appears twice (positions[${seen.get(key)}])`,
      );
    }
    seen.set(key, i);
    const other = modeBySymbol.get(pos.symbol);
    if (other && other.mode !== pos.marginMode) {
      throw new InputError(`${at}.marginMode`, `${pos.symbol} is ${other.mode} in positions[${other.index}]; the margin mode is set per symbol`);
    }
    modeBySymbol.set(pos.symbol, { mode: pos.marginMode, index: i });
    let isolatedWallet: Money = zero();
    if (pos.marginMode === 'isolated') {
      if (pos.isolatedMargin === undefined) {
        throw new InputError(`${at}.isolatedMargin`, 'is required for an isolated position (the margin assigned to it)');
      }
      isolatedWallet = parseField<'Money'>(pos.isolatedMargin, `${at}.isolatedMargin`);
      if (isNegative(isolatedWallet)) throw new InputError(`${at}.isolatedMargin`, 'must not be negative');
    }
    if (!pos.maintenance) requireMaintenanceSource(exchange, market, `${at}.symbol`);
    let maintenance: Leg['maintenance'];
    if (pos.maintenance) {
      const mmr = parseField<'Rate'>(pos.maintenance.rate, `${at}.maintenance.rate`);
      if (isNegative(mmr) || !gt(rate('1'), mmr)) throw new InputError(`${at}.maintenance.rate`, 'must be a fraction in [0, 1), e.g. "0.004" for 0.4 %');
      maintenance = { rate: mmr, amount: parseField<'Money'>(pos.maintenance.amount, `${at}.maintenance.amount`) };
    }
    const leg: Leg = {
      symbol: pos.symbol,
      positionSide,
      side: pos.side === 'long' ? 1 : -1,
      size,
      entryPrice,
      markPrice,
      marginMode: pos.marginMode,
      leverage: pos.leverage,
      isolatedWallet,
      ...(maintenance ? { maintenance } : {}),
      market,
    };
    return leg;
  });
  const needsWallet = legs.some((l) => l.marginMode === 'cross');
  if (needsWallet && input.walletBalance === undefined) {
    throw new InputError('walletBalance', 'is required when any position is cross (the cross wallet balance)');
  }
  const crossWallet = input.walletBalance === undefined ? zero<'Money'>() : parseField<'Money'>(input.walletBalance, 'walletBalance');
  const settle = new Set(legs.map((l) => l.market.settleAsset));
  if (settle.size > 1) {
    throw new InputError('positions', `mixes settlement assets (${[...settle].join(', ')}); a snapshot is one wallet in one asset`);
  }
  return { exchange, positionMode: input.positionMode, crossWallet, legs, fees };
}

function parseFees(f: { taker: string; maker: string }): FeeRates {
  return { taker: parseField<'Rate'>(f.taker, 'fees.taker'), maker: parseField<'Rate'>(f.maker, 'fees.maker') };
}

function parseField<U extends string>(text: string, field: string) {
  try {
    return parseFixed<U>(text);
  } catch (error) {
    throw new InputError(field, (error as Error).message);
  }
}

function positive<U extends string>(text: string, field: string) {
  const value = parseField<U>(text, field);
  if (!isPositive(value)) throw new InputError(field, `must be above zero, got "${text}"`);
  return value;
}

function resolveMarket(
  exchange: ExchangeId,
  symbol: string,
  input: SnapshotInput,
  registry: Pick<BracketRegistry, 'at'>,
  field: string,
): Market {
  const key = input.markets?.[symbol] ? symbol : input.markets?.[baseOf(symbol)] ? baseOf(symbol) : undefined;
  const override = key === undefined ? undefined : parseMarketOverride(exchange, symbol, input.markets![key]!, `markets.${key}`);
  return marketOrInputError(exchange, symbol, override, input.asOf, field, registry);
}

/** A `markets` entry (of a snapshot, journal or spec) parsed into market facts; errors name the field. */
export function parseMarketOverride(exchange: ExchangeId, symbol: string, entry: MarketInput, field: string): MarketOverride {
  const rules = EXCHANGE_RULES[exchange];
  if (entry.kind !== undefined && !rules.kinds.includes(entry.kind)) throw new InputError(`${field}.kind`, `${exchange} has no ${entry.kind} contracts`);
  return {
    ...(entry.maxLeverage !== undefined ? { maxLeverage: entry.maxLeverage } : {}),
    ...(entry.contractSize !== undefined ? { contractSizeUsd: positive<'Usd'>(entry.contractSize, `${field}.contractSize`) } : {}),
    ...(entry.tickSize !== undefined ? { tickSize: positive<'Price'>(entry.tickSize, `${field}.tickSize`) } : {}),
    ...(entry.stepSize !== undefined ? { stepSize: positive<'Quantity'>(entry.stepSize, `${field}.stepSize`) } : {}),
    ...(entry.liquidationFeeRate !== undefined ? { liquidationFeeRate: parseField<'Rate'>(entry.liquidationFeeRate, `${field}.liquidationFeeRate`) } : {}),
    ...(entry.kind !== undefined ? { kind: entry.kind } : {}),
    ...(entry.settleAsset !== undefined ? { settleAsset: entry.settleAsset } : {}),
    ...(entry.brackets !== undefined ? { brackets: bracketsFromInput(symbol, entry.brackets, `${field}.brackets`) } : {}),
  };
}

/** buildMarket with its refusals as InputError on `field` (the position's or command's symbol). */
export function marketOrInputError(
  exchange: ExchangeId,
  symbol: string,
  override: MarketOverride | undefined,
  day: string | undefined,
  field: string,
  registry?: Pick<BracketRegistry, 'at'>,
): Market {
  try {
    return buildMarket(exchange, symbol, override, day, registry);
  } catch (error) {
    if (error instanceof UnknownMarketError) throw new InputError(error.missing && !field.includes('markets') ? `markets.${symbol}` : field, error.message);
    throw error;
  }
}

/**
 * Every venue but Hyperliquid (whose maintenance follows from the max leverage) needs a bracket table for a
 * position's maintenance margin: refuse up front, naming the symbol, instead of failing in the margin math.
 */
export function requireMaintenanceSource(exchange: ExchangeId, market: Market, field: string): void {
  if (exchange === 'hyperliquid' || market.brackets || market.sizeTiers) return;
  throw new InputError(field, `no bundled maintenance bracket table for ${market.symbol} on ${exchange}: give "markets.${market.symbol}.brackets" (or a position's "maintenance" {rate, amount})`);
}

/**
 * Every entry of a `markets` object as a market, keyed by symbol (journals and specs: their keys are
 * symbols; the engine looks markets up by symbol). Bracket tables in force on `day` (newest without).
 */
export function resolveMarkets(exchange: ExchangeId, markets: Record<string, MarketInput> | undefined, day?: string, field = 'markets'): Market[] {
  if (!markets) return [];
  return Object.entries(markets).map(([symbol, entry]) =>
    marketOrInputError(exchange, symbol, parseMarketOverride(exchange, symbol, entry, `${field}.${symbol}`), day, `${field}.${symbol}`),
  );
}

/** A table given in a snapshot; a missing maintenance amount follows from the recurrence. */
function bracketsFromInput(symbol: string, rows: NonNullable<MarketInput['brackets']>, field: string): BracketTable {
  let previousRate: Rate = zero();
  let previousAmount: Money = zero();
  const brackets = rows.map((row, i) => {
    const floor = parseField<'Money'>(row.floor, `${field}[${i}].floor`);
    const mmr = parseField<'Rate'>(row.maintenanceMarginRate, `${field}[${i}].maintenanceMarginRate`);
    const amount =
      row.maintenanceAmount !== undefined
        ? parseField<'Money'>(row.maintenanceAmount, `${field}[${i}].maintenanceAmount`)
        : i === 0
          ? zero<'Money'>()
          : nextMaintenanceAmount(previousAmount, floor, mmr, previousRate);
    previousRate = mmr;
    previousAmount = amount;
    return {
      bracket: i + 1,
      floor,
      cap: parseField<'Money'>(row.cap, `${field}[${i}].cap`),
      maintenanceMarginRate: mmr,
      maintenanceAmount: amount,
      maxLeverage: row.maxLeverage,
    };
  });
  try {
    return validateBracketTable({ symbol, effectiveFrom: '1970-01-01', source: 'snapshot', boundary: 'floor-inclusive', brackets });
  } catch (error) {
    if (error instanceof BracketTableError) throw new InputError(field, error.message);
    throw error;
  }
}

