// Where the store lives: DATABASE_URL (PostgreSQL) wins over --db, SQLite in perpguard.db by default.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../schema/input-error.ts';
import { connect, int64, storeLocation } from './connection.ts';

describe('store location', () => {
  it('takes DATABASE_URL first, then --db, then perpguard.db', () => {
    assert.deepEqual(storeLocation({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/venue' }, 'x.db'), { kind: 'postgres', url: 'postgres://u@127.0.0.1:5432/venue' });
    assert.deepEqual(storeLocation({ DATABASE_URL: '' }, 'x.db'), { kind: 'sqlite', path: 'x.db' });
    assert.deepEqual(storeLocation({}, undefined), { kind: 'sqlite', path: 'perpguard.db' });
    assert.throws(() => storeLocation({ DATABASE_URL: 'mysql://h/db' }, undefined), (e: unknown) => e instanceof InputError && e.field === 'DATABASE_URL');
  });

  it('takes ?schema= off DATABASE_URL as the schema of the tables, and refuses a schema name that is not one', () => {
    assert.deepEqual(storeLocation({ DATABASE_URL: 'postgres://u@127.0.0.1:5432/venue?schema=venue_a&sslmode=disable' }, undefined), {
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1:5432/venue?sslmode=disable',
      schema: 'venue_a',
    });
    assert.throws(() => storeLocation({ DATABASE_URL: 'postgres://h/db?schema=Bad-Name' }, undefined), (e: unknown) => e instanceof InputError && e.field === 'DATABASE_URL' && e.reason.includes('schema'));
  });

  it('reads 64-bit integers from either driver as exact numbers, and refuses one beyond 2^53', () => {
    assert.equal(int64('1700000000000'), 1_700_000_000_000);
    assert.equal(int64(42), 42);
    assert.throws(() => int64('9007199254740993'));
  });
});

describe('SQLite connection', () => {
  it('names --db when the file cannot be opened', async () => {
    await assert.rejects(connect({ kind: 'sqlite', path: '/nonexistent-folder/venue.db' }), (e: unknown) => e instanceof InputError && e.field === '--db');
  });
});

describe('PostgreSQL connection', () => {
  it('names DATABASE_URL and where it points when nothing answers, without the password', async () => {
    for (const schema of [undefined, 'perpguard_unreachable']) {
      await assert.rejects(
        connect({ kind: 'postgres', url: 'postgres://trader:hunter2@127.0.0.1:1/venue', ...(schema ? { schema } : {}) }),
        (e: unknown) => e instanceof InputError && e.field === 'DATABASE_URL' && e.reason.startsWith('cannot use PostgreSQL at 127.0.0.1:1/venue: ') && !e.message.includes('hunter2'),
      );
    }
  });
});
