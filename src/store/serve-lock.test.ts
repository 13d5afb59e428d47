// SQLite stays single-process: one `perpguard serve` per file. The mark in the meta table refuses a second
// server while the first one's pid is alive, and is taken over once that pid is gone (a killed server);
// end to end, a second `perpguard serve` on the same file exits 2 with one line naming --db.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { InputError } from '../schema/input-error.ts';
import { backends, openFresh, TEST_SECRET_KEY } from './store-test-support.ts';

const BIN = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const sqlite = (await backends()).list.find((b) => b.name === 'sqlite')!;

/** A pid no process has: a child that already exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '0']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid!;
}

describe('one perpguard serve per SQLite file', () => {
  after(() => sqlite.cleanup());

  it("refuses a second server while the first one's pid is alive, takes over a dead one's mark, and frees it on unlock", async () => {
    const store = await openFresh(sqlite);
    try {
      const me = { pid: process.pid, host: 'this-host' };
      await store.lockServe(me);
      await store.lockServe(me); // the same process again: already its own
      const other = { pid: await deadPid(), host: 'this-host' };
      await assert.rejects(store.lockServe(other), (e: unknown) => e instanceof InputError && e.field === '--db' && e.reason.includes(`served by process ${process.pid} on this-host`));
      await store.unlockServe(me);
      await store.lockServe(other);
      // `other` is not running: its mark is stale and taken over
      await store.lockServe(me);
      // a server on another host cannot be checked from here: refused
      await assert.rejects(store.lockServe({ pid: process.pid, host: 'another-host' }), InputError);
    } finally {
      await store.close();
    }
  });

  it('a second perpguard serve on the same file exits 2 with one line naming --db and the serving process', async () => {
    const db = sqlite.fresh();
    assert.equal(db.kind, 'sqlite');
    const env = { ...process.env, DATABASE_URL: '', PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
    const path = db.kind === 'sqlite' ? db.path : '';
    const first = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--json', '--db', path], { env, stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      await new Promise((resolve, reject) => {
        createInterface({ input: first.stdout! }).once('line', resolve);
        first.once('exit', (code) => reject(new Error(`the first serve exited (${code})`)));
      });
      const second = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--db', path], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      second.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      assert.equal(await new Promise<number | null>((resolve) => second.once('exit', resolve)), 2);
      assert.equal(stderr.trim().split('\n').length, 1, stderr);
      assert.match(stderr, new RegExp(`^perpguard: --db: the SQLite file is already served by process ${first.pid} on `));
    } finally {
      const exited = new Promise((resolve) => first.once('exit', resolve));
      first.kill('SIGTERM');
      await exited;
    }
  });
});
