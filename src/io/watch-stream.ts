// `perpguard watch --stream`: ccxt.pro's account streams (watchPositions, watchBalance, watchOrders, where the
// venue offers them) wake the next reading as soon as the account changes, instead of at the end of the
// polling interval; the interval stays as the fallback (a stream that fails is reported once, polling goes
// on, and the stream is tried again). A stream only says "something changed": the reading itself is still
// watch's REST reading, so both paths compute from the same kind of data. Mark prices stream every second:
// one wakes a reading only when it lies outside its band (a quarter of the way to a position's liquidation
// price, ../advisor/watch.ts markBands), so a crash is read at once and a quiet market at the interval,
// within the venue's REST limits.
// Read-only: the ccxt.pro exchange sits behind a guard that lets through fetch*, watch* and close only.
// (Binance's user-data stream needs a listen key: ccxt opens it with POST /fapi/v1/listenKey and renews
// it with PUT, which are no orders.)
import { setTimeout as sleepFor } from 'node:timers/promises';
import { isReadOnlyMethod, loadCcxt, pointAtVenue, ReadOnlyRefusal, type Credentials, type WatchExchangeId } from './watch-source.ts';

/** The account streams that wake a reading, in the order they are tried. */
export const STREAM_METHODS = ['watchPositions', 'watchBalance', 'watchOrders'] as const;

type Wake = 'stream' | 'mark';

export interface AccountStream {
  /** The streams running (those the venue offers). */
  readonly methods: readonly string[];
  /**
   * Waits `ms`, or less when a stream reports a change (or reported one since the last call): resolves to
   * what woke it ('stream': the account; 'mark': a mark outside its band). `sleep` is the plain wait (a test
   * replaces it).
   */
  next(ms: number, sleep: (ms: number, signal: AbortSignal) => Promise<void>): Promise<Wake | 'interval'>;
  /** The marks, by ccxt symbol, outside which the mark stream wakes a reading (after each reading). */
  setMarkBands(bands: ReadonlyMap<string, { below?: number; above?: number }>): void;
  close(): Promise<void>;
}

const isStreamMethod = (name: string): boolean => isReadOnlyMethod(name) || /^watch[A-Z]/.test(name) || name === 'close' || name === 'loadHttpProxyAgent';

type ProExchange = Record<string, unknown> & { has: Record<string, unknown>; urls: { api: Record<string, unknown> } };

/** A ccxt.pro exchange for `id` (its REST and WebSocket bases moved to `url`'s venue), behind the stream guard. */
export async function openProExchange(id: WatchExchangeId, credentials: Credentials, url: string | undefined): Promise<ProExchange> {
  const Pro = ((await loadCcxt()).pro as unknown as Record<string, new (config: Record<string, unknown>) => ProExchange>)[id]!;
  const exchange = new Pro({ ...credentials, enableRateLimit: url === undefined, options: { fetchCurrencies: false } });
  // ccxt schedules the listen key's renewal (every 20 min) on a timer that close() leaves behind: unref'd, it
  // cannot keep a finished watch running
  exchange['delay'] = (timeout: number, method: unknown, ...args: unknown[]) => {
    setTimeout(() => (exchange['spawn'] as (...a: unknown[]) => void)(method, ...args), timeout).unref();
  };
  if (url !== undefined) {
    const api = exchange.urls.api as Record<string, unknown>;
    pointAtVenue(api, url);
    // the venue serves Binance's WebSocket paths on the same port (ccxt appends /<listenKey> to future)
    api['ws'] = { ...(api['ws'] as Record<string, unknown>), future: `${url.replace(/\/+$/, '').replace(/^http/, 'ws')}/ws` };
  }
  return new Proxy(exchange, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (!isStreamMethod(property)) throw new ReadOnlyRefusal(`perpguard watch is read-only: ${property} is refused`);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * Starts the account streams the venue offers. A stream that fails (a dropped connection) is said once on
 * `say` and tried again every `retryMs` (ccxt reconnects on the next call); polling goes on meanwhile.
 * Resolves once the exchange is ready (markets loaded, ws:// agent set).
 */
export async function openAccountStream(exchange: ProExchange, say: (text: string) => void, retryMs: number): Promise<AccountStream> {
  await (exchange['loadMarkets'] as () => Promise<unknown>)();
  // ccxt refuses a plain ws:// URL (a local venue) until its proxy agent is loaded
  await (exchange['loadHttpProxyAgent'] as () => Promise<unknown>)();
  const methods = STREAM_METHODS.filter((m) => exchange.has[m] === true);
  let changed: Wake | undefined;
  let wake: ((why: Wake) => void) | undefined;
  let closing = false;
  const retry = new AbortController();
  const woke = (why: Wake) => {
    changed ??= why;
    wake?.(why);
  };
  /** Runs a watch method again and again until closed; a failure is said once and retried every retryMs. */
  const keep = (method: string, call: () => Promise<unknown>, heard: (answer: unknown, first: boolean) => void) =>
    void (async () => {
      let failing = false;
      for (let first = true; !closing; first = false) {
        let answer: unknown;
        try {
          answer = await call();
        } catch (error) {
          if (closing) return;
          if (!failing) say(`perpguard watch: the ${method} stream failed (${error instanceof Error ? error.name : 'error'}); reading at the interval, trying it again every ${retryMs} ms\n`);
          failing = true;
          // unref'd: a stream being retried cannot keep a finished watch running
          await sleepFor(retryMs, undefined, { ref: false, signal: retry.signal }).catch(() => undefined);
          continue;
        }
        if (failing) say(`perpguard watch: the ${method} stream is back\n`);
        failing = false;
        if (!closing) heard(answer, first);
      }
    })();
  for (const method of methods) {
    keep(method, () => (exchange[method] as () => Promise<unknown>)(), (_answer, first) => {
      // ccxt answers the first watchPositions with the REST snapshot it fetched: not a change
      if (!(first && method === 'watchPositions')) woke('stream');
    });
  }
  // the mark stream starts with the first bands (the positions' symbols come from the first reading)
  let bands: ReadonlyMap<string, { below?: number; above?: number }> = new Map();
  let marksStarted = false;
  const startMarks = () => {
    marksStarted = true;
    keep('watchMarkPrices', () => (exchange['watchMarkPrices'] as (s: string[]) => Promise<unknown>)([...bands.keys()]), (answer) => {
      for (const [symbol, ticker] of Object.entries((answer ?? {}) as Record<string, { markPrice?: unknown }>)) {
        const band = bands.get(symbol);
        const mark = ticker?.markPrice;
        if (band === undefined || typeof mark !== 'number') continue;
        if ((band.below !== undefined && mark < band.below) || (band.above !== undefined && mark > band.above)) woke('mark');
      }
    });
  };
  return {
    methods: [...methods, ...(exchange.has['watchMarkPrices'] === true ? ['watchMarkPrices'] : [])],
    setMarkBands(next) {
      bands = next;
      if (!marksStarted && bands.size > 0 && exchange.has['watchMarkPrices'] === true) startMarks();
    },
    async next(ms, sleep) {
      const pending = changed;
      changed = undefined;
      if (pending) return pending;
      const controller = new AbortController();
      const woken = new Promise<Wake>((resolve) => (wake = resolve));
      const slept = sleep(ms, controller.signal).then(() => 'interval' as const, () => 'interval' as const);
      const why = await Promise.race([woken, slept]);
      wake = undefined;
      controller.abort();
      changed = undefined;
      return why;
    },
    async close() {
      closing = true;
      retry.abort();
      wake?.('stream');
      await (exchange['close'] as () => Promise<unknown>)();
    },
  };
}
