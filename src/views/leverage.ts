// The JSON of `perpguard advise leverage`: the move, the calibrated leverage per mode with its sentence,
// and the Monte Carlo odds per leverage. Exact values stay fixed-point (toJsonText prints them). Pure.
import { formatFixedTo, times, type Price, type Rate } from '../domain/fixed.ts';
import { type LeverageAdvice } from '../advisor/leverage.ts';
import { type LeverageCheck, type ModeCalibration } from '../advisor/calibration.ts';

/** Where the advice's inputs came from (price source, account, Monte Carlo, asset and tick), for the output. */
export interface LeverageContext {
  readonly priceSource: string;
  readonly account: string;
  readonly monteCarlo: string | undefined;
  readonly asset: string;
  readonly tick: Price;
}

const pct = (r: Rate, decimals = 2): string => `${formatFixedTo(times(r, 100), decimals, 'halfEven')} %`;

/** One mode's calibration as a sentence (printed by the CLI and carried in the JSON). */
export function leverageSentence(m: ModeCalibration, advice: LeverageAdvice): string {
  const move = pct(advice.move);
  if (m.leverage === undefined) {
    return `${m.mode}: no leverage works: ${m.next?.refused ? `1x is refused (${m.next.refused})` : `even 1x is liquidated by a ${move} move`}.`;
  }
  const at = m.at!;
  const head = `${m.mode}: up to ${m.leverage}x a ${move} move does not liquidate`;
  const call = at.marginCalled
    ? `; at ${m.leverage}x it reaches the margin call (ratio ${pct(at.marginRatioAtMove!)}): the seed's rule, a margin call and no more`
    : m.marginCallFrom !== undefined && m.next && !m.next.refused && m.marginCallFrom === m.next.leverage
      ? `; at ${m.leverage}x it leaves the margin ratio at ${pct(at.marginRatioAtMove!)} (below the ${pct(advice.marginCallRatio, 0)} call) and the margin call comes only at ${m.marginCallFrom}x, where the move also liquidates: no whole leverage makes it a margin call only`
      : `; at ${m.leverage}x the margin ratio at the move is ${pct(at.marginRatioAtMove!)}`;
  const limit = m.limitedBy === 'liquidation' ? '' : m.limitedBy === 'refused' ? ` (capped: ${m.next!.leverage}x is refused)` : ' (the maximum leverage)';
  return head + limit + call + '.';
}

function checkJson(c: LeverageCheck | undefined) {
  if (!c) return null;
  return {
    leverage: c.leverage,
    refused: c.refused ?? null,
    size: c.size,
    notional: c.notional,
    initialMargin: c.initialMargin,
    fee: c.fee,
    liquidationPrice: c.liquidationPrice ?? null,
    marginCallPrice: c.marginCallPrice ?? null,
    movedPrice: c.movedPrice,
    marginRatioAtMove: c.marginRatioAtMove ?? null,
    survives: c.survives,
    marginCalled: c.marginCalled,
  };
}

export function leverageJson(advice: LeverageAdvice, context: LeverageContext) {
  return {
    symbol: advice.symbol,
    side: advice.side,
    horizonHours: advice.horizonHours,
    confidence: advice.confidence,
    estimate: advice.estimate ?? null,
    move: advice.move,
    price: advice.price,
    priceSource: context.priceSource,
    margin: advice.margin,
    account: context.account,
    marginCallRatio: advice.marginCallRatio,
    modes: advice.modes.map((m) => ({
      mode: m.mode,
      leverage: m.leverage ?? null,
      limitedBy: m.limitedBy,
      marginCallFrom: m.marginCallFrom ?? null,
      at: checkJson(m.at),
      next: checkJson(m.next),
      sentence: leverageSentence(m, advice),
    })),
    monteCarlo: context.monteCarlo ?? null,
    odds: advice.odds.map((o) => ({ ...o, probability: Number.isNaN(o.probability) ? null : o.probability, refused: o.refused ?? null })),
  };
}
