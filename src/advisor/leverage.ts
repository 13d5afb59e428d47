// Leverage calibration against volatility (`perpguard advise leverage`).
//
// The seed's rule: "if a 5 % move in an hour is possible, a 5 % move should only trigger a margin call".
// So: (1) how large an adverse move is possible within the horizon, at a confidence, from history
// (./move.ts); (2) the highest leverage at which that move does not liquidate, found with the exact margin
// math (./calibration.ts); (3) the probability of liquidation within the horizon at a list of leverages,
// from Monte Carlo paths run through the replay (./odds.ts). This file puts the three together.
import type { Money, Price, Rate } from '../domain/fixed.ts';
import type { AccountSnapshot, Market } from '../exchanges/rules.ts';
import type { CandleSeries } from '../sim/data.ts';
import { type MoveEstimate, type Side, estimateMove, moveRate } from './move.ts';
import { type ModeCalibration, type TradePlan, calibrateLeverage, checkLeverage } from './calibration.ts';
import { type LiquidationOdds, type OddsInput, liquidationOdds } from './odds.ts';

export interface LeverageAdvice {
  readonly symbol: string;
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  /** From the price history; undefined when the move was given. */
  readonly estimate: MoveEstimate | undefined;
  /** The move calibrated against: the estimate's rounded up to 1e-8, or the one given. */
  readonly move: Rate;
  readonly price: Price;
  readonly margin: Money;
  readonly marginCallRatio: Rate;
  readonly modes: readonly ModeCalibration[];
  readonly odds: readonly LiquidationOdds[];
}

export interface LeverageAdviceInput {
  readonly symbol: string;
  readonly side: Side;
  readonly horizonHours: number;
  readonly confidence: number;
  /** Price history for the move estimate (hourly or daily bars); not needed when `move` is given. */
  readonly series?: readonly CandleSeries[];
  /** A move to calibrate against instead of the estimate (fraction, 0.05 = 5 %). */
  readonly move?: Rate;
  readonly base: AccountSnapshot;
  readonly market: Market;
  readonly margin: Money;
  readonly price: Price;
  readonly marginCallRatio: Rate;
  readonly modes?: readonly ('isolated' | 'cross')[];
  /** Monte Carlo settings; the odds are left out without them. */
  readonly monteCarlo?: Omit<OddsInput, 'trade' | 'modes' | 'horizonHours' | 'refused' | 'exchange'>;
}

/** The whole `advise leverage` answer: the move, the calibrated leverage per mode, the odds per leverage. */
export function adviseLeverage(input: LeverageAdviceInput): LeverageAdvice {
  const estimate =
    input.move === undefined
      ? estimateMove({ series: input.series ?? [], horizonHours: input.horizonHours, confidence: input.confidence, side: input.side })
      : undefined;
  const move = input.move ?? moveRate(estimate!.move);
  const trade: TradePlan = { symbol: input.symbol, side: input.side, margin: input.margin, price: input.price };
  const modeList = input.modes ?? (['isolated', 'cross'] as const);
  const modes = modeList.map((mode) => calibrateLeverage({ base: input.base, market: input.market, trade, move, marginCallRatio: input.marginCallRatio, mode }));
  let odds: LiquidationOdds[] = [];
  if (input.monteCarlo) {
    const refused = new Map<number, string>();
    for (const l of input.monteCarlo.leverages) {
      // the exchange's refusal does not depend on the mode (caps, steps, the available balance of a lone trade)
      const check = checkLeverage({ base: input.base, market: input.market, trade, move, marginCallRatio: input.marginCallRatio, mode: 'isolated' }, l);
      if (check.refused !== undefined) refused.set(l, check.refused);
    }
    odds = liquidationOdds({ ...input.monteCarlo, exchange: input.base.exchange, trade, modes: modeList, horizonHours: input.horizonHours, refused });
  }
  return { symbol: input.symbol, side: input.side, horizonHours: input.horizonHours, confidence: input.confidence, estimate, move, price: input.price, margin: input.margin, marginCallRatio: input.marginCallRatio, modes, odds };
}
