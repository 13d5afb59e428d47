// The harness of fuzz.test.ts: a venue on a fresh store (SQLite, or PostgreSQL) with two funded accounts (A and B, each with
// an isolated BTC position and resting orders), its fastify app driven in-process by inject, a wall clock
// that stands still (so the feed adds nothing between requests and any change is the request's), and the
// checks of one request:
//  - never a 5xx, always a JSON body (but for HEAD);
//  - refused (any non-2xx): neither account's state, nor the market, nor the command log changed;
//  - accepted: a read (GET, HEAD) changed nothing; a write changed only its own account, logged as many
//    commands as its answer says (one per order, cancel or setting; one per placed order of a batch), and
//    did not change the state without logging it (memory ahead of the log is lost by a restart);
//  - no answer holds the other account's id, key, secret or order client ids (unless the request sent
//    them itself), and none holds the own account's secret.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { EngineState } from '../../engine/state.ts';
import { WeightCounter } from '../binance/weights.ts';
import type { StoreLocation } from '../../store/connection.ts';
import { openStore, type Store } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { Rng } from '../../testing/prng.ts';
import { defaultFeed } from '../venue/default-feed.ts';
import { Venue } from '../venue/venue.ts';
import { buildApp } from './app.ts';
import { fuzzRequest, type FuzzAccount, type FuzzRequest } from './fuzz-test-support.ts';
import { ROUTES } from './routes.ts';

export interface Harness {
  readonly app: FastifyInstance;
  readonly venue: Venue;
  readonly accounts: readonly [FuzzAccount & { accountId: string }, FuzzAccount & { accountId: string }];
  readonly nowMs: number;
  /** Commands appended to the log so far. */
  appended(): number;
  /** Lines the server logged (a failure inside is logged). */
  readonly logged: string[];
  close(): Promise<void>;
}

/** The state as a text without its config (never changed by a command) and its kept history by reference. */
function fingerprint(state: EngineState): { text: string; history: Record<string, unknown> } {
  const text = JSON.stringify(state, (key, v) => (key === 'history' || key === 'config' ? undefined : typeof v === 'bigint' ? `${v}n` : v));
  return { text, history: { ...state.history } };
}
const sameFingerprint = (a: ReturnType<typeof fingerprint>, b: ReturnType<typeof fingerprint>): boolean =>
  a.text === b.text && Object.keys({ ...a.history, ...b.history }).every((k) => a.history[k] === b.history[k]);

