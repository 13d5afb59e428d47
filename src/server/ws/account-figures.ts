// The dashboard's live account (/perpguard/ws?listenKey=…): the figures GET /perpguard/v1/account,
// /liquidation, /blastRadius and /domino answer, pushed whenever the account changes (its own commands, a
// mark of any symbol, a funding, a liquidation), instead of the page polling four routes every 2 s. A cross
// position's liquidation price moves with every other position's mark, which no Binance user stream
// message carries, so the venue sends the figures themselves.
// Frames are built from the state at send time, at most one per account every `everyMs` (a crash replayed
// at x10,000 marks every few milliseconds), and sent only once every change they include is durable, in
// the order they were built. The socket is also one of the hub's (with no user events), so an expired or
// closed listenKey ends it as it ends the account's other streams.
import { accountFiguresJson } from '../advisor/account-advice.ts';
import type { Venue, VenueChange } from '../venue/venue.ts';
import type { StreamSocket } from './stream-socket.ts';

/** The frame's event type, as Binance names its user stream events. */
const ACCOUNT_FIGURES_EVENT = 'perpguardAccount';
/** At most four frames a second per account: faster than the eye reads a table, far slower than marks come. */
const FIGURES_EVERY_MS = 250;

export interface AccountFiguresOptions {
  readonly venue: Venue;
  readonly log: (line: string) => void;
  readonly everyMs?: number;
}

interface Pending {
  /** The durability of the latest change applied to the account: a frame built now waits for it. */
  durable: Promise<unknown>;
  /** The feed time of that change (the frame's E). */
  timeMs: number;
}

export class AccountFigures {
  private readonly readers = new Map<string, Set<StreamSocket>>();
  private readonly latest = new Map<string, Pending>();
  private readonly dirty = new Set<string>();
  /** Per account, the frames on their way: each is sent after the one before it. */
  private readonly chains = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: AccountFiguresOptions) {
    this.unsubscribe = options.venue.onChange((change) => this.onChange(change));
  }

  /** A dashboard's socket of `account`: it hears the figures now, then on every change. */
  add(socket: StreamSocket, account: string): void {
    this.readers.set(account, (this.readers.get(account) ?? new Set()).add(socket));
    socket.ws.on('close', () => {
      const mine = this.readers.get(account);
      mine?.delete(socket);
      if (mine?.size === 0) this.readers.delete(account);
    });
    this.send(account, [socket]);
  }

  close(): void {
    this.unsubscribe();
    clearTimeout(this.timer);
  }

  private onChange(change: VenueChange): void {
    for (const applied of change.applied) {
      if (!this.readers.has(applied.account)) continue;
      this.latest.set(applied.account, { durable: change.durable, timeMs: change.timeMs });
      this.dirty.add(applied.account);
    }
    if (this.dirty.size > 0 && this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.options.everyMs ?? FIGURES_EVERY_MS);
  }

  private flush(): void {
    this.timer = undefined;
    for (const account of this.dirty) {
      const sockets = this.readers.get(account);
      if (sockets) this.send(account, [...sockets]);
    }
    this.dirty.clear();
  }

  /** Builds the account's frame from its state now and queues it for `sockets` behind what it includes. */
  private send(account: string, sockets: readonly StreamSocket[]): void {
    const state = this.options.venue.state(account);
    // an account this process does not hold (another cluster member's): the page keeps polling
    if (!state) {
      for (const socket of sockets) socket.ws.close(1011, 'this account is served by another process: poll /perpguard/v1/account');
      return;
    }
    const pending = this.latest.get(account);
    const frame = { e: ACCOUNT_FIGURES_EVENT, E: pending?.timeMs ?? state.time, ...accountFiguresJson(state, account) };
    const chain = (this.chains.get(account) ?? Promise.resolve())
      .then(() => pending?.durable)
      .then(
        () => sockets.forEach((socket) => socket.send(frame)),
        () => undefined, // the log refused a change: the venue has stopped, nothing more is said
      )
      .catch((error: unknown) => this.options.log(`account figures for the dashboard failed: ${error instanceof Error ? error.message : String(error)}`));
    this.chains.set(account, chain);
    // a chain that has run out is dropped, so an account that went quiet leaves no promise behind
    void chain.then(() => {
      if (this.chains.get(account) === chain) this.chains.delete(account);
    });
  }
}
