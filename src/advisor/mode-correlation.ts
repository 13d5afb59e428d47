// Margin-mode advice, the correlation criterion's number (./mode.ts): the trade's PnL against the PnL of
// the positions that would share the cross wallet with it, from aligned hourly returns (BTC/ETH/SOL
// 2024-2026). Float is fine here: these are statistics of returns.
import { parseFixed, toApproxNumber } from '../domain/fixed.ts';
import type { ReturnsModel } from '../sim/generators.ts';
import type { LegSpec, Spec } from '../sim/spec.ts';
import { correlation } from './statistics.ts';

/** A leg's notional at the model's start price, as a float weight (statistics only). */
function weightOf(leg: LegSpec, wallet: number, startPrice: number): number {
  const num = (t: string) => toApproxNumber(parseFixed<'Rate'>(t));
  if ('notional' in leg.size) return num(leg.size.notional);
  if ('margin' in leg.size) return num(leg.size.margin) * leg.leverage;
  const risk = (wallet * num(leg.size.riskPercent)) / 100;
  const stop = leg.stopLoss;
  const distance = !stop ? NaN : 'percent' in stop ? num(stop.percent) / 100 : Math.abs(startPrice - num(stop.price)) / startPrice;
  return distance > 0 ? risk / distance : 0;
}

/** The signed PnL correlation of the trade with one other leg (undefined when it has no aligned returns). */
export interface LegCorrelation {
  readonly symbol: string;
  readonly side: string;
  readonly marginMode: string;
  readonly correlation: number | undefined;
}

/**
 * PnL correlations from the model's aligned hourly returns: the trade (side x return) against each other
 * leg (side x return), and against the notional-weighted PnL of the other cross legs.
 */
export function pnlCorrelations(spec: Spec, tradeIndex: number, model: ReturnsModel): { cross: number | undefined; legs: readonly LegCorrelation[] } {
  const trade = spec.legs[tradeIndex]!;
  const returnsOf = (symbol: string): Float64Array | undefined => {
    const a = model.symbols.indexOf(symbol);
    if (a < 0) return undefined;
    return Float64Array.from(model.body[a]!, (b, j) => b + model.gap[a]![j]!);
  };
  const sign = (leg: LegSpec) => (leg.side === 'long' ? 1 : -1);
  const tr = returnsOf(trade.symbol);
  const wallet = toApproxNumber(parseFixed<'Money'>(spec.wallet));
  const legs = spec.legs.flatMap((leg, i) => {
    if (i === tradeIndex) return [];
    const r = returnsOf(leg.symbol);
    return [{ symbol: leg.symbol, side: leg.side, marginMode: leg.marginMode, correlation: tr && r ? correlation(tr, r) * sign(trade) * sign(leg) : undefined }];
  });
  if (!tr) return { cross: undefined, legs };
  const crossLegs = spec.legs.filter((l, i) => i !== tradeIndex && l.marginMode === 'cross' && model.symbols.includes(l.symbol));
  if (crossLegs.length === 0) return { cross: undefined, legs };
  const book = new Float64Array(tr.length);
  for (const leg of crossLegs) {
    const r = returnsOf(leg.symbol)!;
    const w = sign(leg) * weightOf(leg, wallet, model.start[model.symbols.indexOf(leg.symbol)]!);
    for (let j = 0; j < book.length; j++) book[j]! += w * r[j]!;
  }
  const c = correlation(tr, book) * sign(trade);
  return { cross: Number.isNaN(c) ? undefined : c, legs };
}
