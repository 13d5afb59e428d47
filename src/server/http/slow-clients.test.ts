// Slow and broken clients over real sockets (issue 11, "Reliability"; fuzz.test.ts covers the requests
// themselves in-process): while 30 connections hold half a request (headers cut off, or a body shorter
// than its Content-Length) the server answers other clients at once; a body over 1 MB is 413, a request
// line or headers beyond Node's limit 431, bytes that are no HTTP 400, never a 5xx; a stalled order that
// never arrives whole places nothing. SQLite and PostgreSQL (the venue's store is opened on each).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { connect, type Socket } from 'node:net';
import { backends, openFresh } from '../../store/store-test-support.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { listen, type RunningServer } from './app.ts';
import { client, type SignedClient } from './http-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

/** Opens a socket and writes `text`; resolves once it is connected and written (then it stalls). */
function stalled(port: number, text: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write(text, () => resolve(socket)));
    socket.on('error', reject);
  });
}

/** Writes raw bytes and reads the whole answer (the server closes, or the answer's status line arrives). */
function raw(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve) => {
    let answer = '';
    const socket = connect(port, '127.0.0.1', () => socket.end(bytes));
    socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
    socket.on('error', () => resolve(answer));
    socket.on('close', () => resolve(answer));
  });
}

const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

for (const backend of list) {
  describe(`slow and broken clients on ${backend.name}`, { skip: backend.skip }, () => {
    let server: RunningServer;
    let api: SignedClient;
    const logged: string[] = [];
    before(async () => {
      const store = await openFresh(backend);
      const { apiKey, secret } = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '10000' }] });
      const venue = await Venue.open({ store, clock: Date.now, onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
      venue.start(100);
      server = await listen({ venue, clock: Date.now, log: (line) => logged.push(line), host: '127.0.0.1', port: 0 });
      api = client(server.url, apiKey, secret);
    });
    after(async () => {
      await server.close();
      await backend.cleanup();
    });

    it('30 stalled connections (half a header, half a body) do not hold up other clients; the stalled order places nothing', async () => {
      const body = `symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.01&timestamp=${Date.now()}&signature=${'0'.repeat(64)}`;
      const sockets = await Promise.all(
        Array.from({ length: 30 }, (_x, i) =>
          stalled(
            server.port,
            i % 2 === 0
              ? 'POST /fapi/v1/order HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty'
              : `POST /fapi/v1/order HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length + 500}\r\n\r\n${body.slice(0, 40)}`,
          ),
        ),
      );
      try {
        for (let i = 0; i < 10; i++) {
          const started = performance.now();
          const time = await api.get('/fapi/v1/time');
          const account = await api.signed('GET', '/fapi/v2/balance');
          assert.deepEqual([time.status, account.status], [200, 200]);
          // a generous bound for a loaded 2-core machine; a server held up by the stalled sockets never answers
          assert.ok(performance.now() - started < 5_000, `answered in ${performance.now() - started} ms`);
        }
      } finally {
        for (const socket of sockets) socket.destroy();
      }
      const orders = await api.signed('GET', '/fapi/v1/allOrders', { symbol: 'BTCUSDT' });
      assert.deepEqual([orders.status, orders.body], [200, []]);
    });

    it('a body over 1 MB is 413, a request beyond the header limit 431, bytes that are not HTTP 400: never a 5xx, and it still answers', async () => {
      const big = `symbol=BTCUSDT&pad=${'x'.repeat(2 << 20)}`;
      const tooLarge = await fetch(`${server.url}/fapi/v1/order`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-mbx-apikey': 'k' }, body: big });
      assert.equal(tooLarge.status, 413);
      assert.equal(typeof (await tooLarge.json()).code, 'number');
      const longQuery = await raw(server.port, `GET /fapi/v1/time?${'a=1&'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
      assert.equal(statusOf(longQuery), 431, longQuery.slice(0, 100));
      for (const bytes of [Buffer.from([0, 1, 2, 3, 255, 254, 13, 10, 13, 10]), 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'POST /fapi/v1/order HTTP/1.1\r\nContent-Length: -5\r\n\r\n', 'POST /fapi/v1/order HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n']) {
        const answer = await raw(server.port, bytes);
        const status = statusOf(answer);
        assert.ok(status >= 400 && status < 500, `${JSON.stringify(bytes.toString().slice(0, 40))}: ${answer.slice(0, 80)}`);
      }
      assert.equal((await api.get('/fapi/v1/ping')).status, 200);
      // what the server logged: the bodies the stalled clients abandoned (one line each, no stack), nothing else
      assert.deepEqual(logged.filter((line) => line !== 'POST /fapi/v1/order: Error: aborted' && !/too large/i.test(line)), []);
    });
  });
}
