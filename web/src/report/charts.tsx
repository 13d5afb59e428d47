// The report's charts: a leg's candles with every mode's entry, stop and liquidation levels (lightweight-charts
// price lines, each named in a legend that always shows its value), the equity curves of the modes side by side
// with their liquidations marked (the domino ones named), and the Monte Carlo distribution per mode (uPlot).
// Every chart says its unit.
import { CandlestickSeries, createChart, createSeriesMarkers, LineSeries, LineStyle, type SeriesMarker, type UTCTimestamp } from 'lightweight-charts';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useEffect, useRef } from 'preact/hooks';
import { modeColor } from './colors.ts';
import type { DistributionReport, LegChart, LiquidationMark } from './types.ts';

const css = (name: string, fallback: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
const chartOptions = () => ({
  autoSize: true,
  layout: { background: { color: css('--card', '#fff') }, textColor: css('--text', '#222') },
  grid: { vertLines: { color: css('--line', '#ddd') }, horzLines: { color: css('--line', '#ddd') } },
  timeScale: { timeVisible: true, secondsVisible: false },
});
const STYLE = { entry: LineStyle.Solid, liquidation: LineStyle.Dashed, stop: LineStyle.Dotted } as const;
/** "1-minute", "1-hour": the bars' length, from their first two open times (seconds). */
function barLength(times: readonly number[]): string {
  const s = times.length > 1 ? times[1]! - times[0]! : 3600;
  return s % 3600 === 0 ? `${s / 3600}-hour` : s % 60 === 0 ? `${s / 60}-minute` : `${s}-second`;
}
const fmt = (x: number) => x.toLocaleString('en-US', { maximumFractionDigits: x >= 100 ? 2 : 6 });

export function LegPriceChart(props: { leg: LegChart; quote: string }) {
  const box = useRef<HTMLDivElement>(null);
  const { leg } = props;
  useEffect(() => {
    const chart = createChart(box.current!, chartOptions());
    const candles = chart.addSeries(CandlestickSeries, { upColor: css('--up', '#0b7a3e'), downColor: css('--down', '#b3261e'), wickUpColor: css('--up', '#0b7a3e'), wickDownColor: css('--down', '#b3261e'), borderVisible: false });
    candles.setData(leg.times.map((t, i) => ({ time: t as UTCTimestamp, open: leg.open[i]!, high: leg.high[i]!, low: leg.low[i]!, close: leg.close[i]! })));
    for (const level of leg.levels) candles.createPriceLine({ price: level.price, color: modeColor(level.mode), lineStyle: STYLE[level.kind], lineWidth: 2, axisLabelVisible: true, title: `${level.mode} ${level.kind}` });
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [leg]);
  return (
    <figure class="report-chart" data-leg={leg.symbol}>
      <figcaption>
        {leg.symbol}: {barLength(leg.times)} candles, {props.quote} per {leg.symbol.replace(/USDT$|USD$|-.*$/, '')}, with each mode's levels
      </figcaption>
      <ul class="legend">
        {leg.levels.map((l, i) => (
          <li key={i} data-level={`${l.mode} ${l.kind}`}>
            <span class="swatch" style={{ borderTopColor: modeColor(l.mode), borderTopStyle: l.kind === 'entry' ? 'solid' : l.kind === 'liquidation' ? 'dashed' : 'dotted' }} aria-hidden="true" />
            {l.mode} {l.kind}: <span class="num">{fmt(l.price)}</span> {props.quote}
          </li>
        ))}
      </ul>
      <div class="chart-box" ref={box} />
    </figure>
  );
}

export function EquityChart(props: { curves: readonly { mode: string; times: number[]; values: number[] }[]; liquidations: readonly LiquidationMark[]; asset: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const chart = createChart(box.current!, chartOptions());
    let marked = 0;
    for (const curve of props.curves) {
      const line = chart.addSeries(LineSeries, { color: modeColor(curve.mode), lineWidth: 2, title: curve.mode });
      // one point per time (a replay records a bar's close once): lightweight-charts needs them increasing
      const points = new Map<number, number>();
      curve.times.forEach((t, i) => points.set(t, curve.values[i]!));
      line.setData([...points].sort((a, b) => a[0] - b[0]).map(([t, v]) => ({ time: t as UTCTimestamp, value: v })));
      const marks: SeriesMarker<UTCTimestamp>[] = props.liquidations
        .filter((l) => l.mode === curve.mode)
        .map((l) => ({ time: l.timeS as UTCTimestamp, position: 'aboveBar', color: modeColor(curve.mode), shape: 'arrowDown', text: `${l.symbol} ${l.marginMode}${l.domino ? ' (domino)' : ''}` }));
      if (marks.length > 0) marked += createSeriesMarkers(line, marks.sort((a, b) => a.time - b.time)).markers().length;
    }
    // the markers the chart holds (they are drawn on a canvas): a reader or a test can count them
    box.current!.dataset['markers'] = String(marked);
    chart.timeScale().fitContent();
    return () => chart.remove();
  }, [props.curves, props.liquidations]);
  const last = (values: number[]) => (values.length ? fmt(values[values.length - 1]!) : '—');
  return (
    <figure class="report-chart equity">
      <figcaption>Equity by mode, {props.asset} (arrows: liquidations; "domino": taken down with the cross account)</figcaption>
      <ul class="legend">
        {props.curves.map((c) => (
          <li key={c.mode} data-curve={c.mode}>
            <span class="swatch" style={{ borderTopColor: modeColor(c.mode), borderTopStyle: 'solid' }} aria-hidden="true" />
            {c.mode}: ends at <span class="num">{last(c.values)}</span> {props.asset}
          </li>
        ))}
      </ul>
      <div class="chart-box" ref={box} />
    </figure>
  );
}

export function DistributionChart(props: { distribution: DistributionReport }) {
  const box = useRef<HTMLDivElement>(null);
  const d = props.distribution;
  useEffect(() => {
    const width = box.current!.clientWidth || 800;
    const plot = new uPlot(
      {
        width,
        height: 300,
        scales: { x: { time: false } },
        axes: [{ label: `kept equity (${d.unit})`, stroke: css('--text', '#222') }, { label: 'share of paths', size: 70, stroke: css('--text', '#222') }],
        series: [{ label: d.unit }, ...d.modes.map((m) => ({ label: m.mode, stroke: modeColor(m.mode), width: 2 }))],
        legend: { live: false },
      },
      [d.bins, ...d.modes.map((m) => m.shares)],
      box.current!,
    );
    return () => plot.destroy();
  }, [d]);
  return (
    <figure class="report-chart distribution">
      <figcaption>
        {d.title}: share of paths per bin of kept equity ({d.unit})
      </figcaption>
      <div ref={box} />
    </figure>
  );
}
