// A venue account prepared for the exact kernel (../domain/kernel/): what ExchangeProfile hands the
// caller to hold (profile.prepare(account)) and takes back on every solve, so a risk loop converts an
// account's sizes, entries and bracket rows once, not on every mark. The prepared object is tied to the
// positions it was built from: `fits` checks that an account passed later has the same positions (the
// marks may differ; they are read on every call), and anything else is prepared afresh.
import { eq, toScaled, type Price } from '../domain/fixed.ts';
import { decimalsOf } from '../domain/kernel/exact-float.ts';
import { PreparedAccount, type KernelLeg, type Purpose } from '../domain/kernel/prepared-account.ts';
import type { AccountSnapshot, ExchangeRules, Leg } from './rules.ts';

export class AccountKernel {
  private constructor(
    private readonly source: AccountSnapshot,
    private readonly prepared: PreparedAccount | undefined,
  ) {}

  /**
   * Prepares an account for the kernel. Venues whose maintenance depends on the bankruptcy price (a fee
   * to close at it) and accounts the kernel cannot hold in doubles are left to the bigint path.
   */
  static of(rules: ExchangeRules, account: AccountSnapshot): AccountKernel {
    if (rules.maintenanceUsesBankruptcyPrice) return new AccountKernel(account, undefined);
    try {
      const legs = account.legs.map((leg): KernelLeg => kernelLegOf(rules, account, leg));
      const prepared = new PreparedAccount({ crossWallet: account.crossWallet, legs });
      return new AccountKernel(account, prepared.covered ? prepared : undefined);
    } catch {
      // a venue refusing a leg (no bracket table, say): the bigint path reports it where it always has
      return new AccountKernel(account, undefined);
    }
  }

  /** Whether the float layers cover this account at all. */
  get covered(): boolean {
    return this.prepared !== undefined;
  }

  /** How this kernel's solves went (fast in doubles, bigint, refused calls); zeros when not covered. */
  get counts(): { readonly fast: number; readonly bigint: number; readonly refused: number } {
    return this.prepared?.counts ?? { fast: 0, bigint: 0, refused: 0 };
  }

  /** Every leg's price at the account's marks, or undefined: then the caller solves with bigints. */
  prices(account: AccountSnapshot, purpose: Purpose): (Price | undefined)[] | undefined {
    return this.prepared?.prices(account.legs, purpose);
  }

  /** Leg i's price alone, or null: then the caller solves with bigints. */
  price(account: AccountSnapshot, purpose: Purpose, legIndex: number): Price | undefined | null {
    return this.prepared === undefined ? null : this.prepared.price(account.legs, purpose, legIndex);
  }

  /** True when `account` holds the positions this kernel was prepared from (marks may differ). */
  fits(account: AccountSnapshot): boolean {
    const a = this.source;
    if (account === a) return true;
    if (account.exchange !== a.exchange || account.legs.length !== a.legs.length || !eq(account.crossWallet, a.crossWallet)) return false;
    if (account.fees !== a.fees && !(eq(account.fees.taker, a.fees.taker) && eq(account.fees.maker, a.fees.maker))) return false;
    for (let i = 0; i < a.legs.length; i++) if (!samePosition(account.legs[i]!, a.legs[i]!)) return false;
    return true;
  }
}

/** Same position, whatever the mark: everything a schedule or the equation reads except markPrice. */
function samePosition(x: Leg, y: Leg): boolean {
  return (
    x === y ||
    (x.symbol === y.symbol &&
      x.positionSide === y.positionSide &&
      x.side === y.side &&
      x.marginMode === y.marginMode &&
      x.leverage === y.leverage &&
      x.market === y.market &&
      x.maintenance === y.maintenance &&
      eq(x.size, y.size) &&
      eq(x.entryPrice, y.entryPrice) &&
      eq(x.isolatedWallet, y.isolatedWallet))
  );
}

function kernelLegOf(rules: ExchangeRules, account: AccountSnapshot, leg: Leg): KernelLeg {
  return {
    symbol: leg.symbol,
    cross: leg.marginMode === 'cross',
    side: leg.side,
    size: leg.size,
    entryPrice: leg.entryPrice,
    kind: leg.market.kind,
    ...(leg.market.contractSizeUsd !== undefined ? { contractSizeUsd: leg.market.contractSizeUsd } : {}),
    isolatedWallet: leg.isolatedWallet,
    // marks move on the tick; the current one may carry more digits (a snapshot's own mark)
    priceDecimals: Math.max(decimalsOf(toScaled(leg.market.tickSize)), decimalsOf(toScaled(leg.markPrice))),
    maintenance: rules.maintenanceSchedule(leg, account.fees, {}),
    bankruptcy: rules.bankruptcySchedule(leg, account.fees),
  };
}
