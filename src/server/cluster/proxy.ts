// A request for an account another node owns is answered by that node: forwarded as received (method, path
// and raw query, the raw body, X-MBX-APIKEY and Content-Type), so the client's HMAC signature, computed over
// those exact bytes, verifies there. A redirect would not do: ccxt does not sign again on a 307, and a
// client's POST body is not resent by every HTTP library. The owner's answer (status, Binance's JSON, the
// weight and detail headers) goes back unchanged.
import type { FastifyRequest } from 'fastify';

/** Header counting how many nodes forwarded the request (a loop between nodes whose leases changed stops). */
export const FORWARDED_HEADER = 'x-perpguard-forwarded';
export const MAX_FORWARDS = 2;
/** The owner must answer within this (ccxt's own timeout is 10 s). */
const FORWARD_TIMEOUT_MS = 8_000;
const PASSED_BACK = ['content-type', 'x-mbx-used-weight-1m', 'x-perpguard-detail', 'retry-after'];

export interface ForwardedReply {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** How many nodes forwarded this request already. */
export function forwardsOf(request: FastifyRequest): number {
  const value = Number(request.headers[FORWARDED_HEADER]);
  return Number.isSafeInteger(value) && value > 0 ? value : 0;
}

/**
 * Binance's answer when the execution status is unknown (-1007): the owner took the request and never
 * answered. It is not sent again elsewhere: the owner may have logged the order before it died.
 */
export const UNKNOWN_OUTCOME: ForwardedReply = {
  status: 503,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-perpguard-detail': 'the node that owns this account did not answer' },
  body: JSON.stringify({ code: -1007, msg: 'Timeout waiting for response from backend server. Send status unknown; execution status unknown.' }),
};

/** The connection to the owner was refused: the request never reached it. */
function refused(caught: unknown): boolean {
  const cause = (caught as { cause?: { code?: unknown } }).cause;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * The owner's answer; 'refused' when it could not be reached at all (it died: its lease will expire, and
 * the request can go to the next owner); UNKNOWN_OUTCOME when it took the request and did not answer.
 */
export async function forward(ownerUrl: string, request: FastifyRequest, rawBody: string): Promise<ForwardedReply | 'refused'> {
  const headers: Record<string, string> = { [FORWARDED_HEADER]: String(forwardsOf(request) + 1) };
  for (const name of ['x-mbx-apikey', 'content-type']) {
    const value = request.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let response: Response;
  try {
    response = await fetch(`${ownerUrl}${request.raw.url ?? '/'}`, { method: request.method, headers, ...(hasBody ? { body: rawBody } : {}), signal: AbortSignal.timeout(FORWARD_TIMEOUT_MS) });
  } catch (caught) {
    return refused(caught) ? 'refused' : UNKNOWN_OUTCOME;
  }
  const passed: Record<string, string> = {};
  for (const name of PASSED_BACK) {
    const value = response.headers.get(name);
    if (value !== null) passed[name] = value;
  }
  try {
    return { status: response.status, headers: passed, body: await response.text() };
  } catch {
    return UNKNOWN_OUTCOME;
  }
}
