// The grid of `perpguard sweep`: one portfolio re-sized for each (leverage, allocation) cell. Pure.
//
// Allocation is the share of the wallet committed to the legs together: their initial margin plus the taker
// fee of opening them (without the fee, allocation 1 could never open its last leg). Each leg keeps its
// share from the spec (a leg of margin 300 beside one of notional 30,000 at 10x keeps 300 : 3,000), so the
// mix of core, speculative and hedge legs that the spec describes is kept; the cell sets every leg's
// leverage to the cell's and its margin to allocation x wallet x its share / (1 + leverage x taker fee),
// and its notional follows as margin x leverage. An isolated leg's extra "safety net" margin
// (isolatedMargin) scales with its margin.
import { add, divideBy, divideByRate, formatFixed, gt, isPositive, parseFixed, proportion, scale, sum, type Money } from '../domain/fixed.ts';
import { isoDay, maxNotionalAtLeverage } from '../domain/tiers.ts';
import { bundledBrackets, DEFAULT_MARKETS } from '../exchanges/markets.ts';
import { InputError } from '../schema/input-error.ts';
import { DEFAULT_FEES } from '../exchanges/snapshot.ts';
import type { LegSpec, Spec } from './spec.ts';

export interface Cell {
  /** Every leg's leverage in this cell. */
  readonly leverage: number;
  /** Share of the wallet put up as initial margin, as a decimal text ("0.25"). */
  readonly allocation: string;
}

/** The cells in row order: leverage outer, allocation inner (cell index = leverage index x allocations + allocation index). */
export function gridCells(leverages: readonly number[], allocations: readonly string[]): Cell[] {
  return leverages.flatMap((leverage) => allocations.map((allocation) => ({ leverage, allocation })));
}

/** The legs' initial margins as the spec sizes them (notional / leverage, or the margin given). */
export function specMargins(spec: Spec): Money[] {
  return spec.legs.map((leg, i) => {
    if ('margin' in leg.size) return parseFixed<'Money'>(leg.size.margin);
    if ('notional' in leg.size) return divideBy(parseFixed<'Money'>(leg.size.notional), leg.leverage, 'ceil');
    // a risk-sized leg's margin depends on the entry price and the stop: no share of the wallet to scale
    throw new InputError(`legs[${i}].size`, 'perpguard sweep re-sizes legs by margin: give { notional } or { margin }, not { riskPercent }');
  });
}

/** The spec as run in one cell. Margins round down, so the legs never commit more than the allocation. */
export function cellSpec(spec: Spec, cell: Cell): Spec {
  const margins = specMargins(spec);
  const total = sum(margins);
  const budget = proportion(parseFixed<'Money'>(spec.wallet), parseFixed<'Rate'>(cell.allocation), parseFixed<'Rate'>('1'), 'floor');
  const taker = parseFixed<'Rate'>(spec.fees?.taker ?? DEFAULT_FEES[spec.exchange].taker);
  // 1 + leverage x taker: margin plus the opening fee on margin x leverage
  const withFee = add(parseFixed<'Rate'>('1'), scale(taker, parseFixed<'Rate'>(String(cell.leverage)), 'ceil'));
  const legs: LegSpec[] = spec.legs.map((leg, i) => {
    const margin = divideByRate(proportion(budget, margins[i]!, total, 'floor'), withFee, 'floor');
    const net = leg.isolatedMargin === undefined ? {} : { isolatedMargin: formatFixed(proportion(parseFixed<'Money'>(leg.isolatedMargin), margin, margins[i]!, 'floor')) };
    return { ...leg, leverage: cell.leverage, size: { margin: formatFixed(margin) }, ...net };
  });
  return { ...spec, legs };
}

/**
 * Why the venue would refuse a cell's positions, or undefined: a leverage above the market's, or a
 * notional (margin x leverage) above what its bracket table allows at that leverage on `dateMs`.
 * Refused cells are shown as such instead of being run (the engine would reject the order and the cell
 * would look safe because nothing was opened).
 */
export function cellRefusal(spec: Spec, cell: Cell, dateMs: number): string | undefined {
  const sized = cellSpec(spec, cell);
  for (const leg of sized.legs) {
    if ('margin' in leg.size && !isPositive(parseFixed<'Money'>(leg.size.margin))) return `${leg.symbol}: a margin of 0 at allocation ${cell.allocation}`;
    const market = DEFAULT_MARKETS[spec.exchange].find((m) => m.symbol === leg.symbol);
    // markets the spec describes itself have no bundled table: the engine's own checks apply there
    if (!market || spec.markets?.[leg.symbol]) continue;
    if (cell.leverage > market.maxLeverage) return `${leg.symbol}: ${cell.leverage}x is above the venue's ${market.maxLeverage}x`;
    const table = bundledBrackets(spec.exchange).at(leg.symbol, isoDay(dateMs))?.table;
    // inverse tables cap a USD face value and OKX's a size: only linear notionals compare with the margin here
    if (!table || table.basis === 'size' || market.kind !== 'linear' || !('margin' in leg.size)) continue;
    const cap = maxNotionalAtLeverage(table, cell.leverage);
    const wanted = scale(parseFixed<'Money'>(leg.size.margin), parseFixed<'Rate'>(String(cell.leverage)), 'ceil');
    if (cap === undefined || gt(wanted, cap)) return `${leg.symbol}: a notional of ${formatFixed(wanted)} is above the ${cell.leverage}x cap of its brackets`;
  }
  return undefined;
}
