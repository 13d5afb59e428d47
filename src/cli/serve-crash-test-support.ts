// The parts of serve-crash.test.ts: the real `perpguard serve` as a child process (bin/perpguard.mjs, port
// 0, --json prints its URL), accounts made by `perpguard accounts create --json`, and a seeded load of
// signed requests from several concurrent clients, each request recorded with what became of it:
// acknowledged (a 2xx answer read whole), refused (a 4xx answer read whole) or unknown (no answer: the
// server died first). The checks (./serve-crash-checks-test-support.ts) compare that record with the log
// and with what the restarted server answers.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { client, type SignedClient } from '../server/http/http-test-support.ts';
import type { Rng } from '../testing/prng.ts';

const BIN = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));

/** The environment of a child: the test's key, DATABASE_URL only when the backend is PostgreSQL. */
export function childEnv(secretKey: string, databaseUrl: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PERPGUARD_SECRET_KEY: secretKey };
  delete env['DATABASE_URL'];
  if (databaseUrl !== undefined) env['DATABASE_URL'] = databaseUrl;
  return env;
}

/** Runs the CLI to its end: its stdout, or a rejection with its stderr. */
export function runCli(args: readonly string[], env: NodeJS.ProcessEnv): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`perpguard ${args.join(' ')}: exit ${code}: ${stderr}`))));
  });
}

export interface Credentials {
  readonly accountId: string;
  readonly apiKey: string;
  readonly secret: string;
}

export async function createAccount(db: string, deposit: string, env: NodeJS.ProcessEnv): Promise<Credentials> {
  return JSON.parse(await runCli(['accounts', 'create', '--deposit', deposit, '--db', db, '--json'], env)) as Credentials;
}

export interface ServeProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Resolves with the signal that ended it (null: it exited by itself). */
  readonly exited: Promise<NodeJS.Signals | null>;
  /** What it wrote to stderr so far. */
  stderr(): string;
}

