// Which batches a sync of the SQLite WAL made durable (./wal-syncs.mjs), with syncs the test completes by hand.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { WalSyncs, type SyncAnswer } from './wal-syncs.mjs';

/** A WalSyncs whose syncs wait until the test ends them (in any order), and the answers it gave. */
function harness(inFlight: number) {
  const running: ((error?: unknown) => void)[] = [];
  const answers: SyncAnswer[] = [];
  const syncs = new WalSyncs((done) => running.push(done), (a) => answers.push(a), inFlight);
  return { syncs, running, answers, ids: () => answers.map((a) => a.id) };
}

describe('WAL syncs', () => {
  it('answers a written batch only when a sync started after its write has returned', () => {
    const { syncs, running, answers } = harness(3);
    syncs.written(1, [10, 11]);
    assert.equal(running.length, 1);
    assert.deepEqual(answers, []);
    running[0]!();
    assert.deepEqual(answers, [{ id: 1, seqs: [10, 11] }]);
  });

  it('overlaps up to its limit of syncs; a batch written while all run waits for the next one, started when one ends', () => {
    const { syncs, running, ids } = harness(2);
    syncs.written(1, [1]);
    syncs.written(2, [2]);
    syncs.written(3, [3]); // both syncs run: none covers batch 3
    assert.equal(running.length, 2);
    running[0]!(); // covers batch 1 only
    assert.deepEqual(ids(), [1]);
    assert.equal(running.length, 3, 'a sync for batch 3 starts as soon as one ended');
    running[1]!(); // covers 1 and 2
    assert.deepEqual(ids(), [1, 2]);
    running[2]!();
    assert.deepEqual(ids(), [1, 2, 3]);
  });

  it('batches of one commit reported with start=false share the one sync start() begins; slotFree is called when a sync returns and none took its place', () => {
    const running: ((error?: unknown) => void)[] = [];
    const answers: SyncAnswer[] = [];
    let free = 0;
    const syncs = new WalSyncs((done) => running.push(done), (a) => answers.push(a), 1, () => (free += 1));
    syncs.written(1, [1], false);
    syncs.written(2, [2], false);
    assert.equal(running.length, 0);
    syncs.start();
    assert.equal(running.length, 1);
    assert.equal(syncs.full, true);
    running[0]!();
    assert.deepEqual(answers.map((a) => a.id), [1, 2]);
    assert.equal(syncs.full, false);
    assert.equal(free, 1);
    syncs.written(3, [3]);
    syncs.written(4, [4]); // waits: the one slot runs
    running[1]!(); // covers 3; a sync for 4 starts in its place: no free slot to report
    assert.equal(free, 1);
    running[2]!();
    assert.deepEqual(answers.map((a) => a.id), [1, 2, 3, 4]);
    assert.equal(free, 2);
  });

  it('a later sync returning first makes every batch written before it started durable, answered in write order', () => {
    const { syncs, running, ids } = harness(3);
    syncs.written(7, [1]);
    syncs.written(8, [2]);
    running[1]!(); // started after both writes: covers both, though the first sync is still running
    assert.deepEqual(ids(), [7, 8]);
    running[0]!(); // nothing left to answer
    assert.deepEqual(ids(), [7, 8]);
  });

  it('a failed sync fails every batch not yet answered and every later one; a refused batch is answered at once', () => {
    const { syncs, running, answers } = harness(3);
    syncs.refused(1, { message: 'FOREIGN KEY constraint failed', code: 'SQLITE_CONSTRAINT_FOREIGNKEY' });
    syncs.written(2, [1]);
    syncs.written(3, [2]);
    running[0]!(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    running[1]!(); // returned fine, but after the failure nothing can be known durable
    syncs.written(4, [3]);
    syncs.refused(5, { message: 'other' });
    const eio = { message: 'EIO: i/o error, fdatasync', code: 'EIO' };
    assert.deepEqual(answers, [
      { id: 1, error: { message: 'FOREIGN KEY constraint failed', code: 'SQLITE_CONSTRAINT_FOREIGNKEY' } },
      { id: 2, error: eio },
      { id: 3, error: eio },
      { id: 4, error: eio },
      { id: 5, error: eio },
    ]);
    assert.equal(running.length, 2, 'no sync starts after a failure');
  });
});
