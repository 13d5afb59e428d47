// Margin-chasing detection (`perpguard advise chasing`): from an account's history, per isolated position,
// how often margin was topped up, how much was added against the margin it was opened with, and how the
// effective leverage fell, with a warning when the position has become "de facto cross": backed by more
// and more of the wallet, one top-up at a time, which is what isolated margin was chosen to prevent.
//
// The history is the engine's own record, from either source:
//   - an operation journal (`perpguard run`'s input), run through runJournal, or
//   - a simulator run (a ModeResult of the replay),
// i.e. the events (fills, liquidations, settings) and the ledger transfers, matched by operation number.
// A position's isolated margin is the balance of its ledger account (user/<id>/isolated/<symbol>/<side>),
// exact, from every transfer in and out.
//
// Definitions:
//   - initial margin: the margin that came with the position's fills (the engine's isolatedMargin transfers,
//     scale-ins included) plus margin added by the operation right after the opening fill (margin assigned
//     at entry, as the replay does for a spec's isolatedMargin);
//   - a top-up: any later addMargin into the position;
//   - effective leverage: notional at entry (size x average entry, the position's cost basis) / isolated
//     margin, after each change. The entry notional changes only with the size, so the figure moves only
//     through margin moves and fills: it shows what the top-ups did, not what the price did (a price-marked
//     figure would need marks, which a simulator run's events do not carry);
//   - de facto cross: margin added >= the initial margin, or the effective leverage fell below half the
//     chosen leverage through top-ups, or 3 top-ups or more.
import { add, formatFixedTo, fromInt, isPositive, isZero, lt, notional, proportion, ratio, sub, times, zero, type Money, type Quantity, type Rate } from '../domain/fixed.ts';
import type { EngineEvent } from '../engine/apply.ts';
import type { JournalRun } from '../engine/journal.ts';
import type { Transfer } from '../engine/ledger.ts';
import type { ModeResult } from '../sim/replay.ts';

/** What the detector reads: events and transfers with operation numbers, times where known. */
export interface AccountHistory {
  readonly events: readonly (EngineEvent & { readonly time?: number })[];
  readonly transfers: readonly Transfer[];
  /** Leverage of a symbol before any setLeverage (the engine's default). */
  readonly defaultLeverage: number;
}

/** A journal run: operation i happens at "time" i (journals carry no clock). */
export function historyOfJournal(run: JournalRun): AccountHistory {
  return { events: run.events.map((e) => ({ ...e, time: e.op })), transfers: run.transfers, defaultLeverage: run.state.config.defaultLeverage };
}

/** A simulator run: events carry the bar time. */
export function historyOfReplay(result: ModeResult): AccountHistory {
  return { events: result.events, transfers: result.transfers, defaultLeverage: result.state.config.defaultLeverage };
}

export type TimelineKind = 'open' | 'entryMargin' | 'increase' | 'reduce' | 'addMargin' | 'reduceMargin' | 'partialLiquidation' | 'liquidation' | 'close';

export interface TimelinePoint {
  readonly op: number;
  readonly time: number;
  readonly kind: TimelineKind;
  readonly size: Quantity;
  /** Size x average entry price. */
  readonly entryNotional: Money;
  /** The position's isolated wallet after the operation. */
  readonly margin: Money;
  /** entryNotional / margin; undefined when the margin is not positive or the position is gone. */
  readonly effectiveLeverage: Rate | undefined;
}

export interface TopUp {
  readonly op: number;
  readonly time: number;
  readonly amount: Money;
  readonly marginAfter: Money;
  readonly effectiveLeverage: Rate | undefined;
}

