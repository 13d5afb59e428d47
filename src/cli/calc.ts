// `perpguard calc`: an account snapshot in, margin figures per position and for the account out.
// calcJson is the code path the reference vectors run through (test/vectors.test.ts).
import { formatFixedTo, parseFixed, times } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import { type AccountReport, type AccountSnapshot } from '../exchanges/rules.ts';
import { amountText, fitTable, hiddenNote, keyValueText, wrapText, type Column } from './format.ts';
import { assetDecimals, grouped, MONEY_DECIMALS } from '../views/numbers.ts';
import { type CalcJson, pastLiquidation, reportJson } from '../views/calc.ts';

export function calcReport(snapshot: AccountSnapshot): AccountReport {
  return profileOf(snapshot.exchange).evaluate(snapshot);
}

/** Parses a snapshot's JSON text and returns what `perpguard calc --json` prints. */
export function calcJson(text: string): CalcJson {
  return reportJson(calcReport(parseSnapshotText(text)));
}

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const pct = (r: string | null): string =>
  r === null ? '—' : `${trim(formatFixedTo(times(parseFixed<'Rate'>(r), 100), 2, 'ceil'))} %`;

/** The people's view: one table of positions, one of the account, fitted to the terminal (--wide: all columns). */
export function renderCalc(json: CalcJson, report: AccountReport): string {
  const asset = json.account.settleAsset;
  // USDT to the cent, a coin (COIN-M, Bybit inverse, OKX coin-margined) to 8 decimals: never "0" or "-0"
  const d = assetDecimals(asset);
  const hedge = json.positions.some((p) => p.positionSide !== 'BOTH');
  // two-line heads: a head is often wider than its numbers, and every column counts at 100 columns
  const columns: Column[] = [
    { head: 'symbol' },
    { head: 'side' },
    { head: 'mode' },
    { head: 'size' },
    { head: 'entry', dropRank: 3 },
    { head: 'mark' },
    { head: `IM\n${asset}`, dropRank: 4 },
    { head: `MM\n${asset}`, dropRank: 2 },
    { head: `uPnL\n${asset}` },
    { head: 'liq.\nprice' },
    { head: 'bankr.\nprice', dropRank: 5 },
    { head: 'to\nliq.', dropRank: 1 },
    { head: 'margin\nratio', dropRank: 6 },
  ];
  const rows = json.positions.map((p) => [
    p.symbol,
    p.positionSide === 'BOTH' ? p.side : `${p.side} leg`,
    `${p.marginMode} ${p.leverage}x`,
    grouped(trim(p.size)),
    grouped(trim(p.entryPrice)),
    grouped(trim(p.markPrice)),
    amountText(p.initialMargin, d, 'ceil'),
    amountText(p.maintenanceMargin, d, 'ceil'),
    amountText(p.unrealizedPnl, d, 'floor'),
    p.liquidationPriceTick === null ? 'none' : grouped(p.liquidationPriceTick),
    p.bankruptcyPriceTick === null ? 'none' : grouped(p.bankruptcyPriceTick),
    p.liquidationDistancePct === null ? '—' : `${amountText(p.liquidationDistancePct, 2, 'down')} %`,
    pct(p.marginRatio),
  ]);
  const positions = fitTable(columns, rows);
  const a = json.account;
  const account = keyValueText([
    ['exchange', a.exchange],
    [`cross wallet balance (${asset})`, amountText(a.walletBalance, MONEY_DECIMALS, 'floor')],
    [`total wallet incl. isolated (${asset})`, amountText(a.totalWalletBalance, MONEY_DECIMALS, 'floor')],
    [`margin balance, cross (${asset})`, amountText(a.marginBalance, MONEY_DECIMALS, 'floor')],
    [`maintenance margin, cross (${asset})`, amountText(a.maintenanceMargin, MONEY_DECIMALS, 'ceil')],
    ['margin ratio, cross (MM / margin balance)', pct(a.marginRatio)],
    [`available balance (${asset})`, amountText(a.availableBalance, MONEY_DECIMALS, 'floor')],
    ['cross account liquidatable now', a.liquidatable ? 'YES' : 'no'],
  ], { compact: true });
  const notes: string[] = [...hiddenNote(positions.hidden)];
  if (report.legs.some((l) => l.leg.market.bracketsExtrapolated)) {
    notes.push('note: the snapshot date (asOf) predates the oldest bundled bracket table; the oldest table was used.');
  }
  if (report.legs.some((l) => pastLiquidation(l, report))) {
    notes.push('warning: a position is already past its liquidation price at the current mark.');
  }
  const shared = [...new Set(report.legs.filter((l) => l.leg.marginMode === 'cross' && l.leg.positionSide !== 'BOTH').map((l) => l.leg.symbol))]
    .filter((symbol) => report.legs.filter((l) => l.leg.symbol === symbol && l.leg.marginMode === 'cross').length > 1);
  for (const symbol of shared) notes.push(`hedge: ${symbol}'s LONG and SHORT legs share one cross liquidation price, set by their net position.`);
  if (hedge && shared.length === 0) notes.push('hedge mode: each leg has its own isolated margin and its own liquidation price.');
  notes.push('Liquidation and bankruptcy prices are rounded to the tick toward the mark; cross prices assume the other positions stay at their marks.');
  return `Positions\n${positions.text}\n\nAccount\n${account}\n${notes.map((n) => wrapText(n)).join('\n')}\n`;
}
