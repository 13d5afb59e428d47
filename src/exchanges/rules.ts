// The one interface every venue implements, the leg quantities and the maintenance schedules.
//
// A venue supplies only what differs between exchanges (contract kind, the maintenance schedule of a
// position, initial margin, liquidation fee); margin balance, margin ratio, the liquidation trigger and the
// liquidation / bankruptcy prices are the same equation for all of them (see ../domain/solver.ts), so they
// are evaluated once, in ./profile.ts, and every venue runs through the same conformance suite
// (conformance.test.ts).
import {
  add,
  coinPnl,
  coinValue,
  divideBy,
  faceValue,
  gt,
  lt,
  max,
  min,
  notional,
  ratio,
  roundToStep,
  scale,
  sub,
  zero,
  type Money,
  type Price,
  type Quantity,
  type Rate,
  type Usd,
} from '../domain/fixed.ts';
import { type ContractKind, type MarginSegment, type SolverLeg } from '../domain/solver.ts';
import type { BracketTable } from '../domain/tiers.ts';

export type ExchangeId = 'binance-usdm' | 'binance-coinm' | 'bybit-linear' | 'bybit-inverse' | 'okx-swap' | 'hyperliquid';
export const EXCHANGE_IDS: readonly ExchangeId[] = [
  'binance-usdm',
  'binance-coinm',
  'bybit-linear',
  'bybit-inverse',
  'okx-swap',
  'hyperliquid',
];

export type PositionSide = 'BOTH' | 'LONG' | 'SHORT';
export type MarginMode = 'cross' | 'isolated';
export type PositionMode = 'one-way' | 'hedge';

export interface Market {
  readonly symbol: string;
  readonly kind: ContractKind;
  /** The asset margin and PnL are settled in: USDT/USDC for linear, the coin for inverse. */
  readonly settleAsset: string;
  /** Inverse only: USD face value of one contract. */
  readonly contractSizeUsd?: Usd;
  readonly tickSize: Price;
  readonly stepSize: Quantity;
  readonly maxLeverage: number;
  /** Clearance fee charged on liquidation, as a fraction of the liquidated notional. */
  readonly liquidationFeeRate: Rate;
  /** Bracket table in force for the snapshot's date, if the venue uses one. */
  readonly brackets?: BracketTable;
  /** True when the bracket table predates the snapshot's data (the snapshot is older than the table). */
  readonly bracketsExtrapolated?: boolean;
  /**
   * Tiers chosen by position size, not notional (OKX position tiers, basis 'size' in ../domain/tiers.ts):
   * caps in the leg's size unit, the tier's MMR on the whole position, no maintenance amount. Kept apart
   * from `brackets` because everything that reads `brackets` compares notional values with its caps.
   */
  readonly sizeTiers?: BracketTable;
}

export interface FeeRates {
  readonly taker: Rate;
  readonly maker: Rate;
}

/** A position as the margin math sees it. `size` is absolute and positive; `side` carries the sign. */
export interface Leg {
  readonly symbol: string;
  readonly positionSide: PositionSide;
  readonly side: 1 | -1;
  readonly size: Quantity;
  readonly entryPrice: Price;
  readonly markPrice: Price;
  readonly marginMode: MarginMode;
  readonly leverage: number;
  /** Isolated wallet of the position (isolated only; zero in cross). */
  readonly isolatedWallet: Money;
  /** A fixed bracket (MMR and maintenance amount) that overrides the venue's table. */
  readonly maintenance?: { readonly rate: Rate; readonly amount: Money };
  readonly market: Market;
}

export interface AccountSnapshot {
  readonly exchange: ExchangeId;
  readonly positionMode: PositionMode;
  /** Cross wallet balance (isolated wallets excluded). */
  readonly crossWallet: Money;
  readonly legs: readonly Leg[];
  readonly fees: FeeRates;
}

/** What differs between venues. Every formula in an implementation names its source. */
export interface ExchangeRules {
  readonly id: ExchangeId;
  readonly title: string;
  /** The contract kinds the venue lists under this profile; a market's own kind drives the math. */
  readonly kinds: readonly ContractKind[];
  /** Short statement of what the profile covers and what it does not (README table). */
  readonly covers: string;
  readonly notCovered: string;
  /** MM of a leg as segments of notional at the mark price P: MM = rate x notional(P) + constant. */
  maintenanceSchedule(leg: Leg, fees: FeeRates, context: ScheduleContext): readonly MarginSegment[];
  /** The schedule whose root is the bankruptcy price (usually all zero: margin balance = 0). */
  bankruptcySchedule(leg: Leg, fees: FeeRates): readonly MarginSegment[];
  /** Initial margin of a leg at a price. */
  initialMargin(leg: Leg, price: Price): Money;
  /** Fee charged when `quantity` of the leg is liquidated at `price`. */
  liquidationFee(leg: Leg, quantity: Quantity, price: Price, fees: FeeRates): Money;
  /** True when the maintenance schedule needs the leg's own bankruptcy price (a fee to close at it). */
  readonly maintenanceUsesBankruptcyPrice?: boolean;
  /**
   * How many ticks toward the mark the venue displays its liquidation price beyond the formula's value
   * rounded toward the mark (0 when absent). OKX shows it one tick further (okx-swap.ts).
   */
  readonly liquidationDisplayTicks?: number;
}

/**
 * The liquidation price as the venue displays it at its tick: the exact price rounded toward the mark
 * (reached no later than printed), then the venue's display offset in ticks toward the mark, never past
 * the mark. `liquidationPrice` itself stays the formula's exact value.
 */
