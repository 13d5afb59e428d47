// The layered exact kernel of a whole account: every leg's liquidation or bankruptcy price, bit-identical
// to ../solver.ts fed with the same pools, computed in float-held integers where they fit.
//
// Layers, fastest first, each exact or refusing:
//   1. new PreparedAccount, once per account (the caller holds it): each leg's size and entry as integers
//      at its own decimal scale, money as pairs (./money-pair.ts), schedule rows on first use
//      (./linear-leg.ts). An account it cannot hold that way (an inverse leg, a size or price of too many
//      digits) is not covered: prices() returns undefined and the caller uses the bigint path.
//   2. prices(), per call: the marks read as integers, every cross leg's UPNL - MM, the cross pools as
//      exact float sums, every one-leg solve in doubles (./linear-leg.ts, ./price-division.ts).
//   3. A solve whose decision is uncertain or whose integers outgrow a double, and every hedge-mode pair
//      (two legs of one symbol in cross), is solved by the bigint solver with the exact pool.
// Nothing here is cached in the module: what is prepared lives in the object the caller holds.
import * as fixed from '../fixed.ts';
import { type Money, type Price, type Quantity } from '../fixed.ts';
import * as solver from '../solver.ts';
import { type ContractKind, type MarginSegment, type SolverLeg } from '../solver.ts';
import * as exact from './exact-float.ts';
import * as legs from './linear-leg.ts';
import * as pairs from './money-pair.ts';

// tsx runs these modules as CommonJS, where every read of an imported binding is a getter call (a
// fifth of the kernel's time when measured): the hot paths read module-local copies taken at load.
const { fromScaled, toScaled } = fixed;
const { solveMarginEquation } = solver;
const { EXACT_LIMIT, POW10, POW10N, RAW_DIGITS, decimalsOf, unitsAt } = exact;
const { SegmentRows, UNDECIDED, maintenanceInto, solveLinearLeg } = legs;
type SegmentRows = legs.SegmentRows;
const { MONEY_DECIMALS, MONEY_UNIT, WHOLE_LIMIT, pairOfRaw, splitInto } = pairs;

/** A position as the kernel needs it (the exchanges layer builds these from its legs and venue rules). */
export interface KernelLeg {
  /** Legs of one symbol in cross share one equation (hedge mode). */
  readonly symbol: string;
  readonly cross: boolean;
  readonly side: 1 | -1;
  readonly size: Quantity;
  readonly entryPrice: Price;
  readonly kind: ContractKind;
  readonly contractSizeUsd?: SolverLeg['contractSizeUsd'];
  /** Isolated legs: the pool of their equation. */
  readonly isolatedWallet: Money;
  /** Decimals the leg's marks are expected to have (its tick's); a mark with more sends the call to bigints. */
  readonly priceDecimals: number;
  /** MM schedule: the pools' MM at the marks and the liquidation equation. */
  readonly maintenance: readonly MarginSegment[];
  /** The schedule whose root is the bankruptcy price. */
  readonly bankruptcy: readonly MarginSegment[];
}

export interface KernelAccount {
  readonly crossWallet: Money;
  readonly legs: readonly KernelLeg[];
}

export type Purpose = 'maintenance' | 'bankruptcy';

/** One leg's prepared units. Money amounts are pairs [whole, fraction] (./money-pair.ts). */
class PreparedLeg {
  /** The last mark seen and its units: a mark that did not move is not converted again. */
  lastMark = -1n;
  markUnits = NaN;
  /** side x Q x EP and the isolated wallet, as pairs. */
  readonly sideEntry = new Float64Array(2);
  readonly isolatedWallet = new Float64Array(2);
  /** 10^(size + price decimals) and 10^(15 - that): a UPNL product to a pair. */
  readonly pnlDivisor: number;
  readonly pnlFractionScale: number;
  constructor(
    readonly cross: boolean,
    readonly side: 1 | -1,
    readonly sizeUnits: number,
    readonly priceDecimals: number,
    readonly entryUnits: number,
    notionalDecimals: number,
    readonly maintenance: SegmentRows,
    readonly bankruptcy: SegmentRows,
  ) {
    this.pnlDivisor = POW10[notionalDecimals]!;
    this.pnlFractionScale = POW10[MONEY_DECIMALS - notionalDecimals]!;
  }
}

export class PreparedAccount {
  private readonly prepared: readonly PreparedLeg[] | undefined;
  private readonly wallet = new Float64Array(2);
  /** For each leg, the indices of the legs in its equation (itself; or every cross leg of its symbol). */
  private readonly groups: readonly (readonly number[])[];
  /** Scratch owned by this account: each leg's UPNL - MM as a pair, and one pair for an MM. */
  private readonly terms: Float64Array;
  private readonly scratch = new Float64Array(2);
  /** The cross total of the last pools() call, as a pair. */
  private readonly total = new Float64Array(2);
  /** How the solves went: in doubles, handed to the bigint solver (layer 3), or whole calls refused. */
  readonly counts = { fast: 0, bigint: 0, refused: 0 };

