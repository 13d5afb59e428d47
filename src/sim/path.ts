// The price path inside a bar. Liquidations, stops and limit fills react to the bar's high and low, not
// just its close, so the order in which the extremes are visited matters. The rule is conservative for the
// account being simulated: the extreme ADVERSE to its net position in the symbol comes first
// (net long: open -> low -> high -> close; net short: open -> high -> low -> close), so a stop-loss or a
// liquidation on the way down is never skipped because the bar went up first. Flat: the bar's own
// direction decides (close >= open: open -> low -> high -> close, else open -> high -> low -> close), the
// usual "wicks first" assumption. Between the previous close and the open there is no trading: a gap is a
// jump, and stops and liquidations inside it fill at the open.
import { eq, type Price } from '../domain/fixed.ts';

export function pathPoints(open: Price, high: Price, low: Price, close: Price, netSide: -1 | 0 | 1, bullish: boolean): Price[] {
  const lowFirst = netSide === 1 || (netSide === 0 && bullish);
  const points = lowFirst ? [open, low, high, close] : [open, high, low, close];
  // drop repeated points (a bar that opens at its low, say)
  return points.filter((p, i) => i === 0 || !eq(p, points[i - 1]!));
}
