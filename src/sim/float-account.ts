// The float64 mirror of an account for the screening kernel (./kernel.ts): each position as plain numbers
// (size, entry, its maintenance schedule as straight lines in the price), the cross wallet, resting
// orders' trigger prices by symbol, and the per-leg caches the kernel keeps while it scans. Built from the
// engine state after every accepted command; float is allowed here only because the exact engine decides.
import { toApproxNumber } from '../domain/fixed.ts';
import { settingsOf, legOf, type EngineState, type UserState } from '../engine/state.ts';
import { balanceOf, crossAccount } from '../engine/ledger.ts';
import { EXCHANGE_RULES } from '../exchanges/profiles.ts';
import type { FeeRates, Leg } from '../exchanges/rules.ts';

/** The safety band of the screening: bars are flagged from 95 % of the margin-call level. */
export const SCREENING_BAND = 0.05;

interface FloatSegment {
  readonly cap: number;
  readonly rate: number;
  readonly constant: number;
}

export interface FloatLeg {
  readonly symbol: string;
  /** Index of the symbol in the replay's marks array. */
  readonly symbolIndex: number;
  readonly side: 1 | -1;
  readonly size: number;
  readonly entry: number;
  readonly inverse: boolean;
  /** Inverse: USD per contract. */
  readonly contractSize: number;
  readonly isolated: boolean;
  /** Isolated wallet of the position. */
  readonly bucket: number;
  readonly segments: readonly FloatSegment[];
  /** Linear legs: UPNL = upnlSlope x P + upnlIntercept (side x size, -side x size x entry). */
  readonly upnlSlope: number;
  readonly upnlIntercept: number;
  /** Linear legs: per segment, MM = mmSlope[s] x P + constant (rate x size). */
  readonly mmSlope: Float64Array;
  /** Linear legs: per segment, the price at which the notional reaches the segment's cap. */
  readonly capPrice: Float64Array;
  /** Per segment, the MM constant (typed, so the hot loop reads no objects). */
  readonly mmConstant: Float64Array;
}

export interface FloatAccount {
  readonly wallet: number;
  readonly legs: readonly FloatLeg[];
  /** Per leg, its unrealized PnL and MM at the current marks, and their sums (kept by scanBar). */
  readonly markUpnl: Float64Array;
  /**
   * Per leg, an upper bound of its MM: exact at the last priming, and for a leg on the one-sided path the
   * MM at the highest price seen since (MM of a linear leg grows with the price). An upper bound only makes
   * the screening flag more bars, never fewer.
   */
  readonly markMm: Float64Array;
  /** Per leg, the highest price since the last priming (one-sided path). */
  readonly maxPrice: Float64Array;
  readonly sums: Float64Array; // [all upnl, cross upnl, cross mm]
  /** Legs by symbol index. */
  readonly legsOf: readonly (readonly number[] | undefined)[];
  /**
   * Per symbol index: +1 or -1 when every leg of the symbol is linear and on that side, else 0; and the
   * highest maintenance rate among its legs. With one side and a margin-call level above every rate, both
   * the equity and threshold x MB - MM are monotone in the price, so only the adverse extreme needs checking.
   */
  readonly ownSide: Int8Array;
  readonly ownMaxRate: Float64Array;
  /** The margin ratio from which a bar is flagged: callRatio x (1 - 5 % band). */
  readonly flagLevel: number;
  /** Per symbol index: the index of its one leg when it takes the single-leg one-sided path, else -1. */
  readonly singleLeg: Int32Array;
  /** Trigger prices of resting orders, by symbol index. */
  readonly triggers: readonly (readonly number[] | undefined)[];
  readonly callRatio: number;
}

/**
 * A run's float legs by position key, with the engine leg and fee table each was built from. The mirror is
 * rebuilt after every command that changes the account, but most such commands change one position (an
 * entry, a liquidation) and leave the others as they were: their float legs are taken back unchanged.
 * Owned by the run (./run.ts) and dropped with it.
 */
export type FloatLegMemo = Map<string, { readonly source: Leg; readonly fees: FeeRates; readonly rules: unknown; readonly leg: FloatLeg }>;

/**
 * The two legs give the same float leg: every field floatLegOf and the venue's maintenance schedule read
 * is the same (the mark is not one of them: the mirror is not rebuilt on a mark), the market and its
 * bracket table being the same object (markets are replaced, not changed in place, when the table changes).
 */
function sameLeg(a: Leg, b: Leg): boolean {
  return (
    a.symbol === b.symbol &&
    a.positionSide === b.positionSide &&
    a.side === b.side &&
    a.size === b.size &&
    a.entryPrice === b.entryPrice &&
    a.marginMode === b.marginMode &&
    a.leverage === b.leverage &&
    a.isolatedWallet === b.isolatedWallet &&
    a.maintenance === b.maintenance &&
    a.market === b.market
  );
}