export interface ChasedPosition {
  readonly account: string;
  readonly symbol: string;
  readonly positionSide: string;
  readonly side: 'long' | 'short';
  /** The leverage chosen for the symbol when the position opened. */
  readonly leverage: number;
  readonly openedOp: number;
  readonly openedTime: number;
  readonly outcome: 'open' | 'closed' | 'liquidated';
  readonly closedTime: number | undefined;
  readonly initialMargin: Money;
  readonly topUps: readonly TopUp[];
  /** Sum of the top-ups. */
  readonly marginAdded: Money;
  /** Sum of reduceMargin moves. */
  readonly marginRemoved: Money;
  /** marginAdded / initialMargin. */
  readonly addedToInitial: Rate | undefined;
  /** The lowest effective leverage right after a top-up. */
  readonly lowestLeverageAfterTopUp: Rate | undefined;
  /** Margin lost when liquidated (the liquidation event's figure). */
  readonly marginLost: Money | undefined;
  readonly timeline: readonly TimelinePoint[];
  readonly deFactoCross: boolean;
  /** Why it counts as de facto cross (empty when it does not). */
  readonly reasons: readonly string[];
}

export const CHASING_RULES = {
  /** Top-ups at or above this count make a position de facto cross. */
  topUps: 3,
} as const;

interface Episode {
  account: string;
  symbol: string;
  positionSide: string;
  bucket: string;
  side: 1 | -1;
  size: Quantity;
  cost: Money;
  leverage: number;
  openedOp: number;
  openedTime: number;
  isolated: boolean;
  initialMargin: Money;
  topUps: TopUp[];
  added: Money;
  removed: Money;
  timeline: TimelinePoint[];
  outcome: ChasedPosition['outcome'];
  closedTime: number | undefined;
  marginLost: Money | undefined;
}

// the engine's settings events: "BTCUSDT leverage 20x", "BTCUSDT margin mode isolated"
const LEVERAGE_RE = /^(\S+) leverage (\d+)x$/;
const MODE_RE = /^(\S+) margin mode (isolated|cross)$/;

