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
}

export interface FloatAccount {
  readonly wallet: number;
  readonly legs: readonly FloatLeg[];
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
    legs.push({
      symbol: leg.symbol,
      symbolIndex: symbolIndex(leg.symbol),
      side: leg.side,
      size: toApproxNumber(leg.size),
      entry: toApproxNumber(leg.entryPrice),
      inverse: leg.market.kind === 'inverse',
      contractSize: leg.market.contractSizeUsd ? toApproxNumber(leg.market.contractSizeUsd) : 0,
      isolated: settingsOf(state, user, leg.symbol).marginMode === 'isolated',
      bucket: toApproxNumber(leg.isolatedWallet),
      segments: schedule.map((s) => ({ cap: s.cap === undefined ? Infinity : toApproxNumber(s.cap), rate: toApproxNumber(s.rate), constant: toApproxNumber(s.constant) })),
    });
  }
  const triggers: number[][] = [];
  for (const order of user.orders) {
    const price = order.stopPrice ?? order.price;
    if (price === undefined) continue;
    (triggers[symbolIndex(order.symbol)] ??= []).push(toApproxNumber(price));
  }
  return {
    wallet: asset ? toApproxNumber(balanceOf(state.balances, asset, crossAccount(user.id))) : 0,
    legs,
    triggers,
    callRatio: callRatio ?? toApproxNumber(state.config.marginCallRatio),
  };
}

function notionalF(leg: FloatLeg, price: number): number {
  return leg.inverse ? (leg.size * leg.contractSize) / price : leg.size * price;
}

function upnlF(leg: FloatLeg, price: number): number {
  return leg.inverse ? leg.side * leg.size * leg.contractSize * (1 / leg.entry - 1 / price) : leg.side * leg.size * (price - leg.entry);
}

function mmF(leg: FloatLeg, price: number): number {
  const n = notionalF(leg, price);
  const segments = leg.segments;
  let s = 0;
  while (s < segments.length - 1 && n >= segments[s]!.cap) s++;
  const seg = segments[s]!;
  return seg.rate * n + seg.constant;
}

/** Output of scanBar, reused so the scan allocates nothing: [worst equity, equity at close]. */
export const SCAN_OUT = new Float64Array(2);

/**
 * One quiet-bar step of the screening kernel in a single pass over the legs: whether anything may trigger
 * (as mayTrigger), and the equity at the bar's worst extreme and at its close (written to SCAN_OUT).
 * Returns true when the bar needs the exact engine.
 */
export function scanBar(account: FloatAccount, cash: number, marks: Float64Array, symbol: number, low: number, high: number, close: number, lo: number, hi: number, band = 0.05): boolean {
  if (mayTrigger(account, marks, symbol, lo, hi, band)) return true;
  let others = cash;
  let atLow = 0;
  let atHigh = 0;
  let atClose = 0;
  for (const leg of account.legs) {
    if (leg.symbolIndex !== symbol) {
      others += upnlF(leg, marks[leg.symbolIndex]!);
      continue;
    }
    atLow += upnlF(leg, low);
    atHigh += upnlF(leg, high);
    atClose += upnlF(leg, close);
  }
  SCAN_OUT[0] = others + (atLow < atHigh ? atLow : atHigh);
  SCAN_OUT[1] = others + atClose;
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
  band = 0.05,
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
