// `perpguard protect`'s plan: for each position of the evaluated account without a reduce-only stop in front
// of its liquidation price (as `perpguard watch --require-stop` judges it), the reduce-only stop-market order
// that would be: on the closing side, for the whole position, triggering `buffer` (a fraction of the mark)
// in front of the liquidation price, on the market's tick, rounded away from the liquidation price (so the
// order it places passes the same check watch makes). Pure: placing it is ../cli/protect.ts's.
import { add, formatFixed, formatFixedTo, gte, lte, roundToStep, scale, sub, times, type Price, type Rate } from '../domain/fixed.ts';
import type { AccountReport } from '../exchanges/rules.ts';
import { positionName, type PositionCheck } from './watch.ts';

export type ProtectPlan =
  | {
      readonly kind: 'place';
      readonly position: string;
      readonly symbol: string;
      /** The closing side: a long's stop sells, a short's buys. */
      readonly side: 'buy' | 'sell';
      /** The whole position, in the account's units (base asset). */
      readonly size: string;
      readonly triggerPrice: Price;
      readonly liquidationPrice: Price;
      readonly markPrice: Price;
      /** Why: no stop, or the one there triggers within the buffer (it stays; this one comes first). */
      readonly reason: string;
    }
  | { readonly kind: 'skip'; readonly position: string; readonly symbol: string; readonly reason: string };

/** One plan per position, in the account's order. `checks` are watch's checks made with the same buffer. */
export function protectPlans(report: AccountReport, checks: readonly PositionCheck[], buffer: Rate): ProtectPlan[] {
  return report.legs.map((l, i) => {
    const position = positionName(l);
    const symbol = l.leg.symbol;
    const check = checks[i]!;
    const lp = l.liquidationPrice;
    if (lp === undefined) return { kind: 'skip', position, symbol, reason: 'no liquidation price (the account carries it at any mark)' };
    if (check.stop.inFront) return { kind: 'skip', position, symbol, reason: `its stop at ${formatFixed(check.stop.triggerPrice!)} is already in front of the liquidation price by the buffer` };
    const long = l.leg.side === 1;
    const mark = l.leg.markPrice;
    const tick = l.leg.market.tickSize;
    const margin = scale(mark, buffer, 'ceil');
    const triggerPrice = long ? roundToStep(add(lp, margin), tick, 'ceil') : roundToStep(sub(lp, margin), tick, 'floor');
    // a stop at or past the mark would trigger at once: a market close, not a stop
    if (long ? gte(triggerPrice, mark) : lte(triggerPrice, mark)) {
      return { kind: 'skip', position, symbol, reason: `the buffer puts the stop at ${formatFixed(triggerPrice)}, at or past the mark ${formatFixed(mark)}: it would close the position at once` };
    }
    const reason =
      check.stop.triggerPrice === undefined
        ? 'no reduce-only stop'
        : check.stop.partial !== undefined
          ? `its stops in front of the liquidation price close ${formatFixedTo(times(check.stop.partial, 100), 2, 'floor')} % of it`
          : `its stop at ${formatFixed(check.stop.triggerPrice)} is within the buffer of the liquidation price`;
    return { kind: 'place', position, symbol, side: long ? 'sell' : 'buy', size: formatFixed(l.leg.size), triggerPrice, liquidationPrice: lp, markPrice: mark, reason };
  });
}
