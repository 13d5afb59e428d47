// Where `perpguard watch` reads a live account: a ccxt exchange (binanceusdm, binancecoinm, bybit, okx,
// hyperliquid) polled over REST, read-only by construction. The exchange object is handed out only behind a
// guard that lets through `fetch*` and `loadMarkets` and refuses every other method before any request is
// made (createOrder, cancelOrder, setLeverage, addMargin, ...), so no code path of watch can trade.
// Credentials come from the environment or a config file, never the command line; they are given to ccxt
// and to nothing else, and every message that leaves this module has them cut out (redact).
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../schema/input-error.ts';
import { exchangeSymbolOf } from './ccxt-tiers.ts';

// ccxt loads on first use: it is the largest package here (~0.7 s of CPU to load, measured 2026-12-03), and
// only watch and protect talk to a venue; every other command (and `--help`) starts without it
let ccxtModule: Promise<typeof import('ccxt').default> | undefined;
/** The ccxt module, imported once. */
export const loadCcxt = (): Promise<typeof import('ccxt').default> => (ccxtModule ??= import('ccxt').then((m) => m.default));

export const WATCH_EXCHANGES = ['binanceusdm', 'binancecoinm', 'bybit', 'okx', 'hyperliquid'] as const;
export type WatchExchangeId = (typeof WATCH_EXCHANGES)[number];

export interface Credentials {
  readonly apiKey?: string;
  readonly secret?: string;
  /** OKX's passphrase. */
  readonly password?: string;
  /** Hyperliquid: the account's address (its API wallet signs nothing here). */
  readonly walletAddress?: string;
}

export const CREDENTIAL_ENV = { apiKey: 'PERPGUARD_API_KEY', secret: 'PERPGUARD_API_SECRET', password: 'PERPGUARD_API_PASSWORD', walletAddress: 'PERPGUARD_WALLET_ADDRESS' } as const;

