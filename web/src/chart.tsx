// A position's chart page: the symbol's hourly candles (./price-chart.tsx) with the position's entry, its
// liquidation price in both margin modes, its bankruptcy price and its stop orders as labelled lines. The
// lines follow the account's figures stream (./live-account.ts): the isolated line stays where the
// position's own margin puts it, the cross line moves with every other cross position's mark. The
// position's own mode is drawn solid, the other dashed (what it would be: isolated with the initial margin
// at entry, or cross on the whole wallet).
import { useMemo } from 'preact/hooks';
import type { Credentials } from './credentials.ts';
import { marketTime, useAccountFigures } from './live-account.ts';
import { css, LineStyle, PriceChart, type Line } from './price-chart.tsx';
import type { AccountFigures, AccountOrder } from './types.ts';

/** The lines the position in `symbol` draws on its chart, with the stops resting on the symbol. */
export function linesOf(figures: AccountFigures | undefined, symbol: string): Line[] {
  const lines: Line[] = [];
  const position = figures?.account.calc.positions.find((p) => p.symbol === symbol);
  if (position) {
    const mode = position.marginMode;
    const both = figures?.liquidation?.positions.find((p) => p.symbol === symbol && p.positionSide === position.positionSide);
    lines.push({ key: 'entry', title: 'entry', value: position.entryPrice, color: css('--accent'), style: LineStyle.Solid });
    lines.push({ key: 'liquidation', title: `liquidation (${mode})`, value: position.liquidationPrice, color: css('--liquidation'), style: LineStyle.Solid });
    const other = mode === 'isolated' ? both?.cross : both?.isolated;
    const otherTitle = mode === 'isolated' ? 'liquidation if cross (whole wallet)' : 'liquidation if isolated (initial margin)';
    if (other) lines.push({ key: 'liquidation other', title: otherTitle, value: other.liquidationPrice, color: css('--other-mode'), style: LineStyle.Dashed });
    if (position.bankruptcyPrice !== null) lines.push({ key: 'bankruptcy', title: `bankruptcy (${mode})`, value: position.bankruptcyPrice, color: css('--liquidation'), style: LineStyle.Dotted });
  }
  const stops = (figures?.account.state.openOrders ?? []).filter((o: AccountOrder) => o.symbol === symbol && o.stopPrice !== null);
  stops.forEach((o, i) => lines.push({ key: `stop ${i}`, title: o.type.replace(/_/g, ' '), value: o.stopPrice!, color: css('--watch'), style: LineStyle.Dashed }));
  return lines;
}

export function ChartPage(props: { credentials: Credentials; symbol: string; onAuthError: (message: string) => void }) {
  const { figures, problem, live, asOfMs } = useAccountFigures(props.credentials, props.onAuthError);
  const lines = useMemo(() => linesOf(figures, props.symbol), [figures, props.symbol]);
  const position = figures?.account.calc.positions.find((p) => p.symbol === props.symbol);
  const asset = figures?.account.calc.account.settleAsset ?? 'USDT';
  return (
    <main class="chart-page" aria-labelledby="chart-title">
      <h1 id="chart-title">
        {props.symbol} <span class="note">hourly candles of the venue's mark, {asset} per {props.symbol.replace(/USDT$|USD$/, '')}</span>
      </h1>
      <p class="note live-status" data-as-of-ms={asOfMs}>
        {live && asOfMs !== undefined ? `Lines live: as of market time ${marketTime(asOfMs)}` : 'Lines refreshed every 2 s'}
      </p>
      {problem && (
        <p class="problem" role="status">
          {problem}
        </p>
      )}
      <PriceChart symbol={props.symbol} lines={lines} asset={asset} {...(figures && !position ? { empty: `No position in ${props.symbol}: candles only.` } : {})} />
    </main>
  );
}
