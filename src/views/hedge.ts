// The JSON of `perpguard advise hedge`: the hedge that keeps a cross book alive through a uniform move,
// its cost and the liquidation prices with and without it. Pure.
import { formatFixed, formatFixedTo, times, type Price, type Rate } from '../domain/fixed.ts';
import { type HedgeAdvice } from '../advisor/hedge.ts';
import type { UniformMove } from '../advisor/liquidation.ts';
import { money, priceToTick, priceTowardMark } from './numbers.ts';

const pct = (r: Rate | undefined): string | null => (r === undefined ? null : formatFixedTo(times(r, 100), 4, 'down'));
const px = (p: Price | undefined, mark: Price): string | null => (p === undefined ? null : priceTowardMark(p, mark));
const tick = (p: Price | undefined, mark: Price, step: Price): string | null => (p === undefined ? null : priceToTick(p, mark, step));

function uniform(u: UniformMove) {
  return {
    movePct: u.move === undefined ? null : formatFixedTo(times(u.move, 100), 8, 'down'),
    marginBalanceAtMove: u.marginBalanceAt === undefined ? null : money(u.marginBalanceAt, 'floor'),
    equityLost: u.equityLost === undefined ? null : money(u.equityLost, 'ceil'),
    isolatedOnTheWay: u.isolatedOnTheWay.map((x) => x.symbol),
  };
}

export function hedgeJson(a: HedgeAdvice) {
  return {
    settleAsset: a.settleAsset,
    totalWallet: money(a.totalWallet),
    positions: a.legs.map((l) => {
      const mark = l.leg.markPrice;
      const step = l.leg.market.tickSize;
      const d = l.domino;
      return {
        index: l.index,
        label: l.label,
        symbol: l.leg.symbol,
        side: l.leg.side === 1 ? 'long' : 'short',
        positionSide: l.leg.positionSide,
        size: formatFixed(l.leg.size),
        entryPrice: formatFixed(l.leg.entryPrice),
        markPrice: formatFixed(mark),
        leverage: l.leg.leverage,
        notional: money(l.notional),
        initialMargin: money(l.initialMargin, 'ceil'),
        maintenanceMargin: money(l.maintenanceMargin, 'ceil'),
        unrealizedPnl: money(l.unrealizedPnl, 'floor'),
        isolated: {
          margin: money(l.isolated.margin, 'ceil'),
          liquidationPrice: px(l.isolated.liquidationPrice, mark),
          liquidationPriceTick: tick(l.isolated.liquidationPrice, mark, step),
          movePct: pct(l.isolated.move),
        },
        cross: {
          liquidationPrice: px(l.cross.liquidationPrice, mark),
          liquidationPriceTick: tick(l.cross.liquidationPrice, mark, step),
          movePct: pct(l.cross.move),
        },
        domino: {
          closedAtCrossLiquidation: d.closedAtCrossLiquidation,
          isolatedLossPrice: px(d.isolatedLossPrice, mark),
          crossFirst: d.crossFirst,
          afterLoss:
            d.afterLoss === undefined
              ? null
              : {
                  realizedPnl: money(d.afterLoss.realizedPnl, 'floor'),
                  wallet: money(d.afterLoss.wallet, 'floor'),
                  marginBalance: money(d.afterLoss.marginBalance, 'floor'),
                  maintenanceMargin: money(d.afterLoss.maintenanceMargin, 'ceil'),
                  liquidatable: d.afterLoss.liquidatable,
                  others: d.afterLoss.others.map((o) => {
                    const other = a.legs[o.index]!.leg;
                    return {
                      label: o.label,
                      liquidationPriceBefore: px(o.liquidationPriceBefore, other.markPrice),
                      liquidationPriceBeforeTick: tick(o.liquidationPriceBefore, other.markPrice, other.market.tickSize),
                      liquidationPriceAfter: px(o.liquidationPriceAfter, other.markPrice),
                      liquidationPriceAfterTick: tick(o.liquidationPriceAfter, other.markPrice, other.market.tickSize),
                    };
                  }),
                },
          goesWith: d.goesWith,
        },
      };
    }),
    isolated: {
      initialMargin: money(a.isolated.initialMargin, 'ceil'),
      assignedMargin: money(a.isolated.assignedMargin, 'ceil'),
      maintenanceMargin: money(a.isolated.maintenanceMargin, 'ceil'),
      marginBalance: money(a.isolated.marginBalance, 'floor'),
      freeWallet: money(a.isolated.freeWallet, 'floor'),
      firstLiquidationDown: { movePct: pct(a.isolated.down.move), legs: a.isolated.down.legs },
      firstLiquidationUp: { movePct: pct(a.isolated.up.move), legs: a.isolated.up.legs },
    },
    cross: {
      initialMargin: money(a.cross.initialMargin, 'ceil'),
      maintenanceMargin: money(a.cross.maintenanceMargin, 'ceil'),
      marginBalance: money(a.cross.marginBalance, 'floor'),
      unrealizedPnl: money(a.cross.unrealizedPnl, 'floor'),
      marginRatio: a.cross.marginRatio === undefined ? null : formatFixedTo(a.cross.marginRatio, 8, 'ceil'),
      availableBalance: money(a.cross.availableBalance, 'floor'),
      blastRadius: { adverse: a.cross.blastRadius.adverse, down: uniform(a.cross.blastRadius.down), up: uniform(a.cross.blastRadius.up) },
    },
    hedgeModePairs: a.pairs.map((p) => {
      const mark = a.legs.find((l) => l.leg.symbol === p.symbol)!.leg.markPrice;
      return {
        symbol: p.symbol,
        initialMargin: money(p.initialMargin, 'ceil'),
        maintenanceMargin: money(p.maintenanceMargin, 'ceil'),
        crossLiquidationPrice: px(p.crossLiquidationPrice, mark),
        crossLiquidationPriceTick: tick(p.crossLiquidationPrice, mark, a.legs.find((l) => l.leg.symbol === p.symbol)!.leg.market.tickSize),
        oneWayNet:
          p.net === undefined
            ? null
            : { side: p.net.side === 1 ? 'long' : 'short', size: formatFixed(p.net.size), initialMargin: money(p.net.initialMargin, 'ceil'), maintenanceMargin: money(p.net.maintenanceMargin, 'ceil') },
      };
    }),
    warnings: a.warnings,
  };
}
