// Portfolio and strategy specs (JSON or YAML, see examples/*.yaml and the README): a starting wallet,
// legs, and a strategy that decides what the account does bar by bar. The same spec runs under
// all-isolated, all-cross and as-specified (mixed) margin, side by side.
import { z } from 'zod';
import { decimalProblem } from '../domain/fixed.ts';
import { EXCHANGE_IDS, type ExchangeId, type Market } from '../exchanges/rules.ts';
import { InputError, marketsSchema, resolveMarkets } from '../exchanges/snapshot.ts';

const decimal = z.string({ error: 'must be a decimal string such as "2.5"' }).check((ctx) => {
  const problem = decimalProblem(ctx.value);
  if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value });
});

const priceLevel = z.union([
  z.object({ percent: decimal }).strict(), // distance from entry, in percent
  z.object({ price: decimal }).strict(),
]);

const size = z.union([
  z.object({ notional: decimal }).strict(), // quote value at entry
  z.object({ margin: decimal }).strict(), // initial margin: notional = margin x leverage
  z.object({ riskPercent: decimal }).strict(), // of the wallet, lost if the stop-loss fills
]);

export const legSchema = z.object({
  symbol: z.string().min(1),
  side: z.enum(['long', 'short']),
  size,
  // whole, or in 0.01 steps where the venue allows it (Bybit, OKX); apply() checks the venue's step
  leverage: z.number().min(1).multipleOf(0.01),
  marginMode: z.enum(['isolated', 'cross']).default('cross'),
  /** Isolated only: margin to assign instead of notional / leverage (the seed's "safety net"). */
  isolatedMargin: decimal.optional(),
  stopLoss: priceLevel.optional(),
  takeProfit: priceLevel.optional(),
  /** Role for mode advice and reports: core, speculative or hedge. */
  role: z.enum(['core', 'speculative', 'hedge']).default('core'),
});

export const strategySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('hold') }),
  z.object({
    kind: z.literal('margin-chaser'),
    /** Top up an isolated position when its margin ratio (MM / margin balance) reaches this. */
    triggerRatio: decimal.default('0.8'),
    /** Each top-up, as a fraction of the position's initial margin. */
    topUpFraction: decimal.default('0.5'),
    maxTopUps: z.number().int().min(1).default(20),
  }),
  z.object({
    kind: z.literal('breakout'),
    /** Enter when the close breaks the high (long) or low (short) of the previous N bars. */
    lookbackBars: z.number().int().min(2).default(20),
    /** Once the trade is this far in profit (percent), move it to cross margin (close and reopen). */
    confirmPercent: decimal.default('2'),
  }),
  z.object({
    kind: z.literal('dca'),
    /** Add the leg's size again every N bars, at most `buys` times. */
    everyBars: z.number().int().min(1).default(60),
    buys: z.number().int().min(1).default(5),
  }),
]);

export const specSchema = z.object({
  name: z.string().default('portfolio'),
  exchange: z.enum(EXCHANGE_IDS as [ExchangeId, ...ExchangeId[]]).default('binance-usdm'),
  wallet: decimal,
  fees: z.object({ taker: decimal, maker: decimal }).optional(),
  marginCallRatio: decimal.optional(),
  /** Equity below this fraction of the starting wallet counts as ruin (Monte Carlo). */
  ruinFraction: decimal.default('0.5'),
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
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
    throw new SpecError(`${field || 'spec'}: ${issue.message}`);
  }
  const spec = parsed.data;
  try {
    specMarkets(spec);
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

const specMarketCache = new WeakMap<Spec, Market[]>();

/**
 * The spec's `markets` entries as engine markets (keyed by symbol; their bracket tables are the ones in
 * force now, not per bar: a market the user describes has one table). Cached per spec object.
 */
export function specMarkets(spec: Spec): Market[] {
  let markets = specMarketCache.get(spec);
  if (!markets) {
    markets = resolveMarkets(spec.exchange, spec.markets);
    specMarketCache.set(spec, markets);
  }
  return markets;
}
