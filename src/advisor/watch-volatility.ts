// How far a position is from its liquidation price in the symbol's own recent volatility: the hours in which
// a 99 % move (one-sided, normal log returns) reaches the liquidation price, with the hourly volatility
// scaled by the square root of time. From the venue's recent hourly closes: the EWMA volatility (RiskMetrics,
// lambda 0.94, as `perpguard advise leverage`) of hourly log returns, so the latest hours weigh most.
// A 99 % move over h hours is z99 x sigma_1h x sqrt(h) in log terms; it reaches the liquidation price when
// that equals ln(mark / liq) (long) or ln(liq / mark) (short), so h = (ln-distance / (z99 x sigma_1h))^2.
// Float64: these are statistics of returns, never money (the prices enter only as ratios). Pure.
import { ewmaVolatility, normalQuantile } from './statistics.ts';

export const MOVE_CONFIDENCE = 0.99;
export const VOLATILITY_LAMBDA = 0.94;
const HOUR_MS = 3_600_000;

/** One hourly candle as the venue gives it: its open time and close. */
export interface HourlyClose {
  readonly openTimeMs: number;
  readonly close: number;
}

export interface HourlyVolatility {
  /** EWMA volatility of hourly log returns after the last complete hour (0.0081 = 0.81 % per hour). */
  readonly hourly: number;
  /** How many hourly returns it is computed from (consecutive hours only: none across a gap). */
  readonly returns: number;
}

/**
 * The hourly volatility of closes (oldest first, complete candles only: the caller leaves out the candle
 * still forming). Undefined with fewer than `minReturns` returns between consecutive hours.
 */
export function hourlyVolatility(closes: readonly HourlyClose[], minReturns = 12, lambda = VOLATILITY_LAMBDA): HourlyVolatility | undefined {
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) {
    const a = closes[i - 1]!;
    const b = closes[i]!;
    if (b.openTimeMs - a.openTimeMs !== HOUR_MS || !(a.close > 0) || !(b.close > 0)) continue;
    returns.push(Math.log(b.close / a.close));
  }
  if (returns.length < minReturns) return undefined;
  return { hourly: ewmaVolatility(returns, lambda), returns: returns.length };
}

/**
 * The hours in which a move at `confidence` (one-sided) reaches the liquidation price: 0 when the mark is at
 * or past it; Infinity when it cannot be reached (no volatility, or a long's liquidation price at or below 0).
 */
export function hoursToLiquidation(side: 'long' | 'short', mark: number, liquidation: number, hourly: number, confidence = MOVE_CONFIDENCE): number {
  if (side === 'long' && !(liquidation > 0)) return Infinity;
  const distance = side === 'long' ? Math.log(mark / liquidation) : Math.log(liquidation / mark);
  if (!(distance > 0)) return 0;
  if (!(hourly > 0)) return Infinity;
  const perSqrtHour = normalQuantile(confidence) * hourly;
  return (distance / perSqrtHour) ** 2;
}
