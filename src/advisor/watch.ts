// `perpguard watch`'s judgment of one tick: per position, whether it is past the trader's thresholds (margin
// ratio, distance to liquidation, a reduce-only stop in front of the liquidation price with a buffer, the
// venue's reported liquidation price against perpguard's, margin chasing), and the state machine that turns
// those conditions into warnings raised once and cleared once (no flood: a condition that holds tick after
// tick is one warning). Pure: the evaluated account, the venue's orders and history are passed in; the
// polling lives in ../cli/watch.ts.
import { abs, add, formatFixed, formatFixedTo, gt, gte, isPositive, lt, lte, ratio, scale, sub, sum, times, zero, type Money, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import type { AccountReport, LegReport } from '../exchanges/rules.ts';
import { CHASING_RULES } from './chasing.ts';
import { decimalText } from './statistics.ts';
import { hoursToLiquidation, MOVE_CONFIDENCE, type HourlyVolatility } from './watch-volatility.ts';

/** The trader's thresholds; an absent one is not checked. Fractions, not percents (0.5 = 50 %). */
export interface WatchThresholds {
  /** Margin ratio (maintenance / margin balance) at or above which a position warns; cross legs use the account's. */
  readonly maxMarginRatio?: Rate;
  /** Distance from the mark to the liquidation price, as a fraction of the mark, below which a position warns. */
  readonly minDistance?: Rate;
  /** Hours in which a 99 % move of the symbol's recent volatility reaches the liquidation price, below which a position warns. */
  readonly minDistanceHours?: number;
  /** Warn for every position without a reduce-only stop in front of its liquidation price. */
  readonly requireStop: boolean;
  /** How far in front of the liquidation price a stop must trigger, as a fraction of the mark. */
  readonly stopBuffer: Rate;
  /** |perpguard − venue| liquidation price, in the market's ticks, above which a position warns. */
  readonly maxDivergenceTicks?: Rate;
  /** Top-ups of an isolated position at or above which it counts as chasing (0: not checked). */
  readonly maxTopUps: number;
}

export const DEFAULT_THRESHOLDS: WatchThresholds = { requireStop: false, stopBuffer: zero(), maxTopUps: CHASING_RULES.topUps };

/** A resting trigger order of the venue, as the poller read it. */
export interface StopOrder {
  /** The venue's symbol (ETHUSDT), as the account's positions name it. */
  readonly symbol: string;
  readonly side: 'buy' | 'sell';
  readonly triggerPrice: Price;
  /** True for reduce-only and close-position orders: the only ones that can never open or flip a position. */
  readonly reduceOnly: boolean;
  /** What it closes, in the position's size unit (base quantity; contracts on inverse markets); 'whole' for a close-position order. */
  readonly size: Quantity | 'whole';
}

/** Margin moved into or out of an isolated position, from the venue's margin-adjustment history. */
export interface MarginAdjustment {
  readonly symbol: string;
  readonly kind: 'add' | 'reduce';
  readonly amount: Money;
}

export interface StopCheck {
  /** The nearest reduce-only stop on the closing side that lies between the liquidation price and the mark. */
  readonly triggerPrice: Price | undefined;
  /**
   * True when the stops that trigger at least the buffer in front of the liquidation price (any stop on the
   * closing side, without a liquidation price) close the whole position between them: a stop for a tenth of
   * it leaves nine tenths to the liquidation.
   */
  readonly inFront: boolean;
  /** The share of the position those stops close (1 at most), when some stop is in front but they close less than the whole. */
  readonly partial?: Rate;
}

export interface PositionCheck {
  /** "ETHUSDT long": how every warning names the position. */
  readonly position: string;
  readonly marginRatio: Rate | undefined;
  /** (mark − liq) / mark for a long, (liq − mark) / mark for a short; undefined without a liquidation price. */
  readonly distance: Rate | undefined;
  /** The distance in the symbol's recent volatility (undefined without candles or a liquidation price). */
  readonly volatility: (HourlyVolatility & { readonly hoursOf99PctMove: number }) | undefined;
  readonly stop: StopCheck;
  /** (perpguard − venue) / tick, undefined when either has no price. */
  readonly divergenceTicks: Rate | undefined;
  readonly topUps: number;
  readonly marginAdded: Money;
}

export type WarningKind = 'marginRatio' | 'distance' | 'distanceHours' | 'stop' | 'divergence' | 'chasing' | 'liquidated';

export interface Warning {
  /** kind and position: the identity a warning keeps from raise to clear. */
  readonly id: string;
  readonly kind: WarningKind;
  readonly position: string;
  readonly figure: string;
  readonly threshold: string;
  readonly message: string;
}

export const positionName = (l: LegReport): string => `${l.leg.symbol} ${l.leg.side === 1 ? 'long' : 'short'}`;

// figures round toward danger (a margin ratio up, a distance down), as the tables of perpguard calc do
const pct = (r: Rate, rounding: 'ceil' | 'floor' | 'halfEven' = 'halfEven'): string => `${formatFixedTo(times(r, 100), 2, rounding)} %`;

/** Hours with one decimal, rounded down (toward danger, as the other distances). */
export const hoursText = (h: number): string => (h === Infinity ? 'never' : decimalText(Math.floor(h * 10) / 10, 1));

/** The closing side's reduce-only stops of a position, and whether the nearest one to the liquidation lies in front of it. */
export function stopCheck(l: LegReport, stops: readonly StopOrder[], buffer: Rate): StopCheck {
  const long = l.leg.side === 1;
  const mark = l.leg.markPrice;
  const lp = l.liquidationPrice;
  // a stop loss of a long sells below the mark (one above it is a take profit); a short's buys above it
  const mine = stops.filter((s) => s.symbol === l.leg.symbol && s.reduceOnly && s.side === (long ? 'sell' : 'buy') && (long ? lt(s.triggerPrice, mark) : gt(s.triggerPrice, mark)));
  if (mine.length === 0) return { triggerPrice: undefined, inFront: false };
  // the stop that fires first as the mark falls (long: the highest) protects the position
  const first = mine.reduce((a, b) => (long ? (gt(b.triggerPrice, a.triggerPrice) ? b : a) : lt(b.triggerPrice, a.triggerPrice) ? b : a));
  // without a liquidation price any stop on the closing side is in time
  const margin = scale(mark, buffer, 'ceil');
  const inTime = lp === undefined ? mine : mine.filter((s) => (long ? gte(s.triggerPrice, add(lp, margin)) : lte(s.triggerPrice, sub(lp, margin))));
  if (inTime.length === 0) return { triggerPrice: first.triggerPrice, inFront: false };
  if (inTime.some((s) => s.size === 'whole')) return { triggerPrice: first.triggerPrice, inFront: true };
  const closed = sum(inTime.map((s) => s.size as Quantity));
  if (gte(closed, l.leg.size)) return { triggerPrice: first.triggerPrice, inFront: true };
  return { triggerPrice: first.triggerPrice, inFront: false, partial: ratio(closed, l.leg.size, 'floor') };
}

/** Signed distance from the mark to the liquidation price as a fraction of the mark, positive while safe. */
export function distanceOf(l: LegReport): Rate | undefined {
  const lp = l.liquidationPrice;
  if (lp === undefined) return undefined;
  const mark = l.leg.markPrice;
  return ratio(l.leg.side === 1 ? sub(mark, lp) : sub(lp, mark), mark, 'floor');
}

/** Hours of a 99 % move to the liquidation price at the symbol's hourly volatility (sqrt-time scaling). */
export function volatilityDistanceOf(l: LegReport, volatility: HourlyVolatility | undefined): PositionCheck['volatility'] {
  if (volatility === undefined || l.liquidationPrice === undefined) return undefined;
  const hours = hoursToLiquidation(l.leg.side === 1 ? 'long' : 'short', Number(formatFixed(l.leg.markPrice)), Number(formatFixed(l.liquidationPrice)), volatility.hourly, MOVE_CONFIDENCE);
  return { ...volatility, hoursOf99PctMove: hours };
}

/**
 * The checks of every position of the evaluated account. `reported[i]` is the venue's liquidation price of
 * leg i; `volatility` the recent hourly volatility by the venue's symbol (ETHUSDT).
 */
export function positionChecks(
  report: AccountReport,
  reported: readonly (Price | undefined)[],
  stops: readonly StopOrder[],
  adjustments: readonly MarginAdjustment[],
  buffer: Rate,
  volatility: ReadonlyMap<string, HourlyVolatility> = new Map(),
): PositionCheck[] {
  return report.legs.map((l, i) => {
    const theirs = reported[i];
    const ours = l.liquidationPrice;
    const tick = l.leg.market.tickSize;
    const mine = l.leg.marginMode === 'isolated' ? adjustments.filter((a) => a.symbol === l.leg.symbol) : [];
    const added = mine.filter((a) => a.kind === 'add');
    return {
      position: positionName(l),
      marginRatio: l.leg.marginMode === 'cross' ? report.marginRatio : l.marginRatio,
      distance: distanceOf(l),
      volatility: volatilityDistanceOf(l, volatility.get(l.leg.symbol)),
      stop: stopCheck(l, stops, buffer),
      divergenceTicks: ours !== undefined && theirs !== undefined ? ratio(sub(ours, theirs), tick, 'halfEven') : undefined,
      topUps: added.length,
      marginAdded: added.reduce<Money>((s, a) => add(s, a.amount), zero()),
    };
  });
}

/** The conditions that hold now, one per position and kind. `liquidated` names positions the venue liquidated since the last tick. */
export function conditionsOf(report: AccountReport, checks: readonly PositionCheck[], t: WatchThresholds, liquidated: readonly string[] = []): Warning[] {
  const out: Warning[] = [];
  const warn = (kind: WarningKind, position: string, figure: string, threshold: string, message: string) =>
    out.push({ id: `${kind} ${position}`, kind, position, figure, threshold, message: `${position}: ${message}` });
  report.legs.forEach((l, i) => {
    const c = checks[i]!;
    if (t.maxMarginRatio !== undefined && c.marginRatio !== undefined && gte(c.marginRatio, t.maxMarginRatio)) {
      warn('marginRatio', c.position, pct(c.marginRatio, 'ceil'), pct(t.maxMarginRatio), `margin ratio ${pct(c.marginRatio, 'ceil')} ≥ ${pct(t.maxMarginRatio)}${l.leg.marginMode === 'cross' ? ' (the cross account)' : ''}`);
    }
    if (t.minDistance !== undefined && c.distance !== undefined && lt(c.distance, t.minDistance)) {
      warn('distance', c.position, pct(c.distance, 'floor'), pct(t.minDistance), `${pct(c.distance, 'floor')} from its liquidation price, < ${pct(t.minDistance)}`);
    }
    const v = c.volatility;
    if (t.minDistanceHours !== undefined && v !== undefined && v.hoursOf99PctMove < t.minDistanceHours) {
      const figure = `${hoursText(v.hoursOf99PctMove)} h`;
      const threshold = `${hoursText(t.minDistanceHours)} h`;
      warn('distanceHours', c.position, figure, threshold, `a 99 % move reaches its liquidation price within ${figure} (hourly volatility ${decimalText(v.hourly * 100, 2)} %, scaled by the square root of time), < ${threshold}`);
    }
    if (t.requireStop && !c.stop.inFront) {
      const at = c.stop.triggerPrice === undefined ? undefined : formatFixedTo(c.stop.triggerPrice, 8, 'halfEven').replace(/\.?0+$/, '');
      const why =
        at === undefined
          ? 'no reduce-only stop'
          : c.stop.partial !== undefined
            ? `its stops in front of the liquidation price close ${pct(c.stop.partial, 'floor')} of it: the rest goes to the liquidation`
            : `its stop at ${at} is not in front of the liquidation price by the buffer`;
      warn('stop', c.position, at ?? 'none', `buffer ${pct(t.stopBuffer)}`, why);
    }
    if (t.maxDivergenceTicks !== undefined && c.divergenceTicks !== undefined && gt(abs(c.divergenceTicks), t.maxDivergenceTicks)) {
      const ticks = formatFixedTo(c.divergenceTicks, 2, 'halfEven');
      warn('divergence', c.position, `${ticks} ticks`, `${formatFixedTo(t.maxDivergenceTicks, 2, 'halfEven')} ticks`, `perpguard's liquidation price differs from the venue's by ${ticks} ticks (a missing input, or a venue rule change)`);
    }
    if (t.maxTopUps > 0 && l.leg.marginMode === 'isolated' && c.topUps >= t.maxTopUps && isPositive(c.marginAdded)) {
      warn('chasing', c.position, `${c.topUps} top-ups`, `${t.maxTopUps} top-ups`, `margin topped up ${c.topUps} times (${formatFixedTo(c.marginAdded, 2, 'halfEven')} ${report.settleAsset} added): isolated in name, de facto cross`);
    }
  });
  for (const position of liquidated) warn('liquidated', position, 'liquidated', 'none', 'liquidated by the venue');
  return out;
}

export interface WarningStep {
  readonly raised: readonly Warning[];
  readonly cleared: readonly Warning[];
  /** What is active after this tick, by id (a held condition keeps the figure of its latest tick). */
  readonly active: ReadonlyMap<string, Warning>;
}

/** Raises the conditions that were not active, clears the active ones that no longer hold; the rest stay quiet. */
export function stepWarnings(active: ReadonlyMap<string, Warning>, now: readonly Warning[]): WarningStep {
  const next = new Map(now.map((w) => [w.id, w] as const));
  const raised = now.filter((w) => !active.has(w.id));
  const cleared = [...active.values()].filter((w) => !next.has(w.id));
  return { raised, cleared, active: next };
}

/** True when no check is asked for (watch still shows the figures). */
export const noThresholds = (t: WatchThresholds): boolean =>
  t.maxMarginRatio === undefined && t.minDistance === undefined && t.minDistanceHours === undefined && !t.requireStop && t.maxDivergenceTicks === undefined && t.maxTopUps === 0;

/** How far toward its liquidation price a mark may move before the mark stream wakes a reading (--stream). */
export const MARK_WAKE_SHARE = 0.25;

/**
 * Per symbol, the marks outside which a reading is due before the interval ends: a quarter of the way from
 * the mark to each position's liquidation price (below for a long, above for a short). Floats: thresholds to
 * wake a reading, never figures shown. Symbols without a liquidation price are absent.
 */
export function markBands(report: AccountReport, share = MARK_WAKE_SHARE): Map<string, { below?: number; above?: number }> {
  const out = new Map<string, { below?: number; above?: number }>();
  for (const l of report.legs) {
    if (l.liquidationPrice === undefined) continue;
    const mark = Number(formatFixed(l.leg.markPrice));
    const edge = mark + (Number(formatFixed(l.liquidationPrice)) - mark) * share;
    const band = out.get(l.leg.symbol) ?? {};
    if (l.leg.side === 1) band.below = Math.max(band.below ?? -Infinity, edge);
    else band.above = Math.min(band.above ?? Infinity, edge);
    out.set(l.leg.symbol, band);
  }
  return out;
}