  constructor(readonly account: KernelAccount) {
    this.groups = groupsOf(account.legs);
    this.terms = new Float64Array(2 * account.legs.length);
    this.prepared = pairOfRaw(toScaled(account.crossWallet), this.wallet, 0) ? prepareLegs(account.legs) : undefined;
  }

  /** True when prices() can run the float layers (else it always returns undefined). */
  get covered(): boolean {
    return this.prepared !== undefined;
  }

  /**
   * Every leg's price for `purpose` at `marks` (the legs' markPrice, one per leg), the values
   * ../solver.ts returns for the same pools; undefined when this call cannot be done in the kernel (the
   * caller uses bigints).
   */
  prices(marks: readonly { readonly markPrice: Price }[], purpose: Purpose): (Price | undefined)[] | undefined {
    if (!this.pools(marks, purpose)) return undefined;
    const out: (Price | undefined)[] = new Array(marks.length);
    for (let i = 0; i < marks.length; i++) out[i] = this.solve(i, marks[i]!.markPrice, purpose);
    return out;
  }

  /** Leg i's price alone (the pools still take every leg); null when the kernel cannot do this call. */
  price(marks: readonly { readonly markPrice: Price }[], purpose: Purpose, i: number): Price | undefined | null {
    return this.pools(marks, purpose) ? this.solve(i, marks[i]!.markPrice, purpose) : null;
  }

  /**
   * Layer 2: reads the marks and sums the cross total (wallet + every cross leg's UPNL - MM, or UPNL
   * alone for bankruptcy) as a pair into this.total, each leg's term into this.terms. False when a
   * value does not fit (the call goes to bigints).
   */
  private pools(marks: readonly { readonly markPrice: Price }[], purpose: Purpose): boolean {
    const legs = this.prepared;
    if (legs === undefined) return false;
    const terms = this.terms;
    const scratch = this.scratch;
    const unit = MONEY_UNIT;
    const maintenance = purpose === 'maintenance';
    // magnitude bounds every whole limb's partial sum: below 2^52, every addition of wholes is exact
    let totalWhole = this.wallet[0]!;
    let totalFraction = this.wallet[1]!;
    let magnitude = Math.abs(totalWhole) + 1;
    for (let i = 0; i < legs.length; i++) {
      const leg = legs[i]!;
      const markRaw = toScaled(marks[i]!.markPrice);
      if (markRaw !== leg.lastMark) {
        leg.markUnits = unitsAt(markRaw, leg.priceDecimals);
        leg.lastMark = markRaw;
      }
      const mark = leg.markUnits;
      if (Number.isNaN(mark)) return this.refuse();
      if (!leg.cross) continue;
      // UPNL = side x Q x (mark - EP): integers, exact when below 2^52 (splitInto checks)
      if (!splitInto(leg.side * leg.sizeUnits * (mark - leg.entryUnits), leg.pnlDivisor, leg.pnlFractionScale, terms, 2 * i)) return this.refuse();
      let whole = terms[2 * i]!;
      let fraction = terms[2 * i + 1]!;
      if (maintenance) {
        const notional = leg.sizeUnits * mark;
        if (!(notional < EXACT_LIMIT) || !maintenanceInto(leg.maintenance, notional, scratch, 0)) return this.refuse();
        whole -= scratch[0]!;
        fraction -= scratch[1]!;
        if (fraction < 0) {
          whole -= 1;
          fraction += unit;
        }
        terms[2 * i] = whole;
        terms[2 * i + 1] = fraction;
      }
      totalWhole += whole;
      totalFraction += fraction;
      if (totalFraction >= unit) {
        totalWhole += 1;
        totalFraction -= unit;
      }
      magnitude += Math.abs(whole) + 1;
    }
    if (!(magnitude < WHOLE_LIMIT)) return this.refuse();
    this.total[0] = totalWhole;
    this.total[1] = totalFraction;
    return true;
  }

  private refuse(): false {
    this.counts.refused++;
    return false;
  }