/** Every isolated position of the history, in the order they opened. */
export function detectChasing(history: AccountHistory): ChasedPosition[] {
  const balances = new Map<string, Money>();
  const leverageOf = new Map<string, number>(); // account|symbol
  const isolatedSymbols = new Set<string>(); // account|symbol
  const open = new Map<string, Episode>(); // account|symbol|positionSide
  const done: Episode[] = [];
  // events and transfers by operation number
  const ops = new Map<number, { events: AccountHistory['events'][number][]; transfers: Transfer[] }>();
  const at = (op: number) => {
    let entry = ops.get(op);
    if (!entry) ops.set(op, (entry = { events: [], transfers: [] }));
    return entry;
  };
  for (const e of history.events) at(e.op).events.push(e);
  for (const t of history.transfers) at(t.op).transfers.push(t);
  const order = [...ops.keys()].sort((a, b) => a - b);
  let lastTime = 0;

  const point = (ep: Episode, op: number, time: number, kind: TimelineKind) => {
    const margin = balances.get(ep.bucket) ?? zero<'Money'>();
    ep.timeline.push({ op, time, kind, size: ep.size, entryNotional: ep.cost, margin, effectiveLeverage: isPositive(margin) && isPositive(ep.size) ? ratio(ep.cost, margin, 'halfEven') : undefined });
  };
  const finish = (key: string, ep: Episode, outcome: ChasedPosition['outcome'], time: number) => {
    ep.outcome = outcome;
    ep.closedTime = time;
    open.delete(key);
    done.push(ep);
  };

  for (const op of order) {
    const { events, transfers } = ops.get(op)!;
    const time = events.find((e) => e.time !== undefined)?.time ?? lastTime;
    lastTime = time;
    // 1. the events: settings, fills (size and cost basis), liquidations
    const touched = new Map<Episode, TimelineKind>();
    for (const e of events) {
      if (e.type === 'settings') {
        const m = LEVERAGE_RE.exec(e.what);
        if (m) leverageOf.set(`${e.account}|${m[1]}`, Number(m[2]));
        const mode = MODE_RE.exec(e.what);
        if (mode?.[2] === 'isolated') isolatedSymbols.add(`${e.account}|${mode[1]}`);
        else if (mode) isolatedSymbols.delete(`${e.account}|${mode[1]}`);
      } else if (e.type === 'fill') {
        const key = `${e.account}|${e.symbol}|${e.positionSide}`;
        const signed = e.side === 'buy' ? 1 : -1;
        let ep = open.get(key);
        let remaining = e.quantity;
        if (ep && ep.side !== signed) {
          // reduces (or closes, or flips) the position
          const closeQty = lt(remaining, ep.size) ? remaining : ep.size;
          ep.cost = sub(ep.cost, proportion(ep.cost, closeQty, ep.size, 'halfEven'));
          ep.size = sub(ep.size, closeQty);
          remaining = sub(remaining, closeQty);
          if (isZero(ep.size)) {
            point(ep, op, time, 'close');
            finish(key, ep, 'closed', time);
            ep = undefined;
          } else touched.set(ep, 'reduce');
        }
        if (isPositive(remaining)) {
          if (ep) {
            ep.size = add(ep.size, remaining);
            ep.cost = add(ep.cost, notional(remaining, e.price, 'halfEven'));
            touched.set(ep, 'increase');
          } else {
            const bucket = `user/${e.account}/isolated/${e.symbol}/${e.positionSide}`;
            ep = {
              account: e.account,
              symbol: e.symbol,
              positionSide: e.positionSide,
              bucket,
              side: signed,
              size: remaining,
              cost: notional(remaining, e.price, 'halfEven'),
              leverage: leverageOf.get(`${e.account}|${e.symbol}`) ?? history.defaultLeverage,
              openedOp: op,
              openedTime: time,
              isolated: isolatedSymbols.has(`${e.account}|${e.symbol}`) || transfers.some((t) => t.to === bucket && t.reason === 'isolatedMargin'),
              initialMargin: zero(),
              topUps: [],
              added: zero(),
              removed: zero(),
              timeline: [],
              outcome: 'open',
              closedTime: undefined,
              marginLost: undefined,
            };
            open.set(key, ep);
            touched.set(ep, 'open');
          }
        }
      } else if (e.type === 'partialLiquidation') {
        const key = `${e.account}|${e.symbol}|${e.positionSide}`;
        const ep = open.get(key);
        if (ep) {
          ep.cost = sub(ep.cost, proportion(ep.cost, e.quantity, ep.size, 'halfEven'));
          ep.size = sub(ep.size, e.quantity);
          touched.set(ep, 'partialLiquidation');
        }
      } else if (e.type === 'liquidation') {
        const key = `${e.account}|${e.symbol}|${e.positionSide}`;
        const ep = open.get(key);
        if (ep) {
          ep.marginLost = e.marginLost;
          ep.size = zero();
          ep.cost = zero();
          touched.delete(ep);
          // the margin it held before the liquidation's own transfers
          ep.timeline.push({ op, time, kind: 'liquidation', size: ep.size, entryNotional: ep.cost, margin: balances.get(ep.bucket) ?? zero(), effectiveLeverage: undefined });
          finish(key, ep, 'liquidated', time);
        }
      }
    }
    // 2. the transfers: isolated wallets, margin posted with fills, top-ups and withdrawals
    const byBucket = new Map<string, Episode>();
    for (const ep of open.values()) byBucket.set(ep.bucket, ep);
    for (const t of transfers) {
      if (t.from.includes('/isolated/')) balances.set(t.from, sub(balances.get(t.from) ?? zero<'Money'>(), t.amount));
      if (t.to.includes('/isolated/')) balances.set(t.to, add(balances.get(t.to) ?? zero<'Money'>(), t.amount));
      const ep = byBucket.get(t.to) ?? byBucket.get(t.from);
      if (!ep || !ep.isolated) continue;
      if (t.reason === 'isolatedMargin' && t.to === ep.bucket) ep.initialMargin = add(ep.initialMargin, t.amount);
      else if (t.reason === 'addMargin' && t.to === ep.bucket) {
        if (op === ep.openedOp + 1) {
          ep.initialMargin = add(ep.initialMargin, t.amount);
          touched.set(ep, 'entryMargin');
        } else {
          ep.added = add(ep.added, t.amount);
          ep.topUps.push({ op, time, amount: t.amount, marginAfter: zero(), effectiveLeverage: undefined });
          touched.set(ep, 'addMargin');
        }
      } else if (t.reason === 'reduceMargin' && t.from === ep.bucket) {
        ep.removed = add(ep.removed, t.amount);
        touched.set(ep, 'reduceMargin');
      }
    }
    // 3. one timeline point per position the operation changed
    for (const [ep, kind] of touched) {
      if (open.get(`${ep.account}|${ep.symbol}|${ep.positionSide}`) !== ep) continue;
      point(ep, op, time, kind);
      if (kind === 'addMargin') {
        const last = ep.timeline[ep.timeline.length - 1]!;
        const topUp = ep.topUps[ep.topUps.length - 1]!;
        ep.topUps[ep.topUps.length - 1] = { ...topUp, marginAfter: last.margin, effectiveLeverage: last.effectiveLeverage };
      }
    }
  }
  return [...done, ...open.values()].filter((ep) => ep.isolated).sort((a, b) => a.openedOp - b.openedOp).map(verdict);
}