export function liquidationPriceAtTick(rules: Pick<ExchangeRules, 'liquidationDisplayTicks'>, price: Price, mark: Price, tick: Price): Price {
  const below = lt(price, mark);
  let shown = roundToStep(price, tick, below ? 'ceil' : 'floor');
  for (let i = 0; i < (rules.liquidationDisplayTicks ?? 0); i++) shown = below ? add(shown, tick) : sub(shown, tick);
  return below ? min(shown, mark) : max(shown, mark);
}

export interface ScheduleContext {
  /** The leg's bankruptcy price, for venues whose maintenance includes a fee to close at it (Bybit inverse). */
  readonly bankruptcyPrice?: Price | undefined;
}

/** Shared by every leg, so frozen: no caller can change it for the others. */
export const ZERO_SCHEDULE: readonly MarginSegment[] = Object.freeze([
  Object.freeze({ floor: zero<'Money'>(), cap: undefined, rate: zero<'Rate'>(), constant: zero<'Money'>() }),
]);

// ------------------------------------------------------------------------------------ leg quantities

/** Notional of a leg at a price, in the settlement asset (linear: Q x P; inverse: Q x CS / P). */
export function legNotional(leg: Pick<Leg, 'size' | 'market'>, price: Price): Money {
  if (leg.market.kind === 'linear') return notional(leg.size, price, 'halfEven');
  return coinValue(faceValue(leg.size, contractSize(leg.market)), price, 'halfEven');
}

export function contractSize(market: Market): Usd {
  if (market.contractSizeUsd === undefined) throw new Error(`inverse market ${market.symbol} has no contract size`);
  return market.contractSizeUsd;
}

/**
 * Unrealized PnL at a price. Linear: side x Q x (P - EP). Inverse: side x Q x CS x (1/EP - 1/P), in coin
 * (Binance COIN-M FAQ; reference part 2 §2.1). Rounded down (against the trader) to the 18th decimal.
 */
export function unrealizedPnl(leg: Pick<Leg, 'side' | 'size' | 'entryPrice' | 'market'>, price: Price): Money {
  if (leg.market.kind === 'linear') {
    const diff = leg.side === 1 ? sub(price, leg.entryPrice) : sub(leg.entryPrice, price);
    return notional(leg.size, diff, 'floor');
  }
  const face = faceValue(leg.size, contractSize(leg.market));
  const longPnl = coinPnl(face, leg.entryPrice, price, leg.side === 1 ? 'floor' : 'ceil');
  return leg.side === 1 ? longPnl : sub(zero(), longPnl);
}

/** Evaluates a schedule at a price: the segment of the notional, then rate x notional + constant. */
export function evaluateSchedule(
  schedule: readonly MarginSegment[],
  notionalValue: Money,
): { amount: Money; segment: MarginSegment } {
  let segment = schedule[schedule.length - 1]!;
  for (const s of schedule) {
    if (s.cap === undefined || gt(s.cap, notionalValue)) {
      segment = s;
      break;
    }
  }
  // MM rounds up: a requirement rounds against the trader
  return { amount: add(scale(notionalValue, segment.rate, 'ceil'), segment.constant), segment };
}

/**
 * Segments from a bracket table: MM = MMR x notional - cum, plus `extraRate` x notional (OKX: taker fee).
 * Built on every call (no module cache): a caller that solves an account again holds its prepared form
 * (ExchangeProfile.prepare), which keeps the schedules it was built with.
 */
export function scheduleFromBrackets(table: BracketTable, extraRate?: Rate): readonly MarginSegment[] {
  const brackets = table.brackets;
  const last = brackets.length - 1;
  const schedule: MarginSegment[] = new Array(brackets.length);
  for (let i = 0; i <= last; i++) {
    const b = brackets[i]!;
    schedule[i] = {
      floor: b.floor,
      cap: i === last ? undefined : b.cap,
      rate: extraRate ? add(b.maintenanceMarginRate, extraRate) : b.maintenanceMarginRate,
      constant: sub(zero<'Money'>(), b.maintenanceAmount),
      bracket: b.bracket,
    };
  }
  return schedule;
}

/** One segment from a fixed (MMR, maintenance amount) pair. */
export function fixedSchedule(rateValue: Rate, amount: Money, extraRate?: Rate): MarginSegment[] {
  return [
    {
      floor: zero(),
      cap: undefined,
      rate: extraRate ? add(rateValue, extraRate) : rateValue,
      constant: sub(zero(), amount),
    },
  ];
}

/** The solver's view of a leg with a maintenance (or bankruptcy) schedule. */
export function solverLegOf(leg: Leg, segments: readonly MarginSegment[]): SolverLeg {
  return {
    side: leg.side,
    size: leg.size,
    entryPrice: leg.entryPrice,
    kind: leg.market.kind,
    ...(leg.market.contractSizeUsd !== undefined ? { contractSizeUsd: leg.market.contractSizeUsd } : {}),
    segments,
  };
}

/** The venue's default IM: notional at the price / leverage, rounded up. */
export function notionalOverLeverage(leg: Leg, price: Price): Money {
  return divideBy(legNotional(leg, price), leg.leverage, 'ceil');
}

// The profile built on these rules lives in ./profile.ts; its types are re-exported for the modules that name them.
export type { AccountReport, ExchangeProfile, LegReport } from './profile.ts';
