// Where the store lives: DATABASE_URL (PostgreSQL) wins over --db, SQLite in perpguard.db by default.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../schema/input-error.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { connect, int64, storeLocation } from './connection.ts';

describe('store location', () => {
  it('takes DATABASE_URL first, then --db, then perpguard.db', () => {
    assert.deepEqual(storeLocation({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/venue' }, 'x.db'), { kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/venue' });
    assert.deepEqual(storeLocation({ DATABASE_URL: '' }, 'x.db'), { kind: 'sqlite', path: 'x.db' });
    assert.deepEqual(storeLocation({}, undefined), { kind: 'sqlite', path: 'perpguard.db' });
    assert.throws(() => storeLocation({ DATABASE_URL: 'mysql://h/db' }, undefined), (e: unknown) => e instanceof InputError && e.field === 'DATABASE_URL');
  });

  it('reads 64-bit integers from either driver as exact numbers, and refuses one beyond 2^53', () => {
    assert.equal(int64('1700000000000'), 1_700_000_000_000);
    assert.equal(int64(42), 42);
    assert.throws(() => int64('9007199254740993'));
  });
});

describe('SQLite connection', () => {
  it('is in WAL mode with synchronous=FULL (a commit is synced before it returns) and checks foreign keys', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'perpguard-conn-'));
    const connection = await connect({ kind: 'sqlite', path: join(folder, 'venue.db') });
    try {
      const pragma = async (name: string) => Object.values((await sql<Record<string, unknown>>`${sql.raw(`pragma ${name}`)}`.execute(connection.db)).rows[0]!)[0];
      assert.equal(await pragma('journal_mode'), 'wal');
      assert.equal(await pragma('synchronous'), 2); // 2 = FULL (0 OFF, 1 NORMAL, 3 EXTRA)
      assert.equal(await pragma('foreign_keys'), 1);
    } finally {
      await connection.close();
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('names --db when the file cannot be opened', async () => {
    await assert.rejects(connect({ kind: 'sqlite', path: '/nonexistent-folder/venue.db' }), (e: unknown) => e instanceof InputError && e.field === '--db');
  });
});
