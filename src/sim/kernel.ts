// The float64 screening kernel. It mirrors an account in plain numbers and answers one question per bar:
// "could anything happen between these prices?" (a resting order's trigger, a margin call, a
// liquidation). Only where the answer is yes does the exact engine run the bar; every event and balance
// still comes from the exact engine, and the identity test (screening.test.ts) shows a screened run and an
// exact-only run produce the same events and balances. Float is allowed here and only here.
import { toApproxNumber } from '../domain/fixed.ts';
import { settingsOf, legOf, type EngineState, type UserState } from '../engine/state.ts';
import { balanceOf, crossAccount } from '../engine/ledger.ts';
import { EXCHANGE_RULES } from '../exchanges/profiles.ts';

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

/** Mirrors one user of the engine state in float64. */
export function floatAccountOf(state: EngineState, user: UserState, symbolIndex: (symbol: string) => number, callRatio?: number): FloatAccount {
  const rules = EXCHANGE_RULES[state.config.exchange];
  const legs: FloatLeg[] = [];
  let asset = '';
  for (const key of Object.keys(user.positions).sort()) {
    const position = user.positions[key]!;
    const leg = legOf(state, user, position);
    asset = leg.market.settleAsset;
    const schedule = rules.maintenanceSchedule(leg, state.config.fees, {});
    const segments = schedule.map((g) => ({ cap: g.cap === undefined ? Infinity : toApproxNumber(g.cap), rate: toApproxNumber(g.rate), constant: toApproxNumber(g.constant) }));
    const size = toApproxNumber(leg.size);
    const entry = toApproxNumber(leg.entryPrice);
    const inverse = leg.market.kind === 'inverse';
    // one object shape for every leg (the kernel's loops stay monomorphic); linear legs get their UPNL and
    // MM as straight lines in the price, per segment
    legs.push({
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
      mmSlope: Float64Array.from(segments, (g) => (inverse ? 0 : g.rate * size)),
      capPrice: Float64Array.from(segments, (g) => (inverse ? Infinity : g.cap / size)),
      mmConstant: Float64Array.from(segments, (g) => g.constant),
    });
  }
  const triggers: number[][] = [];
  for (const order of user.orders) {
    const price = order.stopPrice ?? order.price;
    if (price === undefined) continue;
    (triggers[symbolIndex(order.symbol)] ??= []).push(toApproxNumber(price));
  }
  const legsOf: number[][] = [];
  legs.forEach((leg, j) => (legsOf[leg.symbolIndex] ??= []).push(j));
  const ownSide = new Int8Array(legsOf.length);
  const ownMaxRate = new Float64Array(legsOf.length);
  legsOf.forEach((js, k) => {
    if (!js) return;
    const side = legs[js[0]!]!.side;
    const uniform = js.every((j) => !legs[j]!.inverse && legs[j]!.side === side);
    ownSide[k] = uniform ? side : 0;
    ownMaxRate[k] = Math.max(...js.flatMap((j) => legs[j]!.segments.map((g) => g.rate)));
  });
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
    flagLevel: (callRatio ?? toApproxNumber(state.config.marginCallRatio)) * (1 - SCREENING_BAND),
    singleLeg: Int32Array.from(legsOf, (js, k) => (js !== undefined && js.length === 1 && ownSide[k] !== 0 && (callRatio ?? toApproxNumber(state.config.marginCallRatio)) * (1 - SCREENING_BAND) > ownMaxRate[k]! ? js[0]! : -1)),
    triggers,
    callRatio: callRatio ?? toApproxNumber(state.config.marginCallRatio),
  };
}

function notionalF(leg: FloatLeg, price: number): number {
  return leg.inverse ? (leg.size * leg.contractSize) / price : leg.size * price;
}

function upnlF(leg: FloatLeg, price: number): number {
  return leg.inverse ? leg.side * leg.size * leg.contractSize * (1 / leg.entry - 1 / price) : leg.upnlSlope * price + leg.upnlIntercept;
}

