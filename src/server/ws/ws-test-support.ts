// The streams' tests share this: a venue over a real store whose feed replays Black Thursday
// (Binance BTCUSDT perpetual 1 m, 2020-03-12 22:39 to 03-13 03:25 UTC, 5,807.97 down to 3,621.81, beside
// ETHUSDT 1 h from Binance spot, 130.99 down to 86) on a wall clock the test moves (venue.tick() then
// applies the feed's due marks, deterministically); the HTTP + WebSocket server on a free port, its own
// clock real (clients sign with Date.now()); and a WebSocket reader that waits for messages.
import { parseFixed } from '../../domain/fixed.ts';
import { bundled, loadCandles } from '../../io/market-data.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, type Store } from '../../store/store.ts';
import type { StoreLocation } from '../../store/connection.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { ReplayFeed } from '../feed/replay-feed.ts';
import { listen, type HttpOptions, type RunningServer } from '../http/app.ts';
import { Venue } from '../venue/venue.ts';
import WebSocket from 'ws';

export const CRASH_START_MS = Date.UTC(2020, 2, 12, 22, 39);
const CRASH_END_MS = Date.UTC(2020, 2, 13, 3, 26);

/** BTCUSDT's crash minute by minute, ETHUSDT's hour by hour, from 2020-03-12 22:39 UTC; funding at 0.01 %. */
export function crashFeed(wallMs: number): ReplayFeed {
  const btc = loadCandles(bundled('binance-futures-BTCUSDT-1m-crash-2020-03-12.csv'), 'BTCUSDT');
  const eth = loadCandles(ethWindow(), 'ETHUSDT');
  return new ReplayFeed([btc, eth], { startMs: CRASH_START_MS, speed: 1, defaultFundingRate: parseFixed<'Rate'>('0.0001') }, wallMs);
}

let ethWindowPath: string | undefined;

/**
 * The ETHUSDT hours of the crash window, cut from the bundled 2019-2021 file into a small CSV once per
 * process: parsing the whole file exactly takes seconds, and the feed needs six bars of it.
 */
function ethWindow(): string {
  if (ethWindowPath) return ethWindowPath;
  const [header, ...rows] = readFileSync(bundled('binance-spot-ETHUSDT-1h-2019-2021.csv'), 'utf8').split('\n');
  const kept = rows.filter((row) => {
    const timeMs = Number(row.slice(0, row.indexOf(',')));
    return timeMs >= CRASH_START_MS - 3600_000 && timeMs < CRASH_END_MS;
  });
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-eth-'));
  ethWindowPath = join(folder, 'binance-spot-ETHUSDT-1h-2020-03-12.csv');
  writeFileSync(ethWindowPath, [header, ...kept, ''].join('\n'));
  process.once('exit', () => rmSync(folder, { recursive: true, force: true }));
  return ethWindowPath;
}

export interface TestVenue {
  readonly store: Store;
  readonly venue: Venue;
  readonly server: RunningServer;
  /** ws://host:port */
  readonly wsUrl: string;
  /** Moves the venue's wall clock (feed time at x1) by `ms` and applies what came due. */
  advance(ms: number): void;
  /** Moves the server's wall clock (listenKey validity, signature timestamps) `ms` ahead of the real one. */
  skewServerClock(ms: number): void;
  account(deposit?: string): Promise<{ accountId: string; apiKey: string; secret: string }>;
  close(): Promise<void>;
}

const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };

export async function startVenue(location: StoreLocation, options: { streams?: HttpOptions['streams']; store?: (real: Store) => Store } = {}): Promise<TestVenue> {
  const real = await openStore({ location, env });
  const store = options.store ? options.store(real) : real;
  let wallMs = 1_000_000;
  const venue = await Venue.open({ store, clock: () => wallMs, onFatal: () => undefined, feed: (_logTimeMs, wall) => crashFeed(wall) });
  venue.tick();
  let serverSkewMs = 0;
  const server = await listen({ venue, clock: () => Date.now() + serverSkewMs, log: () => undefined, host: '127.0.0.1', port: 0, ...(options.streams ? { streams: options.streams } : {}) });
  return {
    store,
    venue,
    server,
    wsUrl: `ws://127.0.0.1:${server.port}`,
    advance(ms) {
      wallMs += ms;
      venue.tick();
    },
    skewServerClock(ms) {
      serverSkewMs += ms;
    },
    async account(deposit = '10000') {
      const created = await real.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: deposit }] });
      return { accountId: created.accountId, apiKey: created.apiKey, secret: created.secret };
    },
    close: () => server.close(),
  };
}

/** Holds a store's appends (they wait until released) or makes them fail: durability seen from a client. */
export class AppendGate {
  private held: Promise<void> = Promise.resolve();
  private releaseHeld: () => void = () => undefined;
  /** While true, every append fails (the venue then stops, as on a full disk). */
  refuse = false;

  /** From now on appends wait until release(). */
  hold(): void {
    this.held = new Promise<void>((resolve) => (this.releaseHeld = resolve));
  }

  release(): void {
    this.releaseHeld();
  }

  /** The real store, its appends passing through this gate. */
  readonly wrap = (real: Store): Store => ({
    ...real,
    appendBatch: async (entries) => {
      await this.held;
      if (this.refuse) throw new Error('disk full');
      return real.appendBatch(entries);
    },
  });
}

/** POST, PUT or DELETE /fapi/v1/listenKey with an API key only (USER_STREAM), as clients send them. */
export async function listenKeyCall(baseUrl: string, method: 'POST' | 'PUT' | 'DELETE', apiKey: string | undefined, query = ''): Promise<{ status: number; body: any }> {
  const response = await fetch(`${baseUrl}/fapi/v1/listenKey${query ? `?${query}` : ''}`, { method, headers: apiKey === undefined ? {} : { 'X-MBX-APIKEY': apiKey } });
  return { status: response.status, body: await response.json() };
}

/** A WebSocket client that keeps every JSON message and waits for the ones a test expects. */
export class Reader {
  readonly messages: any[] = [];
  closed: { code: number; reason: string } | undefined;
  private waiters: (() => void)[] = [];

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.messages.push(JSON.parse(data.toString()));
      this.wake();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString() };
      this.wake();
    });
  }

  /** Opens `url`; rejects with the HTTP status and body when the server refuses the upgrade. */
  static open(url: string): Promise<Reader> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      const reader = new Reader(ws);
      ws.once('open', () => resolve(reader));
      ws.once('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => reject(Object.assign(new Error(`HTTP ${response.statusCode}`), { status: response.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  send(message: unknown): void {
    this.ws.send(JSON.stringify(message));
  }

  /** Resolves with the messages once `done(messages)` holds; fails after `timeoutMs`, listing what came. */
  async until(done: (messages: readonly any[]) => boolean, timeoutMs = 3000): Promise<any[]> {
    const deadline = Date.now() + timeoutMs;
    while (!done(this.messages)) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received ${JSON.stringify(this.messages).slice(0, 2000)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.messages;
  }

  close(): void {
    this.ws.close();
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}
