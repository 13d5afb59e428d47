// The live venue: every account's engine state in memory, the feed driving the market, and the command log
// as the truth. The flow of a trader's command (one order of events, so the log replays to memory):
//  1. the feed is brought up to the wall clock first (its due marks and fundings are applied and logged),
//     so no market event older than the command can come after it;
//  2. the command is applied at the feed time (never before the account's own time); a rejection changes
//     nothing (apply undoes it) and is answered at once, unlogged;
//  3. the answer is shaped from the state right after the apply, and the append is issued in the same
//     synchronous step (GroupCommit keeps call order = sequence order = in-memory order);
//  4. the caller is answered only when the append is durable.
// Fail-stop: if an append fails, memory is ahead of the log and can no longer be trusted; the venue
// refuses everything from then on and calls onFatal, whose job is to end the process (a restart replays
// the log, which holds exactly the acknowledged commands and perhaps some that were never answered).
import { apply, type ApplyResult } from '../../engine/apply.ts';
import type { Rejection } from '../../engine/codes.ts';
import { parseCommand, type Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import { formatFixed } from '../../domain/fixed.ts';
import { GroupCommit } from '../../store/group-commit.ts';
import type { Store } from '../../store/store.ts';
import { initialAccountState } from '../../store/venue.ts';
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

  /** The engine time at wall time `wallMs` (default: now): the feed's time, never before what the market has seen. */
  nowMs(wallMs = this.options.clock()): number {
    return Math.max(this.feed.timeAt(wallMs), this.market.time);
  }

  /** Applies and logs the feed's events due by wall time `wallMs` (every ~100 ms, and before each trader command). */
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
    // one wall time for the tick and the command's time: read twice, the clock could pass a mark between the
    // reads, the command would be timed after a mark not yet applied, and that mark, applied next, would be
    // refused by the account (time before its state's) and logged after the command: the replay refuses it
    // too (found by src/cli/serve-crash.test.ts on PostgreSQL, feed x2000)
    const wallMs = this.options.clock();
    this.tick(wallMs);
    const timeMs = Math.max(this.nowMs(wallMs), state.time);
    // read after the tick: a liquidation in the tick takes order ids too
    const orderIdBefore = state.nextOrderId;
    const result = apply(state, command, timeMs);
    if (result.rejection) return { rejection: result.rejection };
    const value = respond(state, result, orderIdBefore);
    const seq = await this.append(command, timeMs);
    return { value, seq };
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

  private marketEvent(event: FeedEvent): void {
    // a settlement before the symbol's first mark (a feed started on a settlement instant) has nothing to
    // settle against: every account would refuse it (-4131), so it is neither applied nor logged
    if (event.command.op === 'funding' && this.market.marks[event.command.symbol] === undefined) return;
    apply(this.market, event.command, event.time);
    for (const [id, state] of this.states) {
      const result = apply(state, event.command, event.time);
      if (result.rejection) this.options.log?.(`account ${id}: ${event.command.op} ${event.command.symbol} at ${event.time} refused: ${result.rejection.code}`);
    }
    if (event.command.op === 'funding') this.lastFundingRates[event.command.symbol] = formatFixed(event.command.rate);
    void this.append(event.command, event.time).catch(() => undefined);
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