/** Starts `perpguard serve --port 0 --json` and resolves once it printed its URL. */
export async function startServe(db: string, env: NodeJS.ProcessEnv, extra: readonly string[] = []): Promise<ServeProcess> {
  const child = spawn(process.execPath, [BIN, 'serve', '--db', db, '--port', '0', '--json', ...extra], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
  const lines = createInterface({ input: child.stdout! });
  const url = await Promise.race([
    new Promise<string>((resolve) => lines.once('line', (line) => resolve((JSON.parse(line) as { url: string }).url))),
    exited.then((signal) => Promise.reject(new Error(`perpguard serve ended before printing its URL (${signal}): ${stderr}`))),
  ]);
  return { url, child, exited, stderr: () => stderr };
}

export type Outcome = 'acked' | 'refused' | 'unknown';

/** One request of the load and what became of it. */
export interface Sent {
  readonly kind: 'market' | 'limit' | 'cancel' | 'addMargin' | 'reduceMargin' | 'leverage' | 'tooBig';
  readonly account: number;
  readonly symbol: string;
  /** Every order request carries its own client id (unique in the run): it finds the order in the log. */
  readonly clientOrderId?: string;
  /** A cancel's order (always one whose placement was acknowledged). */
  readonly orderId?: number;
  /** A margin move's amount, unique in the run: it finds the move in the log. */
  readonly amount?: string;
  readonly leverage?: number;
  outcome: Outcome;
  status?: number;
  body?: any;
}

export interface LoadState {
  /** Counts requests over the whole run (client ids and amounts stay unique across rounds). */
  counter: number;
  readonly sent: Sent[];
  /** Resting limit orders whose placement was acknowledged, per account: what cancels pick from. */
  readonly resting: Map<number, number[]>;
}

export const newLoadState = (): LoadState => ({ counter: 0, sent: [], resting: new Map() });

export interface LoadOptions {
  readonly url: string;
  readonly accounts: readonly Credentials[];
  readonly workersPerAccount: number;
  readonly rng: Rng;
  /** The marks the limit orders are placed far from (so they rest). */
  readonly marks: Readonly<Record<string, number>>;
  /** True once the server is (about to be) killed: no request is sent after. */
  readonly stopped: () => boolean;
}

// quantities of about 200-500 USDT; limits 30 % away from the mark rest unless the market crashes by that
const QUANTITY = { BTCUSDT: ['0.002', '0.003', '0.004'], ETHUSDT: ['0.05', '0.08', '0.1'] } as const;

/**
 * Runs `workersPerAccount` clients per account, each sending one signed request after another (so every
 * account has several requests in flight), until `stopped()`. Each request is recorded in `load.sent`
 * before it is sent; its outcome is set when its answer has been read whole.
 */
export async function runLoad(load: LoadState, options: LoadOptions): Promise<void> {
  const clients: SignedClient[] = options.accounts.map((a) => client(options.url, a.apiKey, a.secret));
  const worker = async (account: number) => {
    while (!options.stopped()) {
      const { request, sent } = nextRequest(load, options, account);
      load.sent.push(sent);
      try {
        const reply = await clients[account]!.signed(request.method, request.path, request.params);
        sent.status = reply.status;
        sent.body = reply.body;
        sent.outcome = reply.status >= 200 && reply.status < 300 ? 'acked' : 'refused';
        if (sent.outcome === 'acked' && sent.kind === 'limit' && reply.body.status === 'NEW') {
          const list = load.resting.get(account) ?? [];
          list.push(reply.body.orderId);
          load.resting.set(account, list);
        }
      } catch {
        // no answer (or half of one): the server died with the request in flight
      }
    }
  };
  await Promise.all(options.accounts.flatMap((_a, account) => Array.from({ length: options.workersPerAccount }, () => worker(account))));
}

interface Request {
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly params: Record<string, string>;
}

function nextRequest(load: LoadState, options: LoadOptions, account: number): { request: Request; sent: Sent } {
  const { rng } = options;
  const n = ++load.counter;
  const clientOrderId = `crash-${n}`;
  // unique amounts: 0.5 + n / 10^6 USDT (never two alike in a run of fewer than 10^6 requests)
  const amount = (0.5 + n / 1e6).toFixed(6);
  const kind = rng.weighted<Sent['kind']>([
    [30, 'market'],
    [20, 'limit'],
    [15, 'cancel'],
    [12, 'addMargin'],
    [8, 'reduceMargin'],
    [10, 'leverage'],
    [5, 'tooBig'],
  ]);
  const symbol = kind === 'addMargin' || kind === 'reduceMargin' || kind === 'tooBig' ? 'BTCUSDT' : rng.pick(['BTCUSDT', 'ETHUSDT'] as const);
  const side = rng.pick(['BUY', 'SELL']);
  const quantity = rng.pick(QUANTITY[symbol as 'BTCUSDT' | 'ETHUSDT'] ?? QUANTITY.BTCUSDT);
  const order = (params: Record<string, string>, as: Sent['kind'] = kind): { request: Request; sent: Sent } => ({
    request: { method: 'POST', path: '/fapi/v1/order', params: { symbol, side, quantity, newClientOrderId: clientOrderId, newOrderRespType: 'RESULT', ...params } },
    sent: { kind: as, account, symbol, clientOrderId, outcome: 'unknown' },
  });
  switch (kind) {
    case 'market':
      return order({ type: 'MARKET' });
    case 'tooBig':
      // far beyond the account's margin: always refused (-2019), never in the log
      return order({ type: 'MARKET', quantity: '500' });
    case 'limit': {
      const mark = options.marks[symbol]!;
      const price = (side === 'BUY' ? mark * 0.7 : mark * 1.3).toFixed(symbol === 'BTCUSDT' ? 1 : 2);
      return order({ type: 'LIMIT', price, timeInForce: 'GTC' });
    }
    case 'cancel': {
      const list = load.resting.get(account) ?? [];
      // nothing resting to cancel yet: a market order instead
      if (list.length === 0) return order({ type: 'MARKET' }, 'market');
      const orderId = list.splice(rng.int(0, list.length - 1), 1)[0]!;
      // the symbol of the order: found from its acknowledged placement
      const placed = load.sent.find((s) => s.account === account && s.kind === 'limit' && s.body?.orderId === orderId)!;
      return {
        request: { method: 'DELETE', path: '/fapi/v1/order', params: { symbol: placed.symbol, orderId: String(orderId) } },
        sent: { kind, account, symbol: placed.symbol, orderId, outcome: 'unknown' },
      };
    }
    case 'addMargin':
    case 'reduceMargin':
      return {
        request: { method: 'POST', path: '/fapi/v1/positionMargin', params: { symbol, amount, type: kind === 'addMargin' ? '1' : '2' } },
        sent: { kind, account, symbol, amount, outcome: 'unknown' },
      };
    case 'leverage': {
      const leverage = rng.int(5, 20);
      return {
        request: { method: 'POST', path: '/fapi/v1/leverage', params: { symbol, leverage: String(leverage) } },
        sent: { kind, account, symbol, leverage, outcome: 'unknown' },
      };
    }
  }
}
