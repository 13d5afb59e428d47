// A Binance client for the server's tests that signs exactly as ccxt does (../shared/reference/
// binance-api-clients.md §2): timestamp first, then the parameters, then recvWindow=10000, HMAC-SHA256 hex
// appended as signature; GET and DELETE in the URL query, POST and PUT in an application/x-www-form-urlencoded body.
import { createHmac } from 'node:crypto';

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

export interface SignedClient {
  signed(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, params?: Record<string, string>, options?: { timestamp?: number; secret?: string }): Promise<Reply>;
  get(path: string): Promise<Reply>;
}

export function client(baseUrl: string, apiKey: string, secret: string): SignedClient {
  return {
    async signed(method, path, params = {}, options = {}) {
      const timestamp = options.timestamp ?? Date.now();
      const unsigned = [`timestamp=${timestamp}`, ...Object.entries(params).map(([k, v]) => `${k}=${encodeURIComponent(v)}`), 'recvWindow=10000'].join('&');
      const signature = createHmac('sha256', options.secret ?? secret).update(unsigned).digest('hex');
      const query = `${unsigned}&signature=${signature}`;
      const headers: Record<string, string> = { 'X-MBX-APIKEY': apiKey };
      let response: Response;
      if (method === 'POST' || method === 'PUT') {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        response = await fetch(`${baseUrl}${path}`, { method, headers, body: query });
      } else response = await fetch(`${baseUrl}${path}?${query}`, { method, headers });
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
    async get(path) {
      const response = await fetch(`${baseUrl}${path}`);
      return { status: response.status, body: await response.json(), headers: response.headers };
    },
  };
}
