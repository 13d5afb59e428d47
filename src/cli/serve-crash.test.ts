// SIGKILL under load (issue 11, "Reliability"): the real `perpguard serve` as a child process, accounts
// made by `perpguard accounts create --json` (and more beside the running server, in rounds 1, 5, 10...
// through the same store call), several concurrent clients per account placing and
// cancelling signed orders, moving isolated margin and changing leverage; the server is killed with
// SIGKILL at a seeded random moment, and restarted on the same store. After each kill: the ledger audit
// of every account's replayed log (the engine's invariant checker), every acknowledged request in the log
// and nothing refused or never sent; after each restart, allOrders answers every acknowledged order.
// Rounds: PERPGUARD_CRASH_ROUNDS (npm test: 1 on each backend; the deep tier runs 20 on each).
// The seed is printed; PERPGUARD_CRASH_SEED replays a run's kill moments and requests. A start of the CLI
// costs ~0.6 s of CPU (the precompiled CLI, then the bundled history's CSV; ~2 s through tsx): on a loaded
// machine a round can take 20 s and more, hence the generous timeout.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Rng } from '../testing/prng.ts';
import { client } from '../server/http/http-test-support.ts';
import type { StoreLocation } from '../store/connection.ts';
import { openStore } from '../store/store.ts';
import { backends, TEST_DATABASE_URL, TEST_SECRET_KEY } from '../store/store-test-support.ts';
import { auditStore, checkLog, checkOrdersOverApi, checkSettingsOverApi } from './serve-crash-checks-test-support.ts';
import { childEnv, createAccount, newLoadState, runLoad, startServe, type Credentials, type LoadState, type Sent, type ServeProcess } from './serve-crash-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const ROUNDS = process.env['PERPGUARD_CRASH_ROUNDS'] !== undefined ? Number(process.env['PERPGUARD_CRASH_ROUNDS']) : undefined;
const SEED = Number(process.env['PERPGUARD_CRASH_SEED'] ?? randomBytes(4).readUInt32LE(0));
const ACCOUNTS = 3;
const WORKERS_PER_ACCOUNT = 2;
// the feed at x2000 (a 1 h bar in 1.8 s: marks move, funding settles every ~14 s) from a date well
// inside the bundled history, so even the deep tier's 20 rounds never run off its end
const SERVE_FLAGS = ['--speed', '2000', '--from', '2025-03-01'];