const money2 = (x: Money) => formatFixedTo(x, 2, 'halfEven');
const leverage2 = (x: Rate) => `${formatFixedTo(x, 2, 'halfEven')}x`;

function verdict(ep: Episode): ChasedPosition {
  const reasons: string[] = [];
  if (isPositive(ep.added) && !lt(ep.added, ep.initialMargin)) {
    reasons.push(`margin added ${money2(ep.added)} >= the initial margin ${money2(ep.initialMargin)}`);
  }
  let lowest: Rate | undefined;
  for (const t of ep.topUps) if (t.effectiveLeverage !== undefined && (lowest === undefined || lt(t.effectiveLeverage, lowest))) lowest = t.effectiveLeverage;
  // below half the chosen leverage: effective x 2 < chosen
  if (lowest !== undefined && lt(times(lowest, 2), fromInt<'Rate'>(ep.leverage))) {
    reasons.push(`effective leverage fell to ${leverage2(lowest)} through top-ups, below half the chosen ${ep.leverage}x`);
  }
  if (ep.topUps.length >= CHASING_RULES.topUps) reasons.push(`${ep.topUps.length} top-ups (${CHASING_RULES.topUps} or more)`);
  return {
    account: ep.account,
    symbol: ep.symbol,
    positionSide: ep.positionSide,
    side: ep.side === 1 ? 'long' : 'short',
    leverage: ep.leverage,
    openedOp: ep.openedOp,
    openedTime: ep.openedTime,
    outcome: ep.outcome,
    closedTime: ep.closedTime,
    initialMargin: ep.initialMargin,
    topUps: ep.topUps,
    marginAdded: ep.added,
    marginRemoved: ep.removed,
    addedToInitial: isPositive(ep.initialMargin) ? ratio(ep.added, ep.initialMargin, 'halfEven') : undefined,
    lowestLeverageAfterTopUp: lowest,
    marginLost: ep.marginLost,
    timeline: ep.timeline,
    deFactoCross: reasons.length > 0,
    reasons,
  };
}

/** A one-line warning for a de facto cross position, or undefined. */
export function chasingWarning(p: ChasedPosition): string | undefined {
  if (!p.deFactoCross) return undefined;
  const share = p.addedToInitial ? `${formatFixedTo(times(p.addedToInitial, 100), 0, 'halfEven')} % of its initial margin` : 'margin';
  const end = p.outcome === 'liquidated' ? `; it was liquidated anyway, losing ${money2(p.marginLost ?? zero())}` : '';
  return `${p.symbol} ${p.side} isolated ${p.leverage}x is de facto cross: ${p.reasons.join('; ')}. ${p.topUps.length} top-up(s) moved ${money2(p.marginAdded)} (${share}) from the wallet behind it${end}.`;
}
