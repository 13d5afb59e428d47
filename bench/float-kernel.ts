// The float64 baseline: the same Binance USD-M cross liquidation formula as the exact path
// (src/exchanges/rules.ts + src/domain/solver.ts), written the way a float implementation would be,
// over plain numbers in flat typed arrays, so `npm run bench` can say how much exactness costs.
//
// Same algorithm, step by step:
//   1. every position's UPNL and MM at its own mark: UPNL = side x Q x (mark - EP);
//      MM = notional x MMR - cum with the bracket of the notional (first bracket whose cap is above it);
//   2. cross pool of position i = wallet + sum over the OTHER positions of (UPNL - MM), computed as
//      wallet + total - own (one pass, O(n) for the account, as any float engine would write it);
//   3. the bracket is chosen AT the liquidation price: for each bracket in order, the candidate
//      LP = (pool + cum - side x Q x EP) / (Q x MMR - side x Q) (Binance USD-M liquidation FAQ) is kept
//      when its notional Q x LP lies in that bracket's [floor, cap] (the last bracket is open-ended).
//      No bracket holding its own root means no liquidation price (NaN here, undefined in the exact path).
//
// Scope, checked when the arrays are built: linear contracts, cross margin, one position per symbol
// (one-way mode), the market's bracket table (no per-position fixed bracket). That is the benchmark's
// account; the exact path handles the rest (hedge legs, isolated, inverse) and is not limited by it.
//
// Not for money: float rounding is why the exact path exists. This file lives in bench/ only.
import { toApproxNumber } from '../src/domain/fixed.ts';
import type { AccountSnapshot } from '../src/exchanges/rules.ts';

/** An account as flat float64 arrays: position i's brackets are rows bracketStart[i] .. bracketStart[i+1]-1. */
export interface FloatAccount {
  readonly walletBalanceUsdt: number;
  readonly positionCount: number;
  /** +1 long, -1 short. */
  readonly side: Float64Array;
  readonly sizeBase: Float64Array;
  readonly entryPriceUsdt: Float64Array;
  readonly markPriceUsdt: Float64Array;
  /** Length positionCount + 1. */
  readonly bracketStart: Int32Array;
  readonly bracketFloorUsdt: Float64Array;
  /** The last bracket of each position has cap +Infinity (the exact schedule leaves it open too). */
  readonly bracketCapUsdt: Float64Array;
  readonly maintenanceMarginRate: Float64Array;
  /** Binance "cum": MM = notional x MMR - cum. */
  readonly maintenanceAmountUsdt: Float64Array;
}

/** A float account of `positionCount` positions and `bracketRows` bracket rows in all, zero-filled. */
export function emptyFloatAccount(walletBalanceUsdt: number, positionCount: number, bracketRows: number): FloatAccount {
  return {
    walletBalanceUsdt,
    positionCount,
    side: new Float64Array(positionCount),
    sizeBase: new Float64Array(positionCount),
    entryPriceUsdt: new Float64Array(positionCount),
    markPriceUsdt: new Float64Array(positionCount),
    bracketStart: new Int32Array(positionCount + 1),
    bracketFloorUsdt: new Float64Array(bracketRows),
    bracketCapUsdt: new Float64Array(bracketRows),
    maintenanceMarginRate: new Float64Array(bracketRows),
    maintenanceAmountUsdt: new Float64Array(bracketRows),
  };
}

/** Converts a resolved snapshot to float arrays (done once, outside the timed loop). */
export function floatAccountOf(account: AccountSnapshot): FloatAccount {
  const legs = account.legs;
  const symbols = new Set<string>();
  let bracketCount = 0;
  for (const leg of legs) {
    if (leg.market.kind !== 'linear' || leg.marginMode !== 'cross' || leg.maintenance !== undefined || !leg.market.brackets) {
      throw new Error(`float kernel covers linear cross positions on a bracket table only (${leg.symbol})`);
    }
    if (symbols.has(leg.symbol)) throw new Error(`float kernel assumes one position per symbol (${leg.symbol})`);
    symbols.add(leg.symbol);
    bracketCount += leg.market.brackets.brackets.length;
  }
  const n = legs.length;
  const out = emptyFloatAccount(toApproxNumber(account.crossWallet), n, bracketCount);
  let row = 0;
  legs.forEach((leg, i) => {
    out.side[i] = leg.side;
    out.sizeBase[i] = toApproxNumber(leg.size);
    out.entryPriceUsdt[i] = toApproxNumber(leg.entryPrice);
    out.markPriceUsdt[i] = toApproxNumber(leg.markPrice);
    out.bracketStart[i] = row;
    const brackets = leg.market.brackets!.brackets;
    brackets.forEach((b, j) => {
      out.bracketFloorUsdt[row] = toApproxNumber(b.floor);
      out.bracketCapUsdt[row] = j === brackets.length - 1 ? Infinity : toApproxNumber(b.cap);
      out.maintenanceMarginRate[row] = toApproxNumber(b.maintenanceMarginRate);
      out.maintenanceAmountUsdt[row] = toApproxNumber(b.maintenanceAmount);
      row++;
    });
  });
  out.bracketStart[n] = row;
  return out;
}

/** UPNL - MM of position i at its mark. */
function equityLessMaintenance(a: FloatAccount, i: number): number {
  const q = a.sizeBase[i]!;
  const mark = a.markPriceUsdt[i]!;
  const notionalUsdt = q * mark;
  const end = a.bracketStart[i + 1]!;
  let b = a.bracketStart[i]!;
  while (b < end - 1 && !(notionalUsdt < a.bracketCapUsdt[b]!)) b++;
  const maintenanceUsdt = notionalUsdt * a.maintenanceMarginRate[b]! - a.maintenanceAmountUsdt[b]!;
  return a.side[i]! * q * (mark - a.entryPriceUsdt[i]!) - maintenanceUsdt;
}

/** Liquidation price of position i given its cross pool; NaN when none. */
function liquidationPriceOf(a: FloatAccount, i: number, poolUsdt: number): number {
  const side = a.side[i]!;
  const q = a.sizeBase[i]!;
  const sideQtyEntry = side * q * a.entryPriceUsdt[i]!;
  const end = a.bracketStart[i + 1]!;
  for (let b = a.bracketStart[i]!; b < end; b++) {
    const den = q * a.maintenanceMarginRate[b]! - side * q;
    if (den === 0) continue;
    const lp = (poolUsdt + a.maintenanceAmountUsdt[b]! - sideQtyEntry) / den;
    const notionalUsdt = q * lp;
    if (notionalUsdt >= a.bracketFloorUsdt[b]! && notionalUsdt <= a.bracketCapUsdt[b]!) return lp > 0 ? lp : NaN;
  }
  return NaN;
}

/**
 * Every position's liquidation price into `out` (NaN where none). `scratch` holds each position's
 * UPNL - MM; both are caller-owned so the timed loop allocates nothing.
 */
export function floatLiquidationPrices(a: FloatAccount, out: Float64Array, scratch: Float64Array): void {
  const n = a.positionCount;
  let totalUsdt = 0;
  for (let i = 0; i < n; i++) {
    const v = equityLessMaintenance(a, i);
    scratch[i] = v;
    totalUsdt += v;
  }
  for (let i = 0; i < n; i++) out[i] = liquidationPriceOf(a, i, a.walletBalanceUsdt + totalUsdt - scratch[i]!);
}
