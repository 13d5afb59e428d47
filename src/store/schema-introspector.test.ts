// A store on PostgreSQL opens while other schemas of the same database come and go (other venues, other
// test runs cleaning up). kysely's stock introspector read every schema's tables and failed on one dropped
// meanwhile ("schema ... does not exist": seen in CI, reproduced at 70 failed reads in 1,743); the store's
// introspector reads its own schema only.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { connect } from './connection.ts';
import { backends, openFresh, TEST_DATABASE_URL } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));
const postgres = list.find((b) => b.name === 'postgres')!;

describe('the store introspects only its own schema', { skip: postgres.skip }, () => {
  after(() => postgres.cleanup());

  it('lists its own tables (the migration tables when asked) and none of another schema', async () => {
    const location = postgres.fresh();
    await (await openFresh(postgres, { location })).close();
    const other = postgres.fresh();
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    try {
      await admin.query(`create schema "${other.kind === 'postgres' ? other.schema : ''}"`);
      await admin.query(`create table "${other.kind === 'postgres' ? other.schema : ''}".elsewhere (id bigserial primary key)`);
    } finally {
      await admin.end();
    }
    const connection = await connect(location);
    try {
      const tables = await connection.db.introspection.getTables({ withInternalKyselyTables: true });
      assert.deepEqual(
        tables.map((t) => t.name),
        ['account_leases', 'accounts', 'cluster_nodes', 'commands', 'kysely_migration', 'kysely_migration_lock', 'market_head', 'meta', 'snapshots'],
      );
      assert.ok(tables.every((t) => t.schema === connection.schema));
      const seq = tables.find((t) => t.name === 'commands')!.columns.find((c) => c.name === 'seq')!;
      assert.deepEqual([seq.dataType, seq.isNullable, seq.isAutoIncrementing], ['int8', false, true]);
      assert.ok(!(await connection.db.introspection.getTables()).some((t) => t.name.startsWith('kysely_')));
    } finally {
      await connection.close();
    }
  });

  it('opens (and migrates) while another connection creates and drops 150 schemas with tables', async () => {
    const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await admin.connect();
    let churning = true;
    const churn = (async () => {
      try {
        for (let i = 0; i < 150; i++) {
          const schema = `perpguard_churn_${process.pid}_${i}`;
          await admin.query(`create schema "${schema}"`);
          await admin.query(`create table "${schema}".t (seq bigserial primary key, note text)`);
          await admin.query(`drop schema "${schema}" cascade`);
        }
      } finally {
        churning = false;
        await admin.end();
      }
    })();
    let opened = 0;
    while (churning) {
      const store = await openFresh(postgres);
      await store.close();
      opened += 1;
    }
    await churn;
    assert.ok(opened > 0);
  });
});