function mmF(leg: FloatLeg, price: number): number {
  if (!leg.inverse) {
    const caps = leg.capPrice;
    const last = caps.length - 1;
    let s = 0;
    while (s < last && price >= caps[s]!) s++;
    return leg.mmSlope[s]! * price + leg.mmConstant[s]!;
  }
  const segments = leg.segments;
  const n = notionalF(leg, price);
  let s = 0;
  while (s < segments.length - 1 && n >= segments[s]!.cap) s++;
  const seg = segments[s]!;
  return seg.rate * n + seg.constant;
}

/** The safety band of the screening: bars are flagged from 95 % of the margin-call level. */
export const SCREENING_BAND = 0.05;

/** Output of scanBar, reused so the scan allocates nothing: [worst equity, equity at close]. */
export const SCAN_OUT = new Float64Array(2);
/** Scratch: the UPNL at the close of each of the bar's own legs. */
const closeUpnl = new Float64Array(64);

/** The bar is quiet: the symbol's legs now stand at the close (their close UPNL is in closeUpnl). */
function advanceCaches(account: FloatAccount, own: readonly number[], close: number): void {
  const sums = account.sums;
  for (let n = 0; n < own.length; n++) {
    const j = own[n]!;
    const leg = account.legs[j]!;
    const u = closeUpnl[n]!;
    sums[0]! += u - account.markUpnl[j]!;
    if (!leg.isolated) {
      const m = mmF(leg, close);
      sums[1]! += u - account.markUpnl[j]!;
      sums[2]! += m - account.markMm[j]!;
      account.markMm[j] = m;
    }
    account.markUpnl[j] = u;
  }
}

/** Sets the per-leg caches to the marks (call before a run of scanBar, after the marks or account changed). */
export function primeCaches(account: FloatAccount, marks: Float64Array): void {
  account.sums.fill(0);
  account.legs.forEach((leg, j) => {
    const u = upnlF(leg, marks[leg.symbolIndex]!);
    const m = mmF(leg, marks[leg.symbolIndex]!);
    account.markUpnl[j] = u;
    account.markMm[j] = m;
    account.maxPrice[j] = marks[leg.symbolIndex]!;
    account.sums[0]! += u;
    if (!leg.isolated) {
      account.sums[1]! += u;
      account.sums[2]! += m;
    }
  });
}

/**
 * One quiet-bar step of the screening kernel: whether anything may trigger between lo and hi (the same
 * test as mayTrigger), and the equity at the bar's worst extreme and at its close (written to SCAN_OUT).
 * Only the symbol's own legs are evaluated; the rest of the account comes from the caches (primeCaches).
 * Returns true when the bar needs the exact engine; otherwise the caches move to the bar's close.
 */
function scanGeneral(account: FloatAccount, cash: number, marks: Float64Array, symbol: number, low: number, high: number, close: number, lo: number, hi: number): boolean {
  // (bounds-checked first: reading past the end of a holey array walks the prototype chain, slowly)
  const triggers = symbol < account.triggers.length ? account.triggers[symbol] : undefined;
  if (triggers !== undefined) {
    const from = lo * (1 - 1e-6);
    const to = hi * (1 + 1e-6);
    for (let t = 0; t < triggers.length; t++) if (triggers[t]! >= from && triggers[t]! <= to) return true;
  }
  const threshold = account.flagLevel;
  const single = symbol < account.singleLeg.length ? account.singleLeg[symbol]! : -1;
  if (single >= 0) return scanSingle(account, cash, single, low, high, close, lo, hi);
  const own = symbol < account.legsOf.length ? account.legsOf[symbol] : undefined;
  const sums = account.sums;
  const side = own === undefined ? 0 : account.ownSide[symbol]!;
  if (side !== 0 && threshold > account.ownMaxRate[symbol]!) return scanOneSided(account, cash, own!, side, low, high, close, lo, hi, threshold);
  let others = cash + sums[0]!;
  let crossOthersUpnl = sums[1]!;
  let crossOthersMm = sums[2]!;
  let crossHere = false;
  let crossLoUpnl = 0;
  let crossLoMm = 0;
  let crossHiUpnl = 0;
  let crossHiMm = 0;
  let atLow = 0;
  let atHigh = 0;
  let atClose = 0;
  if (own !== undefined) {
    for (let n = 0; n < own.length; n++) {
      const j = own[n]!;
      const leg = account.legs[j]!;
      others -= account.markUpnl[j]!;
      if (!leg.isolated) {
        crossOthersUpnl -= account.markUpnl[j]!;
        crossOthersMm -= account.markMm[j]!;
      }
      const uLow = upnlF(leg, low);
      const uHigh = upnlF(leg, high);
      atLow += uLow;
      atHigh += uHigh;
      const uClose = upnlF(leg, close);
      closeUpnl[n] = uClose;
      atClose += uClose;
      const uLo = lo === low ? uLow : upnlF(leg, lo);
      const uHi = hi === high ? uHigh : upnlF(leg, hi);
      const mLo = mmF(leg, lo);
      const mHi = mmF(leg, hi);
      if (leg.isolated) {
        const bLo = leg.bucket + uLo;
        const bHi = leg.bucket + uHi;
        if (bLo <= 0 || mLo >= threshold * bLo || bHi <= 0 || mHi >= threshold * bHi) return true;
      } else {
        crossHere = true;
        crossLoUpnl += uLo;
        crossLoMm += mLo;
        crossHiUpnl += uHi;
        crossHiMm += mHi;
      }
    }
  }
  if (crossHere) {
    const base = account.wallet + crossOthersUpnl;
    const mbLo = base + crossLoUpnl;
    const mbHi = base + crossHiUpnl;
    if (mbLo <= 0 || crossOthersMm + crossLoMm >= threshold * mbLo || mbHi <= 0 || crossOthersMm + crossHiMm >= threshold * mbHi) return true;
  }
  SCAN_OUT[0] = others + (atLow < atHigh ? atLow : atHigh);
  SCAN_OUT[1] = others + atClose;
  if (own !== undefined) advanceCaches(account, own, close);
  return false;
}

