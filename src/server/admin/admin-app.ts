// The admin API (`perpguard serve --admin-port N`): JSON over HTTP on 127.0.0.1 only, a port of its own.
// Why a loopback port rather than a token on the trading port: nothing to leak, print or rotate; the
// trading port can be exposed (--host 0.0.0.0) without exposing the admin one; whoever can reach it
// already runs code on the machine that holds the database and its key file. ./admin-guard.ts refuses the
// rest (other peers, foreign Host names, web pages).
//
//   GET  /admin/v1/feed            the feed: running or paused, speed, feed time, the marks
//   POST /admin/v1/feed/pause      {}                      the feed time stands still
//   POST /admin/v1/feed/resume     {"speed"?: 60}          runs again from where it stood
//   POST /admin/v1/feed/speed      {"speed": 600}          feed ms per wall ms, 1..10,000 (paused stays paused)
//   POST /admin/v1/feed/step       {"ticks": 10}           the next n marks of the history, whatever the clock
//   POST /admin/v1/marks           {"marks": [{"symbol": "BTCUSDT", "price": "50000"}]}
//   POST /admin/v1/accounts        {"deposit": "10000", "asset"?: "USDT"}   as `perpguard accounts create`
//
// Stepped ticks and pushed marks go through the venue as the feed's own do (Venue.adminEvents): applied to
// the market and every account (resting orders, triggers, liquidations), logged, answered once durable.
// A pushed mark holds until the next mark of the feed: pause the feed to keep it.
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { formatFixed, parseFixed } from '../../domain/fixed.ts';
import { marketOf } from '../../engine/state.ts';
import { InputError } from '../../schema/input-error.ts';
import type { Store } from '../../store/store.ts';
import { VenueStopped, type Venue } from '../venue/venue.ts';
import type { FeedEvent } from '../feed/replay-feed.ts';
import { adminRefusal } from './admin-guard.ts';
import { accountSchema, emptySchema, marksSchema, parseBody, resumeSchema, speedSchema, stepSchema } from './admin-requests.ts';

export interface AdminOptions {
  readonly venue: Venue;
  readonly store: Store;
  /** Wall clock, ms (account creation time). */
  readonly clock: () => number;
  readonly log: (line: string) => void;
}

const BODY_LIMIT_BYTES = 64 * 1024;
/** The only address the admin server listens on. */
export const ADMIN_HOST = '127.0.0.1';

/** What GET /admin/v1/feed answers (and every feed operation after its change). */
export function feedStatus(venue: Venue, wallMs: number) {
  const status = venue.feed.status(wallMs);
  const feedTimeMs = Math.max(status.feedTimeMs, venue.market.time);
  return {
    state: status.paused ? 'paused' : status.finished ? 'finished' : 'running',
    speed: status.speed,
    feedTimeMs,
    feedTime: new Date(feedTimeMs).toISOString(),
    historyEnd: new Date(status.endMs).toISOString(),
    marks: Object.fromEntries(Object.keys(venue.market.marks).sort().map((symbol) => [symbol, formatFixed(venue.market.marks[symbol]!)])),
  };
}

export function buildAdminApp(options: AdminOptions): FastifyInstance {
  const { venue, store, clock, log } = options;
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT_BYTES });
  app.removeAllContentTypeParsers();
  // every body kept as text: the guard judges its type, parseBody its JSON (one line naming the field)
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.addHook('onRequest', async (request, reply) => {
    const length = Number(request.headers['content-length'] ?? 0);
    const refusal = adminRefusal({
      remoteAddress: request.socket.remoteAddress,
      host: request.headers.host,
      origin: request.headers.origin,
      contentType: request.headers['content-type'],
      hasBody: length > 0 || request.headers['transfer-encoding'] !== undefined,
    });
    if (refusal) return reply.code(refusal.status).send({ error: refusal.error });
  });

  const text = (request: FastifyRequest): string | undefined => (typeof request.body === 'string' ? request.body : undefined);
  const status = () => feedStatus(venue, clock());
  /** Runs an admin change on the venue (after the feed caught up), then answers the feed's status. */
  const feedChange = async (make: (nowMs: number, wallMs: number) => readonly FeedEvent[]) => {
    const applied = await venue.adminEvents(make);
    return { applied, ...status() };
  };

  app.get('/admin/v1/feed', async () => status());
  app.post('/admin/v1/feed/pause', async (request) => {
    parseBody(emptySchema, text(request));
    return feedChange((_now, wallMs) => (venue.feed.pause(wallMs), []));
  });
  app.post('/admin/v1/feed/resume', async (request) => {
    const body = parseBody(resumeSchema, text(request));
    return feedChange((_now, wallMs) => (venue.feed.resume(wallMs, body.speed), []));
  });
  app.post('/admin/v1/feed/speed', async (request) => {
    const body = parseBody(speedSchema, text(request));
    return feedChange((_now, wallMs) => (venue.feed.setSpeed(body.speed, wallMs), []));
  });
  app.post('/admin/v1/feed/step', async (request) => {
    const body = parseBody(stepSchema, text(request));
    return feedChange((_now, wallMs) => venue.feed.step(body.ticks, wallMs));
  });
  app.post('/admin/v1/marks', async (request) => {
    const body = parseBody(marksSchema, text(request));
    body.marks.forEach((m, i) => {
      if (!marketOf(venue.market, m.symbol)) throw new InputError(`marks[${i}].symbol`, `${m.symbol} is not a market of this venue`);
    });
    const result = await feedChange((nowMs) => body.marks.map((m) => ({ time: nowMs, command: { op: 'mark', symbol: m.symbol, price: parseFixed(m.price) } })));
    log(`admin: pushed ${body.marks.map((m) => `${m.symbol} ${m.price}`).join(', ')} at ${result.feedTime}`);
    return result;
  });
  app.post('/admin/v1/accounts', async (request, reply) => {
    const body = parseBody(accountSchema, text(request));
    const asset = body.asset ?? 'USDT';
    const created = await store.createAccount({ timeMs: clock(), deposits: [{ asset, amount: body.deposit }] });
    log(`admin: account ${created.accountId} created with ${body.deposit} ${asset}`);
    // the secret is in this answer only, as `perpguard accounts create` prints it once
    return reply.code(201).send({ accountId: created.accountId, apiKey: created.apiKey, secret: created.secret });
  });

  app.setNotFoundHandler((request, reply) => reply.code(404).send({ error: `no admin operation ${request.method} ${(request.raw.url ?? '').split('?')[0]}` }));
  app.setErrorHandler((error: Error & { statusCode?: number }, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof InputError) return reply.code(400).send({ error: error.message });
    if (error instanceof VenueStopped) return reply.code(503).send({ error: 'the venue stopped after a failed log append' });
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return reply.code(error.statusCode).send({ error: error.message });
    log(`admin ${request.method} ${(request.raw.url ?? '').split('?')[0]}: ${error.name}: ${error.message}`);
    return reply.code(500).send({ error: 'internal error (logged)' });
  });
  return app;
}

export interface RunningAdmin {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1:port (0: a free port) until close(); closing leaves the venue to its owner. */
export async function listenAdmin(options: AdminOptions & { readonly port: number }): Promise<RunningAdmin> {
  const app = buildAdminApp(options);
  await app.listen({ host: ADMIN_HOST, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { url: `http://${ADMIN_HOST}:${port}`, port, close: () => app.close() };
}
