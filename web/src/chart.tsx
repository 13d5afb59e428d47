// A position's chart: the symbol's hourly candles (the venue's mark, USDT per coin) with the position's entry,
// liquidation and bankruptcy prices and its stop orders as labelled lines. The last candle moves live over
// the venue's kline stream; the lines follow the account (refreshed every REFRESH_MS): an isolated
// position's liquidation line stays where its own margin puts it, a cross one moves with every other cross
// position's PnL. A legend names every line with its value and unit.
import { CandlestickSeries, createChart, LineStyle, type IChartApi, type IPriceLine, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { price } from './format.ts';
import type { AccountAnswer, CalcPosition } from './types.ts';

const REFRESH_MS = 2_000;
const CANDLES = 240;

type Kline = [number, string, string, string, string, ...unknown[]];
/** A resting stop-market or take-profit order, as GET /fapi/v1/openAlgoOrders lists it. */
interface OpenOrder {
  readonly symbol: string;
  readonly orderType: string;
  readonly triggerPrice: string;
}

interface Line {
  readonly key: string;
  readonly title: string;
  readonly value: string;
  readonly color: string;
  readonly style: LineStyle;
}

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/** The lines a position draws on its chart, with the stops resting on its symbol. */
export function linesOf(position: CalcPosition | undefined, stops: readonly OpenOrder[]): Line[] {
  const lines: Line[] = [];
  if (position) {
    lines.push({ key: 'entry', title: 'entry', value: position.entryPrice, color: css('--accent'), style: LineStyle.Solid });
    const mode = position.marginMode;
    if (position.liquidationPrice !== null) lines.push({ key: 'liquidation', title: `liquidation (${mode})`, value: position.liquidationPrice, color: css('--liquidation'), style: LineStyle.Solid });
    if (position.bankruptcyPrice !== null) lines.push({ key: 'bankruptcy', title: `bankruptcy (${mode})`, value: position.bankruptcyPrice, color: css('--liquidation'), style: LineStyle.Dotted });
  }
  stops.forEach((o, i) => lines.push({ key: `stop ${i}`, title: o.orderType.toLowerCase().replace(/_/g, ' '), value: o.triggerPrice, color: css('--watch'), style: LineStyle.Dashed }));
  return lines;
}

export function ChartPage(props: { credentials: Credentials; symbol: string }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<{ api: IChartApi; candles: ISeriesApi<'Candlestick'>; lines: Map<string, IPriceLine> } | undefined>(undefined);
  const [position, setPosition] = useState<CalcPosition | undefined>();
  const [lines, setLines] = useState<Line[]>([]);
  const [asset, setAsset] = useState('USDT');
  const [problem, setProblem] = useState<string | undefined>();

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
      .catch((error: Error) => setProblem(`No candles for ${props.symbol}: ${error.message}`));
    return () => {
      stopped = true;
      socket?.close();
      api.remove();
      chart.current = undefined;
    };
  }, [props.symbol]);

  // the position's lines, from the account every REFRESH_MS
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const refresh = async () => {
      try {
        const [account, orders] = await Promise.all([
          signed<AccountAnswer>(props.credentials, 'GET', '/perpguard/v1/account'),
          signed<OpenOrder[]>(props.credentials, 'GET', '/fapi/v1/openAlgoOrders', { symbol: props.symbol }).catch(() => [] as OpenOrder[]),
        ]);
        if (stopped) return;
        const held = account.calc.positions.find((p) => p.symbol === props.symbol);
        setPosition(held);
        setAsset(account.calc.account.settleAsset);
        setLines(linesOf(held, orders));
      } catch (error) {
        if (!stopped) setProblem(`The venue did not answer (${(error as Error).message}); retrying.`);
      }
      if (!stopped) timer = setTimeout(refresh, REFRESH_MS);
    };
    void refresh();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [props.credentials, props.symbol]);

  // lines drawn as the account says: moved in place, added, removed
  useEffect(() => {
    const current = chart.current;
    if (!current) return;
    for (const [key, drawn] of current.lines) {
      if (!lines.some((l) => l.key === key)) {
        current.candles.removePriceLine(drawn);
        current.lines.delete(key);
      }
    }
    for (const line of lines) {
      const options = { price: Number(line.value), color: line.color, lineStyle: line.style, lineWidth: 2 as const, axisLabelVisible: true, title: line.title };
      const drawn = current.lines.get(line.key);
      if (drawn) drawn.applyOptions(options);
      else current.lines.set(line.key, current.candles.createPriceLine(options));
    }
  }, [lines]);

  return (
    <main class="chart-page" aria-labelledby="chart-title">
      <h1 id="chart-title">
        {props.symbol} <span class="note">hourly candles of the venue's mark, {asset} per {props.symbol.replace(/USDT$|USD$/, '')}</span>
      </h1>
      {problem && <p class="problem" role="status">{problem}</p>}
      <ul class="legend" aria-label="lines on the chart">
        {position ? null : <li>No position in {props.symbol}: candles only.</li>}
        {lines.map((line) => (
          <li key={line.key} data-line={line.key}>
            <span class="swatch" style={{ borderTopColor: line.color, borderTopStyle: line.style === LineStyle.Solid ? 'solid' : line.style === LineStyle.Dotted ? 'dotted' : 'dashed' }} aria-hidden="true" />
            {line.title}: <span class="num">{price(line.value)}</span> {asset}
          </li>
        ))}
      </ul>
      <figure class="chart-figure">
        <div class="chart-box" ref={box} />
        <figcaption class="visually-hidden">
          {props.symbol} hourly candles with {lines.map((l) => `${l.title} at ${price(l.value)} ${asset}`).join(', ') || 'no position lines'}
        </figcaption>
      </figure>
    </main>
  );
}