  /** Layers 2 and 3 for leg i, after pools(): its pool, then the solve in doubles or in bigints. */
  private solve(i: number, reference: Price, purpose: Purpose): Price | undefined {
    const leg = this.prepared![i]!;
    const group = this.groups[i]!;
    const terms = this.terms;
    const unit = MONEY_UNIT;
    let poolWhole: number;
    let poolFraction: number;
    if (!leg.cross) {
      poolWhole = leg.isolatedWallet[0]!;
      poolFraction = leg.isolatedWallet[1]!;
    } else {
      // the other symbols' terms: the total less this symbol's own
      poolWhole = this.total[0]!;
      poolFraction = this.total[1]!;
      for (let g = 0; g < group.length; g++) {
        const j = group[g]!;
        poolWhole -= terms[2 * j]!;
        poolFraction -= terms[2 * j + 1]!;
        if (poolFraction < 0) {
          poolWhole -= 1;
          poolFraction += unit;
        }
      }
    }
    let price: bigint | undefined | typeof UNDECIDED = UNDECIDED;
    if (group.length === 1) {
      // base = pool - side x Q x EP
      let baseWhole = poolWhole - leg.sideEntry[0]!;
      let baseFraction = poolFraction - leg.sideEntry[1]!;
      if (baseFraction < 0) {
        baseWhole -= 1;
        baseFraction += unit;
      }
      const rows = purpose === 'maintenance' ? leg.maintenance : leg.bankruptcy;
      // the mark as a raw float, one rounding (markUnits x 10^(18 - price decimals), an exact power)
      const referenceApprox = leg.markUnits * POW10[RAW_DIGITS - leg.priceDecimals]!;
      if (Math.abs(baseWhole) < WHOLE_LIMIT) price = solveLinearLeg(rows, baseWhole, baseFraction, toScaled(reference), referenceApprox);
    }
    if (price === UNDECIDED) {
      this.counts.bigint++;
      return this.bigintSolve(poolWhole, poolFraction, group, purpose, reference);
    }
    this.counts.fast++;
    return price === undefined ? undefined : fromScaled<'Price'>(price);
  }

  /** Layer 3: the reference solver on the exact pool. */
  private bigintSolve(whole: number, fraction: number, group: readonly number[], purpose: Purpose, reference: Price): Price | undefined {
    const raw = BigInt(whole) * POW10N[RAW_DIGITS]! + BigInt(fraction) * POW10N[RAW_DIGITS - MONEY_DECIMALS]!;
    const legs = group.map((j) => solverLegOf(this.account.legs[j]!, purpose));
    return solveMarginEquation(fromScaled<'Money'>(raw), legs, reference);
  }
}

export function solverLegOf(leg: KernelLeg, purpose: Purpose): SolverLeg {
  return {
    side: leg.side,
    size: leg.size,
    entryPrice: leg.entryPrice,
    kind: leg.kind,
    ...(leg.contractSizeUsd !== undefined ? { contractSizeUsd: leg.contractSizeUsd } : {}),
    segments: purpose === 'maintenance' ? leg.maintenance : leg.bankruptcy,
  };
}

function groupsOf(legs: readonly KernelLeg[]): number[][] {
  const bySymbol = new Map<string, number[]>();
  legs.forEach((leg, i) => {
    if (!leg.cross) return;
    const group = bySymbol.get(leg.symbol);
    if (group === undefined) bySymbol.set(leg.symbol, [i]);
    else group.push(i);
  });
  return legs.map((leg, i) => (leg.cross ? bySymbol.get(leg.symbol)! : [i]));
}

function priceDecimalsOf(leg: KernelLeg): number {
  return Math.max(leg.priceDecimals, decimalsOf(toScaled(leg.entryPrice)));
}

/** Each leg's units; undefined when a leg is inverse or its units do not fit (the account goes to bigints). */
function prepareLegs(legs: readonly KernelLeg[]): PreparedLeg[] | undefined {
  const out: PreparedLeg[] = [];
  for (const leg of legs) {
    if (leg.kind !== 'linear') return undefined;
    const sizeDecimals = decimalsOf(toScaled(leg.size));
    const priceDecimals = priceDecimalsOf(leg);
    const notionalDecimals = sizeDecimals + priceDecimals;
    const sizeUnits = unitsAt(toScaled(leg.size), sizeDecimals);
    const entryUnits = unitsAt(toScaled(leg.entryPrice), priceDecimals);
    if (notionalDecimals > MONEY_DECIMALS || Number.isNaN(sizeUnits + entryUnits)) return undefined;
    const scale = { side: leg.side, sizeUnits, sizeDecimals, priceDecimals };
    const maintenance = new SegmentRows(leg.maintenance, scale);
    const bankruptcy = new SegmentRows(leg.bankruptcy, scale);
    const prepared = new PreparedLeg(leg.cross, leg.side, sizeUnits, priceDecimals, entryUnits, notionalDecimals, maintenance, bankruptcy);
    if (!splitInto(leg.side * sizeUnits * entryUnits, prepared.pnlDivisor, prepared.pnlFractionScale, prepared.sideEntry, 0)) return undefined;
    if (!pairOfRaw(toScaled(leg.isolatedWallet), prepared.isolatedWallet, 0)) return undefined;
    out.push(prepared);
  }
  return out;
}
