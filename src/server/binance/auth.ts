// Authentication as Binance does it (developers.binance.com/docs/derivatives/usds-margined-futures/
// general-info, "Endpoint Security Type", "SIGNED Endpoint Security", "Timing Security"):
//  - the API key comes in the X-MBX-APIKEY header;
//  - SIGNED endpoints (TRADE, USER_DATA) carry `signature` = hex HMAC-SHA256(secretKey, totalParams),
//    where totalParams is the query string concatenated with the request body (no "&" between them:
//    the docs' Example 3);
//  - they carry `timestamp` (ms), accepted when timestamp < serverTime + 1000 and
//    serverTime - timestamp <= recvWindow (default 5000);
//  - USER_STREAM endpoints (listenKey) need the key only.
// The HMAC runs over the RAW bytes received, never over re-encoded parameters: ccxt sends batchOrders'
// JSON without percent-encoding it, and any re-encoding would change what was signed
// (../shared/reference/binance-api-clients.md §2, verified against ccxt, the `binance` package and
// Binance's connector). The signature parameter is cut out of whichever part it came in.
// Pure: the caller passes the server time and the key lookup; the secret never leaves this module's
// HMAC call and is never put in an error or a detail.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { binanceError, isBinanceError, type BinanceError } from './errors.ts';
import { mergeParams, type ParamMap } from './params.ts';

/** Binance's security types that decide what a request must carry. */
export type Security = 'NONE' | 'USER_STREAM' | 'SIGNED';

/** What the key store answers for a known key: the account it trades and its secret (decrypted). */
export interface KeyRecord {
  readonly account: string;
  readonly secret: string;
}

/** The key store as authentication sees it (the store layer implements it over encrypted secrets). */
export type KeyLookup = (apiKey: string) => KeyRecord | undefined;

/** One request as received: the raw query string (without "?") and the raw body, as text. */
export interface RawRequest {
  /** The X-MBX-APIKEY header, if sent. */
  readonly apiKey: string | undefined;
  readonly rawQuery: string;
  readonly rawBody: string;
}

export type AuthResult =
  | { readonly ok: true; readonly account: string | undefined; readonly params: ParamMap }
  | { readonly ok: false; readonly error: BinanceError };

/** Binance's default and largest recvWindow (ms). */
export const DEFAULT_RECV_WINDOW_MS = 5000;
export const MAX_RECV_WINDOW_MS = 60_000;
/** How far ahead of the server a timestamp may be: "timestamp < serverTime + 1000". */
export const MAX_AHEAD_MS = 1000;

// Binance's keys are 64 letters and digits; "-" and "_" are allowed too so that a store issuing
// base64url keys works unchanged. Anything else is malformed before any lookup.
const API_KEY = /^[A-Za-z0-9_-]{1,128}$/;
const SIGNATURE_PARAM = /^signature=/;

/** hex HMAC-SHA256(secret, payload), as a client computes the signature. */
export function signatureOf(secret: string, payload: string): string {
  return createHmac('sha256', secret).update(payload, 'utf8').digest('hex');
}

/**
 * One raw form part with its `signature=...` segment cut out (the segments around it keep their exact
 * bytes), the signature's value, and how many signature segments it held.
 */
function withoutSignature(raw: string): { rest: string; signature: string | undefined; count: number } {
  if (raw === '') return { rest: raw, signature: undefined, count: 0 };
  const kept: string[] = [];
  let signature: string | undefined;
  let count = 0;
  for (const segment of raw.split('&')) {
    if (SIGNATURE_PARAM.test(segment)) {
      count += 1;
      signature = segment.slice('signature='.length);
    } else kept.push(segment);
  }
  return { rest: kept.join('&'), signature, count };
}

/**
 * Authenticates a request for an endpoint of the given security type at `serverTimeMs`. NONE needs
 * nothing (a key, if sent, is not checked: the `binance` package sends it on public calls too);
 * USER_STREAM needs a known key; SIGNED needs a known key, a valid signature and a fresh timestamp.
 * Returns the account and the merged parameters (query over body, params.ts), or the Binance error.
 */
