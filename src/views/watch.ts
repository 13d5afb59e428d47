// The JSON of `perpguard watch`: one tick's account as the venue holds it, every position's figures in its
// own mode and in the other one (the sections `perpguard advise liquidation --json` prints: isolated at the
// initial margin at entry, isolated with the margin it holds, cross with the whole wallet), the venue's
// reported liquidation price beside perpguard's, its stop, the account (`perpguard calc --json`'s), the
// cross book's blast radius and domino chain (`advise hedge`), and the warnings. Pure.
import { formatFixedTo, times, type Price, type Rate } from '../domain/fixed.ts';
import { hedgeAdvice } from '../advisor/hedge.ts';
import { blastRadius, liquidationAdvice } from '../advisor/liquidation.ts';
import { hoursText, type PositionCheck, type Warning } from '../advisor/watch.ts';
import { MOVE_CONFIDENCE } from '../advisor/watch-volatility.ts';
import { decimalText } from '../advisor/statistics.ts';
import type { AccountReport, AccountSnapshot } from '../exchanges/rules.ts';
import { reportJson } from './calc.ts';
import { hedgeJson } from './hedge.ts';
import { liquidationJson, uniformJson } from './liquidation.ts';
import { money } from './numbers.ts';

const pct4 = (r: Rate | undefined): string | null => (r === undefined ? null : formatFixedTo(times(r, 100), 4, 'down'));

export interface WarningJson {
  kind: string;
  position: string;
  figure: string;
  threshold: string;
  message: string;
}

export const warningJson = (w: Warning): WarningJson => ({ kind: w.kind, position: w.position, figure: w.figure, threshold: w.threshold, message: w.message });

export interface TickInput {
  readonly exchange: string;
  /** The import's format and notes (what was read, what was assumed). */
  readonly format: string;
  readonly notes: readonly string[];
  readonly snapshot: AccountSnapshot;
  readonly report: AccountReport;
  /** The venue's own liquidation price per leg (same order). */
  readonly reported: readonly (Price | undefined)[];
  readonly checks: readonly PositionCheck[];
  readonly raised: readonly Warning[];
  readonly cleared: readonly Warning[];
  readonly active: readonly Warning[];
}

/** One tick as JSON: the document `watch --once --json` prints, and each line of `watch --json`. */
export function tickJson(t: TickInput) {
  const calc = reportJson(t.report);
  const positions = t.snapshot.legs.map((leg, i) => {
    const advice = liquidationJson(liquidationAdvice(t.snapshot, i, { otherMoves: [], walletChanges: [] }));
    const own = calc.positions[i]!;
    const check = t.checks[i]!;
    const theirs = t.reported[i];
    return {
      ...own,
      otherMode: leg.marginMode === 'cross' ? 'isolated' : 'cross',
      // both modes, as `advise liquidation` computes them: isolated at the initial margin at entry, with the
      // margin the position holds (isolated only), and in cross with the whole wallet
      modes: { isolated: advice.isolated, assigned: advice.assigned, cross: advice.cross },
      venue: {
        liquidationPrice: theirs === undefined ? null : formatFixedTo(theirs, 8, 'halfEven'),
        differenceTicks: check.divergenceTicks === undefined ? null : formatFixedTo(check.divergenceTicks, 2, 'halfEven'),
      },
      stop: { triggerPrice: check.stop.triggerPrice === undefined ? null : formatFixedTo(check.stop.triggerPrice, 8, 'halfEven'), inFrontOfLiquidation: check.stop.inFront },
      chasing: leg.marginMode === 'isolated' ? { topUps: check.topUps, marginAdded: money(check.marginAdded) } : null,
      distancePct: pct4(check.distance),
      // the distance in the symbol's recent volatility: hours until a 99 % move (normal, one-sided, the
      // hourly EWMA volatility scaled by the square root of time) reaches the liquidation price
      volatility:
        check.volatility === undefined
          ? null
          : {
              hourlyPct: decimalText(check.volatility.hourly * 100, 4),
              returns: check.volatility.returns,
              confidence: MOVE_CONFIDENCE,
              scaling: 'sqrt-time',
              hoursToLiquidation: check.volatility.hoursOf99PctMove === Infinity ? null : hoursText(check.volatility.hoursOf99PctMove),
            },
    };
  });
  const cross = t.snapshot.legs.some((l) => l.marginMode === 'cross');
  const radius = cross ? blastRadius(t.snapshot) : undefined;
  return {
    exchange: t.exchange,
    imported: { format: t.format, notes: t.notes },
    positions,
    account: calc.account,
    blastRadius: radius === undefined ? null : { adverse: radius.adverse, netNotional: money(radius.netNotional), down: uniformJson(radius.down), up: uniformJson(radius.up) },
    domino: t.snapshot.legs.length > 1 ? hedgeJson(hedgeAdvice(t.snapshot)) : null,
    warnings: { raised: t.raised.map(warningJson), cleared: t.cleared.map(warningJson), active: t.active.map(warningJson) },
  };
}

export type TickJson = ReturnType<typeof tickJson>;
