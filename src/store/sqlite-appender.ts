// The SQLite log's appends on a thread of their own. better-sqlite3 is synchronous: on the server's thread a
// batch's commit (an fsync, ~2-10 ms here) stopped every request for its duration, and a third of the
// venue's time under load went there (bench/orders.ts, cpu profile). Here the thread only posts the rows and
// gets their sequence numbers back once they are durable; reads stay on the store's own connection, which
// sees a batch once its promise resolved (WAL: a later read transaction sees every commit before it).
// Batches are written one at a time, in the order posted, and answered once durable, in that order (the
// thread overlaps their syncs: ./sqlite-append-worker.mjs); a batch may be posted before the last is answered.
import { Worker } from 'node:worker_threads';

export interface CommandRow {
  readonly account_id: string | null;
  readonly command: string;
  readonly time_ms: number;
  readonly client_request_id: string | null;
}

interface Reply {
  readonly id: number;
  readonly seqs?: number[];
  readonly error?: { readonly message: string; readonly code?: string };
}

export class SqliteAppender {
  private worker: Worker | undefined;
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (seqs: number[]) => void; reject: (error: unknown) => void }>();

  constructor(private readonly path: string) {}

  /** The rows' sequence numbers once their transaction committed; an error carries SQLite's code. */
  append(rows: readonly CommandRow[]): Promise<number[]> {
    const worker = (this.worker ??= this.start());
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      worker.postMessage({ id, rows });
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private start(): Worker {
    const worker = new Worker(new URL('./sqlite-append-worker.mjs', import.meta.url), { workerData: { path: this.path } });
    worker.on('message', (reply: Reply) => {
      const waiter = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (!waiter) return;
      if (reply.seqs) waiter.resolve(reply.seqs);
      else waiter.reject(Object.assign(new Error(reply.error?.message ?? 'the SQLite appender failed'), { code: reply.error?.code }));
    });
    // a thread that died fails what it held (the venue then stops: fail-stop) and is started again on the next append
    const failAll = (error: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      for (const waiter of this.waiting.values()) waiter.reject(error);
      this.waiting.clear();
    };
    worker.on('error', failAll);
    worker.on('exit', (code) => failAll(new Error(`the SQLite appender thread exited (${code})`)));
    return worker;
  }
}
