// The parts of watch.test.ts: perpguard's paper venue in-process on a clock the test steps (the bundled
// 2024-08-04/05 crash replayed a quarter hour per watch tick), the trader's own ccxt binanceusdm opening the
// account watch reads, a recording HTTP proxy in front of the venue (every request watch makes, by method),
// and a webhook receiver.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ccxtVenue, type Exchange } from '../server/http/ccxt-test-support.ts';
import type { Venue } from '../server/venue/venue.ts';
import type { RunningServer } from '../server/http/app.ts';

export const CRASH_START_MS = Date.UTC(2024, 7, 4, 12);
export const QUARTER_HOUR_MS = 15 * 60_000;
export const ETH = 'ETH/USDT:USDT';
export const BTC = 'BTC/USDT:USDT';

export interface CrashVenue {
  readonly venue: Venue;
  readonly server: RunningServer;
  readonly trader: Exchange;
  readonly credentials: { apiKey: string; secret: string };
  /** Moves the venue's clock by `ms` and applies the feed's marks due by then (triggers, liquidations). */
  step(ms: number): void;
}

/**
 * The account of the crash test, opened at 2024-08-04 12:00 (ETH 2,914.22, BTC 60,896):
 *   - ETH long 6.8 isolated at 12x (isolated liquidation ~2,682) with a reduce-only stop at 2,840 for half
 *     of it: a scale-out that leaves the rest unprotected once it fires;
 *   - BTC long 0.01 in cross at 20x with a reduce-only stop at 40,000 (the cross wallet keeps it far from
 *     liquidation: the blast radius and domino have a cross book to show).
 */
export async function crashVenue(folder: string): Promise<CrashVenue> {
  let now = Date.now();
  const { venue, server, exchange, credentials } = await ccxtVenue(folder, () => now, CRASH_START_MS);
  await exchange.setMarginMode('isolated', ETH);
  await exchange.setLeverage(12, ETH);
  await exchange.createOrder(ETH, 'market', 'buy', 6.8);
  await exchange.setLeverage(20, BTC);
  await exchange.createOrder(BTC, 'market', 'buy', 0.01);
  await exchange.createOrder(ETH, 'market', 'sell', 3.4, undefined, { stopLossPrice: 2840, reduceOnly: true });
  await exchange.createOrder(BTC, 'market', 'sell', 0.01, undefined, { stopLossPrice: 40000, reduceOnly: true });
  return {
    venue,
    server,
    trader: exchange,
    credentials,
    step(ms) {
      now += ms;
      venue.tick();
    },
  };
}

/** A proxy to `target` that records "METHOD /path" of every request, for the read-only check. */
export async function recordingProxy(target: string): Promise<{ url: string; requests: string[]; close(): Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((req, res) => {
    requests.push(`${req.method} ${(req.url ?? '').split('?')[0]}`);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === 'string' && k !== 'host' && k !== 'connection') headers[k] = v;
      const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
      fetch(`${target}${req.url}`, { method: req.method!, headers, ...(body && req.method !== 'GET' ? { body } : {}) })
        .then(async (answer) => {
          const text = Buffer.from(await answer.arrayBuffer());
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        })
        .catch(() => {
          res.writeHead(502);
          res.end();
        });
    });
  });
  return listening(server, (url) => ({ url, requests, close: () => closed(server) }));
}

/** A webhook receiver: the JSON bodies POSTed to it, in order. */
export async function webhookReceiver(): Promise<{ url: string; bodies: string[]; close(): Promise<void> }> {
  const bodies: string[] = [];
  const server = createServer((req, res) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString('utf8')));
    req.on('end', () => {
      bodies.push(text);
      res.writeHead(204);
      res.end();
    });
  });
  return listening(server, (url) => ({ url, bodies, close: () => closed(server) }));
}

function listening<T>(server: Server, make: (url: string) => T): Promise<T> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(make(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))));
}

function closed(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}
