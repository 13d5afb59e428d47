// The JSON of `perpguard advise size`: the position size that risks the chosen fraction of the portfolio
// to the stop, with the liquidation price checked against the stop. Pure.
import { formatFixed, formatFixedTo, ratio, sub, times, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { type SizingResult } from '../advisor/sizing.ts';
import type { Market } from '../exchanges/rules.ts';
import { money, priceToTick, priceTowardMark } from './numbers.ts';

/** What the sizing was asked: the venue, market, side, entry, stop, portfolio, risk and fee assumptions. */
export interface SizingContext {
  exchange: string;
  market: Market;
  side: 1 | -1;
  entry: Price;
  stop: Price;
  portfolio: Money;
  riskFraction: Rate;
  taker: Rate;
  buffer: Rate;
}

const pct = (r: Rate, decimals = 4): string => formatFixedTo(times(r, 100), decimals, 'halfEven');
const px = (p: Price | undefined, entry: Price): string | null => (p === undefined ? null : priceTowardMark(p, entry));

export function sizeJson(r: SizingResult, c: SizingContext) {
  const tick = c.market.tickSize;
  return {
    exchange: c.exchange,
    symbol: c.market.symbol,
    settleAsset: c.market.settleAsset,
    side: c.side === 1 ? 'long' : 'short',
    entryPrice: formatFixed(c.entry),
    stopPrice: formatFixed(c.stop),
    stopDistancePct: pct(ratio(c.side === 1 ? sub(c.entry, c.stop) : sub(c.stop, c.entry), c.entry, 'halfEven')),
    portfolio: money(c.portfolio),
    riskPct: pct(c.riskFraction),
    takerFeePct: pct(c.taker),
    riskBudget: money(r.riskBudget, 'floor'),
    lossPerUnit: money(r.lossPerUnit, 'ceil'),
    stepSize: formatFixed(c.market.stepSize),
    quantity: formatFixed(r.quantity),
    notional: money(r.notional),
    loss: {
      priceMove: money(r.priceLoss, 'ceil'),
      entryFee: money(r.entryFee, 'ceil'),
      exitFee: money(r.exitFee, 'ceil'),
      total: money(r.lossAtStop, 'ceil'),
      unusedBudget: money(r.unusedBudget, 'floor'),
    },
    availableMargin: money(r.availableMargin),
    minimumLeverage: r.minimumLeverage,
    leverage: r.leverage,
    venueMaxLeverage: r.venueMaxLeverage,
    isolatedMargin: money(r.isolatedMargin, 'ceil'),
    walletNeeded: money(r.walletNeeded, 'ceil'),
    liquidationPrice: px(r.liquidationPrice, c.entry),
    liquidationPriceTick: r.liquidationPrice === undefined ? null : priceToTick(r.liquidationPrice, c.entry, tick),
    bankruptcyPrice: px(r.bankruptcyPrice, c.entry),
    bufferPct: pct(c.buffer, 2),
    bufferPrice: px(r.bufferPrice, c.entry),
    stopStatus: r.stopStatus,
    coincidingLeverage: r.coincidingLeverage === undefined ? null : formatFixedTo(r.coincidingLeverage, 8, 'floor'),
    maxLeverageStopFirst: r.maxLeverageStopFirst ?? null,
    maxLeverageWithBuffer: r.maxLeverageWithBuffer ?? null,
    warnings: r.warnings,
  };
}
