// `perpguard calc`: an account snapshot in, margin figures per position and for the account out.
// calcJson is the code path the reference vectors run through (test/vectors.test.ts).
import { formatFixed, formatFixedTo, lt, neg, parseFixed, ratio, sub, times, type Price, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import { liquidationPriceAtTick, type AccountReport, type AccountSnapshot, type LegReport } from '../exchanges/rules.ts';
import { amountText, assetDecimals, fitTable, grouped, hiddenNote, keyValueText, money, MONEY_DECIMALS, priceToTick, priceTowardMark, wrapText, type Column } from './format.ts';

export interface CalcPositionJson {
  symbol: string;
  side: 'long' | 'short';
  positionSide: string;
  marginMode: string;
  leverage: number;
  size: string;
  entryPrice: string;
  markPrice: string;
  notional: string;
  isolatedMargin: string | null;
  initialMargin: string;
  maintenanceMargin: string;
  maintenanceMarginRate: string;
  bracket: number | null;
  unrealizedPnl: string;
  marginRatio: string | null;
  liquidationPrice: string | null;
  liquidationPriceTick: string | null;
  bankruptcyPrice: string | null;
  bankruptcyPriceTick: string | null;
  liquidationDistancePct: string | null;
}

export interface CalcJson {
  positions: CalcPositionJson[];
  account: {
    exchange: string;
    settleAsset: string;
    walletBalance: string;
    totalWalletBalance: string;
    marginBalance: string;
    maintenanceMargin: string;
    initialMargin: string;
    marginRatio: string | null;
    availableBalance: string;
    liquidatable: boolean;
  };
}

export function calcReport(snapshot: AccountSnapshot): AccountReport {
  return profileOf(snapshot.exchange).evaluate(snapshot);
}

/** Parses a snapshot's JSON text and returns what `perpguard calc --json` prints. */
export function calcJson(text: string): CalcJson {
  return toJson(calcReport(parseSnapshotText(text)));
}

/**
 * Distance from mark to the liquidation price as % of mark, positive while the position is safe. A cross
 * leg's liquidation price is the account's (in hedge mode the LONG and SHORT legs of a symbol share it, on
 * the side of their net position), so with `accountLiquidatable` given the sign comes from the account, not
 * from the leg's own side.
 */
export function distancePct(leg: LegReport, accountLiquidatable?: boolean): Rate | undefined {
  const lp = leg.liquidationPrice;
  if (!lp) return undefined;
  const mark = leg.leg.markPrice;
  if (leg.leg.marginMode === 'cross' && accountLiquidatable !== undefined) {
    const gap = times(ratio(lt(lp, mark) ? sub(mark, lp) : sub(lp, mark), mark, 'down'), 100);
    return accountLiquidatable ? neg(gap) : gap;
  }
  const gap: Price = leg.leg.side === 1 ? sub(mark, lp) : sub(lp, mark);
  return times(ratio(gap, mark, 'down'), 100);
}

/** Whether a leg is at or past its liquidation price now: its own bucket if isolated, the account if cross. */
export function pastLiquidation(leg: LegReport, report: AccountReport): boolean {
  if (leg.leg.marginMode === 'cross') return report.liquidatable;
  const lp = leg.liquidationPrice;
  return lp !== undefined && (leg.leg.side === 1 ? !lt(lp, leg.leg.markPrice) : !lt(leg.leg.markPrice, lp));
}

function rateText(r: Rate | undefined, decimals: number): string | null {
  return r === undefined ? null : formatFixedTo(r, decimals, 'ceil');
}

export function toJson(report: AccountReport): CalcJson {
  return {
    positions: report.legs.map((l) => {
      const mark = l.leg.markPrice;
      const tick = l.leg.market.tickSize;
      const dist = distancePct(l, report.liquidatable);
      return {
        symbol: l.leg.symbol,
        side: l.leg.side === 1 ? 'long' : 'short',
        positionSide: l.leg.positionSide,
        marginMode: l.leg.marginMode,
        leverage: l.leg.leverage,
        size: formatFixed(l.leg.size),
        entryPrice: formatFixed(l.leg.entryPrice),
        markPrice: formatFixed(mark),
        notional: money(l.notional),
        isolatedMargin: l.leg.marginMode === 'isolated' ? money(l.leg.isolatedWallet) : null,
        initialMargin: money(l.initialMargin, 'ceil'),
        maintenanceMargin: money(l.maintenanceMargin, 'ceil'),
        maintenanceMarginRate: formatFixed(l.maintenanceRate),
        bracket: l.bracket ?? null,
        unrealizedPnl: money(l.unrealizedPnl, 'floor'),
        marginRatio: rateText(l.marginRatio, 8),
        liquidationPrice: l.liquidationPrice ? priceTowardMark(l.liquidationPrice, mark) : null,
        // at the venue's display (OKX: one tick further toward the mark); liquidationPrice stays exact
        liquidationPriceTick: l.liquidationPrice ? formatFixed(liquidationPriceAtTick(profileOf(report.exchange).rules, l.liquidationPrice, mark, tick)) : null,
        bankruptcyPrice: l.bankruptcyPrice ? priceTowardMark(l.bankruptcyPrice, mark) : null,
        bankruptcyPriceTick: l.bankruptcyPrice ? priceToTick(l.bankruptcyPrice, mark, tick) : null,
        liquidationDistancePct: dist === undefined ? null : formatFixedTo(dist, 4, 'down'),
      };
    }),
    account: {
      exchange: report.exchange,
      settleAsset: report.settleAsset,
      walletBalance: money(report.crossWallet),
      totalWalletBalance: money(report.totalWallet),
      marginBalance: money(report.marginBalance, 'floor'),
      maintenanceMargin: money(report.maintenanceMargin, 'ceil'),
      initialMargin: money(report.initialMargin, 'ceil'),
      marginRatio: rateText(report.marginRatio, 8),
      availableBalance: money(report.availableBalance, 'floor'),
      liquidatable: report.liquidatable,
    },
  };
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
