// The seed's pre-trade checklist, as numbers: 1. account equity, 2. strategy type, 3. an explicit margin
// mode, 4. the isolated margin to assign, 5. a stop-loss. It refuses "ready" without a stop, with a stop
// beyond the liquidation price, or without an explicit margin mode, and shows the numbers behind each
// answer. Pure: the dialogue and the flags live in ../cli/checklist.ts.
import {
  add,
  divideBy,
  formatFixedTo,
  gt,
  gte,
  isPositive,
  lt,
  lte,
  notional,
  rate,
  ratio,
  scale,
  sub,
  times,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { tradeFee } from '../exchanges/fees.ts';
import type { AccountSnapshot, ExchangeId, FeeRates, Leg, Market } from '../exchanges/rules.ts';

export type StrategyType = 'speculative' | 'core' | 'hedge';

export interface ChecklistInput {
  readonly exchange: ExchangeId;
  readonly market: Market;
  readonly fees: FeeRates;
  /** 1. account equity (portfolio value) in the settlement asset. */
  readonly equity: Money;
  /** 2. what the trade is for. */
  readonly strategy: StrategyType | undefined;
  /** 3. the margin mode, chosen explicitly (undefined = not chosen: the exchange default would apply). */
  readonly marginMode: 'isolated' | 'cross' | undefined;
  /** 4. isolated margin to assign (isolated only; default: the initial margin). */
  readonly isolatedMargin: Money | undefined;
  readonly side: 1 | -1;
  readonly entry: Price;
  readonly quantity: Quantity;
  readonly leverage: number;
  /** 5. the stop-loss price. */
  readonly stop: Price | undefined;
  /** Risk budget per speculative trade, as a fraction of equity (the seed: 2 %). */
  readonly riskFraction: Rate;
}

export interface ChecklistStep {
  readonly step: number;
  readonly title: string;
  readonly answer: string;
  readonly ok: boolean;
  readonly refusal: boolean;
  readonly message: string;
  readonly numbers: Record<string, string>;
}

export interface ChecklistResult {
  readonly ready: boolean;
  readonly steps: ChecklistStep[];
  readonly refusals: string[];
  readonly warnings: string[];
}

const m2 = (x: Money): string => formatFixedTo(x, 2, 'halfEven');
const p2 = (x: Price): string => formatFixedTo(x, 2, 'halfEven');
const pct = (r: Rate): string => `${formatFixedTo(times(r, 100), 2, 'halfEven')} %`;

/** Runs the five steps. Every number comes from the exact margin engine of the chosen exchange. */
export function checklist(input: ChecklistInput): ChecklistResult {
  const steps: ChecklistStep[] = [];
  const refusals: string[] = [];
  const warnings: string[] = [];
  const add_ = (s: ChecklistStep) => {
    steps.push(s);
    if (s.refusal) refusals.push(`${s.step}. ${s.title}: ${s.message}`);
    else if (!s.ok) warnings.push(`${s.step}. ${s.title}: ${s.message}`);
  };
  const profile = profileOf(input.exchange);
  const value = notional(input.quantity, input.entry, 'halfEven');
  const budget = scale(input.equity, input.riskFraction, 'floor');

  // 1. account equity
  add_({
    step: 1,
    title: 'account equity',
    answer: m2(input.equity),
    ok: isPositive(input.equity),
    refusal: !isPositive(input.equity),
    message: isPositive(input.equity) ? `risk budget at ${pct(input.riskFraction)}: ${m2(budget)}` : 'equity must be above zero',
    numbers: { equity: m2(input.equity), riskBudget: m2(budget), notional: m2(value), exposure: isPositive(input.equity) ? `${formatFixedTo(ratio(value, input.equity, 'halfEven'), 2, 'halfEven')}x equity` : '—' },
  });

  // 2. strategy type
  const recommended = input.strategy === 'speculative' ? 'isolated' : input.strategy === undefined ? undefined : 'cross';
  add_({
    step: 2,
    title: 'strategy type',
    answer: input.strategy ?? '(not given)',
    ok: input.strategy !== undefined,
    refusal: input.strategy === undefined,
    message:
      input.strategy === undefined
        ? 'say what the trade is for: speculative, core or hedge'
        : input.strategy === 'speculative'
          ? 'a speculative trade belongs in isolated margin, with its margin = the risk budget'
          : `a ${input.strategy} position may share the cross wallet with the book it ${input.strategy === 'hedge' ? 'offsets' : 'anchors'}`,
    numbers: { recommendedMode: recommended ?? '—' },
  });

  // 3. explicit margin mode
  const mode = input.marginMode;
  add_({
    step: 3,
    title: 'margin mode, set explicitly',
    answer: mode ?? '(not set: the exchange default, cross, would apply)',
    ok: mode !== undefined && (recommended === undefined || mode === recommended || input.strategy !== 'speculative'),
    refusal: mode === undefined,
    message:
      mode === undefined
        ? 'choose isolated or cross before trading; never rely on the default'
        : input.strategy === 'speculative' && mode === 'cross'
          ? 'a speculative trade in cross margin can draw on the whole wallet (the domino effect)'
          : `${mode} margin`,
    numbers: {},
  });

  // 4. isolated margin to assign
  const im = divideBy(value, input.leverage, 'ceil');
  const assigned = mode === 'isolated' ? (input.isolatedMargin ?? im) : undefined;
  const leg: Leg = {
    symbol: input.market.symbol,
    positionSide: 'BOTH',
    side: input.side,
    size: input.quantity,
    entryPrice: input.entry,
    markPrice: input.entry,
    marginMode: mode ?? 'cross',
    leverage: input.leverage,
    isolatedWallet: assigned ?? zero(),
    market: input.market,
  };
  const account: AccountSnapshot = { exchange: input.exchange, positionMode: 'one-way', crossWallet: mode === 'isolated' ? sub(input.equity, assigned!) : input.equity, legs: [leg], fees: input.fees };
  const liquidation = profile.liquidationPrice(account, 0);
  if (mode === 'isolated') {
    const short = lt(assigned!, im);
    const overBudget = input.strategy === 'speculative' && gt(assigned!, budget);
    add_({
      step: 4,
      title: 'isolated margin to assign',
      answer: m2(assigned!),
      ok: !short && !overBudget,
      refusal: short || gt(assigned!, input.equity),
      message: short
        ? `${m2(assigned!)} is below the initial margin ${m2(im)} at ${input.leverage}x`
        : gt(assigned!, input.equity)
          ? 'more than the account holds'
          : overBudget
            ? `more than the ${pct(input.riskFraction)} risk budget (${m2(budget)}): a liquidation would cost more than planned`
            : `at most ${m2(assigned!)} can be lost to a liquidation; the other ${m2(sub(input.equity, assigned!))} stays safe`,
      numbers: { initialMargin: m2(im), assigned: m2(assigned!), riskBudget: m2(budget), liquidationPrice: liquidation ? p2(liquidation) : 'none' },
    });
  } else {
    add_({
      step: 4,
      title: 'isolated margin to assign',
      answer: 'not applicable (cross)',
      ok: true,
      refusal: false,
      message: `the whole ${m2(input.equity)} backs the position; cross liquidation price ${liquidation ? p2(liquidation) : 'none'} moves with every other position`,
      numbers: { initialMargin: m2(im), liquidationPrice: liquidation ? p2(liquidation) : 'none' },
    });
  }

  // 5. stop-loss
  if (input.stop === undefined) {
    add_({ step: 5, title: 'stop-loss', answer: '(none)', ok: false, refusal: true, message: 'a trade without a stop-loss is not ready', numbers: { liquidationPrice: liquidation ? p2(liquidation) : 'none' } });
  } else {
    const stop = input.stop;
    const wrongSide = input.side === 1 ? gte(stop, input.entry) : lte(stop, input.entry);
    const beyond = liquidation !== undefined && (input.side === 1 ? lte(stop, liquidation) : gte(stop, liquidation));
    const distance = input.side === 1 ? sub(input.entry, stop) : sub(stop, input.entry);
    const loss = add(notional(input.quantity, distance, 'ceil'), add(tradeFee(input.market, input.quantity, input.entry, input.fees.taker), tradeFee(input.market, input.quantity, stop, input.fees.taker)));
    // a stop closer than 10 % of the entry-to-liquidation distance to the liquidation price is too close:
    // slippage in a fast market can carry the fill past it
    let tooClose = false;
    if (liquidation !== undefined && !beyond && !wrongSide) {
      const toLiquidation = input.side === 1 ? sub(input.entry, liquidation) : sub(liquidation, input.entry);
      const buffer = scale(toLiquidation, rate('0.1'), 'ceil');
      const gap = input.side === 1 ? sub(stop, liquidation) : sub(liquidation, stop);
      tooClose = lt(gap, buffer);
    }
    const refusal = wrongSide || beyond;
    add_({
      step: 5,
      title: 'stop-loss',
      answer: p2(stop),
      ok: !refusal && !tooClose && !gt(loss, mode === 'isolated' ? add(assigned!, budget) : budget),
      refusal,
      message: wrongSide
        ? `a ${input.side === 1 ? 'long' : 'short'}'s stop must be ${input.side === 1 ? 'below' : 'above'} the entry ${p2(input.entry)}`
        : beyond
          ? `the stop ${p2(stop)} lies beyond the liquidation price ${p2(liquidation!)}: the position would be liquidated before the stop fires`
          : tooClose
            ? `the stop is within 10 % of the distance to the liquidation price ${p2(liquidation!)}: slippage could still liquidate`
            : gt(loss, budget)
              ? `the loss at the stop, ${m2(loss)}, is more than the risk budget ${m2(budget)}`
              : `the loss at the stop is ${m2(loss)} (${pct(ratio(loss, input.equity, 'ceil'))} of equity), fees included`,
      numbers: {
        stop: p2(stop),
        liquidationPrice: liquidation ? p2(liquidation) : 'none',
        lossAtStop: m2(loss),
        lossPercentOfEquity: pct(ratio(loss, input.equity, 'ceil')),
      },
    });
  }
  return { ready: refusals.length === 0, steps, refusals, warnings };
}
