// The JSON of `perpguard calc`: margin figures per position and for the account, from the venue profile's
// AccountReport. Decimal strings rounded as the README's "Rounding" section says (./numbers.ts). Pure.
import { formatFixed, formatFixedTo, lt, neg, ratio, sub, times, type Price, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { liquidationPriceAtTick, type AccountReport, type LegReport } from '../exchanges/rules.ts';
import { money, priceToTick, priceTowardMark } from './numbers.ts';

export interface CalcPositionJson {
  symbol: string;
  side: 'long' | 'short';
  positionSide: string;
  marginMode: string;
  leverage: number;
  size: string;
  entryPrice: string;
  markPrice: string;
  notional: string;
  isolatedMargin: string | null;
  initialMargin: string;
  maintenanceMargin: string;
  maintenanceMarginRate: string;
  bracket: number | null;
  unrealizedPnl: string;
  marginRatio: string | null;
  liquidationPrice: string | null;
  liquidationPriceTick: string | null;
  bankruptcyPrice: string | null;
  bankruptcyPriceTick: string | null;
  liquidationDistancePct: string | null;
}

export interface CalcJson {
  positions: CalcPositionJson[];
  account: {
    exchange: string;
    settleAsset: string;
    walletBalance: string;
    totalWalletBalance: string;
    marginBalance: string;
    maintenanceMargin: string;
    initialMargin: string;
    marginRatio: string | null;
    availableBalance: string;
    liquidatable: boolean;
  };
}

/**
 * Distance from mark to the liquidation price as % of mark, positive while the position is safe. A cross
 * leg's liquidation price is the account's (in hedge mode the LONG and SHORT legs of a symbol share it, on
 * the side of their net position), so with `accountLiquidatable` given the sign comes from the account, not
 * from the leg's own side.
 */
export function distancePct(leg: LegReport, accountLiquidatable?: boolean): Rate | undefined {
  const lp = leg.liquidationPrice;
  if (!lp) return undefined;
  const mark = leg.leg.markPrice;
  if (leg.leg.marginMode === 'cross' && accountLiquidatable !== undefined) {
    const gap = times(ratio(lt(lp, mark) ? sub(mark, lp) : sub(lp, mark), mark, 'down'), 100);
    return accountLiquidatable ? neg(gap) : gap;
  }
  const gap: Price = leg.leg.side === 1 ? sub(mark, lp) : sub(lp, mark);
  return times(ratio(gap, mark, 'down'), 100);
}

/** Whether a leg is at or past its liquidation price now: its own bucket if isolated, the account if cross. */
export function pastLiquidation(leg: LegReport, report: AccountReport): boolean {
  if (leg.leg.marginMode === 'cross') return report.liquidatable;
  const lp = leg.liquidationPrice;
  return lp !== undefined && (leg.leg.side === 1 ? !lt(lp, leg.leg.markPrice) : !lt(leg.leg.markPrice, lp));
}

function rateText(r: Rate | undefined, decimals: number): string | null {
  return r === undefined ? null : formatFixedTo(r, decimals, 'ceil');
}

/** What `perpguard calc --json` prints for an evaluated account. */
export function reportJson(report: AccountReport): CalcJson {
  return {
    positions: report.legs.map((l) => {
      const mark = l.leg.markPrice;
      const tick = l.leg.market.tickSize;
      const dist = distancePct(l, report.liquidatable);
      return {
        symbol: l.leg.symbol,
        side: l.leg.side === 1 ? 'long' : 'short',
        positionSide: l.leg.positionSide,
        marginMode: l.leg.marginMode,
        leverage: l.leg.leverage,
        size: formatFixed(l.leg.size),
        entryPrice: formatFixed(l.leg.entryPrice),
        markPrice: formatFixed(mark),
        notional: money(l.notional),
        isolatedMargin: l.leg.marginMode === 'isolated' ? money(l.leg.isolatedWallet) : null,
        initialMargin: money(l.initialMargin, 'ceil'),
        maintenanceMargin: money(l.maintenanceMargin, 'ceil'),
        maintenanceMarginRate: formatFixed(l.maintenanceRate),
        bracket: l.bracket ?? null,
        unrealizedPnl: money(l.unrealizedPnl, 'floor'),
        marginRatio: rateText(l.marginRatio, 8),
        liquidationPrice: l.liquidationPrice ? priceTowardMark(l.liquidationPrice, mark) : null,
        // at the venue's display (OKX: one tick further toward the mark); liquidationPrice stays exact
        liquidationPriceTick: l.liquidationPrice ? formatFixed(liquidationPriceAtTick(profileOf(report.exchange).rules, l.liquidationPrice, mark, tick)) : null,
        bankruptcyPrice: l.bankruptcyPrice ? priceTowardMark(l.bankruptcyPrice, mark) : null,
        bankruptcyPriceTick: l.bankruptcyPrice ? priceToTick(l.bankruptcyPrice, mark, tick) : null,
        liquidationDistancePct: dist === undefined ? null : formatFixedTo(dist, 4, 'down'),
      };
    }),
    account: {
      exchange: report.exchange,
      settleAsset: report.settleAsset,
      walletBalance: money(report.crossWallet),
      totalWalletBalance: money(report.totalWallet),
      marginBalance: money(report.marginBalance, 'floor'),
      maintenanceMargin: money(report.maintenanceMargin, 'ceil'),
      initialMargin: money(report.initialMargin, 'ceil'),
      marginRatio: rateText(report.marginRatio, 8),
      availableBalance: money(report.availableBalance, 'floor'),
      liquidatable: report.liquidatable,
    },
  };
}