/** scanBar's common case: the symbol has one linear leg on one side (see FloatAccount.singleLeg). */
function scanSingle(account: FloatAccount, cash: number, leg_: number, low: number, high: number, close: number, lo: number, hi: number): boolean {
  const threshold = account.flagLevel;
  // the common case, one leg for the symbol: no loops, no scratch, and no MM evaluated unless the price
  // reaches a new high (the MM bound covers every price up to it)
  const j = leg_;
  const leg = account.legs[j]!;
  const side = leg.side;
  const pEquity = side > 0 ? low : high;
  const pRisk = side > 0 ? lo : hi;
  const slope = leg.upnlSlope;
  const intercept = leg.upnlIntercept;
  const uEquity = slope * pEquity + intercept;
  const uRisk = pRisk === pEquity ? uEquity : slope * pRisk + intercept;
  let bound = account.markMm[j]!;
  const sums = account.sums;
  if (hi > account.maxPrice[j]!) {
    const m = mmF(leg, hi);
    if (!leg.isolated) sums[2] = sums[2]! + m - bound;
    bound = m;
    account.markMm[j] = m;
    account.maxPrice[j] = hi;
  }
  const markU = account.markUpnl[j]!;
  if (leg.isolated) {
    const b = leg.bucket + uRisk;
    if (b <= 0 || bound >= threshold * b) return true;
  } else {
    const mb = account.wallet + sums[1]! - markU + uRisk;
    if (mb <= 0 || sums[2]! >= threshold * mb) return true;
  }
  const uClose = slope * close + intercept;
  const others = cash + sums[0]! - markU;
  SCAN_OUT[0] = others + uEquity;
  SCAN_OUT[1] = others + uClose;
  sums[0] = sums[0]! + uClose - markU;
  if (!leg.isolated) sums[1] = sums[1]! + uClose - markU;
  account.markUpnl[j] = uClose;
  return false;
}

/**
 * One quiet-bar step of the screening kernel: whether anything may trigger between lo and hi (the same test
 * as mayTrigger), and the equity at the bar's worst extreme and at its close (written to SCAN_OUT). Only the
 * symbol's own legs are evaluated; the rest of the account comes from the caches (primeCaches). Returns true
 * when the bar needs the exact engine; otherwise the caches move to the bar's close.
 */
export function scanBar(account: FloatAccount, cash: number, marks: Float64Array, symbol: number, low: number, high: number, close: number, lo: number, hi: number): boolean {
  const single = symbol < account.singleLeg.length ? account.singleLeg[symbol]! : -1;
  if (single >= 0 && account.triggers.length === 0) return scanSingle(account, cash, single, low, high, close, lo, hi);
  return scanGeneral(account, cash, marks, symbol, low, high, close, lo, hi);
}

