// The float64 screening kernel. Over a mirror of the account in plain numbers (./float-account.ts) it
// answers one question per bar: "could anything happen between these prices?" (a resting order's
// trigger, a margin call, a liquidation). Only where the answer is yes does the exact engine run the bar; every event and balance
// still comes from the exact engine, and the identity test (screening.test.ts) shows a screened run and an
// exact-only run produce the same events and balances. Float is allowed here and only here.
import { SCREENING_BAND, type FloatAccount, type FloatLeg } from './float-account.ts';

export { floatAccountOf, SCREENING_BAND, type FloatAccount, type FloatLeg } from './float-account.ts';

function notionalF(leg: FloatLeg, price: number): number {
  return leg.inverse ? (leg.size * leg.contractSize) / price : leg.size * price;
}

function upnlF(leg: FloatLeg, price: number): number {
  return leg.inverse ? leg.side * leg.size * leg.contractSize * (1 / leg.entry - 1 / price) : leg.upnlSlope * price + leg.upnlIntercept;
}

export function mmF(leg: FloatLeg, price: number): number {
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
