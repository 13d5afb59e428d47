// A symbol's price chart: its hourly candles (the venue's mark), history once and then live over the venue's
// kline stream, with labelled horizontal lines (entry, liquidation, stops...) and a legend that names each
// with its value and unit. The price scale takes in every line. Used by the position's chart page and by
// the what-if page (the liquidation line now and after the change).
import { CandlestickSeries, createChart, LineStyle, type AutoscaleInfo, type IChartApi, type IPriceLine, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { price } from './format.ts';

export { LineStyle };

const CANDLES = 240;

type Kline = [number, string, string, string, string, ...unknown[]];

export interface Line {
  readonly key: string;
  readonly title: string;
  /** null: no such price (the margin behind it covers any move of this symbol alone): a legend entry, no line. */
  readonly value: string | null;
  readonly color: string;
  readonly style: LineStyle;
}

export const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

const noneText = (line: Line) => `none (${line.title.includes('cross') ? 'the wallet' : 'its margin'} covers any move of this symbol alone)`;

export function PriceChart(props: { symbol: string; lines: readonly Line[]; asset: string; empty?: string }) {
  const { lines, asset } = props;
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; candles: ISeriesApi<'Candlestick'>; lines: Map<string, IPriceLine> } | undefined>(undefined);
  const [candleProblem, setCandleProblem] = useState<string | undefined>();

  // the chart and its candles: history once, then the kline stream
  useEffect(() => {
    const api = createChart(box.current!, {
      autoSize: true,
      layout: { background: { color: css('--card') }, textColor: css('--text') },
      grid: { vertLines: { color: css('--line') }, horzLines: { color: css('--line') } },
      timeScale: { timeVisible: true, secondsVisible: false },
    });
    const candles = api.addSeries(CandlestickSeries, { upColor: css('--up'), downColor: css('--down'), wickUpColor: css('--up'), wickDownColor: css('--down'), borderVisible: false });
    chart.current = { api, candles, lines: new Map() };
    const bar = (k: Kline) => ({ time: Math.floor(k[0] / 1000) as UTCTimestamp, open: Number(k[1]), high: Number(k[2]), low: Number(k[3]), close: Number(k[4]) });
    let socket: WebSocket | undefined;
    let stopped = false;
    void fetch(`/fapi/v1/klines?symbol=${props.symbol}&interval=1h&limit=${CANDLES}`)
      .then((r) => r.json() as Promise<Kline[]>)
      .then((klines) => {
        if (stopped) return;
        candles.setData(klines.map(bar));
        socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/${props.symbol.toLowerCase()}@kline_1h`);
        socket.onmessage = (message) => {
          const k = (JSON.parse(String(message.data)) as { k?: { t: number; o: string; h: string; l: string; c: string } }).k;
          if (k) candles.update(bar([k.t, k.o, k.h, k.l, k.c]));
        };
      })
      .catch((error: Error) => setCandleProblem(`No candles for ${props.symbol}: ${error.message}`));
    return () => {
      stopped = true;
      socket?.close();
      api.remove();
      chart.current = undefined;
    };
  }, [props.symbol]);

  // lines drawn as the account says: moved in place, added, removed
  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    const drawable = lines.filter((l) => l.value !== null);
    for (const [key, drawn] of current.lines) {
      if (!drawable.some((l) => l.key === key)) {
        current.candles.removePriceLine(drawn);
        current.lines.delete(key);
      }
    }
    for (const line of drawable) {
      const options = { price: Number(line.value), color: line.color, lineStyle: line.style, lineWidth: 2 as const, axisLabelVisible: true, title: line.title };
      const drawn = current.lines.get(line.key);
      if (drawn) drawn.applyOptions(options);
      else current.lines.set(line.key, current.candles.createPriceLine(options));
    }
    // the price scale takes in every line, not the candles only: a liquidation line off the chart is one the
    // trader does not see (a cross line far below the candles is the news: the account can take that fall)
    const prices = drawable.map((l) => Number(l.value)).filter((p) => Number.isFinite(p) && p > 0);
    current.candles.applyOptions({
      autoscaleInfoProvider: (original: () => AutoscaleInfo | null) => {
        const info = original();
        if (!info?.priceRange || prices.length === 0) return info;
        return { ...info, priceRange: { minValue: Math.min(info.priceRange.minValue, ...prices), maxValue: Math.max(info.priceRange.maxValue, ...prices) } };
      },
    });
  }, [lines]);

  return (
    <>
      {candleProblem && (
        <p class="problem" role="status">
          {candleProblem}
        </p>
      )}
      <ul class="legend" aria-label="lines on the chart">
        {props.empty ? <li>{props.empty}</li> : null}
        {lines.map((line) => (
          <li key={line.key} data-line={line.key}>
            <span class="swatch" style={{ borderTopColor: line.color, borderTopStyle: line.style === LineStyle.Solid ? 'solid' : line.style === LineStyle.Dotted ? 'dotted' : 'dashed' }} aria-hidden="true" />
            {line.title}: {line.value === null ? noneText(line) : <><span class="num">{price(line.value)}</span> {asset}</>}
          </li>
        ))}
      </ul>
      <figure class="chart-figure">
        <div class="chart-box" ref={box} />
        <figcaption class="visually-hidden">
          {props.symbol} hourly candles with {lines.map((l) => (l.value === null ? `${l.title}: none` : `${l.title} at ${price(l.value)} ${asset}`)).join(', ') || 'no lines'}
        </figcaption>
      </figure>
    </>
  );
}
