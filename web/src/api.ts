// The venue's own API, signed in the browser exactly as ccxt signs it (timestamp first, recvWindow,
// HMAC-SHA256 hex of the query): the dashboard is one more Binance client of the same server, on the same
// origin, and sees only what that API shows the account.
import type { Credentials } from './credentials.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number | undefined,
    message: string,
    /** perpguard's own reason (the X-Perpguard-Detail header), when the venue gave one. */
    readonly detail: string | undefined,
  ) {
    super(message);
  }
}

const encoder = new TextEncoder();
const keys = new Map<string, Promise<CryptoKey>>();

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = keys.get(secret);
  if (!key) keys.set(secret, (key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])));
  return key;
}

async function hex(secret: string, text: string): Promise<string> {
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(text)));
  return Array.from(signature, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** A signed request; resolves with the JSON body, or rejects with the server's code and message. */
export async function signed<T>(credentials: Credentials, method: 'GET' | 'POST' | 'DELETE', path: string, params: Record<string, string | undefined> = {}): Promise<T> {
  const query = [`timestamp=${Date.now()}`, ...Object.entries(params).flatMap(([k, v]) => (v === undefined || v === '' ? [] : [`${k}=${encodeURIComponent(v)}`])), 'recvWindow=10000'].join('&');
  const body = `${query}&signature=${await hex(credentials.secret, query)}`;
  const headers: Record<string, string> = { 'X-MBX-APIKEY': credentials.apiKey };
  let response: Response;
  if (method === 'POST') response = await fetch(path, { method, headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  else response = await fetch(`${path}?${body}`, { method, headers });
  const json = (await response.json().catch(() => ({}))) as { code?: number; msg?: string };
  if (!response.ok) throw new ApiError(response.status, json.code, json.msg ?? `HTTP ${response.status}`, response.headers.get('X-Perpguard-Detail') ?? undefined);
  return json as T;
}

/** POST or PUT /fapi/v1/listenKey: the API key only, no signature (Binance's USER_STREAM security). */
export async function listenKey(credentials: Credentials, method: 'POST' | 'PUT'): Promise<string> {
  const response = await fetch('/fapi/v1/listenKey', { method, headers: { 'X-MBX-APIKEY': credentials.apiKey } });
  const json = (await response.json().catch(() => ({}))) as { listenKey?: string; code?: number; msg?: string };
  if (!response.ok || json.listenKey === undefined) throw new ApiError(response.status, json.code, json.msg ?? `HTTP ${response.status}`, response.headers.get('X-Perpguard-Detail') ?? undefined);
  return json.listenKey;
}