/** A PostgreSQL database of its own (DATABASE_URL names a database; the CLI takes no schema). */
async function freshDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `perpguard_crash_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

/** Each account: BTCUSDT isolated at 10x with a 0.01 BTC long (what the margin moves work on). */
async function setUp(url: string, accounts: readonly Credentials[], load: LoadState): Promise<void> {
  for (const [account, a] of accounts.entries()) {
    const api = client(url, a.apiKey, a.secret);
    assert.equal((await api.signed('POST', '/fapi/v1/marginType', { symbol: 'BTCUSDT', marginType: 'ISOLATED' })).status, 200);
    const leverage = await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '10' });
    assert.equal(leverage.status, 200);
    load.sent.push({ kind: 'leverage', account, symbol: 'BTCUSDT', leverage: 10, outcome: 'acked', status: 200, body: leverage.body });
    const clientOrderId = `crash-setup-${account}`;
    const open = await api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: clientOrderId, newOrderRespType: 'RESULT' });
    assert.equal(open.status, 200, JSON.stringify(open.body));
    load.sent.push({ kind: 'market', account, symbol: 'BTCUSDT', clientOrderId, outcome: 'acked', status: 200, body: open.body });
  }
}

/** SIGTERM: the server finishes its appends, snapshots every loaded account and exits by itself. */
async function stopGracefully(server: ServeProcess): Promise<void> {
  server.child.kill('SIGTERM');
  assert.equal(await server.exited, null, `the server did not exit by itself on SIGTERM: ${server.stderr()}`);
  assert.match(server.stderr(), /stopped \(SIGTERM\)/);
}

async function marksOf(url: string): Promise<Record<string, number>> {
  const reply = await fetch(`${url}/fapi/v1/premiumIndex`);
  const rows = (await reply.json()) as { symbol: string; markPrice: string }[];
  return Object.fromEntries(rows.map((r) => [r.symbol, Number(r.markPrice)]));
}

const tally = (sent: readonly Sent[]) => ({
  acked: sent.filter((s) => s.outcome === 'acked').length,
  refused: sent.filter((s) => s.outcome === 'refused').length,
  unknown: sent.filter((s) => s.outcome === 'unknown').length,
});

describe('perpguard serve killed with SIGKILL under load', { concurrency: true }, () => {
  for (const backend of list) {
    const rounds = ROUNDS ?? 1;
    describe(`on ${backend.name}`, { skip: backend.skip }, () => {
      const folder = mkdtempSync(join(tmpdir(), 'perpguard-crash-'));
      let dropDatabase: (() => Promise<void>) | undefined;
      after(async () => {
        rmSync(folder, { recursive: true, force: true });
        await dropDatabase?.();
      });

      it(`${rounds} kills at seeded moments (PERPGUARD_CRASH_SEED=${SEED}): every acknowledged request kept, nothing refused or unsent, the ledger audit holds`, { timeout: 120_000 + rounds * 90_000 }, async (t) => {
        const rng = new Rng(SEED + (backend.name === 'sqlite' ? 0 : 1));
        const db = join(folder, 'venue.db');
        let location: StoreLocation = { kind: 'sqlite', path: db };
        let databaseUrl: string | undefined;
        if (backend.name === 'postgres') {
          const fresh = await freshDatabase();
          dropDatabase = fresh.drop;
          databaseUrl = fresh.url;
          location = { kind: 'postgres', url: fresh.url };
        }
        const env = childEnv(TEST_SECRET_KEY, databaseUrl);
        // the first account by the CLI (it creates and migrates the store); the others through the same store
        // call in this process (each CLI run costs ~0.6 s of CPU: the machine's two cores serve the whole suite)
        const accounts = [await createAccount(db, '100000', env)];
        const addAccount = async () => {
          const store = await openStore({ location, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
          accounts.push(await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: 'USDT', amount: '100000' }] }));
          await store.close();
        };
        for (let i = 1; i < ACCOUNTS; i++) await addAccount();
        const load = newLoadState();
        let server = await startServe(db, env, SERVE_FLAGS);
        await setUp(server.url, accounts, load);
        const started = performance.now();
        let checkedCommands = 0;
        let checkedOrders = 0;
        for (let round = 1; round <= rounds; round++) {
          // an account created beside the running server (as `perpguard accounts create` does), traded at once:
          // the server loads it from the log on its first request, with the feed running and the others trading
          if (round === 1 || round % 5 === 0) await addAccount();
          const roundStart = load.sent.length;
          const marks = await marksOf(server.url);
          let stopped = false;
          const loadDone = runLoad(load, { url: server.url, accounts, workersPerAccount: WORKERS_PER_ACCOUNT, rng, marks, stopped: () => stopped });
          // the moment counts from the round's first answer: on a loaded machine a restarted server may take
          // seconds to answer at all, and a kill before any answer would test nothing
          const firstAnswer = performance.now();
          while (!load.sent.slice(roundStart).some((s) => s.outcome === 'acked') && performance.now() - firstAnswer < 60_000) await new Promise((resolve) => setTimeout(resolve, 10));
          const killAfterMs = rng.int(100, 1500);
          await new Promise((resolve) => setTimeout(resolve, killAfterMs));
          stopped = true;
          server.child.kill('SIGKILL');
          assert.equal(await server.exited, 'SIGKILL', `the server ended before it was killed: ${server.stderr()}`);
          assert.doesNotMatch(server.stderr(), /fatal|Error/, 'the server logged a failure before the kill');
          await loadDone;
          const roundSent = load.sent.slice(roundStart);
          for (const s of roundSent) assert.ok(s.status === undefined || s.status < 500, `HTTP ${s.status} ${JSON.stringify(s.body)}`);

          const t0 = performance.now();
          const { trades, states, commands } = await auditStore(location, TEST_SECRET_KEY, accounts);
          checkedCommands += commands;
          checkLog(load.sent, trades);

          const t1 = performance.now();
          server = await startServe(db, env, SERVE_FLAGS);
          const t2 = performance.now();
          checkedOrders += await checkOrdersOverApi(server.url, accounts, roundSent);
          await checkSettingsOverApi(server.url, accounts, states);
          t.diagnostic(`round ${round}: killed ${killAfterMs} ms after the first answer; audit ${(t1 - t0).toFixed(0)} ms, start ${(t2 - t1).toFixed(0)} ms, api ${(performance.now() - t2).toFixed(0)} ms; ${JSON.stringify(tally(roundSent))}`);
          // halfway through a long run, one graceful stop (it snapshots every account): the kills after it
          // restart from those snapshots and the log after them, which the audit compares with a replay from the start
          if (rounds >= 10 && round === Math.floor(rounds / 2)) {
            await stopGracefully(server);
            server = await startServe(db, env, SERVE_FLAGS);
          }
        }
        // the end: a graceful stop, whose snapshots must give the same states as the whole log
        await stopGracefully(server);
        checkLog(load.sent, (await auditStore(location, TEST_SECRET_KEY, accounts)).trades);
        const all = tally(load.sent);
        t.diagnostic(`seed ${SEED}: ${rounds} kills in ${((performance.now() - started) / 1000).toFixed(1)} s; requests ${JSON.stringify(all)}; ${checkedCommands} logged commands through the invariant checker; ${checkedOrders} acknowledged orders and cancels read back`);
        assert.ok(all.acked >= rounds * 5, `too little load to mean anything: ${JSON.stringify(all)}`);
      });
    });
  }
});
