// `perpguard watch`'s people's view: one table per tick, fitted to the terminal (liquidation prices in the
// position's mode and in the other mode side by side), the account line and the warnings raised, cleared
// and still active. JSON is ../views/watch.ts; this only lays it out.
import type { TickJson, WarningJson } from '../views/watch.ts';
import { amountText, fitTable, hiddenNote, wrapText, type Column } from './format.ts';
import { grouped } from '../views/numbers.ts';

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const price = (s: string | null | undefined): string => (s === null || s === undefined ? 'none' : grouped(trim(s)));
const pct = (s: string | null): string => (s === null ? '—' : `${amountText(s, 2, 'down')} %`);
const ratioPct = (r: string | null): string => (r === null ? '—' : `${amountText(String(Number(r) * 100), 2, 'ceil')} %`);

export const READ_ONLY_LINE = 'perpguard watch is read-only: it only calls fetch* methods and never places, changes or cancels an order.';

export function warningLine(state: 'raised' | 'cleared' | 'active', w: WarningJson): string {
  const mark = state === 'raised' ? 'WARNING' : state === 'cleared' ? 'cleared' : 'active ';
  return `${mark} [${w.kind}] ${w.message} (figure ${w.figure}, threshold ${w.threshold})`;
}

/** One tick for people. `time` is the wall-clock instant of the reading, as ISO text. */
export function renderTick(tick: TickJson | undefined, exchange: string, time: string, warnings: { raised: readonly WarningJson[]; cleared: readonly WarningJson[]; active: readonly WarningJson[] }): string {
  const lines = [`${exchange} at ${time}`];
  if (!tick || tick.positions.length === 0) {
    lines.push('no open position');
  } else {
    const columns: Column[] = [
      { head: 'position' },
      { head: 'mode' },
      { head: 'size', dropRank: 4 },
      { head: 'mark' },
      { head: 'liq.\n(its mode)' },
      { head: 'liq. if\nother mode' },
      { head: 'bankr.\nprice', dropRank: 5 },
      { head: 'to\nliq.' },
      { head: 'margin\nratio' },
      { head: 'venue\nliq.', dropRank: 3 },
      { head: 'stop', dropRank: 2 },
    ];
    const rows = tick.positions.map((p) => {
      const other = p.otherMode === 'cross' ? p.modes.cross : p.modes.isolated;
      return [
        `${p.symbol} ${p.side}`,
        `${p.marginMode} ${p.leverage}x`,
        grouped(trim(p.size)),
        grouped(trim(p.markPrice)),
        p.liquidationPriceTick === null ? 'none' : grouped(p.liquidationPriceTick),
        `${price(other.liquidationPriceTick)} (${p.otherMode})`,
        p.bankruptcyPriceTick === null ? 'none' : grouped(p.bankruptcyPriceTick),
        // the distance in % of the mark, and under it in hours of a 99 % move (the note under the table)
        p.volatility === null ? pct(p.distancePct) : `${pct(p.distancePct)}\n${p.volatility.hoursToLiquidation === null ? 'never' : `${grouped(p.volatility.hoursToLiquidation)} h`}`,
        ratioPct(p.marginRatio),
        p.venue.differenceTicks === null ? price(p.venue.liquidationPrice) : `${price(p.venue.liquidationPrice)} (${p.venue.differenceTicks} t)`,
        p.stop.triggerPrice === null ? 'none' : `${price(p.stop.triggerPrice)}${p.stop.inFrontOfLiquidation ? '' : ' (behind)'}`,
      ];
    });
    const table = fitTable(columns, rows);
    lines.push(table.text, ...hiddenNote(table.hidden));
    if (tick.positions.some((p) => p.volatility !== null)) {
      lines.push(wrapText("to liq. in hours: the time in which a 99 % move at the symbol's recent hourly volatility (EWMA of the venue's hourly closes, scaled by the square root of time) reaches the liquidation price"));
    }
    const a = tick.account;
    const blast = tick.blastRadius;
    const adverse = blast === null ? undefined : blast.adverse === 'down' ? blast.down : blast.up;
    lines.push(
      wrapText(
      `cross wallet ${amountText(a.walletBalance, 2, 'floor')} ${a.settleAsset} · margin balance ${amountText(a.marginBalance, 2, 'floor')} · margin ratio ${ratioPct(a.marginRatio)}` +
        (adverse === undefined ? '' : adverse.movePct === null ? ' · blast radius: no uniform move of the marks liquidates the cross account' : ` · blast radius: every mark ${amountText(adverse.movePct, 2, 'down')} % liquidates the cross account`),
      ),
    );
  }
  // warnings are prose: wrapped to the output width like the rest
  for (const w of warnings.raised) lines.push(wrapText(warningLine('raised', w)));
  for (const w of warnings.cleared) lines.push(wrapText(warningLine('cleared', w)));
  const fresh = new Set(warnings.raised.map((w) => `${w.kind} ${w.position}`));
  for (const w of warnings.active) if (!fresh.has(`${w.kind} ${w.position}`)) lines.push(wrapText(warningLine('active', w)));
  return `${lines.join('\n')}\n`;
}
