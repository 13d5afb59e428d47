// The HTTP face of the venue (fastify 5): one generic handler for every Binance route. It reads the raw
// query (from the URL as received) and the raw body (every content type kept as its text: the HMAC is over
// the bytes the client sent, and the official connector posts an empty application/json body), charges the
// request's weight (X-MBX-USED-WEIGHT-1M; 429 with Retry-After), authenticates against the wall clock,
// runs the route and answers Binance's JSON with Binance's HTTP status. perpguard's reason for a refusal
// goes in the X-Perpguard-Detail header, never in `msg` (ccxt matches some messages exactly). A failure
// inside is 500 {-1000}, logged as one line without parameters (they carry signatures, never secrets).
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { authenticate } from '../binance/auth.ts';
import { binanceError, errorBody, isBinanceError, type BinanceError } from '../binance/errors.ts';
import { mergeParams } from '../binance/params.ts';
import { WeightCounter, weightOf } from '../binance/weights.ts';
import type { WebAssets } from '../../io/web-bundle.ts';
import type { Venue } from '../venue/venue.ts';
import { listenKeyRoutes } from '../ws/listen-key-routes.ts';
import { StreamHub, type StreamHubOptions } from '../ws/stream-hub.ts';
import { serveStreams } from '../ws/upgrade.ts';
import { AccountFigures } from '../ws/account-figures.ts';
import type { Route } from './route.ts';
import { dashboardRoutes } from './dashboard-routes.ts';
import { AnalysisPool } from '../analysis/analysis-pool.ts';
import { ROUTES } from './routes.ts';

export interface HttpOptions {
  readonly venue: Venue;
  /** Wall clock, ms: Binance's serverTime and the timestamp check. */
  readonly clock: () => number;
  readonly log: (line: string) => void;
  readonly weights?: WeightCounter;
  /** The WebSocket streams' listenKey validity and expiry check, and the dashboard's figures' pace (tests shorten them). */
  readonly streams?: Pick<StreamHubOptions, 'listenKeyValidityMs' | 'expiryCheckMs'> & { readonly figuresEveryMs?: number };
  /**
   * A PostgreSQL cluster node (../cluster/member.ts): for a request naming an API key, the answer of the node
   * that owns the account, or undefined to serve it here.
   */
  readonly route?: (apiKey: string, request: FastifyRequest, rawBody: string) => Promise<{ status: number; headers: Record<string, string>; body: string } | undefined>;
  /** The dashboard's files, served at / (absent: the API alone). */
  readonly dashboard?: WebAssets;
}

/** A route this venue serves that Binance's weight table does not list (the sapi stubs) weighs 1. */
const UNLISTED_WEIGHT = 1;
const API_KEY_FORM = /^[A-Za-z0-9_-]{1,128}$/;
/** The content type fastify gives a body it serializes itself (a `json` answer is sent with it: the same bytes). */
const JSON_TYPE = 'application/json; charset=utf-8';

/** A header value: printable ASCII only (a detail quoting a client's value could hold anything). */
const headerSafe = (text: string): string => text.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);

function sendError(reply: FastifyReply, error: BinanceError): FastifyReply {
  if (error.detail !== undefined) reply.header('X-Perpguard-Detail', headerSafe(error.detail));
  if (error.retryAfterSeconds !== undefined) reply.header('Retry-After', String(error.retryAfterSeconds));
  return reply.code(error.status).send(errorBody(error));
}

export function buildApp(options: HttpOptions): FastifyInstance {
  const { venue, clock, log } = options;
  const weights = options.weights ?? new WeightCounter();
  const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const handle = (route: Route) => async (request: FastifyRequest, reply: FastifyReply) => {
    const wallMs = clock();
    const url = request.raw.url ?? '';
    const at = url.indexOf('?');
    const rawQuery = at < 0 ? '' : url.slice(at + 1);
    const rawBody = typeof request.body === 'string' ? request.body : '';
    const merged = mergeParams(rawQuery, rawBody);
    const weight = weightOf(route.method, route.path, isBinanceError(merged) ? new Map() : merged) ?? UNLISTED_WEIGHT;
    const charged = weights.charge(request.ip, weight, wallMs);
    reply.header('X-MBX-USED-WEIGHT-1M', String(charged.usedWeight1m));
    if (charged.error) return sendError(reply, charged.error);

    const header = request.headers['x-mbx-apikey'];
    const apiKey = typeof header === 'string' ? header : undefined;
    if (options.route && route.security !== 'NONE' && apiKey !== undefined && API_KEY_FORM.test(apiKey.trim())) {
      const owners = await options.route(apiKey.trim(), request, rawBody);
      if (owners) return reply.code(owners.status).headers(owners.headers).send(owners.body);
    }
    // the lookup authentication calls is synchronous: fill the key cache first (and load the account)
    if (route.security !== 'NONE' && apiKey !== undefined && API_KEY_FORM.test(apiKey.trim())) {
      const known = venue.knowKey(apiKey.trim());
      if (known !== true) await known;
    }
    const auth = authenticate({ apiKey, rawQuery, rawBody }, route.security, venue.lookup, wallMs, merged);
    if (!auth.ok) return sendError(reply, auth.error);
    const account = auth.account ?? '';
    const state = route.security === 'NONE' ? venue.market : venue.state(account)!;
    const answer = await route.handle({ venue, params: auth.params, account, state, wallMs, analysis });
    if ('json' in answer) return reply.code(200).header('content-type', JSON_TYPE).send(answer.json);
    if ('body' in answer) return reply.code(200).send(answer.body);
    return sendError(reply, answer);
  };

  // the dashboard's study, Monte Carlo and advice run on a worker thread, stopped with the server
  const analysis = new AnalysisPool();
  app.addHook('onClose', () => analysis.close());
  // the WebSocket streams share the port: listenKey routes beside the REST ones, upgrades on the same server
  const { figuresEveryMs, ...hubOptions } = options.streams ?? {};
  const hub = new StreamHub({ venue, clock, log, ...hubOptions });
  const figures = new AccountFigures({ venue, log, ...(figuresEveryMs !== undefined ? { everyMs: figuresEveryMs } : {}) });
  const stopStreams = serveStreams(app.server, hub, figures, clock);
  // before the HTTP server's close, which would wait for the upgraded sockets
  app.addHook('preClose', stopStreams);
  for (const route of [...ROUTES, ...listenKeyRoutes(hub)]) app.route({ method: route.method, url: route.path, handler: handle(route) });
  if (options.dashboard) dashboardRoutes(app, options.dashboard);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({}));
  app.setErrorHandler((error: Error & { statusCode?: number }, request, reply) => {
    const path = (request.raw.url ?? '').split('?')[0];
    log(`${request.method} ${path}: ${error.name}: ${error.message}`);
    // fastify's own refusals of a malformed request (a body too large...) keep their 4xx status
    const status = error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
    return sendError(reply, { ...binanceError('UNKNOWN'), status });
  });
  return app;
}

export interface RunningServer {
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, then closes the venue (waits for its appends, snapshots, closes the store). */
  close(): Promise<void>;
}

/** Listens on host:port (0: a free port) until close(). */
export async function listen(options: HttpOptions & { readonly host: string; readonly port: number }): Promise<RunningServer> {
  const app = buildApp(options);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await options.venue.close();
      })()),
  };
}