export function authenticate(
  request: RawRequest,
  security: Security,
  lookup: KeyLookup,
  serverTimeMs: number,
  // the caller's own mergeParams of this request's query and body, when it already made it (the server
  // charges the weight from it): parsing a request twice was a twentieth of an order's server time
  merged: ParamMap | BinanceError = mergeParams(request.rawQuery, request.rawBody),
): AuthResult {
  if (isBinanceError(merged)) return { ok: false, error: merged };
  if (security === 'NONE') return { ok: true, account: undefined, params: merged };

  const apiKey = request.apiKey?.trim();
  if (apiKey === undefined || apiKey === '') return { ok: false, error: binanceError('BAD_API_KEY_FORMAT', [], 'X-MBX-APIKEY: the header is missing') };
  if (!API_KEY.test(apiKey)) return { ok: false, error: binanceError('BAD_API_KEY_FORMAT', [], 'X-MBX-APIKEY: must be letters, digits, "-" or "_"') };
  const key = lookup(apiKey);
  if (!key) return { ok: false, error: binanceError('REJECTED_API_KEY', [], 'X-MBX-APIKEY: no account has this key') };
  if (security === 'USER_STREAM') return { ok: true, account: key.account, params: merged };

  const signed = signatureCheck(request, key.secret);
  if (signed) return { ok: false, error: signed };
  const timing = timingCheck(merged, serverTimeMs);
  if (timing) return { ok: false, error: timing };
  return { ok: true, account: key.account, params: merged };
}

/**
 * The signature check: exactly one `signature` (query or body), 64 hex digits (any case: "the signature
 * is not case sensitive"), equal in constant time to the HMAC of totalParams without it. The signature
 * is checked before the timestamp so that an unsigned request learns nothing about the window.
 */
function signatureCheck(request: RawRequest, secret: string): BinanceError | undefined {
  const query = withoutSignature(request.rawQuery);
  const body = withoutSignature(request.rawBody);
  const count = query.count + body.count;
  if (count === 0) return binanceError('MANDATORY_PARAM', ['signature'], 'signature: is required on this endpoint');
  if (count > 1) return binanceError('DUPLICATE_PARAMETER', [], 'signature: sent more than once');
  const sent = (query.signature ?? body.signature)!;
  if (!/^[0-9a-fA-F]{64}$/.test(sent)) return binanceError('INVALID_SIGNATURE', [], 'signature: must be 64 hex digits (HMAC-SHA256)');
  const expected = Buffer.from(signatureOf(secret, query.rest + body.rest), 'hex');
  const given = Buffer.from(sent, 'hex');
  // both are 32 bytes here (64 hex digits checked above): timingSafeEqual needs equal lengths
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
    return binanceError('INVALID_SIGNATURE', [], 'signature: not the HMAC-SHA256 of the query string and body with this key');
  }
  return undefined;
}

/** `timestamp` required; `recvWindow` 1..60000 (default 5000); Binance's window rule. */
function timingCheck(params: ParamMap, serverTimeMs: number): BinanceError | undefined {
  const timestampText = params.get('timestamp');
  if (timestampText === undefined || timestampText === '') return binanceError('MANDATORY_PARAM', ['timestamp'], 'timestamp: is required on this endpoint');
  if (!/^[0-9]{1,16}$/.test(timestampText)) return binanceError('ILLEGAL_CHARS', ['timestamp', '^[0-9]{1,20}$'], `timestamp: must be ms since 1970, got "${timestampText}"`);
  const timestamp = Number(timestampText);
  const windowText = params.get('recvWindow');
  let recvWindow = DEFAULT_RECV_WINDOW_MS;
  if (windowText !== undefined) {
    if (!/^[0-9]{1,6}$/.test(windowText) || Number(windowText) === 0 || Number(windowText) > MAX_RECV_WINDOW_MS) {
      return binanceError('INVALID_PARAMETER', ['recvWindow'], `recvWindow: must be 1 to ${MAX_RECV_WINDOW_MS} ms, got "${windowText}"`);
    }
    recvWindow = Number(windowText);
  }
  if (!(timestamp < serverTimeMs + MAX_AHEAD_MS)) {
    return binanceError('INVALID_TIMESTAMP_AHEAD', [], `timestamp: ${timestamp} is ${timestamp - serverTimeMs} ms ahead of the server's ${serverTimeMs}`);
  }
  if (serverTimeMs - timestamp > recvWindow) {
    return binanceError('INVALID_TIMESTAMP_WINDOW', [], `timestamp: ${timestamp} is ${serverTimeMs - timestamp} ms before the server's ${serverTimeMs}, beyond recvWindow ${recvWindow}`);
  }
  return undefined;
}
