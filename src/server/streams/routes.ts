// Which stream a WebSocket request path opens, for the paths real clients connect to
// (../shared/reference/binance-api-clients.md §4): ccxt.pro rewrites its `…/ws` URL to /private/ws?listenKey=…
// (user data, pushed without a SUBSCRIBE), /public/ws/<n> and /market/ws/<n> (<n> its connection index;
// streams come by SUBSCRIBE); the `binance` package opens /private/stream?listenKey=…, /public/stream and
// /market/stream (combined envelopes). Binance's older forms stay: /ws, /ws/<stream>, /ws/<listenKey>,
// /stream?streams=a/b (a listenKey among them is the user stream). Binance routes high-frequency streams
// (bookTicker, depth) to /public and the others to /market; the venue serves every stream it has on
// either (a client pointed at the wrong one still gets data), and says which path it was in `category`.
// /perpguard/ws?listenKey=… is the venue's own: the dashboard's live account figures (../ws/account-figures.ts).
// Pure: the path in, the route out.

export interface StreamRoute {
  readonly category: 'public' | 'market' | 'private' | 'legacy' | 'perpguard';
  /** Payloads in the {"stream", "data"} envelope (the /stream paths) or bare (the /ws paths). */
  readonly combined: boolean;
  /** Market streams named in the URL (subscribed at once). */
  readonly streams: readonly string[];
  /** The user data stream's key, when the path opens one. */
  readonly listenKey?: string;
  /** /private/…&events=A/B: only these user event types are sent (Binance's filter); all when absent. */
  readonly events?: readonly string[];
}

export type RouteResult = { readonly route: StreamRoute } | { readonly status: 400 | 404; readonly reason: string };

/** A path segment that names a market stream ("btcusdt@markPrice", "!bookTicker"); anything else is a listenKey. */
const isStreamName = (token: string): boolean => token.includes('@') || token.startsWith('!');
const LISTEN_KEY = /^[A-Za-z0-9]{1,128}$/;

/** The route of a request path with its query ("/private/ws?listenKey=abc"). */
export function routeOf(pathWithQuery: string): RouteResult {
  let url: URL;
  try {
    url = new URL(pathWithQuery, 'ws://venue.invalid');
  } catch {
    return { status: 400, reason: `not a request path: ${JSON.stringify(pathWithQuery)}` };
  }
  const parts = url.pathname.split('/').filter((p) => p.length > 0).map(decodeURIComponent);
  const [head, kind, ...rest] = parts[0] === 'ws' || parts[0] === 'stream' ? ['', ...parts] : parts;
  const streamsParam = url.searchParams.get('streams');
  const listed = streamsParam ? streamsParam.split('/').filter((s) => s.length > 0) : [];
  const combined = kind === 'stream';
  if (kind !== 'ws' && kind !== 'stream') return { status: 404, reason: `no stream at ${url.pathname} (the venue serves /ws, /stream, /public/…, /market/…, /private/…)` };

  if (head === 'private') {
    const listenKey = url.searchParams.get('listenKey') ?? (kind === 'ws' && rest.length === 1 ? rest[0] : undefined);
    if (!listenKey) return { status: 400, reason: `${url.pathname}: listenKey is required (…?listenKey=<key> from POST /fapi/v1/listenKey)` };
    if (!LISTEN_KEY.test(listenKey)) return { status: 400, reason: 'listenKey: must be letters and digits' };
    const eventsParam = url.searchParams.get('events');
    const events = eventsParam ? eventsParam.split('/').filter((e) => e.length > 0) : undefined;
    return { route: { category: 'private', combined, streams: [], listenKey, ...(events ? { events } : {}) } };
  }
  if (head === 'perpguard') {
    const listenKey = url.searchParams.get('listenKey');
    if (kind !== 'ws' || rest.length > 0) return { status: 404, reason: `no stream at ${url.pathname} (the dashboard's is /perpguard/ws?listenKey=<key>)` };
    if (!listenKey) return { status: 400, reason: `${url.pathname}: listenKey is required (…?listenKey=<key> from POST /fapi/v1/listenKey)` };
    if (!LISTEN_KEY.test(listenKey)) return { status: 400, reason: 'listenKey: must be letters and digits' };
    return { route: { category: 'perpguard', combined: false, streams: [], listenKey } };
  }
  if (head === 'public' || head === 'market') {
    // /public/ws/<n>: ccxt's connection index, not a stream; /public/ws/<stream> names one
    const named = rest.filter((r) => !/^\d+$/.test(r));
    if (named.some((r) => !isStreamName(r))) return { status: 404, reason: `${url.pathname}: ${named.find((r) => !isStreamName(r))} is not a stream name` };
    return { route: { category: head, combined, streams: [...named, ...listed] } };
  }
  if (head !== '') return { status: 404, reason: `no stream at ${url.pathname}` };
  // legacy: /ws/<stream or listenKey>[/...], /stream?streams=a/b[/<listenKey>]
  const tokens = [...rest, ...listed];
  const keys = tokens.filter((t) => !isStreamName(t));
  if (keys.length > 1) return { status: 400, reason: 'one listenKey per connection' };
  if (keys.length === 1 && !LISTEN_KEY.test(keys[0]!)) return { status: 400, reason: `${JSON.stringify(keys[0])} is neither a stream name nor a listenKey` };
  return { route: { category: 'legacy', combined, streams: tokens.filter(isStreamName), ...(keys.length === 1 ? { listenKey: keys[0]! } : {}) } };
}
