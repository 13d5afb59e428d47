// WebSocket on the HTTP API's own port: the `ws` package in noServer mode on the HTTP server's 'upgrade'
// event. The request path is read by ../streams/routes.ts (routeOf: the paths ccxt.pro and the `binance`
// package open); a path the venue does not serve, a stream name it does not have, or a listenKey that is
// not valid now is refused before the upgrade with an HTTP status and a Binance-style JSON body, so a
// client sees why instead of a socket that never speaks.
import { STATUS_CODES, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { LISTEN_KEY_MISSING } from '../streams/listen-keys.ts';
import { routeOf } from '../streams/routes.ts';
import { StreamSubscriptions } from '../streams/subscriptions.ts';
import type { AccountFigures } from './account-figures.ts';
import type { StreamHub } from './stream-hub.ts';
import { StreamSocket, type UserBinding } from './stream-socket.ts';

/** The largest incoming frame: a SUBSCRIBE of 1,024 stream names fits (~40 KB). */
const MAX_INCOMING_FRAME_BYTES = 64 << 10;
/** Binance pings every 3 minutes and drops a connection that has not answered by the next ping. */
const PING_INTERVAL_MS = 180_000;

function refuse(socket: Duplex, status: number, body: object, detail: string): void {
  const text = JSON.stringify(body);
  // the detail may quote the client's path: printable ASCII only in a header
  const safe = detail.replace(/[^\x20-\x7e]/g, '?').slice(0, 500);
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n` +
      `X-Perpguard-Detail: ${safe}\r\nConnection: close\r\n\r\n${text}`,
  );
}

/** How long a closing server waits for clients to answer the close handshake before cutting them off. */
const CLOSE_GRACE_MS = 1000;

/**
 * Serves the hub's streams on `server`'s upgrades; returns the stop, which resolves once every connection
 * is gone (an upgraded socket keeps the HTTP server's close waiting).
 */
export function serveStreams(server: Server, hub: StreamHub, figures: AccountFigures, clock: () => number): () => Promise<void> {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_INCOMING_FRAME_BYTES, perMessageDeflate: false });
  const alive = new WeakSet<object>();
  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, PING_INTERVAL_MS);
  pinger.unref();

  const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const routed = routeOf(request.url ?? '/');
    // no stream there: an empty body, as the REST API's 404; a malformed request: the streams' own error 2
    if ('status' in routed) return refuse(socket, routed.status, routed.status === 404 ? {} : { code: 2, msg: `Invalid request: ${routed.reason}` }, routed.reason);
    const { route } = routed;
    let user: UserBinding | undefined;
    if (route.listenKey !== undefined) {
      const account = hub.keys.accountOf(route.listenKey, clock());
      if (account === undefined) return refuse(socket, 400, LISTEN_KEY_MISSING, 'listenKey: unknown or expired (POST /fapi/v1/listenKey gives one)');
      // the dashboard's socket hears no user stream event: its frames are the account's figures
      const events = route.category === 'perpguard' ? [] : route.events;
      user = { listenKey: route.listenKey, account, combined: route.combined, ...(events ? { events } : {}) };
    }
    const subscriptions = new StreamSubscriptions(hub.knownSymbol, route.combined);
    const problem = subscriptions.open(route.streams);
    if (problem) return refuse(socket, 400, { code: 2, msg: `Invalid request: ${problem.problem}` }, problem.problem);
    wss.handleUpgrade(request, socket, head, (ws) => {
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      ws.on('error', () => ws.terminate());
      const stream = new StreamSocket(ws, subscriptions, user);
      ws.on('message', (data, isBinary) => stream.receive(isBinary ? '' : data.toString('utf8'), clock()));
      hub.add(stream);
      if (route.category === 'perpguard') figures.add(stream, user!.account);
    });
  };
  server.on('upgrade', onUpgrade);
  return async () => {
    clearInterval(pinger);
    server.off('upgrade', onUpgrade);
    hub.close();
    figures.close();
    const closing = [...wss.clients].map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))));
    const grace = new Promise<void>((resolve) => setTimeout(resolve, CLOSE_GRACE_MS).unref());
    await Promise.race([Promise.all(closing), grace]);
    for (const ws of wss.clients) ws.terminate();
    wss.close();
  };
}
