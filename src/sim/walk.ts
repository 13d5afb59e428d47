// Walking a bar's intra-bar path (./path.ts) through the engine: the mark moves from point to point and
// stops at every price on the way where something can happen (a resting order's trigger, a liquidation
// price, a margin-ratio level), so stops fill at their price and liquidations happen where they would,
// stops first.
import { add, gt, lt, parseFixed, sub, type Price, type Rate } from '../domain/fixed.ts';
import { SIDES } from '../engine/exposure.ts';
import { DEFAULT_USER, marketOf, positionKey, profileFor, snapshotOf, userOf, type UserState } from '../engine/state.ts';
import { ratioLevelPrices } from './levels.ts';
import { pathPoints } from './path.ts';
import type { ReplayRun } from './run.ts';

/** Called after every mark of an exact bar (the margin chaser's hook). */
export type AfterMark = (symbol: string, time: number) => void;

/** At most this many stops between two path points; then the mark jumps to the end point. */
const STOPS_PER_SEGMENT_MAX = 64;

/** One raw unit (1e-18): a stop sits one unit past a liquidation price or level, on the crossing side. */
const UNIT = parseFixed<'Price'>('0.000000000000000001');

/** Walks the bar's path from its open (already marked) to its close. */
export function walkBar(run: ReplayRun, symbol: string, bar: { open: Price; high: Price; low: Price; close: Price }, time: number, levels: readonly Rate[], afterMark: AfterMark | undefined): void {
  const { open, high, low, close } = bar;
  const points = pathPoints(open, high, low, close, run.netSide(symbol), !lt(close, open));
  for (let p = 1; p < points.length; p++) {
    // nothing left on the symbol (its position liquidated or closed on the way, no order): the rest of
    // the path moves no figure, event or balance, and the close reaches the engine when it matters again
    // (ReplayRun.sync)
    if (!run.holds(symbol)) return;
    travel(run, symbol, points[p - 1]!, points[p]!, time, levels, afterMark);
  }
  if (points.length === 1) run.mark(symbol, close, time);
}

/** Walks the mark from `from` to `to`, stopping at each trigger price on the way. */
function travel(run: ReplayRun, symbol: string, from: Price, to: Price, time: number, levels: readonly Rate[], afterMark: AfterMark | undefined): void {
  let current = from;
  for (let guard = 0; guard < STOPS_PER_SEGMENT_MAX; guard++) {
    const next = nextTrigger(run, symbol, current, to, levels);
    run.mark(symbol, next ?? to, time);
    afterMark?.(symbol, time);
    if (next === undefined || !run.holds(symbol)) return;
    current = next;
  }
  run.mark(symbol, to, time);
}

/**
 * The nearest price strictly between `from` and `to` (in travel order) at which something can happen on the
 * symbol: a resting order's trigger, or a position's liquidation price (one unit past it, so the mark is
 * on the liquidating side).
 */
function nextTrigger(run: ReplayRun, symbol: string, from: Price, to: Price, levels: readonly Rate[]): Price | undefined {
  const state = run.state;
  const down = lt(to, from);
  // (plain loops and a helper at module level, no closure per call: under tsx every function expression
  // is named at creation (its __name helper), and this runs for every segment of every exact bar)
  let best: Price | undefined;
  const user = userOf(state, DEFAULT_USER);
  for (const o of user.orders) if (o.symbol === symbol) best = nearer(o.stopPrice ?? o.price, best, from, to, down);
  const asset = marketOf(state, symbol)!.settleAsset;
  // no position in the symbol (the walk after its liquidation, while a recheck is pending): no leg of the
  // account's snapshot is the symbol's, so no snapshot is built (a position in the symbol settles in the
  // symbol's asset: it would be among the snapshot's legs)
  if (!hasPosition(user, symbol)) return best;
  const snap = snapshotOf(state, user, asset);
  let holds = false;
  for (const leg of snap.legs) if (leg.symbol === symbol) holds = true;
  if (holds) {
    // the layered exact kernel (bit-identical to the bigint solve), prepared once per set of positions
    // (ReplayRun.kernelFor): between fills only the marks move, and preparing one costs more than a solve
    const profile = profileFor(state);
    const kernel = run.kernelFor(snap);
    for (let n = 0; n < snap.legs.length; n++) {
      // only this symbol's own legs, each solved alone (the other legs' solves were two thirds of the work
      // on a three-symbol book): a cross leg of another symbol moves with this mark too, but its
      // liquidation price is in its own symbol's prices, so this walk cannot stop at it
      if (snap.legs[n]!.symbol !== symbol) continue;
      const lp = profile.liquidationPrice(snap, n, kernel);
      if (lp !== undefined) best = nearer(down ? sub(lp, UNIT) : add(lp, UNIT), best, from, to, down);
    }
    // margin-ratio levels (the margin call, the chaser's trigger): one unit past, on the crossing side
    for (const level of levels) for (const p of ratioLevelPrices(state, symbol, level)) best = nearer(down ? sub(p, UNIT) : add(p, UNIT), best, from, to, down);
  }
  return best;
}

function hasPosition(user: UserState, symbol: string): boolean {
  for (const side of SIDES) if (user.positions[positionKey(symbol, side)] !== undefined) return true;
  return false;
}

/** `best`, or `p` if it lies strictly between `from` and `to` and comes before `best` in travel order. */
function nearer(p: Price | undefined, best: Price | undefined, from: Price, to: Price, down: boolean): Price | undefined {
  if (p === undefined || !(down ? lt(p, from) && gt(p, to) : gt(p, from) && lt(p, to))) return best;
  return best === undefined || (down ? gt(p, best) : lt(p, best)) ? p : best;
}
