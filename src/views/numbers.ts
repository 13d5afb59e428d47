// How numbers are printed, in JSON and in tables alike. The README's "Rounding" section states each rule;
// this file is the one place that applies them to output. Pure: no I/O.
import { formatFixedTo, formatFixed, lt, roundToStep, type Fixed, type Price, type Rounding } from '../domain/fixed.ts';

/** Settlement-asset precision of printed amounts (USDT and coin balances: 8 decimals). */
export const MONEY_DECIMALS = 8;

export function money(x: Fixed<'Money'>, rounding: Rounding = 'halfEven'): string {
  return formatFixedTo(x, MONEY_DECIMALS, rounding);
}

/** A price rounded to 8 decimals toward the mark (a liquidation is reached no later than printed). */
export function priceTowardMark(p: Price, mark: Price): string {
  return formatFixedTo(p, 8, lt(p, mark) ? 'ceil' : 'floor');
}

/** A price rounded to the market's tick, toward the mark. */
export function priceToTick(p: Price, mark: Price, tick: Price): string {
  return formatFixed(roundToStep(p, tick, lt(p, mark) ? 'ceil' : 'floor'));
}

/** Groups thousands for people: 1234567.5 -> 1,234,567.5. */
export function grouped(text: string): string {
  const [whole = '', frac] = text.split('.');
  const negative = whole.startsWith('-');
  const digits = negative ? whole.slice(1) : whole;
  const withCommas = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return (negative ? '-' : '') + withCommas + (frac !== undefined ? '.' + frac : '');
}

// ------------------------------------------------------------------------------------ amounts for people

/**
 * Decimals shown for an amount of the settlement asset in tables. Stablecoin margin (USDT, USDC, USD) is
 * shown to the cent; a coin (inverse contracts settle in BTC, ETH, ...) to 8 decimals, as Binance COIN-M's
 * own API shows coin amounts (GET /dapi/v1/positionRisk: "unRealizedProfit": "0.00005866",
 * developers.binance.com/docs/derivatives/coin-margined-futures/trade/Position-Information). At 2 decimals a
 * COIN-M position's margin of 0.00104167 BTC printed as "0".
 */
export function assetDecimals(asset: string): number {
  return STABLE.has(asset.toUpperCase()) ? 2 : MONEY_DECIMALS;
}
const STABLE = new Set(['USDT', 'USDC', 'USD', 'BUSD', 'FDUSD', 'USDE']);
