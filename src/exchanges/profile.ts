// A venue's profile: the shared evaluation (margins, PnL, liquidation and bankruptcy prices of a whole
// account) built once on a venue's rules (./rules.ts).
import {
  add,
  isPositive,
  lte,
  ratio,
  sub,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { solveMarginEquation, type MarginSegment, type SolverLeg } from '../domain/solver.ts';
import {
  legNotional,
  unrealizedPnl,
  evaluateSchedule,
  solverLegOf,
  type ExchangeId,
  type FeeRates,
  type Leg,
  type AccountSnapshot,
  type ExchangeRules,
} from './rules.ts';
import { AccountKernel } from './account-kernel.ts';

export interface LegReport {
  readonly leg: Leg;
  readonly initialMargin: Money;
  readonly maintenanceMargin: Money;
  readonly maintenanceRate: Rate;
  readonly bracket: number | undefined;
  readonly unrealizedPnl: Money;
  readonly notional: Money;
  readonly liquidationPrice: Price | undefined;
  readonly bankruptcyPrice: Price | undefined;
  /** Isolated: the position's own margin ratio (MM / (isolated wallet + UPNL)). Cross: the account's. */
  readonly marginRatio: Rate | undefined;
}

export interface AccountReport {
  readonly exchange: ExchangeId;
  readonly settleAsset: string;
  readonly crossWallet: Money;
  readonly totalWallet: Money;
  /** Cross wallet + cross UPNL. */
  readonly marginBalance: Money;
  /** Sum of cross positions' MM. */
  readonly maintenanceMargin: Money;
  readonly initialMargin: Money;
  /** MM / margin balance of the cross account (Binance orientation: liquidation at >= 1). */
  readonly marginRatio: Rate | undefined;
  /** Cross wallet + cross UPNL - cross IM, not below zero. */
  readonly availableBalance: Money;
  readonly liquidatable: boolean;
  readonly legs: readonly LegReport[];
}

/** Everything a venue computes, built once from its rules. */
export class ExchangeProfile {
  constructor(readonly rules: ExchangeRules) {}

  get id(): ExchangeId {
    return this.rules.id;
  }

  initialMargin(leg: Leg, price: Price = leg.markPrice): Money {
    return this.rules.initialMargin(leg, price);
  }

  maintenanceMargin(
    leg: Leg,
    fees: FeeRates,
    price: Price = leg.markPrice,
    bankruptcyPrice?: Price,
  ): { amount: Money; segment: MarginSegment } {
    return evaluateSchedule(this.scheduleFor(leg, fees, bankruptcyPrice), legNotional(leg, price));
  }

  liquidationFee(leg: Leg, quantity: Quantity, price: Price, fees: FeeRates): Money {
    return this.rules.liquidationFee(leg, quantity, price, fees);
  }

  /** Margin balance of the scope a leg belongs to: its isolated wallet + UPNL, or the cross account's. */
  marginBalance(account: AccountSnapshot, legIndex: number): Money {
    const leg = account.legs[legIndex]!;
    if (leg.marginMode === 'isolated') return add(leg.isolatedWallet, unrealizedPnl(leg, leg.markPrice));
    let total = account.crossWallet;
    for (const other of account.legs) if (other.marginMode === 'cross') total = add(total, unrealizedPnl(other, other.markPrice));
    return total;
  }

  /** Maintenance margin of the scope a leg belongs to. */
  scopeMaintenance(account: AccountSnapshot, legIndex: number): Money {
    const leg = account.legs[legIndex]!;
    if (leg.marginMode === 'isolated') return this.legMaintenance(account, legIndex).amount;
    const bankruptcy = this.rules.maintenanceUsesBankruptcyPrice ? this.referenceBankruptcyPrices(account) : undefined;
    let total = zero<'Money'>();
    account.legs.forEach((other, j) => {
      if (other.marginMode === 'cross') total = add(total, this.legMaintenance(account, j, bankruptcy).amount);
    });
    return total;
  }

  /** MM / margin balance; undefined when the margin balance is not positive (already bankrupt). */
  marginRatio(account: AccountSnapshot, legIndex: number): Rate | undefined {
    const balance = this.marginBalance(account, legIndex);
    if (!isPositive(balance)) return undefined;
    return ratio(this.scopeMaintenance(account, legIndex), balance, 'ceil');
  }

  /** The liquidation trigger: margin balance <= maintenance margin (margin ratio reaches 100 %). */
  isLiquidatable(account: AccountSnapshot, legIndex: number): boolean {
    return lte(this.marginBalance(account, legIndex), this.scopeMaintenance(account, legIndex));
  }

  /**
   * The account prepared for the exact kernel (../domain/kernel/), for a caller that solves the same
   * positions again (a risk loop, a monitor, a simulator step): pass it to the methods below. It holds
   * everything cached about the account; nothing is cached in this module. `previous`: the caller's
   * kernel from an earlier call, returned as is while it still fits the account's positions (only the
   * marks moved), so a loop can call prepare(account, kernel) every time.
   */
  prepare(account: AccountSnapshot, previous?: AccountKernel): AccountKernel {
    return previous !== undefined && previous.fits(account) ? previous : AccountKernel.of(this.rules, account);
  }

  /**
   * The mark price of the leg's symbol at which its scope's margin balance equals its maintenance margin.
   * With a kernel that fits the account (prepare), through the exact kernel, bit-identical to the bigint
   * reference; without one, the bigint reference itself: for one call, converting an account's numbers
   * for the kernel costs more than solving it in bigints (bench/solve.ts, cold).
   * For every leg of an account use liquidationPrices: this one sums the whole account's pools for one leg.
   */
  liquidationPrice(account: AccountSnapshot, legIndex: number, kernel?: AccountKernel): Price | undefined {
    const fitting = this.fitting(account, kernel);
    const price = fitting === undefined ? null : fitting.price(account, 'maintenance', legIndex);
    return price === null ? this.referenceLiquidationPrice(account, legIndex) : price;
  }

  /** The mark price at which the leg's scope's margin balance reaches zero (kernel or reference, as above). */
  bankruptcyPrice(account: AccountSnapshot, legIndex: number, kernel?: AccountKernel): Price | undefined {
    const fitting = this.fitting(account, kernel);
    const price = fitting === undefined ? null : fitting.price(account, 'bankruptcy', legIndex);
    return price === null ? this.referenceBankruptcyPrice(account, legIndex) : price;
  }

  /**
   * liquidationPrice(account, i) for every leg i: through the exact kernel when `kernel` (prepare) fits
   * the account, with the bigint path for what the kernel does not cover; else the bigint reference.
   */
  liquidationPrices(account: AccountSnapshot, kernel?: AccountKernel): (Price | undefined)[] {
    return this.fitting(account, kernel)?.prices(account, 'maintenance') ?? this.referenceLiquidationPrices(account);
  }

  /** bankruptcyPrice(account, i) for every leg i (kernel or reference, as liquidationPrices). */
  bankruptcyPrices(account: AccountSnapshot, kernel?: AccountKernel): (Price | undefined)[] {
    return this.fitting(account, kernel)?.prices(account, 'bankruptcy') ?? this.referenceBankruptcyPrices(account);
  }

  private fitting(account: AccountSnapshot, kernel: AccountKernel | undefined): AccountKernel | undefined {
    return kernel !== undefined && kernel.fits(account) ? kernel : undefined;
  }

  // ------------------------------------------------------------------- the bigint reference path

  /** The reference: the plain definition, in bigints (../domain/solver.ts), one leg per call. */
  referenceLiquidationPrice(account: AccountSnapshot, legIndex: number): Price | undefined {
    const { pool, group } = this.scope(account, legIndex, 'maintenance');
    const fees = account.fees;
    const known = this.rules.maintenanceUsesBankruptcyPrice === true;
    const bankruptcy = known ? this.referenceBankruptcyPrice(account, legIndex) : undefined;
    const legs = group.map((l) => this.solverLeg(l, this.scheduleFor(l, fees, bankruptcy, known)));
    return solveMarginEquation(pool, legs, account.legs[legIndex]!.markPrice);
  }

  /** The reference bankruptcy price of one leg, in bigints. */
  referenceBankruptcyPrice(account: AccountSnapshot, legIndex: number): Price | undefined {
    const { pool, group } = this.scope(account, legIndex, 'bankruptcy');
    const legs = group.map((l) => this.solverLeg(l, this.rules.bankruptcySchedule(l, account.fees)));
    return solveMarginEquation(pool, legs, account.legs[legIndex]!.markPrice);
  }

  /**
   * The reference for every leg, in bigints, in time linear in the number of legs: each cross leg's UPNL
   * and MM at its mark is computed once, not once per other leg (see scopes).
   */
  referenceLiquidationPrices(account: AccountSnapshot): (Price | undefined)[] {
    const fees = account.fees;
    const known = this.rules.maintenanceUsesBankruptcyPrice === true;
    const bankruptcy = known ? this.referenceBankruptcyPrices(account) : undefined;
    // without a bankruptcy-price term a leg's schedule is the same for its MM and its equation: built once
    // per call, when first needed (so a venue refusing a leg refuses the same leg first as before)
    const built = new Map<Leg, readonly MarginSegment[]>();
    const scheduleOf = (l: Leg): readonly MarginSegment[] => {
      let schedule = built.get(l);
      if (schedule === undefined) built.set(l, (schedule = this.scheduleFor(l, fees)));
      return schedule;
    };
    const schedules = known ? undefined : scheduleOf;
    return this.scopes(account, 'maintenance', bankruptcy, schedules).map(({ pool, group }, i) => {
      const legs = group.map((l) => this.solverLeg(l, schedules ? schedules(l) : this.scheduleFor(l, fees, bankruptcy?.[i], known)));
      return solveMarginEquation(pool, legs, account.legs[i]!.markPrice);
    });
  }

  /** The reference bankruptcy price of every leg, in bigints, linear in the number of legs. */
  referenceBankruptcyPrices(account: AccountSnapshot): (Price | undefined)[] {
    return this.scopes(account, 'bankruptcy').map(({ pool, group }, i) => {
      const legs = group.map((l) => this.solverLeg(l, this.rules.bankruptcySchedule(l, account.fees)));
      return solveMarginEquation(pool, legs, account.legs[i]!.markPrice);
    });
  }

  /** The full report `perpguard calc` prints. */
  evaluate(account: AccountSnapshot): AccountReport {
    const fees = account.fees;
    let crossUpnl = zero<'Money'>();
    let crossMm = zero<'Money'>();
    let crossIm = zero<'Money'>();
    let isolatedWallets = zero<'Money'>();
    const bankruptcyPrices = this.bankruptcyPrices(account);
    const partial = account.legs.map((leg, i) => {
      const mm = this.legMaintenance(account, i, bankruptcyPrices);
      const im = this.initialMargin(leg);
      const upnl = unrealizedPnl(leg, leg.markPrice);
      if (leg.marginMode === 'cross') {
        crossUpnl = add(crossUpnl, upnl);
        crossMm = add(crossMm, mm.amount);
        crossIm = add(crossIm, im);
      } else {
        isolatedWallets = add(isolatedWallets, leg.isolatedWallet);
      }
      return { leg, mm, im, upnl };
    });
    const marginBalance = add(account.crossWallet, crossUpnl);
    const crossRatio = isPositive(marginBalance) ? ratio(crossMm, marginBalance, 'ceil') : undefined;
    const liquidationPrices = this.liquidationPrices(account);
    const legs: LegReport[] = partial.map(({ leg, mm, im, upnl }, i) => ({
      leg,
      initialMargin: im,
      maintenanceMargin: mm.amount,
      maintenanceRate: mm.segment.rate,
      bracket: mm.segment.bracket,
      unrealizedPnl: upnl,
      notional: legNotional(leg, leg.markPrice),
      liquidationPrice: liquidationPrices[i],
      bankruptcyPrice: bankruptcyPrices[i],
      marginRatio: leg.marginMode === 'cross' ? crossRatio : this.marginRatio(account, i),
    }));
    const hasCross = account.legs.some((l) => l.marginMode === 'cross');
    const available = sub(marginBalance, crossIm);
    return {
      exchange: account.exchange,
      settleAsset: account.legs[0]?.market.settleAsset ?? '',
      crossWallet: account.crossWallet,
      totalWallet: add(account.crossWallet, isolatedWallets),
      marginBalance,
      maintenanceMargin: crossMm,
      initialMargin: crossIm,
      marginRatio: crossRatio,
      availableBalance: isPositive(available) ? available : zero(),
      liquidatable: hasCross && lte(marginBalance, crossMm),
      legs,
    };
  }

  // ---------------------------------------------------------------------------------- internals

  private isolatedBankruptcy(leg: Leg, fees: FeeRates): Price | undefined {
    // A leg's own bankruptcy price with its own margin (isolated wallet, or its initial margin in cross),
    // used only by venues that charge a fee to close at the bankruptcy price inside the maintenance margin.
    const pool = leg.marginMode === 'isolated' ? leg.isolatedWallet : this.rules.initialMargin(leg, leg.entryPrice);
    return solveMarginEquation(pool, [this.solverLeg(leg, this.rules.bankruptcySchedule(leg, fees))], leg.markPrice);
  }

  /**
   * The leg's maintenance schedule. Venues that charge a fee to close at the bankruptcy price get the
   * account's bankruptcy price when the caller has it (`bankruptcyKnown`: then undefined means the scope
   * has none, and no fee), else the leg's own (its isolated wallet, or in cross its initial margin at entry).
   */
  private scheduleFor(leg: Leg, fees: FeeRates, bankruptcyPrice?: Price, bankruptcyKnown = false): readonly MarginSegment[] {
    const context = this.rules.maintenanceUsesBankruptcyPrice
      ? { bankruptcyPrice: bankruptcyKnown ? bankruptcyPrice : (bankruptcyPrice ?? this.isolatedBankruptcy(leg, fees)) }
      : {};
    return this.rules.maintenanceSchedule(leg, fees, context);
  }

  /**
   * MM of leg i of an account at its mark, as the account's own margin figures use it. Venues whose MM
   * includes a fee to close at the bankruptcy price (Bybit inverse) get the bankruptcy price of the leg's
   * scope in this account (a cross leg: the cross account's), the one liquidationPrice solves with, so the
   * reported MM, margin ratio and liquidation trigger agree with the reported liquidation price.
   * `bankruptcy`: referenceBankruptcyPrices(account), when the caller has it.
   */
  private legMaintenance(
    account: AccountSnapshot,
    i: number,
    bankruptcy?: readonly (Price | undefined)[],
  ): { amount: Money; segment: MarginSegment } {
    const leg = account.legs[i]!;
    const known = this.rules.maintenanceUsesBankruptcyPrice === true;
    const price = known ? (bankruptcy ? bankruptcy[i] : this.referenceBankruptcyPrice(account, i)) : undefined;
    return evaluateSchedule(this.scheduleFor(leg, account.fees, price, known), legNotional(leg, leg.markPrice));
  }

  private solverLeg(leg: Leg, segments: readonly MarginSegment[]): SolverLeg {
    return solverLegOf(leg, segments);
  }

  /**
   * scope(account, i, purpose) for every leg i, the same pools, computed in one pass: the account's total
   * over cross legs of UPNL - MM (UPNL alone for bankruptcy) and each symbol's share of it, so a leg's pool
   * is the wallet plus the total less its own symbol's share. `schedules`: a leg's maintenance schedule, built
   * once per call by the caller (legMaintenance's, for venues without a bankruptcy-price term). Sums of exact integers do not depend on their order, so the pools are identical
   * to scope's, which adds the other symbols' terms one by one for each leg (n^2 UPNL and MM evaluations).
   */
  private scopes(
    account: AccountSnapshot,
    purpose: 'maintenance' | 'bankruptcy',
    bankruptcy?: readonly (Price | undefined)[],
    schedules?: (leg: Leg) => readonly MarginSegment[],
  ): { pool: Money; group: Leg[] }[] {
    let crossTotal = zero<'Money'>();
    const bySymbol = new Map<string, { total: Money; group: Leg[] }>();
    if (purpose === 'maintenance' && bankruptcy === undefined && this.rules.maintenanceUsesBankruptcyPrice) {
      bankruptcy = this.referenceBankruptcyPrices(account);
    }
    for (const [j, leg] of account.legs.entries()) {
      if (leg.marginMode !== 'cross') continue;
      let term = unrealizedPnl(leg, leg.markPrice);
      if (purpose === 'maintenance') {
        const mm = schedules === undefined ? this.legMaintenance(account, j, bankruptcy) : evaluateSchedule(schedules(leg), legNotional(leg, leg.markPrice));
        term = sub(term, mm.amount);
      }
      crossTotal = add(crossTotal, term);
      const symbol = bySymbol.get(leg.symbol);
      if (symbol === undefined) bySymbol.set(leg.symbol, { total: term, group: [leg] });
      else {
        symbol.total = add(symbol.total, term);
        symbol.group.push(leg);
      }
    }
    return account.legs.map((leg) => {
      if (leg.marginMode === 'isolated') return { pool: leg.isolatedWallet, group: [leg] };
      const symbol = bySymbol.get(leg.symbol)!;
      return { pool: add(account.crossWallet, sub(crossTotal, symbol.total)), group: symbol.group };
    });
  }

  /**
   * The pool and the legs that move together for a leg's price equation.
   * Isolated: pool = the leg's isolated wallet; the group is the leg alone (TMM = UPNL = 0, Binance FAQ).
   * Cross: pool = cross wallet + sum over the OTHER symbols' cross legs of (UPNL - MM) at their own marks
   * (for bankruptcy: UPNL only); the group is every cross leg of this symbol (hedge mode: LONG and SHORT
   * share one liquidation price, Binance liquidation-protocols FAQ).
   */
  private scope(
    account: AccountSnapshot,
    legIndex: number,
    purpose: 'maintenance' | 'bankruptcy',
  ): { pool: Money; group: Leg[] } {
    const leg = account.legs[legIndex]!;
    if (leg.marginMode === 'isolated') return { pool: leg.isolatedWallet, group: [leg] };
    let pool = account.crossWallet;
    const group: Leg[] = [];
    const bankruptcy =
      purpose === 'maintenance' && this.rules.maintenanceUsesBankruptcyPrice ? this.referenceBankruptcyPrices(account) : undefined;
    for (const [j, other] of account.legs.entries()) {
      if (other.marginMode !== 'cross') continue;
      if (other.symbol === leg.symbol) {
        group.push(other);
        continue;
      }
      pool = add(pool, unrealizedPnl(other, other.markPrice));
      if (purpose === 'maintenance') pool = sub(pool, this.legMaintenance(account, j, bankruptcy).amount);
    }
    return { pool, group };
  }
}
