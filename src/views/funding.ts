// The JSON of `perpguard advise funding`: funding rates of the bundled windows, their cost to the
// position, and how far funding alone drifts an isolated position toward its liquidation price. Pure.
import { formatFixed, formatFixedTo, times, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { fundingCost, type FundingDrift, type WindowStats } from '../advisor/funding.ts';
import { type Leg } from '../exchanges/rules.ts';
import type { FundingSeries } from '../sim/data.ts';
import { money, priceToTick, priceTowardMark } from './numbers.ts';

const pct = (r: Rate, decimals: number): string => formatFixedTo(times(r, 100), decimals, 'halfEven');

function driftJson(d: FundingDrift, mark: Price, tick: Price) {
  return {
    liquidationPrice: d.liquidationPrice === undefined ? null : priceTowardMark(d.liquidationPrice, mark),
    liquidationPriceTick: d.liquidationPrice === undefined ? null : priceToTick(d.liquidationPrice, mark, tick),
    target: d.target === undefined ? null : priceTowardMark(d.target, mark),
    targetIsMark: d.targetIsMark,
    marginToLose: d.marginToLose === undefined ? null : money(d.marginToLose, 'ceil'),
    perSettlement: money(d.perSettlement),
    settlements: d.settlements ?? null,
    days: d.days === undefined ? null : formatFixedTo(d.days, 4, 'ceil'),
    settlementsToLiquidation: d.settlementsToLiquidation ?? null,
    daysToLiquidation: d.daysToLiquidation === undefined ? null : formatFixedTo(d.daysToLiquidation, 4, 'ceil'),
  };
}

export function fundingJson(
  series: FundingSeries,
  side: 1 | -1,
  notional: Money,
  leg: Leg | undefined,
  move: Price | undefined,
  rows: readonly { stats: WindowStats; cost: ReturnType<typeof fundingCost>; drift: FundingDrift | undefined }[],
  perDay: number,
) {
  return {
    symbol: series.symbol,
    source: series.source,
    settlementsPerDay: perDay,
    position: {
      side: side === 1 ? 'long' : 'short',
      notional: money(notional),
      entryPrice: leg ? formatFixed(leg.entryPrice) : null,
      size: leg ? formatFixed(leg.size) : null,
      leverage: leg ? leg.leverage : null,
      isolatedMargin: leg ? money(leg.isolatedWallet, 'ceil') : null,
      settleAsset: leg ? leg.market.settleAsset : null,
      liquidationPriceMove: move ? formatFixed(move) : null,
    },
    windows: rows.map(({ stats, cost, drift }) => ({
      window: stats.id,
      title: stats.title,
      from: new Date(stats.fromMs).toISOString(),
      to: new Date(stats.toMs).toISOString(),
      settlements: stats.settlements,
      averageRate: formatFixedTo(stats.average, 12, 'halfEven'),
      minRate: formatFixed(stats.min),
      maxRate: formatFixed(stats.max),
      positiveShare: formatFixedTo(stats.positiveShare, 4, 'halfEven'),
      annualizedRatePct: pct(times(stats.average, perDay * 365), 4),
      costPerSettlement: money(cost.perSettlement),
      costPerDay: money(cost.perDay),
      costPerYear: money(cost.perYear),
      drift: drift && leg ? driftJson(drift, leg.markPrice, leg.market.tickSize) : null,
    })),
  };
}