/** scanBar's path for a symbol whose legs are all linear and on one side: only the adverse extremes. */
function scanOneSided(account: FloatAccount, cash: number, own: readonly number[], side: number, low: number, high: number, close: number, lo: number, hi: number, threshold: number): boolean {
  const sums = account.sums;
  const pEquity = side > 0 ? low : high;
  const pRisk = side > 0 ? lo : hi;
  let others = cash + sums[0]!;
  let crossOthersUpnl = sums[1]!;
  let crossOthersMm = sums[2]!;
  let crossHere = false;
  let crossUpnl = 0;
  let crossMm = 0;
  let worst = 0;
  let atClose = 0;
  for (let n = 0; n < own.length; n++) {
    const j = own[n]!;
    const leg = account.legs[j]!;
    others -= account.markUpnl[j]!;
    const uEquity = leg.upnlSlope * pEquity + leg.upnlIntercept;
    const uRisk = pRisk === pEquity ? uEquity : leg.upnlSlope * pRisk + leg.upnlIntercept;
    const uClose = leg.upnlSlope * close + leg.upnlIntercept;
    closeUpnl[n] = uClose;
    worst += uEquity;
    atClose += uClose;
    const mRisk = mmF(leg, pRisk);
    if (leg.isolated) {
      const b = leg.bucket + uRisk;
      if (b <= 0 || mRisk >= threshold * b) return true;
    } else {
      crossOthersUpnl -= account.markUpnl[j]!;
      crossOthersMm -= account.markMm[j]!;
      crossHere = true;
      crossUpnl += uRisk;
      crossMm += mRisk;
    }
  }
  if (crossHere) {
    const mb = account.wallet + crossOthersUpnl + crossUpnl;
    if (mb <= 0 || crossOthersMm + crossMm >= threshold * mb) return true;
  }
  SCAN_OUT[0] = others + worst;
  SCAN_OUT[1] = others + atClose;
  advanceCaches(account, own, close);
  return false;
}

/**
 * True when, with `symbol` anywhere in [low, high] and every other symbol at its mark, a resting order on
 * the symbol could trigger or any scope's margin ratio could reach the margin-call level, with a safety
 * band: ratios are flagged from callRatio x (1 - band), prices from (1 - priceBand) x low to
 * (1 + priceBand) x high.
 */
export function mayTrigger(
  account: FloatAccount,
  marks: Float64Array,
  symbol: number,
  low: number,
  high: number,
  band = SCREENING_BAND,
  priceBand = 1e-6,
): boolean {
  const triggers = account.triggers[symbol];
  if (triggers) {
    const lo = low * (1 - priceBand);
    const hi = high * (1 + priceBand);
    for (const t of triggers) if (t >= lo && t <= hi) return true;
  }
  const threshold = account.callRatio * (1 - band);
  let crossAffected = false;
  for (const leg of account.legs) {
    if (leg.symbolIndex !== symbol) continue;
    if (!leg.isolated) {
      crossAffected = true;
      continue;
    }
    for (const p of [low, high]) {
      const mb = leg.bucket + upnlF(leg, p);
      if (mb <= 0 || mmF(leg, p) >= threshold * mb) return true;
    }
  }
  if (!crossAffected) return false;
  for (const p of [low, high]) {
    let mb = account.wallet;
    let mm = 0;
    for (const leg of account.legs) {
      if (leg.isolated) continue;
      const price = leg.symbolIndex === symbol ? p : marks[leg.symbolIndex]!;
      mb += upnlF(leg, price);
      mm += mmF(leg, price);
    }
    if (mb <= 0 || mm >= threshold * mb) return true;
  }
  return false;
}

/** Equity of the account in float64 at the marks (charts and drawdown statistics only). */
export function equityF(account: FloatAccount, cash: number, marks: Float64Array, symbol = -1, price = 0): number {
  let equity = cash;
  for (const leg of account.legs) equity += upnlF(leg, leg.symbolIndex === symbol ? price : marks[leg.symbolIndex]!);
  return equity;
}