/** Mirrors one user of the engine state in float64 (`memo`: the run's float legs of earlier mirrors). */
export function floatAccountOf(state: EngineState, user: UserState, symbolIndex: (symbol: string) => number, callRatio?: number, memo?: FloatLegMemo): FloatAccount {
  const rules = EXCHANGE_RULES[state.config.exchange];
  const fees = state.config.fees;
  const legs: FloatLeg[] = [];
  let asset = '';
  // plain loops rather than Float64Array.from(iterable, fn) and spreads: this runs after every command
  // that changes the account, and the iterator protocol was most of its cost
  for (const key of Object.keys(user.positions).sort()) {
    const position = user.positions[key]!;
    const leg = legOf(state, user, position);
    asset = leg.market.settleAsset;
    const known = memo?.get(key);
    if (known !== undefined && known.fees === fees && known.rules === rules && sameLeg(known.source, leg)) {
      legs.push(known.leg);
      continue;
    }
    const schedule = rules.maintenanceSchedule(leg, fees, {});
    const size = toApproxNumber(leg.size);
    const entry = toApproxNumber(leg.entryPrice);
    const inverse = leg.market.kind === 'inverse';
    const count = schedule.length;
    const segments: FloatSegment[] = new Array(count);
    const mmSlope = new Float64Array(count);
    const capPrice = new Float64Array(count);
    const mmConstant = new Float64Array(count);
    for (let g = 0; g < count; g++) {
      const segment = schedule[g]!;
      const cap = segment.cap === undefined ? Infinity : toApproxNumber(segment.cap);
      const rate = toApproxNumber(segment.rate);
      const constant = toApproxNumber(segment.constant);
      segments[g] = { cap, rate, constant };
      mmSlope[g] = inverse ? 0 : rate * size;
      capPrice[g] = inverse ? Infinity : cap / size;
      mmConstant[g] = constant;
    }
    // one object shape for every leg (the kernel's loops stay monomorphic); linear legs get their UPNL and
    // MM as straight lines in the price, per segment
    const floatLeg: FloatLeg = {
      symbol: leg.symbol,
      symbolIndex: symbolIndex(leg.symbol),
      side: leg.side,
      size,
      entry,
      inverse,
      contractSize: leg.market.contractSizeUsd ? toApproxNumber(leg.market.contractSizeUsd) : 0,
      isolated: settingsOf(state, user, leg.symbol).marginMode === 'isolated',
      bucket: toApproxNumber(leg.isolatedWallet),
      segments,
      upnlSlope: inverse ? 0 : leg.side * size,
      upnlIntercept: inverse ? 0 : -leg.side * size * entry,
      mmSlope,
      capPrice,
      mmConstant,
    };
    legs.push(floatLeg);
    memo?.set(key, { source: leg, fees, rules, leg: floatLeg });
  }
  const triggers: number[][] = [];
  for (const order of user.orders) {
    const price = order.stopPrice ?? order.price;
    if (price === undefined) continue;
    (triggers[symbolIndex(order.symbol)] ??= []).push(toApproxNumber(price));
  }
  const legsOf: number[][] = [];
  for (let j = 0; j < legs.length; j++) (legsOf[legs[j]!.symbolIndex] ??= []).push(j);
  const level = callRatio ?? toApproxNumber(state.config.marginCallRatio);
  const flagLevel = level * (1 - SCREENING_BAND);
  const ownSide = new Int8Array(legsOf.length);
  const ownMaxRate = new Float64Array(legsOf.length);
  const singleLeg = new Int32Array(legsOf.length).fill(-1);
  for (let k = 0; k < legsOf.length; k++) {
    const js = legsOf[k];
    if (!js) continue;
    const side = legs[js[0]!]!.side;
    let uniform = true;
    let maxRate = -Infinity;
    for (const j of js) {
      const leg = legs[j]!;
      if (leg.inverse || leg.side !== side) uniform = false;
      for (const g of leg.segments) if (g.rate > maxRate) maxRate = g.rate;
    }
    ownSide[k] = uniform ? side : 0;
    ownMaxRate[k] = maxRate;
    if (js.length === 1 && uniform && flagLevel > maxRate) singleLeg[k] = js[0]!;
  }
  return {
    wallet: asset ? toApproxNumber(balanceOf(state.balances, asset, crossAccount(user.id))) : 0,
    legs,
    markUpnl: new Float64Array(legs.length),
    markMm: new Float64Array(legs.length),
    maxPrice: new Float64Array(legs.length),
    sums: new Float64Array(3),
    legsOf,
    ownSide,
    ownMaxRate,
    flagLevel,
    singleLeg,
    triggers,
    callRatio: level,
  };
}

/**
 * The mirror with caches of its own (markUpnl, markMm, maxPrice, sums); the legs and tables are never
 * changed, so they are shared. Written out as floatAccountOf's literal, field for field in its order: a
 * spread copy had another hidden class, and the scan, reading both, fell back to polymorphic access.
 */
export function withOwnCaches(a: FloatAccount): FloatAccount {
  return {
    wallet: a.wallet,
    legs: a.legs,
    markUpnl: a.markUpnl.slice(),
    markMm: a.markMm.slice(),
    maxPrice: a.maxPrice.slice(),
    sums: a.sums.slice(),
    legsOf: a.legsOf,
    ownSide: a.ownSide,
    ownMaxRate: a.ownMaxRate,
    flagLevel: a.flagLevel,
    singleLeg: a.singleLeg,
    triggers: a.triggers,
    callRatio: a.callRatio,
  };
}
