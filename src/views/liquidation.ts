// The JSON of `perpguard advise liquidation`: the position's liquidation price isolated, with margin
// assigned and in cross, its sensitivity to other moves and wallet changes, and the blast radius. Pure.
import { add, formatFixed, formatFixedTo, fromInt, isZero, lt, ratio, scale, sub, times, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { type LiquidationAdvice, type SensitivityRow, type UniformMove } from '../advisor/liquidation.ts';
import { legNotional, type Leg } from '../exchanges/rules.ts';
import { money, priceToTick, priceTowardMark } from './numbers.ts';

const pct4 = (r: Rate | undefined): string | null => (r === undefined ? null : formatFixedTo(times(r, 100), 4, 'down'));

/** A liquidation price for JSON: to 8 decimals and to the tick toward the mark, and its distance from the mark. */
export function priceJson(p: Price | undefined, mark: Price, tick: Price, side: 1 | -1) {
  return {
    liquidationPrice: p === undefined ? null : priceTowardMark(p, mark),
    liquidationPriceTick: p === undefined ? null : priceToTick(p, mark, tick),
    distancePct: p === undefined ? null : pct4(safeDistance(p, mark, side)),
  };
}

/** (mark - LP) / mark for a long, (LP - mark) / mark for a short: positive while the position is safe. */
export function safeDistance(p: Price, mark: Price, side: 1 | -1): Rate {
  return ratio(side === 1 ? sub(mark, p) : sub(p, mark), mark, 'down');
}

export function uniformJson(u: UniformMove) {
  return {
    movePct: u.move === undefined ? null : formatFixedTo(times(u.move, 100), 8, 'down'),
    exact: u.exact,
    marginBalanceNow: money(u.marginBalanceNow, 'floor'),
    marginBalanceAtMove: u.marginBalanceAt === undefined ? null : money(u.marginBalanceAt, 'floor'),
    maintenanceMarginAtMove: u.maintenanceAt === undefined ? null : money(u.maintenanceAt, 'ceil'),
    lossFromMove: u.lossFromMove === undefined ? null : money(u.lossFromMove, 'ceil'),
    equityLost: u.equityLost === undefined ? null : money(u.equityLost, 'ceil'),
    isolatedOnTheWay: u.isolatedOnTheWay.map((x) => ({ symbol: x.symbol, movePct: pct4(x.move), margin: money(x.margin) })),
  };
}

/**
 * The side a cross liquidation price is approached from. A one-way leg's own side; but in hedge mode the
 * LONG and SHORT legs of a symbol share one cross price, on the side of their net position, so it is read
 * from where the price lies (beyond it only when the account is liquidatable now). Without this a safe
 * SHORT leg of a net-long symbol showed its distance as negative, as if already past.
 */
function crossSide(leg: Leg, p: Price | undefined, liquidatableNow: boolean): 1 | -1 {
  if (leg.positionSide === 'BOTH' || p === undefined) return leg.side;
  const below: 1 | -1 = lt(p, leg.markPrice) ? 1 : -1;
  return liquidatableNow ? (below === 1 ? -1 : 1) : below;
}

export function liquidationJson(a: LiquidationAdvice) {
  const leg = a.leg;
  const mark = leg.markPrice;
  const tick = leg.market.tickSize;
  const sensitivity = (rows: readonly SensitivityRow[], wallet?: Money) =>
    rows.map((r) => ({
      changePct: formatFixedTo(times(r.change, 100), 4, 'halfEven'),
      ...(wallet !== undefined ? { wallet: money(scale(wallet, add(fromInt(1), r.change), 'floor'), 'floor') } : {}),
      ...priceJson(r.liquidationPrice, mark, tick, crossSide(leg, r.liquidationPrice, r.liquidatableNow)),
      liquidatableNow: r.liquidatableNow,
    }));
  return {
    position: {
      index: a.index,
      symbol: leg.symbol,
      side: leg.side === 1 ? 'long' : 'short',
      positionSide: leg.positionSide,
      size: formatFixed(leg.size),
      entryPrice: formatFixed(leg.entryPrice),
      markPrice: formatFixed(mark),
      leverage: leg.leverage,
      notional: money(legNotional(leg, mark)),
      settleAsset: leg.market.settleAsset,
    },
    isolated: {
      margin: money(a.isolated.margin, 'ceil'),
      ...priceJson(a.isolated.liquidationPrice, mark, tick, leg.side),
      bankruptcyPrice: a.isolated.bankruptcyPrice === undefined ? null : priceTowardMark(a.isolated.bankruptcyPrice, mark),
    },
    assigned: a.assigned === undefined ? null : { margin: money(a.assigned.margin), ...priceJson(a.assigned.liquidationPrice, mark, tick, leg.side) },
    cross: {
      wallet: money(a.cross.wallet),
      ...priceJson(a.cross.liquidationPrice, mark, tick, crossSide(leg, a.cross.liquidationPrice, a.otherMoves.find((r) => isZero(r.change))?.liquidatableNow ?? false)),
      bankruptcyPrice: a.cross.bankruptcyPrice === undefined ? null : priceTowardMark(a.cross.bankruptcyPrice, mark),
      otherCrossPositions: a.cross.otherCrossLegs,
    },
    otherMoves: sensitivity(a.otherMoves),
    walletChanges: sensitivity(a.walletChanges, a.cross.wallet),
    blastRadius: {
      adverse: a.blastRadius.adverse,
      netNotional: money(a.blastRadius.netNotional),
      down: uniformJson(a.blastRadius.down),
      up: uniformJson(a.blastRadius.up),
    },
  };
}
