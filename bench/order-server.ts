// The servers of the order-placement bench (./orders.ts), each in its own process so the load generator's
// CPU is never charged to the server it measures:
//   node dist/bench/order-server.mjs venue sqlite            the venue over a fresh SQLite file (WAL, synchronous=FULL)
//   node dist/bench/order-server.mjs venue postgres <url>    the venue over a fresh schema of that PostgreSQL database
//   node dist/bench/order-server.mjs bare                    fastify 5 with one route that only checks the signature
// (./orders.ts builds that bundle of this file, as the CLI's is built; `npx tsx bench/order-server.ts …` runs it too)
// Prints one JSON line {url, keys: [{apiKey, secret}]} once listening, then serves until stdin closes (the
// parent's end), when it closes the server and removes what it created. Each line "stats" on stdin is
// answered by one JSON line {commits, appended}: the venue's log transactions so far (each one sync of the
// log) and the commands they held, so the bench sees how many orders group commit put in each sync.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import Fastify from 'fastify';
import pg from 'pg';
import { authenticate, type KeyRecord } from '../src/server/binance/auth.ts';
import { errorBody } from '../src/server/binance/errors.ts';
import { randomAlphanumeric } from '../src/store/accounts.ts';
import type { StoreLocation } from '../src/store/connection.ts';
import { openStore } from '../src/store/store.ts';
import { listen } from '../src/server/http/app.ts';
import { defaultFeed } from '../src/server/venue/default-feed.ts';
import { Venue } from '../src/server/venue/venue.ts';

/** Accounts the load is spread over (each connection of the client trades one, in turn). */
export const BENCH_ACCOUNTS = 4;
const SECRET_KEY = '5a'.repeat(32);
const [kind, backend, url] = process.argv.slice(2);
const keys: { apiKey: string; secret: string }[] = [];
const appends = { commits: 0, appended: 0 };
const cleanups: (() => Promise<void>)[] = [];

async function startVenue(): Promise<string> {
  let location: StoreLocation;
  if (backend === 'postgres') {
    const schema = `perpguard_bench_${process.pid}_${randomBytes(3).toString('hex')}`;
    location = { kind: 'postgres', url: url!, schema };
    cleanups.push(async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    });
  } else {
    const folder = mkdtempSync(join(tmpdir(), 'perpguard-bench-'));
    location = { kind: 'sqlite', path: join(folder, 'venue.db') };
    cleanups.push(async () => rmSync(folder, { recursive: true, force: true }));
  }
  const opened = await openStore({ location, env: { PERPGUARD_SECRET_KEY: SECRET_KEY } });
  // the store's functions close over its connection (no `this`): a copy with a counting appendBatch is the store
  const store: typeof opened = {
    ...opened,
    appendBatch: (entries) => {
      appends.commits += 1;
      appends.appended += entries.length;
      return opened.appendBatch(entries);
    },
  };
  for (let i = 0; i < BENCH_ACCOUNTS; i++) {
    const created = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '1000000000' }] });
    keys.push({ apiKey: created.apiKey, secret: created.secret });
  }
  const venue = await Venue.open({ store, clock: Date.now, onFatal: () => process.exit(1), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
  venue.start();
  const server = await listen({ venue, clock: Date.now, log: (line) => process.stderr.write(`${line}\n`), host: '127.0.0.1', port: 0 });
  cleanups.unshift(() => server.close());
  return server.url;
}

/** The bare endpoint: the same framework, body parser and authentication, no weights, no venue, no log. */
async function startBare(): Promise<string> {
  const records = new Map<string, KeyRecord>();
  for (let i = 0; i < BENCH_ACCOUNTS; i++) {
    const key = { apiKey: randomAlphanumeric(64), secret: randomAlphanumeric(64) };
    keys.push(key);
    records.set(key.apiKey, { account: `account-${i}`, secret: key.secret });
  }
  const app = Fastify({ logger: false, bodyLimit: 1 << 20 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  app.post('/fapi/v1/order', async (request, reply) => {
    const header = request.headers['x-mbx-apikey'];
    const url = request.raw.url ?? '';
    const at = url.indexOf('?');
    const auth = authenticate(
      { apiKey: typeof header === 'string' ? header : undefined, rawQuery: at < 0 ? '' : url.slice(at + 1), rawBody: typeof request.body === 'string' ? request.body : '' },
      'SIGNED',
      (apiKey) => records.get(apiKey),
      Date.now(),
    );
    if (!auth.ok) return reply.code(auth.error.status).send(errorBody(auth.error));
    return reply.code(200).send({ symbol: auth.params.get('symbol'), status: 'NEW' });
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  cleanups.unshift(() => app.close());
  const address = app.server.address();
  return `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
}

const serverUrl = kind === 'bare' ? await startBare() : await startVenue();
process.stdout.write(`${JSON.stringify({ url: serverUrl, keys })}\n`);
const commands = createInterface({ input: process.stdin });
commands.on('line', (line) => {
  if (line.trim() === 'stats') process.stdout.write(`${JSON.stringify(appends)}\n`);
});
commands.on('close', async () => {
  for (const cleanup of cleanups) await cleanup().catch((e: unknown) => process.stderr.write(`cleanup: ${String(e)}\n`));
  process.exit(0);
});
