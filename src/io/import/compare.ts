// `perpguard calc --compare`: perpguard's liquidation price next to the one the exchange reported for the
// same imported position, and the gap in the market's ticks. A gap is information, not a failure: the
// exchange computes from figures the response does not carry in full (Binance's multi-assets collateral
// at its live index price and haircut, the moment between two requests), so --compare shows it and
// leaves the judgment to the reader.
import Table from 'cli-table3';
import { divRound, formatFixed, formatFixedTo, fromScaled, parseFixed, toScaled, type Price } from '../../domain/fixed.ts';
import type { AccountReport } from '../../exchanges/rules.ts';
import type { ReportedPosition } from './values.ts';

export interface ComparisonJson {
  symbol: string;
  side: 'long' | 'short';
  positionSide: string;
  marginMode: string;
  tickSize: string;
  /** perpguard's liquidation price to 8 decimals, half-even (null: none at any positive price). */
  perpguard: string | null;
  /** What the exchange reported (null: it reported none). */
  exchange: string | null;
  /** (perpguard − exchange) / tick, 2 decimals; null when either side has no price. */
  differenceTicks: string | null;
}

/** Pairs each leg of the report with the exchange's figure for the same imported position. */
export function compareLiquidation(report: AccountReport, reported: readonly ReportedPosition[]): ComparisonJson[] {
  return report.legs.map((l, i) => {
    const theirs = reported[i];
    const side = l.leg.side === 1 ? 'long' : 'short';
    if (!theirs || theirs.symbol !== l.leg.symbol || theirs.side !== side) {
      throw new Error(`internal: imported position ${i} is ${theirs?.symbol} ${theirs?.side}, the report's leg is ${l.leg.symbol} ${side}`);
    }
    const tick = l.leg.market.tickSize;
    const ours = l.liquidationPrice;
    const exchange = theirs.liquidationPrice;
    return {
      symbol: l.leg.symbol,
      side,
      positionSide: l.leg.positionSide,
      marginMode: l.leg.marginMode,
      tickSize: formatFixed(tick),
      perpguard: ours ? formatFixed(parseFixed(formatFixedTo(ours, 8, 'halfEven'))) : null,
      exchange,
      differenceTicks: ours && exchange !== null ? ticksBetween(ours, parseFixed<'Price'>(exchange), tick) : null,
    };
  });
}

/** (a − b) / tick to 2 decimals, half-even, signed with "+" for a above b. */
export function ticksBetween(a: Price, b: Price, tick: Price): string {
  const hundredths = divRound((toScaled(a) - toScaled(b)) * 100n, toScaled(tick), 'halfEven');
  const text = formatFixedTo(fromScaled<'Rate'>(hundredths * 10n ** 16n), 2, 'halfEven');
  return hundredths > 0n ? `+${text}` : text;
}

/** The people's view: one row per position. */
export function renderComparison(rows: readonly ComparisonJson[], format: string, notes: readonly string[]): string {
  const table = new Table({
    head: ['symbol', 'side', 'mode', 'perpguard liq.', 'exchange liq.', 'difference'],
    style: { head: [], border: [] },
  });
  for (const r of rows) {
    const difference =
      r.differenceTicks !== null
        ? `${r.differenceTicks} ticks (tick ${r.tickSize})`
        : r.perpguard === null && r.exchange === null
          ? 'both: none'
          : r.perpguard === null
            ? 'perpguard: none at any positive price'
            : 'the exchange reported none';
    table.push([r.symbol, r.positionSide === 'BOTH' ? r.side : `${r.side} (${r.positionSide})`, r.marginMode, r.perpguard ?? 'none', r.exchange ?? 'none', difference]);
  }
  const lines = [`Compared with the exchange (imported from ${format})`, table.toString()];
  if (notes.length > 0) lines.push(...notes.map((n) => `note: ${n}`));
  return `${lines.join('\n')}\n`;
}
