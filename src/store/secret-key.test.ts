// Where the sealing key comes from: PERPGUARD_SECRET_KEY, else a key file created with mode 0600.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../schema/input-error.ts';
import { loadSecretKey, secretKeySource } from './secret-key.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-key-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const refusedAt = (field: string) => (e: unknown) => e instanceof InputError && e.field === field;

describe('secret key', () => {
  it('creates the key file beside a SQLite database with mode 0600 and reads the same key back', () => {
    const db = join(folder, 'venue.db');
    const source = secretKeySource({ kind: 'sqlite', path: db }, {});
    assert.deepEqual(source, { file: `${db}.key` });
    const key = loadSecretKey(source);
    assert.equal(key.length, 32);
    assert.equal(statSync(`${db}.key`).mode & 0o777, 0o600);
    assert.equal(readFileSync(`${db}.key`, 'utf8'), `${key.toString('hex')}\n`);
    assert.deepEqual(loadSecretKey(source), key);
  });

  it('prefers PERPGUARD_SECRET_KEY, and needs it (or a key file) for PostgreSQL', () => {
    const env = { PERPGUARD_SECRET_KEY: 'AB'.repeat(32) };
    assert.deepEqual(loadSecretKey(secretKeySource({ kind: 'sqlite', path: join(folder, 'x.db') }, env)), Buffer.alloc(32, 0xab));
    assert.throws(() => secretKeySource({ kind: 'postgres', url: 'postgres://h/db' }, {}), refusedAt('PERPGUARD_SECRET_KEY'));
    assert.deepEqual(secretKeySource({ kind: 'postgres', url: 'postgres://h/db' }, {}, join(folder, 'pg.key')), { file: join(folder, 'pg.key') });
    assert.throws(() => loadSecretKey({ env: 'ab'.repeat(31) }), refusedAt('PERPGUARD_SECRET_KEY'));
    assert.throws(() => loadSecretKey({ env: 'zz'.repeat(32) }), refusedAt('PERPGUARD_SECRET_KEY'));
  });

  it('refuses a key file that others may read, or that does not hold a key', () => {
    const open = join(folder, 'open.key');
    writeFileSync(open, `${'cd'.repeat(32)}\n`, { mode: 0o644 });
    chmodSync(open, 0o644);
    assert.throws(() => loadSecretKey({ file: open }), (e: unknown) => e instanceof InputError && /chmod 600/.test(e.reason));
    chmodSync(open, 0o600);
    assert.deepEqual(loadSecretKey({ file: open }), Buffer.alloc(32, 0xcd));
    const short = join(folder, 'short.key');
    writeFileSync(short, 'cdcd\n', { mode: 0o600 });
    assert.throws(() => loadSecretKey({ file: short }), (e: unknown) => e instanceof InputError && /64 hex digits/.test(e.reason));
  });
});
