// Leverage calibration, part 2: the highest leverage at which the move does not liquidate, found with the
// exact margin math: for each whole leverage from 1x the trade is added to the account (isolated, or cross
// with the rest of the portfolio), and its liquidation price and margin-call price (margin ratio 80 %) are
// solved exactly and compared with the moved price. Whether the move also reaches the margin call at that
// leverage is reported: the band between the margin call (margin balance = MM / 0.8) and liquidation (= MM)
// is only 0.25 x MMR of the price wide (0.1 % for BTC at 0.4 %), so most moves fall between two whole
// leverages: the lower one survives without a margin call and the higher one is liquidated.
import { add, divideByRate, formatFixed, formatFixedTo, fromInt, gt, gte, isPositive, lt, lte, quantityOf, roundToStep, scale, sub, zero, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import { solveMarginEquation, type MarginSegment, type SolverLeg } from '../domain/solver.ts';
import { maxNotionalAtLeverage } from '../domain/tiers.ts';
import { tradeFee } from '../exchanges/fees.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { legNotional, solverLegOf, unrealizedPnl, type AccountSnapshot, type ExchangeProfile, type Leg, type Market } from '../exchanges/rules.ts';
import { InputError } from '../schema/input-error.ts';
import type { Side } from './move.ts';

export interface TradePlan {
  readonly symbol: string;
  readonly side: Side;
  /** Margin committed to the trade: the position is margin x leverage of notional at `price`. */
  readonly margin: Money;
  /** Entry price (and mark) of the trade. */
  readonly price: Price;
}

export interface LeverageCheck {
  readonly leverage: number;
  /** Why this leverage cannot be used (the exchange would refuse it), or undefined. */
  readonly refused: string | undefined;
  readonly size: Quantity;
  readonly notional: Money;
  readonly initialMargin: Money;
  readonly fee: Money;
  /** Solved exactly, rounded toward the entry (reached no later than printed); undefined: never liquidated. */
  readonly liquidationPrice: Price | undefined;
  /** Where the margin ratio of the trade's scope reaches the margin-call level. */
  readonly marginCallPrice: Price | undefined;
  readonly movedPrice: Price;
  /** MM / margin balance of the trade's scope at the moved price; undefined when the balance is gone. */
  readonly marginRatioAtMove: Rate | undefined;
  /** The liquidation price lies strictly beyond the moved price (or there is none). */
  readonly survives: boolean;
  /** The margin-call price lies within the move (reached by it). */
  readonly marginCalled: boolean;
}

export interface ModeCalibration {
  readonly mode: 'isolated' | 'cross';
  /** The highest whole leverage at which the move (and every smaller leverage) does not liquidate. */
  readonly leverage: number | undefined;
  readonly at: LeverageCheck | undefined;
  /** The leverage above it: liquidated by the move, refused by the exchange, or above the market's maximum. */
  readonly next: LeverageCheck | undefined;
  readonly limitedBy: 'liquidation' | 'refused' | 'max leverage';
  /** The lowest leverage at which the move reaches the margin call, if any up to the one above. */
  readonly marginCallFrom: number | undefined;
  /** Every leverage checked, from 1x. */
  readonly checks: readonly LeverageCheck[];
}

export interface CalibrationInput {
  /** The rest of the account (no position in the trade's symbol). */
  readonly base: AccountSnapshot;
  readonly market: Market;
  readonly trade: TradePlan;
  /** Adverse move as a fraction of the price (0.05 = 5 %). */
  readonly move: Rate;
  readonly marginCallRatio: Rate;
  readonly mode: 'isolated' | 'cross';
}

/** The moved price: long P x (1 - m), short P x (1 + m), the product rounded away from the entry. */
export function movedPrice(price: Price, move: Rate, side: Side): Price {
  const distance = scale(price, move, 'ceil');
  return side === 'long' ? sub(price, distance) : add(price, distance);
}

/** An amount for a message: 2 decimals, trailing zeros dropped (49,999.99999999999 -> 50000). */
function amountText(x: Money): string {
  return formatFixedTo(x, 2, 'halfEven').replace(/\.?0+$/, '');
}

/** The account with the trade opened at `leverage`, or the reason the exchange would refuse it. */
export function accountWithTrade(
  input: Omit<CalibrationInput, 'move' | 'marginCallRatio'>,
  leverage: number,
): { snapshot: AccountSnapshot; index: number; size: Quantity; notional: Money; initialMargin: Money; fee: Money } | { refused: string; size: Quantity; notional: Money } {
  const { base, market, trade, mode } = input;
  const profile = profileOf(base.exchange);
  const size = roundToStep(quantityOf(scale(trade.margin, fromInt<'Rate'>(leverage), 'floor'), trade.price, 'floor'), market.stepSize, 'floor');
  const sized = { size, market };
  const notional = isPositive(size) ? legNotional(sized, trade.price) : zero<'Money'>();
  if (leverage > market.maxLeverage) return { refused: `above the ${market.maxLeverage}x maximum of ${market.symbol}`, size, notional };
  if (!isPositive(size)) return { refused: `the position would be smaller than one step (${formatFixed(market.stepSize)})`, size, notional };
  if (market.brackets) {
    const cap = maxNotionalAtLeverage(market.brackets, leverage);
    if (cap === undefined || gt(notional, cap)) {
      return { refused: `${leverage}x allows at most ${cap === undefined ? 'no' : amountText(cap)} notional in ${market.symbol}'s brackets (needed ${amountText(notional)})`, size, notional };
    }
  }
  const leg: Leg = {
    symbol: trade.symbol,
    positionSide: 'BOTH',
    side: trade.side === 'long' ? 1 : -1,
    size,
    entryPrice: trade.price,
    markPrice: trade.price,
    marginMode: mode,
    leverage,
    isolatedWallet: zero(),
    market,
  };
  const initialMargin = profile.initialMargin(leg, trade.price);
  const fee = tradeFee(market, size, trade.price, base.fees.taker);
  const available = profile.evaluate(base).availableBalance;
  if (gt(add(initialMargin, fee), available)) {
    return { refused: `margin ${amountText(initialMargin)} + fee ${amountText(fee)} is more than the available ${amountText(available)} (-2019 Margin is insufficient)`, size, notional };
  }
  const placed: Leg = mode === 'isolated' ? { ...leg, isolatedWallet: initialMargin } : leg;
  const crossWallet = sub(sub(base.crossWallet, fee), mode === 'isolated' ? initialMargin : zero<'Money'>());
  return { snapshot: { ...base, crossWallet, legs: [...base.legs, placed] }, index: base.legs.length, size, notional, initialMargin, fee };
}

/** One leverage against the move. */
export function checkLeverage(input: CalibrationInput, leverage: number): LeverageCheck {
  const moved = movedPrice(input.trade.price, input.move, input.trade.side);
  const built = accountWithTrade(input, leverage);
  if ('refused' in built) {
    return {
      leverage,
      refused: built.refused,
      size: built.size,
      notional: built.notional,
      initialMargin: zero(),
      fee: zero(),
      liquidationPrice: undefined,
      marginCallPrice: undefined,
      movedPrice: moved,
      marginRatioAtMove: undefined,
      survives: false,
      marginCalled: false,
    };
  }
  const { snapshot, index } = built;
  const profile = profileOf(snapshot.exchange);
  const long = input.trade.side === 'long';
  const liquidationPrice = profile.liquidationPrice(snapshot, index);
  const marginCallPrice = ratioLevelPrice(profile, snapshot, index, input.marginCallRatio);
  // within the move: between the entry and the moved price, the moved price included
  const within = (p: Price | undefined) => p !== undefined && (long ? gte(p, moved) : lte(p, moved));
  const atMove: AccountSnapshot = {
    ...snapshot,
    legs: snapshot.legs.map((l) => (l.symbol === input.trade.symbol ? { ...l, markPrice: moved } : l)),
  };
  return {
    leverage,
    refused: undefined,
    size: built.size,
    notional: built.notional,
    initialMargin: built.initialMargin,
    fee: built.fee,
    liquidationPrice,
    marginCallPrice,
    movedPrice: moved,
    marginRatioAtMove: profile.marginRatio(atMove, index),
    survives: !within(liquidationPrice),
    marginCalled: within(marginCallPrice),
  };
}

/** The highest leverage the move does not liquidate, scanning whole leverages from 1x. */
export function calibrateLeverage(input: CalibrationInput): ModeCalibration {
  if (input.base.legs.some((l) => l.symbol === input.trade.symbol)) {
    throw new InputError('--symbol', `the portfolio already holds ${input.trade.symbol}; one-way mode holds one position per symbol`);
  }
  if (!isPositive(input.trade.margin)) throw new InputError('--margin', 'must be above zero');
  if (!isPositive(input.move)) throw new InputError('--move', 'must be above 0');
  if (input.trade.side === 'long' && !lt(input.move, fromInt<'Rate'>(1))) throw new InputError('--move', 'must be below 100 % for a long');
  const checks: LeverageCheck[] = [];
  let leverage: number | undefined;
  let limitedBy: ModeCalibration['limitedBy'] = 'max leverage';
  for (let l = 1; l <= input.market.maxLeverage; l++) {
    const check = checkLeverage(input, l);
    checks.push(check);
    if (check.refused !== undefined) {
      limitedBy = 'refused';
      break;
    }
    if (!check.survives) {
      limitedBy = 'liquidation';
      break;
    }
    leverage = l;
  }
  const at = leverage === undefined ? undefined : checks[leverage - 1];
  const next = checks[leverage === undefined ? 0 : leverage];
  return {
    mode: input.mode,
    leverage,
    at,
    next: next && next !== at ? next : undefined,
    limitedBy,
    marginCallFrom: checks.find((c) => c.refused === undefined && c.marginCalled)?.leverage,
    checks,
  };
}

/**
 * The mark of the leg's symbol at which the margin ratio of the leg's scope equals `level`: the
 * liquidation equation with every maintenance requirement divided by the level (margin balance = MM /
 * level), as the replay's path stops (../sim/levels.ts) do for an engine state.
 */
export function ratioLevelPrice(profile: ExchangeProfile, snapshot: AccountSnapshot, index: number, level: Rate): Price | undefined {
  const rules = profile.rules;
  const fees = snapshot.fees;
  const leg = snapshot.legs[index]!;
  const scaled = (l: Leg): MarginSegment[] =>
    rules.maintenanceSchedule(l, fees, {}).map((s) => ({ ...s, rate: divideByRate(s.rate, level, 'ceil'), constant: divideByRate(s.constant, level, 'ceil') }));
  const solverLeg = (l: Leg): SolverLeg => solverLegOf(l, scaled(l));
  if (leg.marginMode === 'isolated') return solveMarginEquation(leg.isolatedWallet, [solverLeg(leg)], leg.markPrice);
  let pool: Money = snapshot.crossWallet;
  const group: SolverLeg[] = [];
  for (const other of snapshot.legs) {
    if (other.marginMode !== 'cross') continue;
    if (other.symbol === leg.symbol) group.push(solverLeg(other));
    else pool = sub(add(pool, unrealizedPnl(other, other.markPrice)), divideByRate(profile.maintenanceMargin(other, fees).amount, level, 'ceil'));
  }
  return solveMarginEquation(pool, group, leg.markPrice);
}
