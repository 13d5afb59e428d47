// Who may use the admin API: only a program on this machine. The admin server listens on 127.0.0.1 only
// (a separate port, never the trading port), and each request is checked again here, because a port on
// loopback is still reachable from a web page in the operator's browser:
//  - the peer address must be loopback (defence in depth if the listener were ever bound wider);
//  - the Host header must name loopback (a DNS-rebinding page reaches 127.0.0.1 under its own host name);
//  - no Origin header (every browser sends one on a cross-origin POST and on fetch; curl, scripts and the
//    CLI do not), so a page cannot drive the venue with a "simple" cross-origin request;
//  - a body, when sent, must be application/json (a browser cannot send that cross-origin without a CORS
//    preflight, which this server never approves).
// Pure: the caller passes what the request carried.

export interface AdminRequestFacts {
  readonly remoteAddress: string | undefined;
  readonly host: string | undefined;
  readonly origin: string | undefined;
  readonly contentType: string | undefined;
  readonly hasBody: boolean;
}

/** A refusal: HTTP status and one line saying why. */
export interface AdminRefusal {
  readonly status: 403 | 415;
  readonly error: string;
}

/** 127.0.0.0/8, ::1, and IPv4 loopback mapped into IPv6. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice(7) : address;
  return address === '::1' || /^127(\.\d{1,3}){3}$/.test(v4);
}

/** A Host header naming loopback: 127.x.x.x, localhost or [::1], with or without a port. */
export function isLoopbackHost(host: string | undefined): boolean {
  if (host === undefined) return false;
  const name = host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '');
  return name === 'localhost' || name === '[::1]' || /^127(\.\d{1,3}){3}$/.test(name);
}

export function adminRefusal(facts: AdminRequestFacts): AdminRefusal | undefined {
  if (!isLoopbackAddress(facts.remoteAddress)) return { status: 403, error: `the admin API answers this machine only (loopback), not ${facts.remoteAddress ?? 'an unknown peer'}` };
  if (!isLoopbackHost(facts.host)) return { status: 403, error: `Host: must name this machine (127.0.0.1, localhost or [::1]), got "${facts.host ?? ''}"` };
  if (facts.origin !== undefined) return { status: 403, error: 'Origin: requests from web pages are refused (the admin API is for programs on this machine)' };
  const type = (facts.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (facts.hasBody && type !== 'application/json') return { status: 415, error: `Content-Type: must be application/json, got "${facts.contentType ?? ''}"` };
  return undefined;
}
