// Shared pieces of the account importers: what an importer produces, and exact decimal helpers for the
// foreign numbers it reads (exchanges send decimal strings; ccxt's unified fields are float64 numbers,
// written back here in their shortest round-trip form, which is the decimal ccxt parsed).
import { divRound, formatFixed, fromScaled, parseFixed, SCALE, toScaled } from '../../domain/fixed.ts';
import { InputError } from '../../schema/input-error.ts';
import type { ExchangeId } from '../../exchanges/rules.ts';
import type { BracketTable } from '../../domain/tiers.ts';

/** One position in the snapshot form of vectors/README.md (decimal strings). */
export interface ImportedPosition {
  symbol: string;
  side: 'long' | 'short';
  size: string;
  entryPrice: string;
  markPrice?: string;
  marginMode: 'cross' | 'isolated';
  leverage: number;
  isolatedMargin?: string;
}

export interface ImportedMarket {
  maxLeverage?: number;
  contractSize?: string;
  /** Anything else of the snapshot's markets schema, from the user's "markets" (validated by that schema). */
  [field: string]: unknown;
}

/** Positions read from one response, with what the exchange itself reported for each. */
export interface PositionsPiece {
  readonly kind: 'positions';
  readonly format: string;
  readonly exchange: ExchangeId;
  readonly hedge: boolean;
  readonly asOf?: string;
  readonly positions: ImportedPosition[];
  /** The exchange's liquidation price per position (same order), null when it reported none. */
  readonly reported: (string | null)[];
  readonly markets: Record<string, ImportedMarket>;
  readonly notes: string[];
}

/** A cross wallet read from a balance response, in the settlement asset asked for. */
export interface BalancePiece {
  readonly kind: 'balance';
  readonly format: string;
  readonly exchange?: ExchangeId;
  wallet(settleAsset: string, positions: readonly ImportedPosition[]): { value: string; note?: string };
}

export interface BracketsPiece {
  readonly kind: 'brackets';
  readonly format: string;
  readonly tables: BracketTable[];
}

/** Market facts the user adds beside imported positions ("markets" of a {positions, balance} file). */
export interface MarketsPiece {
  readonly kind: 'markets';
  readonly format: string;
  readonly markets: Record<string, unknown>;
}

export type Piece = PositionsPiece | BalancePiece | BracketsPiece | MarketsPiece;

/** The exchange's own figure for one position of the imported snapshot. */
export interface ReportedPosition {
  readonly symbol: string;
  readonly side: 'long' | 'short';
  readonly liquidationPrice: string | null;
}

export const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A decimal string from an exchange string or a ccxt float; InputError naming the field otherwise. */
export function decimalOf(value: unknown, field: string): string {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new InputError(field, `must be a finite number, got ${value}`);
    return plain(String(value));
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const text = value.trim();
    try {
      parseFixed(text);
    } catch (error) {
      throw new InputError(field, `"${text}": ${(error as Error).message}`);
    }
    return plain(text);
  }
  throw new InputError(field, value === undefined || value === null ? 'is missing' : `must be a number, got ${JSON.stringify(value)}`);
}

export function optionalDecimal(value: unknown, field: string): string | undefined {
  return value === undefined || value === null || value === '' ? undefined : decimalOf(value, field);
}

/** "67445.90000000" -> "67445.9", "1e-7" -> "0.0000001": the exact value, written the snapshot's way. */
export function plain(text: string): string {
  return formatFixed(parseFixed(text));
}

const scaled = (text: string): bigint => toScaled(parseFixed(text));

export function mul(a: string, b: string): string {
  return formatFixed(fromScaled(divRound(scaled(a) * scaled(b), SCALE, 'halfEven')));
}
export function add(a: string, b: string): string {
  return formatFixed(fromScaled(scaled(a) + scaled(b)));
}
export function sub(a: string, b: string): string {
  return formatFixed(fromScaled(scaled(a) - scaled(b)));
}
/** a / b to 18 decimals, half-even (the mark of a position from its value and size). */
export function div(a: string, b: string): string {
  return formatFixed(fromScaled(divRound(scaled(a) * SCALE, scaled(b), 'halfEven')));
}
export const sign = (a: string): -1 | 0 | 1 => {
  const s = scaled(a);
  return s > 0n ? 1 : s < 0n ? -1 : 0;
};
export const absolute = (a: string): string => (sign(a) < 0 ? a.slice(1) : a);

/** The UTC day of a millisecond timestamp, for the bracket table in force (none for 0 or junk). */
export function dayOf(ms: unknown): string | undefined {
  const n = typeof ms === 'string' ? Number(ms) : ms;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) return undefined;
  return new Date(n).toISOString().slice(0, 10);
}

/** Leverage as the snapshot takes it: a whole number from "20", 20 or "20.0". */
export function leverageOf(value: unknown, field: string): number {
  const text = decimalOf(value, field);
  const n = Number(text);
  if (!(n >= 1)) throw new InputError(field, `must be at least 1, got ${text}`);
  return n;
}

/** The nearest whole leverage to notional / initial margin, for responses that carry no leverage (Binance v3). */
export function leverageFromMargin(notional: string, initialMargin: string, field: string): number {
  if (sign(initialMargin) <= 0) throw new InputError(field, 'is missing and cannot be derived (initial margin is 0)');
  const exact = Number(div(absolute(notional), initialMargin));
  return Math.max(1, Math.round(exact));
}
