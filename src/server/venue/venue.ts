// The live venue: every account's engine state in memory, the feed driving the market, and the command log
// as the truth. The flow of a trader's command (one order of events, so the log replays to memory):
//  1. the feed is brought up to the wall clock first (its due marks and fundings are applied and logged),
//     so no market event older than the command can come after it;
//  2. the command is applied at the feed time (never before the account's own time); a rejection changes
//     nothing (apply undoes it) and is answered at once, unlogged;
//  3. the answer is shaped from the state right after the apply, and the append is issued in the same
//     synchronous step (GroupCommit keeps call order = sequence order = in-memory order);
//  4. the caller is answered only when the append is durable.
// Subscribers (onChange: the WebSocket streams) hear each applied change, trader's or feed's, right after
// its append is issued, with a promise of its durability: they build their messages from the state then
// and send them only once the change is in the log.
// Fail-stop: if an append fails, memory is ahead of the log and can no longer be trusted; the venue
// refuses everything from then on and calls onFatal, whose job is to end the process (a restart replays
// the log, which holds exactly the acknowledged commands and perhaps some that were never answered).
import { apply, type ApplyResult } from '../../engine/apply.ts';
import type { Rejection } from '../../engine/codes.ts';
import { parseCommand, type Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import { formatFixed } from '../../domain/fixed.ts';
import { GroupCommit } from '../../store/group-commit.ts';
import type { AccountJournal } from '../../store/journal-export.ts';
import type { Store } from '../../store/store.ts';
import { initialAccountState, type VenueSetup } from '../../store/venue.ts';
import type { LoggedCommand } from '../../store/command-log.ts';
import type { KeyRecord } from '../binance/auth.ts';
import type { FeedEvent, ReplayFeed } from '../feed/replay-feed.ts';
import { journalForm } from './journal-form.ts';
import { resumedEvents } from './resume.ts';

export interface VenueOptions {
  readonly store: Store;
  /** Builds the feed once the log's newest time is known (0: an empty log), at wall time `wallMs`. */
  readonly feed: (logTimeMs: number, wallMs: number) => ReplayFeed;
  /** Wall clock, ms (injected: the tests drive it). */
  readonly clock: () => number;
  /** Called once when the log refused an append: the process must stop. */
  readonly onFatal: (error: unknown) => void;
  /** One line per notable event (never a secret). */
  readonly log?: (line: string) => void;
}

/** One account a change was applied to: its state right after, the result, and its id counters before apply. */
export interface AppliedTo {
  readonly account: string;
  readonly state: EngineState;
  readonly result: ApplyResult;
  readonly before: { readonly nextOrderId: number; readonly nextTradeId: number };
}

/**
 * A change the venue applied, as a subscriber (the WebSocket streams, ../ws/) sees it, synchronously
 * after the apply: the state is the one right after it, so the subscriber builds its messages at once and
 * sends them only when `durable` resolves (it rejects when the log refused the change: nothing is sent).
 */
export interface VenueChange {
  /** 'trader': one account's accepted command; 'market': a feed event applied to every loaded account. */
  readonly source: 'trader' | 'market';
  readonly command: Command;
  /** The feed time it was applied at. */
  readonly timeMs: number;
  readonly applied: readonly AppliedTo[];
  readonly durable: Promise<number>;
}

export type Submitted<T> = { readonly value: T; readonly seq: number } | { readonly rejection: Rejection };

/** Thrown to callers once the venue stopped on a failed append (answered as -1000 by the server). */
export class VenueStopped extends Error {
  override readonly name = 'VenueStopped';
}

export class Venue {
  /** The market as the feed made it (marks, tables): what public endpoints read. */
  readonly market: EngineState;
  /** The last funding rate the feed settled, per symbol, as text (premiumIndex's lastFundingRate). */
  readonly lastFundingRates: Record<string, string> = {};
  private readonly states: Map<string, EngineState>;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly loading = new Map<string, Promise<EngineState | undefined>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly listeners: ((change: VenueChange) => void)[] = [];
  private readonly commit: GroupCommit;
  private timer: NodeJS.Timeout | undefined;
  /** Set on a venue resumed from a log: the feed's start, where its first batch repeats the bar's path so far. */
  private resumedAtMs: number | undefined;
  private failure: unknown;
  /** The newest sequence number known durable: every state in memory includes all it should up to it. */
  private lastSeq: number;

  private constructor(
    private readonly options: VenueOptions,
    market: EngineState,
    states: Map<string, EngineState>,
    lastSeq: number,
    readonly feed: ReplayFeed,
  ) {
    this.market = market;
    this.states = states;
    this.lastSeq = lastSeq;
    this.commit = new GroupCommit(options.store);
  }

  /** Replays every account and the market from the store, then builds the feed after the log's newest time. */
  static async open(options: VenueOptions): Promise<Venue> {
    const { store } = options;
    const replays = await store.replayAccounts();
    const market = initialAccountState(store.setup);
    let lastSeq = 0;
    const fundingRates: Record<string, string> = {};
    for await (const logged of store.commands({ accountIds: [] })) {
      const parsed = parseCommand(logged.command);
      if ('command' in parsed) apply(market, parsed.command, logged.timeMs, logged.seq);
      if (logged.command['op'] === 'funding') fundingRates[String(logged.command['symbol'])] = String(logged.command['rate']);
      lastSeq = logged.seq;
    }
    const states = new Map<string, EngineState>();
    let logTimeMs = market.time;
    for (const [id, replay] of replays) {
      if (replay.refused.length > 0) options.log?.(`account ${id}: ${replay.refused.length} logged command(s) refused on replay (first: seq ${replay.refused[0]!.seq} ${replay.refused[0]!.rejection.code})`);
      states.set(id, replay.state);
      logTimeMs = Math.max(logTimeMs, replay.state.time);
      lastSeq = Math.max(lastSeq, replay.seq);
    }
    const venue = new Venue(options, market, states, lastSeq, options.feed(logTimeMs, options.clock()));
    Object.assign(venue.lastFundingRates, fundingRates);
    if (logTimeMs > 0) venue.resumedAtMs = logTimeMs + 1;
    return venue;
  }

  /** The synchronous key lookup authentication needs (fill it first with `knowKey`). */
  readonly lookup = (apiKey: string): KeyRecord | undefined => this.keys.get(apiKey);

  /** Caches the key's account and secret from the store and loads the account; false for an unknown key. */
  async knowKey(apiKey: string): Promise<boolean> {
    if (this.keys.has(apiKey)) return true;
    const found = await this.options.store.credentials(apiKey);
    if (!found) return false;
    if (!(await this.account(found.accountId))) return false;
    this.keys.set(apiKey, { account: found.accountId, secret: found.secret });
    return true;
  }

  /** The account's state, loaded from the store on first use (an account another process created). */
  async account(accountId: string): Promise<EngineState | undefined> {
    const known = this.states.get(accountId);
    if (known) return known;
    let load = this.loading.get(accountId);
    if (!load) {
      load = this.load(accountId).finally(() => this.loading.delete(accountId));
      this.loading.set(accountId, load);
    }
    return load;
  }

  /** The in-memory state of a loaded account. */
  state(accountId: string): EngineState | undefined {
    return this.states.get(accountId);
  }

  /**
   * The durable log of one account and the market's after `afterSeq`, in sequence order, once every
   * append issued so far has settled (what the account's history endpoints replay: income, margin moves).
   */
  async *accountLog(accountId: string, afterSeq = 0): AsyncGenerator<LoggedCommand> {
    await this.flushed();
    yield* this.options.store.commands({ accountIds: [accountId], afterSeq });
  }

  /** The engine set-up every account starts from (a replay of an account's log starts from it). */
  get setup(): VenueSetup {
    return this.options.store.setup;
  }

  /** The engine time now: the feed's time, never before what the market has seen. */
  nowMs(): number {
    return Math.max(this.feed.timeAt(this.options.clock()), this.market.time);
  }

  /** Applies and logs the feed's due events (every ~100 ms, and before each trader command). */
  tick(wallMs = this.options.clock()): void {
    // while an account loads, the market stands still: its replay must see every market event up to now
    if (this.failure !== undefined || this.loading.size > 0) return;
    let events = this.feed.at(wallMs);
    if (this.resumedAtMs !== undefined && events.length > 0) {
      events = resumedEvents(events, this.resumedAtMs, this.market);
      this.resumedAtMs = undefined;
    }
    for (const event of events) this.marketEvent(event);
  }

  /**
   * Applies a trader's command to its account (loaded first with `account`), answers a rejection at once,
   * else shapes the answer with `respond` right after the apply (given the state's nextOrderId before it: a new
   * order's id) and resolves once the command is durable.
   */
  async submit<T>(accountId: string, command: Command, respond: (state: EngineState, result: ApplyResult, orderIdBefore: number) => T): Promise<Submitted<T>> {
    // an account being loaded holds the market still; a command timed meanwhile could precede a market event
    while (this.loading.size > 0) await Promise.allSettled([...this.loading.values()]);
    if (this.failure !== undefined) throw new VenueStopped('the venue stopped after a failed log append');
    const state = this.states.get(accountId);
    if (!state) throw new Error(`account ${accountId} is not loaded`);
    this.tick();
    const timeMs = Math.max(this.nowMs(), state.time);
    // read after the tick: a liquidation in the tick takes order ids too
    const orderIdBefore = state.nextOrderId;
    const before = { nextOrderId: orderIdBefore, nextTradeId: state.nextTradeId };
    const result = apply(state, command, timeMs);
    if (result.rejection) return { rejection: result.rejection };
    const value = respond(state, result, orderIdBefore);
    const written = this.append(command, timeMs);
    this.publish('trader', command, timeMs, [{ account: accountId, state, result, before }], written);
    const seq = await written;
    return { value, seq };
  }

  /**
   * Applies market events an admin made (stepped feed ticks, pushed marks) as the feed's own are applied:
   * to the market and every loaded account (triggers, liquidations), logged; resolves once they are durable.
   * `make` is called after the feed has caught up with the wall clock at `wallMs` (given to it: a pause or
   * a new speed taken at that same instant leaves no feed time unhanded), so its events follow every due one.
   */
  async adminEvents(make: (nowMs: number, wallMs: number) => readonly FeedEvent[]): Promise<number> {
    while (this.loading.size > 0) await Promise.allSettled([...this.loading.values()]);
    if (this.failure !== undefined) throw new VenueStopped('the venue stopped after a failed log append');
    const wallMs = this.options.clock();
    this.tick(wallMs);
    const events = make(Math.max(this.feed.timeAt(wallMs), this.market.time), wallMs);
    const written = events.map((event) => this.marketEvent(event));
    await Promise.all(written);
    return events.length;
  }

  /** The account's log as an operation journal (its commands and the market's), once every append so far is durable. */
  async journal(accountId: string): Promise<AccountJournal> {
    await this.flushed();
    return this.options.store.exportJournal(accountId);
  }

  /** Calls `listener` after every applied change (see VenueChange); returns the unsubscribe. */
  onChange(listener: (change: VenueChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  /** Resolves when every append issued so far has settled. */
  async flushed(): Promise<void> {
    await Promise.allSettled([...this.pending]);
  }

  /** Ticks every `intervalMs` until close. */
  start(intervalMs = 100): void {
    this.timer ??= setInterval(() => this.tick(), intervalMs);
  }

  /** Stops the feed, waits for every append, snapshots the loaded accounts and closes the store. */
  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.allSettled([...this.pending, ...this.loading.values()]);
    if (this.failure === undefined) {
      const createdMs = this.options.clock();
      for (const [id, state] of this.states) await this.options.store.saveSnapshot(id, { state, seq: this.lastSeq }, createdMs);
    }
    await this.options.store.close();
  }

  /** Applies one market event everywhere and issues its append (the promise: durable, or the venue stopped). */
  private marketEvent(event: FeedEvent): Promise<unknown> {
    // a settlement before the symbol's first mark (a feed started on a settlement instant) has nothing to
    // settle against: every account would refuse it (-4131), so it is neither applied nor logged
    if (event.command.op === 'funding' && this.market.marks[event.command.symbol] === undefined) return Promise.resolve();
    apply(this.market, event.command, event.time);
    const applied: AppliedTo[] = [];
    for (const [id, state] of this.states) {
      const before = { nextOrderId: state.nextOrderId, nextTradeId: state.nextTradeId };
      const result = apply(state, event.command, event.time);
      if (result.rejection) this.options.log?.(`account ${id}: ${event.command.op} ${event.command.symbol} at ${event.time} refused: ${result.rejection.code}`);
      else if (this.listeners.length > 0) applied.push({ account: id, state, result, before });
    }
    if (event.command.op === 'funding') this.lastFundingRates[event.command.symbol] = formatFixed(event.command.rate);
    const written = this.append(event.command, event.time);
    void written.catch(() => undefined);
    this.publish('market', event.command, event.time, applied, written);
    return written;
  }

  /** Tells the subscribers, after the append is issued (a subscriber's bug never comes between apply and log). */
  private publish(source: VenueChange['source'], command: Command, timeMs: number, applied: AppliedTo[], durable: Promise<number>): void {
    for (const listener of this.listeners) {
      try {
        listener({ source, command, timeMs, applied, durable });
      } catch (error) {
        this.options.log?.(`a venue subscriber failed on ${command.op} at ${timeMs}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }

  /** The one writer: issued synchronously after the apply; a failure stops the venue. */
  private append(command: Command, timeMs: number): Promise<number> {
    const written = this.commit.append({ command: journalForm(command), timeMs }).then(
      (seq) => {
        this.lastSeq = Math.max(this.lastSeq, seq);
        return seq;
      },
      (error: unknown) => {
        this.fail(error);
        throw new VenueStopped('the command log refused an append');
      },
    );
    this.pending.add(written);
    void written.finally(() => this.pending.delete(written)).catch(() => undefined);
    return written;
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    if (this.timer) clearInterval(this.timer);
    this.options.log?.(`fatal: a command log append failed (${error instanceof Error ? error.message : String(error)}); stopping`);
    this.options.onFatal(error);
  }

  private async load(accountId: string): Promise<EngineState> {
    // every market event applied so far must be in the log before the replay reads it
    await Promise.allSettled([...this.pending]);
    const replay = await this.options.store.replay(accountId);
    this.states.set(accountId, replay.state);
    this.lastSeq = Math.max(this.lastSeq, replay.seq);
    this.options.log?.(`account ${accountId} loaded from the log (seq ${replay.seq})`);
    return replay.state;
  }
}
