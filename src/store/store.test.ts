// The store's log and accounts, the same cases on SQLite and on PostgreSQL (store-test-support.ts).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sql } from 'kysely';
import { InputError } from '../schema/input-error.ts';
import { ENGINE_VERSION } from '../engine/version.ts';
import { connect } from './connection.ts';
import { otherEngines } from './engine-history.ts';
import { decimalType, migrate } from './migrations.ts';
import { SecretOpenError } from './secret-box.ts';
import { backends, openFresh } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

// the backends side by side (each has its own locations): the file's time is the slower one's, not the sum
describe('store', { concurrency: true }, () => {
  for (const backend of list) {
    describe(`store on ${backend.name}`, { skip: backend.skip }, () => {
      after(() => backend.cleanup());

      it('appends in one global order and reads each command back byte for byte, with its time and request id', async () => {
        const store = await openFresh(backend);
        try {
          const { accountId } = await store.createAccount({ timeMs: 1_000 });
          const order = { op: 'order', account: accountId, symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.001', price: '49999.9', timeInForce: 'GTC', clientOrderId: 'x-5n' };
          const first = await store.append({ command: { op: 'mark', symbol: 'BTCUSDT', price: '50000.123456789012345678' }, timeMs: 2_000 });
          const [second, third] = await store.appendBatch([
            { command: order, timeMs: 3_000, clientRequestId: 'req-1' },
            { command: { op: 'funding', symbol: 'BTCUSDT', rate: '-0.000123456789012345' }, timeMs: 1_700_000_000_000 },
          ]);
          assert.deepEqual([second! - first, third! - first], [1, 2]);
          const logged = [];
          for await (const c of store.commands()) logged.push(c);
          assert.deepEqual(
            logged.map((c) => [c.accountId, JSON.stringify(c.command), c.timeMs, c.clientRequestId]),
            [
              [null, '{"op":"mark","symbol":"BTCUSDT","price":"50000.123456789012345678"}', 2_000, null],
              [accountId, JSON.stringify(order), 3_000, 'req-1'],
              [null, '{"op":"funding","symbol":"BTCUSDT","rate":"-0.000123456789012345"}', 1_700_000_000_000, null],
            ],
          );
          // one account's view: its commands and the market's, from a sequence number on
          const { accountId: other } = await store.createAccount({ timeMs: 4_000, deposits: [{ asset: 'USDT', amount: '5' }] });
          const seen = [];
          for await (const c of store.commands({ accountIds: [accountId], afterSeq: first })) seen.push(c.seq);
          assert.deepEqual(seen, [second, third]);
          const theirs = [];
          for await (const c of store.commands({ accountIds: [other] })) theirs.push(c.command['op']);
          assert.deepEqual(theirs, ['mark', 'funding', 'deposit']);
          // read 2 or 3 rows per query (pages that end on the last row, and one that does not): the same log
          const whole = [];
          for await (const c of store.commands()) whole.push(c.seq);
          assert.equal(whole.length, 4);
          for (const pageRows of [2, 3]) {
            const paged = [];
            for await (const c of store.commands({ pageRows })) paged.push(c.seq);
            assert.deepEqual(paged, whole);
          }
        } finally {
          await store.close();
        }
      });

      it('refuses what the engine could not replay, naming the field, and appends nothing of a refused batch', async () => {
        const store = await openFresh(backend);
        try {
          const { accountId } = await store.createAccount({ timeMs: 1 });
          const cases: [Record<string, unknown>, number, string][] = [
            [{ op: 'deposit', account: accountId, asset: 'USDT', amount: 10 }, 1, 'commands[0].command.amount'],
            [{ op: 'deposit', account: accountId, asset: 'USDT', amount: '10', at: 5 }, 1, 'commands[0].command.at'],
            [{ op: 'deposit', asset: 'USDT', amount: '10' }, 1, 'commands[0].command.account'],
            [{ op: 'mark', symbol: 'BTCUSDT', price: '1' }, -1, 'commands[0].timeMs'],
            [{ op: 'deposit', account: 'nobody', asset: 'USDT', amount: '10' }, 1, 'command.account'],
          ];
          for (const [command, timeMs, field] of cases) {
            await assert.rejects(store.append({ command, timeMs }), (e: unknown) => e instanceof InputError && e.field === field, field);
          }
          await assert.rejects(store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '-5' }] }), (e: unknown) => e instanceof InputError && e.field === 'deposits[0].amount');
          await assert.rejects(store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '5' }, { asset: 'USDC', amount: '5' }] }), (e: unknown) => e instanceof InputError && e.field === 'deposits[1].asset' && e.reason === 'USDC is not a margin asset on binance-usdm (USDT)');
          await assert.rejects(store.appendBatch([{ command: { op: 'mark', symbol: 'BTCUSDT', price: '1' }, timeMs: 2 }, { command: { op: 'deposit', account: 'nobody', asset: 'USDT', amount: '1' }, timeMs: 2 }]), InputError);
          let count = 0;
          for await (const _ of store.commands()) count += 1;
          assert.equal(count, 0);
        } finally {
          await store.close();
        }
      });

      it('creates accounts with 64-character credentials, returns the secret to authenticate, and stores it only sealed', async () => {
        const location = backend.fresh();
        const store = await openFresh(backend, { location });
        let secret: string;
        try {
          const created = await store.createAccount({ timeMs: 1_000, deposits: [{ asset: 'USDT', amount: '10000' }] });
          secret = created.secret;
          assert.match(created.apiKey, /^[A-Za-z0-9]{64}$/);
          assert.match(secret, /^[A-Za-z0-9]{64}$/);
          assert.deepEqual(await store.credentials(created.apiKey), { accountId: created.accountId, secret });
          assert.equal(await store.credentials('not-a-key'), undefined);
          assert.deepEqual((await store.accounts()).map((a) => [a.accountId, a.apiKey, a.createdMs]), [[created.accountId, created.apiKey, 1_000]]);
          // the opening deposit is the account's first command, in the same transaction
          const first = (await store.commands().next()).value;
          assert.deepEqual(first?.command, { op: 'deposit', account: created.accountId, asset: 'USDT', amount: '10000' });
          // nowhere in the database: every row of every table as text (PostgreSQL), the raw files (SQLite)
          const everything = await dump(location);
          assert.ok(everything.includes(created.apiKey), 'the dump must hold the public key (the check would be void otherwise)');
          assert.ok(!everything.includes(secret), 'the secret is stored in clear');
          assert.ok(!everything.includes(Buffer.from(secret).toString('base64').slice(0, 40)), 'the secret is stored base64-encoded');
        } finally {
          await store.close();
        }
        // another key does not open it
        const other = await openFresh(backend, { location, env: { PERPGUARD_SECRET_KEY: 'a1'.repeat(32) } });
        try {
          const [account] = await other.accounts();
          await assert.rejects(other.credentials(account!.apiKey), SecretOpenError);
        } finally {
          await other.close();
        }
      });

      it('logs opening deposits at the venue\'s time (the newest in the log), so a feed running in the past replays', async () => {
        const store = await openFresh(backend);
        try {
          const wallMs = 1_764_633_600_000; // 2025-12-02: `perpguard accounts create` on the machine's clock
          const first = await store.createAccount({ timeMs: wallMs, deposits: [{ asset: 'USDT', amount: '100' }] });
          assert.equal(first.deposits[0]!.timeMs, 0); // an empty log: the start of time
          const feedMs = 1_583_971_200_000; // 2020-03-12, Black Thursday, where a replay feed may run
          await store.append({ command: { op: 'mark', symbol: 'BTCUSDT', price: '7900' }, timeMs: feedMs });
          const second = await store.createAccount({ timeMs: wallMs, deposits: [{ asset: 'USDT', amount: '10000' }, { asset: 'USDT', amount: '0.5' }] });
          assert.deepEqual(second.deposits.map((d) => d.timeMs), [feedMs, feedMs]);
          assert.equal((await store.accounts()).find((a) => a.accountId === second.accountId)?.createdMs, wallMs);
          await store.append({ command: { op: 'mark', symbol: 'BTCUSDT', price: '5000' }, timeMs: feedMs + 3_600_000 });
          await store.append({ command: { op: 'order', account: second.accountId, symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.1' }, timeMs: feedMs + 3_600_000 });
          const replayed = await store.replay(second.accountId);
          assert.deepEqual(replayed.refused, []);
          assert.equal(Object.keys(replayed.state.users[second.accountId]!.positions).length, 1);
        } finally {
          await store.close();
        }
      });

      it('keeps a decimal column exact: 38 digits with 18 decimals round-trip as the same string', async () => {
        const connection = await connect(backend.fresh());
        try {
          await migrate(connection);
          const db = connection.db.withTables<{ amounts: { id: number; amount: string } }>();
          await db.schema.createTable('amounts').addColumn('id', 'integer', (c) => c.primaryKey()).addColumn('amount', decimalType(connection.dialect), (c) => c.notNull()).execute();
          // 20 + 18 digits: beyond float64 (15-17 significant digits) and beyond int64
          const values = ['12345678901234567890.123456789012345678', '-99999999999999999999.999999999999999999', '0.000000000000000001', '1.5'];
          await db.insertInto('amounts').values(values.map((amount, id) => ({ id, amount }))).execute();
          const rows = await db.selectFrom('amounts').select(['amount']).orderBy('id').execute();
          assert.deepEqual(rows.map((r) => r.amount), values);
          // PostgreSQL also adds them exactly (NUMERIC, not text); the sum is Python's decimal at 80 digits.
          // SQLite keeps them as text: the store does no arithmetic on amounts in SQL.
          if (connection.dialect === 'postgres') {
            const { rows: sum } = await sql<{ total: string }>`select sum(amount)::text as total from amounts`.execute(db);
            assert.equal(sum[0]!.total, '-87654321098765432108.376543210987654320');
          }
        } finally {
          await connection.close();
        }
      });

      it("indexes the log by account on PostgreSQL only (0003: SQLite's appends skip it) and reads an account's log in order either way", async () => {
        const location = backend.fresh();
        const connection = await connect(location);
        try {
          await migrate(connection);
          const indexes =
            connection.dialect === 'sqlite'
              ? (await sql<{ name: string }>`select name from sqlite_master where type = 'index' and tbl_name = 'commands'`.execute(connection.db)).rows.map((r) => r.name)
              : (await sql<{ name: string }>`select indexname as name from pg_indexes where tablename = 'commands' and schemaname = current_schema()`.execute(connection.db)).rows.map((r) => r.name);
          assert.equal(indexes.includes('commands_account_seq'), connection.dialect === 'postgres', `indexes on commands: ${indexes.join(', ')}`);
        } finally {
          await connection.close();
        }
        const store = await openFresh(backend);
        try {
          const ids = [(await store.createAccount({ timeMs: 1_000 })).accountId, (await store.createAccount({ timeMs: 1_000 })).accountId];
          // interleaved: the market's rows, both accounts', over several pages of 3 rows
          const entries = Array.from({ length: 20 }, (_, i) =>
            i % 3 === 0 ? { command: { op: 'mark', symbol: 'BTCUSDT', price: `${50_000 + i}` }, timeMs: 2_000 + i } : { command: { op: 'deposit', account: ids[i % 3 === 1 ? 0 : 1]!, asset: 'USDT', amount: `${i}` }, timeMs: 2_000 + i },
          );
          await store.appendBatch(entries);
          const read: string[] = [];
          for await (const c of store.commands({ accountIds: [ids[0]!], pageRows: 3 })) read.push(`${c.accountId ?? 'market'}:${c.timeMs}`);
          const expected = entries.filter((e) => !('account' in e.command) || e.command.account === ids[0]).map((e) => `${'account' in e.command ? ids[0] : 'market'}:${e.timeMs}`);
          // the accounts' creation deposits come first (logged by createAccount)
          assert.deepEqual(read.slice(-expected.length), expected);
          assert.ok(read.slice(0, -expected.length).every((r) => r.startsWith(`${ids[0]}:`)), read.join(' '));
        } finally {
          await store.close();
        }
      });

      it('commits durably: synchronous_commit on (PostgreSQL), WAL with synchronous=FULL (SQLite)', async () => {
        const connection = await connect(backend.fresh());
        try {
          const setting = async (query: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(query)}`.execute(connection.db)).rows[0]!)[0];
          if (connection.dialect === 'postgres') assert.equal(await setting('show synchronous_commit'), 'on');
          // synchronous 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA); foreign keys on, which SQLite leaves off by default
        else assert.deepEqual([await setting('pragma journal_mode'), await setting('pragma synchronous'), await setting('pragma foreign_keys')], ['wal', 2, 1]);
        } finally {
          await connection.close();
        }
      });

      it('records each engine that opens the store and the first sequence number it could write', async () => {
        const location = backend.fresh();
        const store = await openFresh(backend, { location });
        assert.deepEqual(store.engines, [{ engine: ENGINE_VERSION, fromSeq: 1 }]);
        for (const price of ['1', '2', '3']) await store.append({ command: { op: 'mark', symbol: 'BTCUSDT', price }, timeMs: 1 });
        await store.close();
        // as if an older engine had written those three commands
        const connection = await connect(location);
        await connection.db.updateTable('meta').set({ value: JSON.stringify([{ engine: '0.0.9+engine.0', fromSeq: 1 }]) }).where('key', '=', 'engines').execute();
        await connection.close();
        for (let open = 0; open < 2; open++) {
          const again = await openFresh(backend, { location });
          assert.deepEqual(again.engines, [{ engine: '0.0.9+engine.0', fromSeq: 1 }, { engine: ENGINE_VERSION, fromSeq: 4 }]);
          assert.deepEqual(otherEngines(again.engines), [{ engine: '0.0.9+engine.0', fromSeq: 1 }]);
          await again.close();
        }
      });

      it('records the venue set-up once and refuses to reopen the store under another', async () => {
        const location = backend.fresh();
        const store = await openFresh(backend, { location, setup: { exchange: 'binance-usdm', fees: { taker: '0.0004', maker: '0.0002' } } });
        assert.deepEqual(store.setup.fees, { taker: '0.0004', maker: '0.0002' });
        await store.close();
        const again = await openFresh(backend, { location });
        assert.deepEqual(again.setup.fees, { taker: '0.0004', maker: '0.0002' });
        await again.close();
        // the same set-up written in another key order is the same set-up
        const reordered = await openFresh(backend, { location, setup: { fees: { maker: '0.0002', taker: '0.0004' }, exchange: 'binance-usdm' } });
        await reordered.close();
        await assert.rejects(openFresh(backend, { location, setup: { exchange: 'bybit-linear' } }), (e: unknown) => e instanceof InputError && e.field === 'setup');
      });
    });
  }
});

/** Everything the database holds, as text. */
async function dump(location: ReturnType<(typeof list)[number]['fresh']>): Promise<string> {
  if (location.kind === 'sqlite') {
    const folder = dirname(location.path);
    return readdirSync(folder).filter((f) => !f.endsWith('.key')).map((f) => readFileSync(join(folder, f)).toString('latin1')).join('\n');
  }
  const connection = await connect(location);
  try {
    const parts: string[] = [];
    for (const table of ['accounts', 'commands', 'snapshots', 'meta', 'kysely_migration']) {
      const { rows } = await sql<{ row: string }>`select t::text as row from ${sql.table(table)} t`.execute(connection.db);
      parts.push(...rows.map((r) => r.row));
    }
    return parts.join('\n');
  } finally {
    await connection.close();
  }
}

