// Which appended batches a sync of the WAL made durable (the SQLite appender, ./sqlite-appender.ts, which
// says why). A batch written (committed without a sync) is answered once a
// sync that started after it was written has returned; up to `inFlight` syncs run at once, each covering every
// batch written before it started; answers go out in the order the batches were written. A failed sync fails
// every batch not yet answered and every later one: what reached the disk is unknown from then on.
// Plain JavaScript (it ran on a worker thread without a TypeScript loader once); ./wal-syncs.d.mts types it.

export class WalSyncs {
  /**
   * @param {(done: (error?: unknown) => void) => void} sync starts one sync of the WAL file; calls done when it returned
   * @param {(message: { id: number, seqs?: number[], error?: { message: string, code?: string } }) => void} answer
   * @param {number} inFlight syncs at most at once
   * @param {() => void} [slotFree] called when a sync returned and no other could start in its place (or one failed):
   *   the writer may hold its batches uncommitted while every sync runs, and commit them together then
   */
  constructor(sync, answer, inFlight, slotFree) {
    this.sync = sync;
    this.answer = answer;
    this.inFlight = inFlight;
    this.slotFree = slotFree;
    /** Batches written and not answered, oldest first: [number, id, seqs]. */
    this.unsynced = [];
    this.writtenCount = 0;
    this.durableThrough = 0;
    this.startedThrough = 0;
    this.running = 0;
    /** Set once a sync failed. */
    this.failure = undefined;
  }

  /**
   * A batch whose commit returned (its frames written, not synced): answered once durable. `start` false: the
   * caller has more batches of the same commit to report, and calls start() after the last (one sync for all).
   */
  written(id, seqs, start = true) {
    if (this.failure !== undefined) return this.answer({ id, error: this.failure });
    this.writtenCount += 1;
    this.unsynced.push([this.writtenCount, id, seqs]);
    if (start) this.start();
  }

  /** True while every sync slot runs: a batch written now would wait for one to return before any sync covers it. */
  get full() {
    return this.failure === undefined && this.running >= this.inFlight;
  }

  /** A batch the database refused (nothing of it written): answered at once. */
  refused(id, error) {
    this.answer({ id, error: this.failure ?? error });
  }

  start() {
    while (this.failure === undefined && this.running < this.inFlight && this.startedThrough < this.writtenCount) {
      const through = this.writtenCount;
      this.startedThrough = through;
      this.running += 1;
      this.sync((error) => {
        this.running -= 1;
        if (error) return this.fail(error);
        this.durableThrough = Math.max(this.durableThrough, through);
        while (this.unsynced.length > 0 && this.unsynced[0][0] <= this.durableThrough) {
          const [, id, seqs] = this.unsynced.shift();
          this.answer({ id, seqs });
        }
        this.start();
        if (this.running < this.inFlight) this.slotFree?.();
      });
    }
  }

  fail(error) {
    this.failure ??= { message: error instanceof Error ? error.message : String(error), code: error?.code };
    for (const [, id] of this.unsynced.splice(0)) this.answer({ id, error: this.failure });
    this.slotFree?.();
  }
}
