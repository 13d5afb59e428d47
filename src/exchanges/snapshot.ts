// Account snapshots in the form of ../shared/vectors/README.md: validation and resolution into the margin
// model's AccountSnapshot. Bad input raises InputError naming the field and the reason; nothing else.
import { z } from 'zod';
import {
  decimalProblem,
  gt,
  isNegative,
  isPositive,
  parseFixed,
  rate,
  zero,
  type Money,
  type Rate,
} from '../domain/fixed.ts';
import { BracketRegistry, BracketTableError, nextMaintenanceAmount, validateBracketTable, type BracketTable } from '../domain/tiers.ts';
import { DEFAULT_MARKETS, baseOf, bundledBrackets, type MarketDefaults } from './markets.ts';
import { EXCHANGE_RULES } from './profiles.ts';
import { EXCHANGE_IDS, type AccountSnapshot, type ExchangeId, type FeeRates, type Leg, type Market } from './rules.ts';

export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    readonly field: string,
    readonly reason: string,
  ) {
    super(field ? `${field}: ${reason}` : reason);
  }
}

const decimal = z.string({ error: (issue) => decimalProblem(issue.input) ?? 'must be a decimal string' }).check((ctx) => {
  const problem = decimalProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});
const wholeNumber = z.number({ error: 'must be a whole number' }).int('must be a whole number');

const bracketSchema = z.object({
  floor: decimal,
  cap: decimal,
  maintenanceMarginRate: decimal,
  maintenanceAmount: decimal.optional(),
  maxLeverage: wholeNumber.min(1, 'must be at least 1'),
});

const marketSchema = z.object({
  maxLeverage: wholeNumber.min(1, 'must be at least 1').optional(),
  contractSize: decimal.optional(),
  tickSize: decimal.optional(),
  stepSize: decimal.optional(),
  liquidationFeeRate: decimal.optional(),
  kind: z.enum(['linear', 'inverse']).optional(),
  settleAsset: z.string().min(1).optional(),
  brackets: z.array(bracketSchema).min(1, 'must list at least one bracket').optional(),
});

const positionSchema = z.object({
  symbol: z.string({ error: 'must be a symbol such as "BTCUSDT"' }).min(1, 'must not be empty'),
  side: z.enum(['long', 'short'], { error: 'must be "long" or "short"' }),
  size: decimal,
  entryPrice: decimal,
  markPrice: decimal.optional(),
  marginMode: z.enum(['cross', 'isolated'], { error: 'must be "cross" or "isolated"' }),
  leverage: wholeNumber.min(1, 'must be at least 1'),
  isolatedMargin: decimal.optional(),
  maintenance: z.object({ rate: decimal, amount: decimal }).optional(),
});

export const snapshotSchema = z.object({
  exchange: z.enum(EXCHANGE_IDS as [ExchangeId, ...ExchangeId[]], { error: `must be one of ${EXCHANGE_IDS.join(', ')}` }),
  positionMode: z.enum(['one-way', 'hedge'], { error: 'must be "one-way" or "hedge"' }).default('one-way'),
  walletBalance: decimal.optional(),
  asOf: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').optional(),
  positions: z.array(positionSchema, { error: 'must be a list of positions' }),
  markets: z.record(z.string(), marketSchema).optional(),
  fees: z.object({ taker: decimal, maker: decimal }).optional(),
});

export type SnapshotInput = z.infer<typeof snapshotSchema>;

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

/** Formats a zod path as `positions[0].size`. */
export function fieldOf(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += (out ? '.' : '') + String(part);
  }
  return out;
}

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
    const issue = parsed.error.issues[0]!;
    throw new InputError(fieldOf(issue.path), issue.message);
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
    const market = marketCache.get(pos.symbol) ?? resolveMarket(exchange, pos.symbol, input, registry);
    marketCache.set(pos.symbol, market);
    const size = positive<'Quantity'>(pos.size, `${at}.size`);
    const entryPrice = positive<'Price'>(pos.entryPrice, `${at}.entryPrice`);
    const markPrice = pos.markPrice === undefined ? entryPrice : positive<'Price'>(pos.markPrice, `${at}.markPrice`);
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
): Market {
  const overrides = input.markets?.[symbol] ?? input.markets?.[baseOf(symbol)];
  const overrideField = input.markets?.[symbol] ? `markets.${symbol}` : `markets.${baseOf(symbol)}`;
  const known = DEFAULT_MARKETS[exchange].find((m) => m.symbol === symbol);
  const rules = EXCHANGE_RULES[exchange];
  const kind = overrides?.kind ?? known?.kind ?? rules.kinds[0]!;
  if (!rules.kinds.includes(kind)) throw new InputError(`${overrideField}.kind`, `${exchange} has no ${kind} contracts`);
  const base: MarketDefaults = known ?? {
    symbol,
    base: baseOf(symbol),
    kind,
    settleAsset: kind === 'inverse' ? baseOf(symbol) : exchange === 'hyperliquid' ? 'USDC' : 'USDT',
    tickSize: parseFixed('0.00000001'),
    stepSize: parseFixed('0.00000001'),
    maxLeverage: 125,
    liquidationFeeRate: zero(),
  };
  let brackets: BracketTable | undefined;
  let extrapolated = false;
  if (overrides?.brackets) {
    brackets = bracketsFromInput(symbol, overrides.brackets, `${overrideField}.brackets`);
  } else {
    const found = registry.at(symbol, input.asOf);
    if (found) {
      brackets = found.table;
      extrapolated = found.extrapolated;
    }
  }
  const contractSize = overrides?.contractSize ? positive<'Usd'>(overrides.contractSize, `${overrideField}.contractSize`) : base.contractSizeUsd;
  if (kind === 'inverse' && contractSize === undefined) {
    throw new InputError(`${overrideField}.contractSize`, `is required for the inverse market ${symbol} (USD per contract)`);
  }
  const maxLeverage = overrides?.maxLeverage ?? brackets?.brackets[0]?.maxLeverage ?? base.maxLeverage;
  return {
    symbol,
    kind,
    settleAsset: overrides?.settleAsset ?? base.settleAsset,
    ...(contractSize !== undefined ? { contractSizeUsd: contractSize } : {}),
    tickSize: overrides?.tickSize ? positive<'Price'>(overrides.tickSize, `${overrideField}.tickSize`) : base.tickSize,
    stepSize: overrides?.stepSize ? positive<'Quantity'>(overrides.stepSize, `${overrideField}.stepSize`) : base.stepSize,
    maxLeverage,
    liquidationFeeRate: overrides?.liquidationFeeRate
      ? parseField<'Rate'>(overrides.liquidationFeeRate, `${overrideField}.liquidationFeeRate`)
      : base.liquidationFeeRate,
    ...(brackets ? { brackets, bracketsExtrapolated: extrapolated } : {}),
  };
}

/** A table given in a snapshot; a missing maintenance amount follows from the recurrence. */
function bracketsFromInput(symbol: string, rows: NonNullable<z.infer<typeof marketSchema>['brackets']>, field: string): BracketTable {
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

