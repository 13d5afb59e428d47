// Durability: a process that appends and is killed with SIGKILL right after an acknowledged append loses
// none of the commands it acknowledged. The parent kills the writer as soon as it has read its 40th
// acknowledgement, reopens the store and finds every acknowledged command with its own content.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline';
import { backends, openFresh } from './store-test-support.ts';
import { openStore } from './store.ts';
import { TEST_SECRET_KEY } from './store-test-support.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const WRITER = fileURLToPath(new URL('./crash-writer-test-support.ts', import.meta.url));
const ACKNOWLEDGED = 40;

// the backends side by side (each has its own locations): the file's time is the slower one's, not the sum
describe('durability', { concurrency: true }, () => {
  for (const backend of list) {
    describe(`durability on ${backend.name}`, { skip: backend.skip }, () => {
      after(() => backend.cleanup());

      it('keeps every acknowledged append of a writer killed with SIGKILL', async () => {
        const location = backend.fresh();
        const setup = await openFresh(backend, { location });
        const { accountId } = await setup.createAccount({ timeMs: 0 });
        await setup.close();

        const child = spawn(process.execPath, ['--import', 'tsx', WRITER, JSON.stringify(location), accountId], { stdio: ['ignore', 'pipe', 'pipe'] });
        let stderr = '';
        child.stderr.on('data', (chunk) => (stderr += chunk));
        const acknowledged = new Map<number, number>();
        const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
        for await (const line of createInterface({ input: child.stdout })) {
          const [seq, i] = line.split(' ').map(Number);
          acknowledged.set(seq!, i!);
          if (acknowledged.size === ACKNOWLEDGED) {
            child.kill('SIGKILL');
            break;
          }
        }
        assert.equal(await exited, 'SIGKILL', `the writer ended before it was killed: ${stderr}`);
        assert.equal(acknowledged.size, ACKNOWLEDGED);

        const store = await openStore({ location, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
        try {
          const stored = new Map<number, unknown>();
          for await (const c of store.commands({ accountIds: [accountId] })) stored.set(c.seq, c.command['amount']);
          for (const [seq, i] of acknowledged) assert.equal(stored.get(seq), `${i}.000000000000000001`, `acknowledged seq ${seq}`);
          // and the log is whole: what was written after the last acknowledgement is there or not, never half
          const replayed = await store.replay(accountId);
          assert.equal(replayed.refused.length, 0);
          assert.equal(replayed.applied, stored.size);
        } finally {
          await store.close();
        }
      });
    });
  }
});
