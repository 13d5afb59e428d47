// The backends every store test runs on: SQLite always, PostgreSQL when reachable. Each test opens a
// fresh store (a new file in a temporary folder, or a new schema of the test database) so runs and
// tests never collide; after() removes them. PostgreSQL not reachable: its tests are skipped, naming why,
// except under CI=true, where that is a failure (CI runs on a machine that has it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { StoreLocation } from './connection.ts';
import { openStore, type Store, type StoreOptions } from './store.ts';

/** PERPGUARD_TEST_DATABASE_URL, else the machine's PostgreSQL 15 (trust auth, database `test`). */
export const TEST_DATABASE_URL = process.env['PERPGUARD_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_SECRET_KEY = '0f'.repeat(32);

export interface Backend {
  readonly name: 'sqlite' | 'postgres';
  /** Why this backend's tests are skipped (undefined: they run). */
  readonly skip: string | undefined;
  /** A location no other test uses. */
  fresh(): StoreLocation;
  /** Removes every location this backend handed out. */
  cleanup(): Promise<void>;
}

async function postgresProblem(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return undefined;
  } catch (caught) {
    return `PostgreSQL at ${TEST_DATABASE_URL.replace(/\/\/[^@]*@/, '//…@')} is not reachable (${(caught as Error).message}); set PERPGUARD_TEST_DATABASE_URL`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

function sqliteBackend(): Backend {
  const folders: string[] = [];
  return {
    name: 'sqlite',
    skip: undefined,
    fresh() {
      const folder = mkdtempSync(join(tmpdir(), 'perpguard-store-'));
      folders.push(folder);
      return { kind: 'sqlite', path: join(folder, 'venue.db') };
    },
    async cleanup() {
      for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
    },
  };
}

function postgresBackend(problem: string | undefined): Backend {
  const schemas: string[] = [];
  return {
    name: 'postgres',
    skip: problem,
    fresh() {
      const schema = `perpguard_test_${process.pid}_${randomBytes(4).toString('hex')}`;
      schemas.push(schema);
      return { kind: 'postgres', url: TEST_DATABASE_URL, schema };
    },
    async cleanup() {
      if (schemas.length === 0) return;
      const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
      await client.connect();
      try {
        for (const schema of schemas.splice(0)) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/**
 * The backends, PostgreSQL probed once. Under CI=true an unreachable PostgreSQL is not skipped: `failure`
 * is set and the caller registers a failing test with it.
 */
export async function backends(): Promise<{ list: Backend[]; failure: string | undefined }> {
  const problem = await postgresProblem();
  const ci = process.env['CI'] !== undefined && process.env['CI'] !== '' && process.env['CI'] !== 'false';
  return { list: [sqliteBackend(), postgresBackend(ci ? undefined : problem)], failure: ci ? problem : undefined };
}

/** A store at a fresh location of `backend`, with a key from the environment form (PostgreSQL needs one). */
export function openFresh(backend: Backend, options: Partial<StoreOptions> = {}): Promise<Store> {
  return openStore({ location: backend.fresh(), env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY }, ...options });
}