/** The credentials of a config file (JSON or YAML: apiKey, secret, password, walletAddress), else the environment's. */
export function readCredentials(configFile: string | undefined, env: NodeJS.ProcessEnv): Credentials {
  let fromFile: Record<string, unknown> = {};
  if (configFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(configFile, 'utf8');
    } catch (error) {
      throw new InputError('--config', `cannot read ${configFile}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`);
    }
    let parsed: unknown;
    try {
      parsed = parseYaml(text);
    } catch {
      // the parser's message quotes the text, which holds the secret: say where, not what
      throw new InputError('--config', `${configFile} is not valid JSON or YAML`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new InputError('--config', `${configFile} must hold an object such as {"apiKey": "...", "secret": "..."}`);
    fromFile = parsed as Record<string, unknown>;
    const unknown = Object.keys(fromFile).find((k) => !(k in CREDENTIAL_ENV));
    if (unknown) throw new InputError('--config', `${configFile}: unknown field "${unknown}" (one of ${Object.keys(CREDENTIAL_ENV).join(', ')})`);
  }
  const out: Record<string, string> = {};
  for (const [field, name] of Object.entries(CREDENTIAL_ENV)) {
    const value = fromFile[field] ?? env[name];
    if (value === undefined || value === '') continue;
    if (typeof value !== 'string') throw new InputError('--config', `"${field}" must be a string`);
    out[field] = value;
  }
  return out as Credentials;
}

/** The text with every credential value replaced by "***" (messages of ccxt may quote a request). */
export function redact(text: string, credentials: Credentials): string {
  let out = text;
  for (const value of Object.values(credentials)) if (typeof value === 'string' && value.length >= 4) out = out.split(value).join('***');
  return out;
}

/** Only these ccxt methods pass the guard: they read. */
export const isReadOnlyMethod = (name: string): boolean => name.startsWith('fetch') || name === 'loadMarkets';

export class ReadOnlyRefusal extends Error {
  override readonly name = 'ReadOnlyRefusal';
}

/** The ccxt methods watch calls, as one interface (the guard's shape). */
export interface ReadOnlyExchange {
  readonly id: string;
  readonly has: Record<string, unknown>;
  loadMarkets(): Promise<unknown>;
  fetchPositions(symbols?: string[]): Promise<unknown[]>;
  fetchBalance(): Promise<Record<string, unknown>>;
  fetchOpenOrders(symbol?: string, since?: number, limit?: number, params?: Record<string, unknown>): Promise<unknown[]>;
  fetchLeverageTiers(symbols?: string[]): Promise<Record<string, unknown>>;
  fetchMarkPrices(symbols?: string[]): Promise<Record<string, unknown>>;
  fetchMarginAdjustmentHistory(symbol?: string, type?: string): Promise<unknown[]>;
  fetchMyLiquidations(symbol?: string, since?: number): Promise<unknown[]>;
  fetchOHLCV(symbol: string, timeframe?: string, since?: number, limit?: number): Promise<unknown[]>;
}

/**
 * The exchange behind the read-only guard: a method that is not fetch* or loadMarkets throws before ccxt
 * sees the call; `onCall` hears every method called (the tests list them).
 */
export function readOnly<T extends object>(exchange: T, onCall: (method: string) => void = () => undefined): T {
  return new Proxy(exchange, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof property !== 'string' || typeof value !== 'function') return value;
      // ccxt's own internals call through `this` (the target), not the proxy: only the caller's calls are checked
      return (...args: unknown[]) => {
        if (!isReadOnlyMethod(property)) throw new ReadOnlyRefusal(`perpguard watch is read-only: ${property} is refused`);
        onCall(property);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** Every fapi and sapi URL of ccxt's Binance USDⓈ-M on the venue's base, nothing else changed (as src/server/http/ccxt-test-support.ts). */
export function pointAtVenue(api: Record<string, unknown>, url: string): void {
  const base = url.replace(/\/+$/, '');
  for (const v of ['', 'V2', 'V3']) {
    api[`fapiPublic${v}`] = `${base}/fapi/${v === '' ? 'v1' : v.toLowerCase()}`;
    api[`fapiPrivate${v}`] = `${base}/fapi/${v === '' ? 'v1' : v.toLowerCase()}`;
  }
  api['sapi'] = `${base}/sapi/v1`;
}

/** A ccxt exchange for `id`, its REST base moved to `url` (a Binance-compatible venue such as perpguard serve), unguarded. */
export async function ccxtExchange(id: WatchExchangeId, credentials: Credentials, url: string | undefined): Promise<Record<string, unknown>> {
  const Exchange = ((await loadCcxt()) as unknown as Record<string, new (config: Record<string, unknown>) => Record<string, unknown>>)[id]!;
  const exchange = new Exchange({ ...credentials, enableRateLimit: url === undefined, options: { fetchCurrencies: false, warnOnFetchOpenOrdersWithoutSymbol: false } });
  if (url !== undefined) {
    if (id !== 'binanceusdm') throw new InputError('--url', `points ccxt's Binance USDⓈ-M URLs at a Binance-compatible venue; it cannot be used with ${id}`);
    pointAtVenue((exchange['urls'] as { api: Record<string, unknown> }).api, url);
  }
  return exchange;
}

/** ccxtExchange behind the read-only guard: what watch reads through. */
export async function openExchange(id: WatchExchangeId, credentials: Credentials, url: string | undefined, onCall?: (method: string) => void): Promise<ReadOnlyExchange> {
  return readOnly(await ccxtExchange(id, credentials, url), onCall) as unknown as ReadOnlyExchange;
}

/** One tick's reading of the venue, raw (ccxt's unified structures). */
export interface VenueReading {
  readonly positions: unknown[];
  readonly balance: Record<string, unknown>;
  /** Resting orders of the positions' symbols, trigger orders included. */
  readonly orders: unknown[];
  /** Margin adjustments of the isolated positions' symbols ([] where the venue has no such history). */
  readonly adjustments: unknown[];
  /** fetchLeverageTiers of the positions' symbols (undefined where the venue has none). */
  readonly tiers: Record<string, unknown> | undefined;
  /** The last hourly candles (ccxt OHLCV rows, oldest first, the forming one last) by ccxt symbol; {} where the venue has none. */
  readonly candles: Record<string, unknown[]>;
}

/** Hourly candles read per symbol and tick: 99 is the most Binance serves at its lowest weight (1). */
export const HOURLY_CANDLES = 99;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const open = (p: unknown): boolean => isObject(p) && typeof p['contracts'] === 'number' && p['contracts'] !== 0;

/**
 * Reads the account once. Tiers are fetched for symbols not seen before (`tierCache` keeps them between
 * ticks: a venue changes its brackets rarely, and a stale table is what the divergence warning catches).
 */
export async function readVenue(exchange: ReadOnlyExchange, tierCache: Map<string, unknown>): Promise<VenueReading> {
  const positions = (await exchange.fetchPositions()).filter(open);
  const balance = await exchange.fetchBalance();
  const symbols = [...new Set(positions.map((p) => String((p as Record<string, unknown>)['symbol'])))];
  const missingMark = positions.some((p) => (p as Record<string, unknown>)['markPrice'] == null);
  if (missingMark && exchange.has['fetchMarkPrices']) {
    const marks = await exchange.fetchMarkPrices(symbols);
    for (const p of positions as Record<string, unknown>[]) {
      const m = marks[String(p['symbol'])];
      if (p['markPrice'] == null && isObject(m) && typeof m['markPrice'] === 'number') p['markPrice'] = m['markPrice'];
    }
  }
  const orders: unknown[] = [];
  for (const symbol of symbols) {
    orders.push(...(await exchange.fetchOpenOrders(symbol)));
    // Binance's conditional orders live apart (/fapi/v1/algoOrder): ccxt lists them with { trigger: true }
    if (exchange.id.startsWith('binance') || exchange.id === 'bybit' || exchange.id === 'okx') orders.push(...(await exchange.fetchOpenOrders(symbol, undefined, undefined, { trigger: true })));
  }
  const isolated = [...new Set((positions as Record<string, unknown>[]).filter((p) => p['marginMode'] === 'isolated').map((p) => String(p['symbol'])))];
  const adjustments: unknown[] = [];
  if (exchange.has['fetchMarginAdjustmentHistory']) for (const symbol of isolated) adjustments.push(...(await exchange.fetchMarginAdjustmentHistory(symbol, 'add')));
  const unseen = symbols.filter((s) => !tierCache.has(s));
  // only USDⓈ-M's tiers are read as brackets (by notional, Binance's own strings in `info`): COIN-M's go by
  // coin quantity, OKX's by size and Bybit's as risk limits, which ../io/ccxt-tiers.ts does not read yet;
  // those venues are computed with perpguard's bundled tables
  if (unseen.length > 0 && exchange.id === 'binanceusdm' && exchange.has['fetchLeverageTiers']) {
    const fetched = await exchange.fetchLeverageTiers(unseen);
    for (const s of unseen) if (fetched[s] !== undefined) tierCache.set(s, fetched[s]);
  }
  const tiers = symbols.some((s) => tierCache.has(s)) ? Object.fromEntries(symbols.filter((s) => tierCache.has(s)).map((s) => [s, tierCache.get(s)])) : undefined;
  const candles: Record<string, unknown[]> = {};
  if (exchange.has['fetchOHLCV']) for (const symbol of symbols) candles[symbol] = await exchange.fetchOHLCV(symbol, '1h', undefined, HOURLY_CANDLES);
  return { positions, balance, orders, adjustments, tiers, candles };
}

/** The venue's symbol of a ccxt order or adjustment (its own id in `info`, else from the unified symbol). */
export function venueSymbolOf(row: Record<string, unknown>): string {
  const info = isObject(row['info']) ? row['info'] : {};
  const own = info['symbol'] ?? info['instId'];
  return typeof own === 'string' ? own : exchangeSymbolOf(String(row['symbol']));
}

/**
 * Which of the positions gone since the last tick the venue liquidated: fetchMyLiquidations of each symbol,
 * counting records at or after the position's last update (the venue's own clock, which a paper venue
 * replaying history keeps in the past, so no wall-clock `since` is sent).
 */
export async function liquidatedOf(exchange: ReadOnlyExchange, gone: readonly { symbol: string; lastUpdateMs: number }[]): Promise<string[]> {
  if (!exchange.has['fetchMyLiquidations']) return [];
  const out: string[] = [];
  for (const g of gone) {
    const records = (await exchange.fetchMyLiquidations(g.symbol)) as Record<string, unknown>[];
    if (records.some((r) => typeof r['timestamp'] === 'number' && r['timestamp'] >= g.lastUpdateMs)) out.push(g.symbol);
  }
  return out;
}
