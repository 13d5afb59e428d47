// ccxt's binanceusdm pointed at a perpguard venue, as a user does it: every fapi and sapi URL on the
// venue's base (reference/binance-api-clients.md §1), nothing else changed; no client-side throttle.
import { join } from 'node:path';
import ccxt from 'ccxt';
import { openStore } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';

export type Exchange = InstanceType<typeof ccxt.binanceusdm>;

export function ccxtOn(base: string, credentials: { apiKey: string; secret: string }, options: Record<string, unknown> = {}): Exchange {
  const exchange = new ccxt.binanceusdm({ ...credentials, enableRateLimit: false, options: { fetchCurrencies: false, ...options } });
  const api = exchange.urls['api'] as Record<string, string>;
  for (const v of ['', 'V2', 'V3']) {
    api[`fapiPublic${v}`] = `${base}/fapi/${v === '' ? 'v1' : v.toLowerCase()}`;
    api[`fapiPrivate${v}`] = `${base}/fapi/${v === '' ? 'v1' : v.toLowerCase()}`;
  }
  api['sapi'] = `${base}/sapi/v1`;
  return exchange;
}

/**
 * A venue on a fresh SQLite file in `folder` (feed: the bundled history from `feedStartMs` at x1 on the
 * venue's clock `clock`; the server checks signatures on the wall clock), one account with 10,000 USDT, and
 * ccxt on it with its markets loaded.
 */
export async function ccxtVenue(folder: string, clock: () => number, feedStartMs: number): Promise<{ venue: Venue; server: RunningServer; exchange: Exchange; credentials: { apiKey: string; secret: string } }> {
  const store = await openStore({ location: { kind: 'sqlite', path: join(folder, 'venue.db') }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
  const credentials = await store.createAccount({ timeMs: 0, deposits: [{ asset: 'USDT', amount: '10000' }] });
  const venue = await Venue.open({
    store,
    clock,
    onFatal: (e) => {
      throw new Error(`the venue stopped: ${String(e)}`);
    },
    feed: (logTimeMs, wall) => defaultFeed({ speed: 1, fromMs: feedStartMs, logTimeMs }, wall),
  });
  venue.tick();
  const server = await listen({ venue, clock: Date.now, log: () => undefined, host: '127.0.0.1', port: 0 });
  const exchange = ccxtOn(server.url, credentials);
  await exchange.loadMarkets();
  return { venue, server, exchange, credentials };
}
