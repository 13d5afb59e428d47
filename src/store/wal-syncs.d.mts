// Types of ./wal-syncs.mjs (plain JavaScript: the SQLite appender's thread has no TypeScript loader).
export interface SyncAnswer {
  readonly id: number;
  readonly seqs?: number[];
  readonly error?: { readonly message: string; readonly code?: string };
}

export declare class WalSyncs {
  constructor(sync: (done: (error?: unknown) => void) => void, answer: (message: SyncAnswer) => void, inFlight: number, slotFree?: () => void);
  /** Set once a sync failed. */
  readonly failure: SyncAnswer['error'];
  /** A batch whose commit returned (its frames written, not synced): answered once durable. */
  written(id: number, seqs: number[], start?: boolean): void;
  /** True while every sync slot runs. */
  readonly full: boolean;
  /** Starts the syncs that may start (after written(..., false)). */
  start(): void;
  /** A batch the database refused (nothing of it written): answered at once. */
  refused(id: number, error: { message: string; code?: string }): void;
}