/** A harness over a new store: SQLite in a temporary folder, or `location` (a fresh PostgreSQL schema). */
export async function openHarness(location?: StoreLocation): Promise<Harness> {
  const folder = mkdtempSync(join(tmpdir(), 'perpguard-fuzz-'));
  const store = await openStore({ location: location ?? { kind: 'sqlite', path: join(folder, 'venue.db') }, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
  let appended = 0;
  // the store as the venue sees it, counting what reaches the log (the venue's single writer appends in batches)
  const counted: Store = {
    ...store,
    appendBatch: async (entries) => {
      const seqs = await store.appendBatch(entries);
      appended += seqs.length;
      return seqs;
    },
  };
  const made = [];
  for (const name of ['A', 'B'] as const) {
    const created = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '100000' }] });
    made.push({ name, accountId: created.accountId, apiKey: created.apiKey, secret: created.secret, orderIds: [] as number[], clientOrderIds: [] as string[] });
  }
  const nowMs = Date.now();
  const clock = () => nowMs;
  let fatal: unknown;
  const logged: string[] = [];
  const venue = await Venue.open({ store: counted, clock, onFatal: (e) => (fatal = e), log: () => undefined, feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs }, wallMs) });
  venue.tick();
  await venue.flushed();
  const app = buildApp({ venue, clock, log: (line) => logged.push(line), weights: new WeightCounter(Number.MAX_SAFE_INTEGER) });
  const accounts = made as unknown as Harness['accounts'];
  // each account: BTCUSDT isolated, a 0.01 BTC long, three buy limits far below the mark (they rest)
  for (const account of accounts) {
    const send = async (method: string, path: string, params: Record<string, string>) => {
      const body = new URLSearchParams({ ...params, timestamp: String(nowMs) }).toString();
      const signature = createHmac('sha256', account.secret).update(body).digest('hex');
      const reply = await app.inject({ method: method as 'POST', url: path, headers: { 'x-mbx-apikey': account.apiKey, 'content-type': 'application/x-www-form-urlencoded' }, payload: `${body}&signature=${signature}` });
      if (reply.statusCode !== 200) throw new Error(`set-up ${path}: ${reply.statusCode} ${reply.body}`);
      return reply.json();
    };
    await send('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' });
    for (const [i, params] of [{ type: 'MARKET', quantity: '0.01' }, ...[1, 2, 3].map((k) => ({ type: 'LIMIT', quantity: '0.01', price: String(20000 + k * 1000), timeInForce: 'GTC' }))].entries()) {
      const clientOrderId = `fz${account.name}-setup-${i}`;
      const placed = await send('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', newClientOrderId: clientOrderId, ...params });
      account.orderIds.push(placed.orderId);
      account.clientOrderIds.push(clientOrderId);
    }
  }
  await venue.flushed();
  return {
    app,
    venue,
    accounts,
    nowMs,
    appended: () => {
      if (fatal !== undefined) throw new Error(`the venue stopped: ${String(fatal)}`);
      return appended;
    },
    logged,
    close: async () => {
      await app.close();
      await venue.close();
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

const READS = new Set(['GET', 'HEAD']);
/** Commands an accepted write logs, by route, from its answer (undefined: at least zero, not known here). */
function expectedCommands(method: string, path: string, body: any): number | undefined {
  const key = `${method} ${path}`;
  if (key === 'POST /fapi/v1/batchOrders') return Array.isArray(body) ? body.filter((slot: { code?: unknown }) => slot.code === undefined).length : undefined;
  if (['POST /fapi/v1/order', 'DELETE /fapi/v1/order', 'POST /fapi/v1/algoOrder', 'DELETE /fapi/v1/algoOrder', 'POST /fapi/v1/leverage', 'POST /fapi/v1/marginType', 'POST /fapi/v1/positionMargin', 'POST /fapi/v1/positionSide/dual'].includes(key)) return 1;
  return undefined;
}

export interface Outcome {
  readonly status: number;
  /** What went wrong, if anything. */
  readonly problem?: string;
}

/** Sends one request and checks it; `problem` says what failed. */
export async function sendAndCheck(h: Harness, request: FuzzRequest): Promise<Outcome> {
  const [a, b] = h.accounts;
  const states = () => [fingerprint(h.venue.state(a.accountId)!), fingerprint(h.venue.state(b.accountId)!), fingerprint(h.venue.market)];
  const before = states();
  const appendedBefore = h.appended();
  const reply = await h.app.inject({ method: request.method as 'GET', url: request.url, headers: request.headers, ...(request.body !== undefined ? { payload: request.body } : {}) });
  await h.venue.flushed();
  const after = states();
  const logged = h.appended() - appendedBefore;
  const status = reply.statusCode;
  const fail = (problem: string): Outcome => ({ status, problem: `${problem} (HTTP ${status} ${reply.body.slice(0, 300)})` });
  if (status >= 500) return fail('a 5xx');
  let body: unknown;
  if (request.method !== 'HEAD') {
    try {
      body = JSON.parse(reply.body);
    } catch {
      return fail('the answer is not JSON');
    }
  }
  const sentText = `${request.url} ${request.body ?? ''} ${JSON.stringify(request.headers)}`;
  const answerText = `${reply.body} ${JSON.stringify(reply.headers)}`;
  for (const account of h.accounts) {
    if (answerText.includes(account.secret)) return fail(`the answer holds account ${account.name}'s secret`);
    if (account.name === request.as) continue;
    const other = [account.accountId, account.apiKey, ...account.clientOrderIds].find((marker) => answerText.includes(marker) && !sentText.includes(marker));
    if (other !== undefined) return fail(`an answer to ${request.as ?? 'no account'} holds account ${account.name}'s ${other}`);
  }
  const changed = before.map((f, i) => !sameFingerprint(f, after[i]!));
  const ok = status >= 200 && status < 300;
  if (!ok || READS.has(request.method)) {
    if (changed.some(Boolean) || logged !== 0) return fail(`a ${ok ? 'read' : 'refused request'} changed ${['A', 'B', 'the market'].filter((_n, i) => changed[i]).join(', ') || 'nothing in memory'} and logged ${logged} command(s)`);
    return { status };
  }
  const own = request.as === 'A' ? 0 : request.as === 'B' ? 1 : -1;
  if (changed.some((c, i) => c && i !== own)) return fail(`an accepted write as ${request.as} changed ${['A', 'B', 'the market'].filter((_n, i) => changed[i] && i !== own).join(', ')}`);
  if (own >= 0 && changed[own] && logged === 0) return fail('an accepted write changed the state without logging a command');
  const path = request.url.split('?')[0]!;
  const expected = expectedCommands(request.method, path, body);
  if (expected !== undefined && logged !== expected) return fail(`an accepted ${request.method} ${path} logged ${logged} command(s), its answer says ${expected}`);
  // the ids of orders the account placed: the next requests query and cancel them (and the other account tries to)
  if (own >= 0) {
    const account = h.accounts[own as 0 | 1];
    for (const slot of Array.isArray(body) ? body : [body]) {
      const placed = slot as { orderId?: unknown; clientOrderId?: unknown; algoId?: unknown; clientAlgoId?: unknown };
      if (typeof placed?.orderId === 'number' && !account.orderIds.includes(placed.orderId)) account.orderIds.push(placed.orderId);
      for (const id of [placed?.clientOrderId, placed?.clientAlgoId]) if (typeof id === 'string' && id.startsWith(`fz${account.name}-`) && !account.clientOrderIds.includes(id)) account.clientOrderIds.push(id);
    }
  }
  return { status };
}

export interface FuzzRun {
  readonly requests: number;
  readonly statuses: Record<number, number>;
  /** Requests per "METHOD path" sent (path tricks and wrong methods under their own key). */
  readonly byRoute: Record<string, number>;
  /** The failing requests: index, what failed, the request. */
  readonly failures: { index: number; problem: string; request: FuzzRequest }[];
}

/** `count` requests of `seed` against a fresh harness (on SQLite, or at `location`). */
export async function fuzzRun(seed: number, count: number, location?: StoreLocation): Promise<FuzzRun> {
  const h = await openHarness(location);
  const rng = new Rng(seed);
  const statuses: Record<number, number> = {};
  const byRoute: Record<string, number> = {};
  const failures: FuzzRun['failures'] = [];
  try {
    let previous: FuzzRequest | undefined;
    for (let i = 0; i < count; i++) {
      // a replay: the previous request again, byte for byte (same timestamp and signature). Binance has no
      // nonce: inside recvWindow a replayed write is accepted again, so it is checked like any request
      const request = previous !== undefined && rng.chance(0.03) ? { ...previous, mutations: [...previous.mutations, 'replayed'] } : fuzzRequest(ROUTES, h.accounts, rng, i, h.nowMs);
      previous = request;
      const outcome = await sendAndCheck(h, request);
      statuses[outcome.status] = (statuses[outcome.status] ?? 0) + 1;
      const key = `${request.method} ${request.url.split('?')[0]}`;
      byRoute[key] = (byRoute[key] ?? 0) + 1;
      if (outcome.problem !== undefined) failures.push({ index: i, problem: outcome.problem, request: { ...request, body: request.body?.slice(0, 500) } });
    }
    // and it still answers
    const ping = await h.app.inject({ method: 'GET', url: '/fapi/v1/ping' });
    if (ping.statusCode !== 200) failures.push({ index: count, problem: `ping after the run: ${ping.statusCode}`, request: { method: 'GET', url: '/fapi/v1/ping', headers: {}, route: undefined, as: undefined, mutations: [] } });
  } finally {
    await h.close();
  }
  return { requests: count, statuses, byRoute, failures };
}

/** One request of a regression case: who sends it, correctly signed at the harness's time. */
export interface CaseStep {
  readonly as: 'A' | 'B';
  readonly method: 'GET' | 'POST' | 'DELETE';
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  /** The HTTP status the step must get. */
  readonly status: number;
}

/** Sends a regression case's steps on a fresh harness; the failures of the checks and of the statuses. */
export async function replayCase(steps: readonly CaseStep[]): Promise<string[]> {
  const h = await openHarness();
  const problems: string[] = [];
  try {
    for (const [i, step] of steps.entries()) {
      const account = h.accounts[step.as === 'A' ? 0 : 1];
      const unsigned = new URLSearchParams({ ...step.params, timestamp: String(h.nowMs) }).toString();
      const signed = `${unsigned}&signature=${createHmac('sha256', account.secret).update(unsigned).digest('hex')}`;
      const inBody = step.method === 'POST';
      const request: FuzzRequest = {
        method: step.method,
        url: inBody ? step.path : `${step.path}?${signed}`,
        headers: { 'x-mbx-apikey': account.apiKey, ...(inBody ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(inBody ? { body: signed } : {}),
        route: ROUTES.find((r) => r.method === step.method && r.path === step.path),
        as: step.as,
        mutations: [],
      };
      const outcome = await sendAndCheck(h, request);
      if (outcome.problem !== undefined) problems.push(`step ${i}: ${outcome.problem}`);
      if (outcome.status !== step.status) problems.push(`step ${i}: HTTP ${outcome.status}, not ${step.status}`);
    }
  } finally {
    await h.close();
  }
  return problems;
}
