// Signed order placements per second through the venue's HTTP server with persistence (SQLite, and
// PostgreSQL when reachable), against a bare fastify endpoint that only checks the signature (issue 11,
// "Done when": at least 50 % of the bare endpoint with SQLite).
// Each server runs in its own process (./order-server.ts); this process is the one client of all of them:
// CONCURRENCY keep-alive connections (16; PERPGUARD_BENCH_CONCURRENCY overrides), each sending its next request when the previous one is answered,
// every request signed as ccxt signs (timestamp first, recvWindow, HMAC-SHA256 in the form body), a
// market order of 0.001 BTCUSDT, BUY and SELL in turn (the position stays small; the deposit is ample).
// The servers are loaded in turn, in ROUNDS windows of WINDOW_MS each (the order reversed every other
// round, as bench/timing.ts interleaves), so a burst of load from another process on this shared machine
// lands on one window, not one server; a ratio is computed per round and its median reported. Wall time:
// a server's throughput is what a client sees, and both sides of a ratio ran on the same machine. Beside it,
// the server process's own CPU time per window (/proc/<pid>/stat, every thread: the SQLite appender's too):
// requests per server CPU second do not move with the load other processes put on the machine, which moved
// the wall-clock rates by 10x between runs of this session. And the commands per log transaction (each one
// fsync): at 16 connections ~5 per transaction on SQLite, whose syncs overlap (up to three at once), so the
// rest of the 16 are being handled or waiting in the syncs already started (src/store/sqlite-appender.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { buildBundle } from '../src/io/bundles.mjs';
import { spreadOf, type Spread } from './timing.ts';

