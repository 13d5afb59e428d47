// Portfolio and strategy specs (JSON or YAML, see examples/*.yaml and the README): a starting wallet,
// legs, and a strategy that decides what the account does bar by bar. The same spec runs under
// all-isolated, all-cross and as-specified (mixed) margin, side by side.
import { z } from 'zod';
import { decimal, feeRate, nonNegativeDecimal, positiveDecimal } from '../schema/decimal.ts';
import { firstProblem, strictObject } from '../schema/fields.ts';
import { ownEntry } from '../schema/names.ts';
import { EXCHANGE_IDS, type ExchangeId, type Market } from '../exchanges/rules.ts';
import { marketOrInputError, marketsSchema, requireMaintenanceSource, resolveMarkets } from '../exchanges/snapshot.ts';
import { InputError } from '../schema/input-error.ts';

const priceLevel = z.union(
  [
    strictObject({ percent: positiveDecimal }), // distance from entry, in percent
    strictObject({ price: positiveDecimal }),
  ],
  { error: 'must be { percent: "3" } (distance from entry) or { price: "48000" }' },
);

const size = z.union(
  [
    strictObject({ notional: positiveDecimal }), // quote value at entry
    strictObject({ margin: positiveDecimal }), // initial margin: notional = margin x leverage
    strictObject({ riskPercent: positiveDecimal }), // of the wallet, lost if the stop-loss fills
  ],
  { error: 'must be one of { notional: "5000" }, { margin: "500" } or { riskPercent: "2" }, each a positive decimal string' },
);

/** A fraction in [0, 1] (ratios of the strategies and the ruin threshold). */
const fraction = decimal.refine((t) => !t.trim().startsWith('-') && Number(t) <= 1, { error: (issue) => `must be a fraction from 0 to 1, got "${String(issue.input)}"` });

export const legSchema = strictObject({
  symbol: z.string().min(1),
  side: z.enum(['long', 'short']),
  size,
  // whole, or in 0.01 steps where the venue allows it (Bybit, OKX); apply() checks the venue's step
  leverage: z.number().min(1).multipleOf(0.01),
  marginMode: z.enum(['isolated', 'cross']).default('cross'),
  /** Isolated only: margin to assign instead of notional / leverage (the seed's "safety net"). */
  isolatedMargin: nonNegativeDecimal.optional(),
  stopLoss: priceLevel.optional(),
  takeProfit: priceLevel.optional(),
  /** Role for mode advice and reports: core, speculative or hedge. */
  role: z.enum(['core', 'speculative', 'hedge']).default('core'),
});

export const strategySchema = z.discriminatedUnion('kind', [
  strictObject({ kind: z.literal('hold') }),
  strictObject({
    kind: z.literal('margin-chaser'),
    /** Top up an isolated position when its margin ratio (MM / margin balance) reaches this. */
    triggerRatio: fraction.default('0.8'),
    /** Each top-up, as a fraction of the position's initial margin. */
    topUpFraction: positiveDecimal.default('0.5'),
    maxTopUps: z.number().int().min(1).default(20),
  }),
  strictObject({
    kind: z.literal('breakout'),
    /** Enter when the close breaks the high (long) or low (short) of the previous N bars. */
    lookbackBars: z.number().int().min(2).default(20),
    /** Once the trade is this far in profit (percent), move it to cross margin (close and reopen). */
    confirmPercent: decimal.default('2'),
  }),
  strictObject({
    kind: z.literal('dca'),
    /** Add the leg's size again every N bars, at most `buys` times. */
    everyBars: z.number().int().min(1).default(60),
    buys: z.number().int().min(1).default(5),
  }),
]);

export const specSchema = strictObject({
  name: z.string().default('portfolio'),
  exchange: z.enum(EXCHANGE_IDS as [ExchangeId, ...ExchangeId[]]).default('binance-usdm'),
  wallet: positiveDecimal,
  fees: strictObject({ taker: feeRate, maker: feeRate }).optional(),
  marginCallRatio: fraction.optional(),
  /** Equity below this fraction of the starting wallet counts as ruin (Monte Carlo). */
  ruinFraction: fraction.default('0.5'),
  legs: z.array(legSchema).min(1, 'must have at least one leg'),
  strategy: strategySchema.default({ kind: 'hold' }),
  /** Markets beyond the venue's bundled ones, or facts replacing theirs: the snapshot's `markets` schema. */
  markets: marketsSchema.optional(),
});

export type Spec = z.infer<typeof specSchema>;
export type LegSpec = z.infer<typeof legSchema>;
export type StrategySpec = z.infer<typeof strategySchema>;

/** The three ways one spec is run. */
export type ModeName = 'isolated' | 'cross' | 'mixed';
export const MODES: readonly ModeName[] = ['isolated', 'cross', 'mixed'];

/** The legs as run under a mode: every leg's margin mode forced, or as specified. */
export function legsUnder(spec: Spec, mode: ModeName): LegSpec[] {
  if (mode === 'mixed') return spec.legs;
  return spec.legs.map((l) => ({ ...l, marginMode: mode, ...(mode === 'cross' ? { isolatedMargin: undefined } : {}) }));
}

export class SpecError extends Error {
  override readonly name = 'SpecError';
}

export function parseSpec(json: unknown): Spec {
  const parsed = specSchema.safeParse(json);
  if (!parsed.success) {
    const { field, reason } = firstProblem(parsed.error);
    throw new SpecError(`${field || 'spec'}: ${reason}`);
  }
  const spec = parsed.data;
  try {
    const markets = resolveSpecMarkets(spec);
    // every leg's symbol is a market of the venue or described under "markets" (names are data: own keys only)
    spec.legs.forEach((leg, i) => {
      const market = ownEntry(spec.markets, leg.symbol)
        ? markets.find((m) => m.symbol === leg.symbol)!
        : marketOrInputError(spec.exchange, leg.symbol, undefined, undefined, `legs[${i}].symbol`);
      requireMaintenanceSource(spec.exchange, market, `legs[${i}].symbol`);
    });
  } catch (error) {
    if (error instanceof InputError) throw new SpecError(error.message);
    throw error;
  }
  spec.legs.forEach((leg, i) => {
    if ('riskPercent' in leg.size && !leg.stopLoss) throw new SpecError(`legs[${i}].stopLoss: a leg sized by riskPercent needs a stop-loss`);
    if (leg.isolatedMargin !== undefined && leg.marginMode !== 'isolated') throw new SpecError(`legs[${i}].isolatedMargin: only for an isolated leg`);
  });
  return spec;
}

/**
 * The spec's `markets` entries as engine markets (keyed by symbol; their bracket tables are the ones in
 * force now, not per bar: a market the user describes has one table). A replay resolves them once per run
 * (./context.ts).
 */
export function resolveSpecMarkets(spec: Spec): Market[] {
  return resolveMarkets(spec.exchange, spec.markets);
}
