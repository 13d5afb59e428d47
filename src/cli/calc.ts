// `perpguard calc`: an account snapshot in, margin figures per position and for the account out.
// calcJson is the code path the reference vectors run through (test/vectors.test.ts).
import Table from 'cli-table3';
import { formatFixed, formatFixedTo, lt, parseFixed, ratio, sub, times, type Price, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import type { AccountReport, AccountSnapshot, LegReport } from '../exchanges/rules.ts';
import { grouped, money, priceToTick, priceTowardMark } from './format.ts';

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

/** Distance from mark to the liquidation price as % of mark, positive while the position is safe. */
export function distancePct(leg: LegReport): Rate | undefined {
  const lp = leg.liquidationPrice;
  if (!lp) return undefined;
  const mark = leg.leg.markPrice;
  const gap: Price = leg.leg.side === 1 ? sub(mark, lp) : sub(lp, mark);
  return times(ratio(gap, mark, 'down'), 100);
}

function rateText(r: Rate | undefined, decimals: number): string | null {
  return r === undefined ? null : formatFixedTo(r, decimals, 'ceil');
}

export function toJson(report: AccountReport): CalcJson {
  return {
    positions: report.legs.map((l) => {
      const mark = l.leg.markPrice;
      const tick = l.leg.market.tickSize;
      const dist = distancePct(l);
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
        liquidationPriceTick: l.liquidationPrice ? priceToTick(l.liquidationPrice, mark, tick) : null,
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
const short = (s: string | null, decimals = 2): string => {
  if (s === null) return '—';
  const [w, f = ''] = s.split('.');
  return grouped(trim(f ? `${w}.${f.slice(0, decimals)}` : s));
};
const pct = (r: string | null): string =>
  r === null ? '—' : `${trim(formatFixedTo(times(parseFixed<'Rate'>(r), 100), 2, 'ceil'))} %`;

/** The people's view: one table of positions, one of the account. */
export function renderCalc(json: CalcJson, report: AccountReport): string {
  const asset = json.account.settleAsset;
  const positions = new Table({
    head: ['symbol', 'side', 'mode', 'lev', 'size', 'entry', 'mark', `IM ${asset}`, `MM ${asset}`, `uPnL ${asset}`, 'liq. price', 'bankr. price', 'to liq.', 'margin ratio'],
    style: { head: [], border: [] },
  });
  json.positions.forEach((p) => {
    positions.push([
      p.symbol,
      p.positionSide === 'BOTH' ? p.side : `${p.side} (${p.positionSide})`,
      p.marginMode,
      `${p.leverage}x`,
      trim(p.size),
      grouped(trim(p.entryPrice)),
      grouped(trim(p.markPrice)),
      short(p.initialMargin),
      short(p.maintenanceMargin),
      short(p.unrealizedPnl),
      p.liquidationPriceTick === null ? 'none' : grouped(p.liquidationPriceTick),
      p.bankruptcyPriceTick === null ? 'none' : grouped(p.bankruptcyPriceTick),
      p.liquidationDistancePct === null ? '—' : `${trim(p.liquidationDistancePct.slice(0, p.liquidationDistancePct.indexOf('.') + 3))} %`,
      pct(p.marginRatio),
    ]);
  });
  const account = new Table({ style: { head: [], border: [] } });
  const a = json.account;
  account.push(
    { 'exchange': a.exchange },
    { [`cross wallet balance (${asset})`]: short(a.walletBalance, 8) },
    { [`total wallet incl. isolated (${asset})`]: short(a.totalWalletBalance, 8) },
    { [`margin balance, cross (${asset})`]: short(a.marginBalance, 8) },
    { [`maintenance margin, cross (${asset})`]: short(a.maintenanceMargin, 8) },
    { 'margin ratio, cross (MM / margin balance)': pct(a.marginRatio) },
    { [`available balance (${asset})`]: short(a.availableBalance, 8) },
    { 'cross account liquidatable now': a.liquidatable ? 'YES' : 'no' },
  );
  const notes: string[] = [];
  if (report.legs.some((l) => l.leg.market.bracketsExtrapolated)) {
    notes.push('note: the snapshot date (asOf) predates the oldest bundled bracket table; the oldest table was used.');
  }
  if (report.legs.some((l) => l.liquidationPrice && lt(l.leg.markPrice, l.liquidationPrice) === (l.leg.side === 1))) {
    notes.push('warning: a position is already past its liquidation price at the current mark.');
  }
  notes.push('Liquidation and bankruptcy prices are rounded to the tick toward the mark; cross prices assume the other positions stay at their marks.');
  return `Positions\n${positions.toString()}\n\nAccount\n${account.toString()}\n${notes.join('\n')}\n`;
}