export const ORDER_TARGET_SHARE = 0.5;
const CONCURRENCY = Number(process.env['PERPGUARD_BENCH_CONCURRENCY'] ?? 16);
const WARMUP_MS = 1_500;
const WINDOW_MS = 2_000;
const ROUNDS = 5;
const TEST_DATABASE_URL = process.env['PERPGUARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

interface Started {
  readonly url: URL;
  readonly keys: readonly { apiKey: string; secret: string }[];
  readonly child: ChildProcess;
  /** The server's log transactions (each one sync) and the commands they held, so far (./order-server.ts). */
  readonly stats: () => Promise<AppendStats>;
}

interface AppendStats {
  readonly commits: number;
  readonly appended: number;
}

export interface ServerFigures {
  readonly name: string;
  /** Answered requests per wall second, one sample per round. */
  readonly perSecond: Spread;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  /** Answers other than HTTP 200 (a refused order would make the figure meaningless). */
  readonly failures: number;
  /** Share of the bare endpoint's rate, per round (undefined for the bare endpoint itself). */
  readonly share?: Spread;
  /** Answered requests per CPU second of the server process (undefined without /proc). */
  readonly perCpuSecond?: Spread;
  /** The same as a share of the bare endpoint's, per round. */
  readonly cpuShare?: Spread;
  /**
   * Commands per log transaction (one sync each) over the measured windows (the feed's marks included):
   * how many orders group commit makes durable per fsync (undefined for the bare endpoint: no log).
   */
  readonly commandsPerCommit?: number;
}

export interface OrdersBench {
  readonly concurrency: number;
  readonly rounds: number;
  readonly windowMs: number;
  readonly bare: ServerFigures;
  readonly sqlite: ServerFigures;
  readonly postgres: ServerFigures | undefined;
  /** Why PostgreSQL was not measured. */
  readonly postgresSkip: string | undefined;
}

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    return undefined;
  } catch (caught) {
    return `PostgreSQL at ${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')} is not reachable (${(caught as Error).message}); set PERPGUARD_TEST_DATABASE_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * The servers run from an esbuild bundle of ./order-server.ts (dist/bench/), as `perpguard serve` runs from
 * the CLI's bundle: under tsx every named closure also paid a property write keeping its name, ~1-2 % of a
 * server's time per closure on the order path, a cost no user's server pays (both servers alike).
 */
async function serverScript(): Promise<string> {
  return (serverBundle ??= buildBundle({
    entry: fileURLToPath(new URL('./order-server.ts', import.meta.url)),
    output: fileURLToPath(new URL('../dist/bench/order-server.mjs', import.meta.url)),
    packagesExternal: true,
  }));
}
let serverBundle: Promise<string> | undefined;

async function startServer(args: readonly string[]): Promise<Started> {
  const child = spawn(process.execPath, [...(process.env['PERPGUARD_BENCH_SERVER_FLAGS']?.split(' ').filter(Boolean) ?? []), await serverScript(), ...args], { stdio: ['pipe', 'pipe', 'inherit'] });
  // every line the server prints answers one request of ours, in order: the first is its address
  const waiting: ((line: string) => void)[] = [];
  const next = () => new Promise<string>((resolve) => waiting.push(resolve));
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(line));
  const first = await Promise.race([next(), new Promise<never>((_, reject) => child.once('exit', (code) => reject(new Error(`bench server ${args.join(' ')} exited (${code}) before listening`))))]);
  const started = JSON.parse(first) as { url: string; keys: { apiKey: string; secret: string }[] };
  const stats = async (): Promise<AppendStats> => {
    const answer = next();
    child.stdin!.write('stats\n');
    return JSON.parse(await answer) as AppendStats;
  };
  return { url: new URL(started.url), keys: started.keys, child, stats };
}

async function stopServer(server: Started): Promise<void> {
  const exited = new Promise((resolve) => server.child.once('exit', resolve));
  server.child.stdin!.end();
  await exited;
}

/** One signed POST /fapi/v1/order; resolves with the HTTP status. */
function placeOrder(server: Started, agent: http.Agent, key: { apiKey: string; secret: string }, side: string): Promise<number> {
  const unsigned = `timestamp=${Date.now()}&symbol=BTCUSDT&side=${side}&type=MARKET&quantity=0.01&recvWindow=10000`;
  const body = `${unsigned}&signature=${createHmac('sha256', key.secret).update(unsigned).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: server.url.hostname, port: server.url.port, path: '/fapi/v1/order', method: 'POST', agent, headers: { 'X-MBX-APIKEY': key.apiKey, 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

interface Window {
  readonly requests: number;
  readonly failures: number;
  readonly seconds: number;
  readonly latenciesMs: number[];
  /** CPU seconds the server process used in the window, if /proc says. */
  readonly cpuSeconds: number | undefined;
  /** The server's log transactions and the commands they held in the window. */
  readonly commits: number;
  readonly appended: number;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ: 100 on Linux). */
const USER_HZ = 100;

/** User + system CPU seconds of a process so far (every thread), or undefined where /proc is missing. */
function cpuSecondsOf(pid: number | undefined): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name (which may hold spaces), from the state: utime and stime are 12th and 13th
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** CONCURRENCY clients loop on the server for `ms` of wall time. */
async function load(server: Started, agent: http.Agent, ms: number): Promise<Window> {
  const latenciesMs: number[] = [];
  let failures = 0;
  const statsBefore = await server.stats();
  const cpuBefore = cpuSecondsOf(server.child.pid);
  const start = performance.now();
  const end = start + ms;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async (_, worker) => {
      const key = server.keys[worker % server.keys.length]!;
      let side = worker % 2 === 0 ? 'BUY' : 'SELL';
      while (performance.now() < end) {
        const sent = performance.now();
        const status = await placeOrder(server, agent, key, side);
        latenciesMs.push(performance.now() - sent);
        if (status !== 200) failures += 1;
        side = side === 'BUY' ? 'SELL' : 'BUY';
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpuAfter = cpuSecondsOf(server.child.pid);
  const statsAfter = await server.stats();
  return {
    requests: latenciesMs.length,
    failures,
    seconds,
    latenciesMs,
    cpuSeconds: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore,
    commits: statsAfter.commits - statsBefore.commits,
    appended: statsAfter.appended - statsBefore.appended,
  };
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
}

const cpuRates = (windows: readonly Window[]): number[] | undefined => (windows.every((w) => w.cpuSeconds !== undefined && w.cpuSeconds > 0) ? windows.map((w) => w.requests / w.cpuSeconds!) : undefined);

function figures(name: string, windows: readonly Window[], bare?: readonly Window[]): ServerFigures {
  const rates = windows.map((w) => w.requests / w.seconds);
  const bareRates = bare?.map((w) => w.requests / w.seconds);
  const perCpu = cpuRates(windows);
  const barePerCpu = bare ? cpuRates(bare) : undefined;
  const latencies = windows.flatMap((w) => w.latenciesMs).sort((a, b) => a - b);
  const commits = windows.reduce((n, w) => n + w.commits, 0);
  return {
    name,
    perSecond: spreadOf(rates),
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    requests: latencies.length,
    failures: windows.reduce((n, w) => n + w.failures, 0),
    ...(bareRates ? { share: spreadOf(rates.map((r, i) => r / bareRates[i]!)) } : {}),
    ...(perCpu ? { perCpuSecond: spreadOf(perCpu) } : {}),
    ...(perCpu && barePerCpu ? { cpuShare: spreadOf(perCpu.map((r, i) => r / barePerCpu[i]!)) } : {}),
    ...(commits > 0 ? { commandsPerCommit: windows.reduce((n, w) => n + w.appended, 0) / commits } : {}),
  };
}

export async function ordersBench(): Promise<OrdersBench> {
  const postgresSkip = await postgresProblem();
  const servers: { name: string; server: Started }[] = [
    { name: 'bare', server: await startServer(['bare']) },
    { name: 'sqlite', server: await startServer(['venue', 'sqlite']) },
    ...(postgresSkip === undefined ? [{ name: 'postgres', server: await startServer(['venue', 'postgres', TEST_DATABASE_URL]) }] : []),
  ];
  const agents = servers.map(() => new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY }));
  try {
    for (const [i, s] of servers.entries()) await load(s.server, agents[i]!, WARMUP_MS);
    const windows: Window[][] = servers.map(() => []);
    for (let round = 0; round < ROUNDS; round++) {
      const order = servers.map((_, i) => i);
      if (round % 2 === 1) order.reverse();
      for (const i of order) windows[i]!.push(await load(servers[i]!.server, agents[i]!, WINDOW_MS));
    }
    return {
      concurrency: CONCURRENCY,
      rounds: ROUNDS,
      windowMs: WINDOW_MS,
      bare: figures('bare', windows[0]!),
      sqlite: figures('sqlite', windows[1]!, windows[0]),
      postgres: windows[2] ? figures('postgres', windows[2], windows[0]) : undefined,
      postgresSkip,
    };
  } finally {
    agents.forEach((a) => a.destroy());
    for (const s of servers) await stopServer(s.server);
  }
}

// run alone (`npx tsx bench/orders.ts`): the figures as JSON, for profiling one change at a time
if (process.argv[1] === new URL(import.meta.url).pathname) process.stdout.write(`${JSON.stringify(await ordersBench(), null, 2)}\n`);
