// Group commit: concurrent appends share one transaction (one sync) while the previous batch is being
// written, and the log's order is the order of the append calls. The server needs that order: it
// applies commands to its in-memory states in call order, and a replay applies them in sequence order,
// so the two must agree (two appends racing on separate PostgreSQL connections could take their
// sequence numbers in one order and commit in the other). One GroupCommit per store, shared by every
// request: it is the single writer.
// A store whose appends keep the order they were issued in even while earlier ones are not durable yet (the
// SQLite appender's one connection, ./sqlite-appender.ts: `appendsQueued`) gets each turn's batch at once,
// without waiting for the one before it: its syncs overlap (./sqlite-appender.ts says how).
import { checkCommand, type NewCommand } from './command-log.ts';
import type { Store } from './store.ts';

interface Pending {
  readonly entry: NewCommand;
  readonly resolve: (seq: number) => void;
  readonly reject: (error: unknown) => void;
}

export class GroupCommit {
  private queue: Pending[] = [];
  private writing = false;
  /** Transactions written so far (each one batch): how much the grouping saved, for tests and metrics. */
  batches = 0;

  constructor(
    private readonly store: Pick<Store, 'appendBatch'> & Partial<Pick<Store, 'appendsQueued'>>,
    /** At most this many commands per transaction, so one batch's latency stays bounded. */
    private readonly maxBatch = 500,
  ) {}

  /**
   * The command's sequence number once it is durable. A command the log refuses is refused here, alone;
   * a failure of the database fails every command of its batch (none of them was written).
   */
  append(entry: NewCommand): Promise<number> {
    // refused as a rejected promise, as ever (the venue's fail-stop hangs on it), without an async wrapper
    let checked: NewCommand;
    try {
      checked = checkCommand(entry);
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ entry: checked, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        // the batch starts in the check phase, after this turn's I/O callbacks: requests read in the same
        // poll phase join it. Started at once, a SQLite batch (better-sqlite3 is synchronous: the whole
        // transaction and its fsync run inside this callback's microtasks) took one request at a time and
        // the venue made one fsync per order (~100 orders/s instead of a batch per turn).
        setImmediate(() => void (this.store.appendsQueued ? this.issue() : this.drain()));
      }
    });
  }

  /** Queued appends: this turn's batches issued at once; each settles when durable, in the store's order. */
  private issue(): void {
    this.writing = false;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.batches += 1;
      this.store.appendBatch(batch.map((p) => p.entry)).then(
        (seqs) => batch.forEach((p, i) => p.resolve(seqs[i]!)),
        (error: unknown) => batch.forEach((p) => p.reject(error)),
      );
    }
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.batches += 1;
      try {
        const seqs = await this.store.appendBatch(batch.map((p) => p.entry));
        batch.forEach((p, i) => p.resolve(seqs[i]!));
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
    this.writing = false;
  }
}
