// ccxt's binanceusdm pointed at a perpguard venue, as a user does it: every fapi and sapi URL on the
// venue's base (reference/binance-api-clients.md §1), nothing else changed; no client-side throttle.
import ccxt from 'ccxt';

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
