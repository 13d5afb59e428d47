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
// In a PostgreSQL cluster (option `cluster`, ../cluster/): accounts are loaded when leased, not at open;
// the feed runs on the leader only, and a follower applies the market's commands from the log (catch-ups,
// one at a time with account loads, while no command is in flight); its appends are fenced and guarded by
// the market it applied (../../store/cluster.ts), and a command refused for a newer market command is
// applied again on the reloaded account.
import { apply, type ApplyResult } from '../../engine/apply.ts';
import { parseCommand, type Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import { formatFixed } from '../../domain/fixed.ts';
import { MarketMoved } from '../../store/cluster.ts';
import { GroupCommit } from '../../store/group-commit.ts';
import type { KeyRecord } from '../binance/auth.ts';
import type { FeedEvent, ReplayFeed } from '../feed/replay-feed.ts';
import { journalForm } from './journal-form.ts';
import { recoverState } from './recover-state.ts';
import { VenueRecords } from './venue-records.ts';
import { ChangeListeners, type AppliedTo, type VenueChange } from './venue-changes.ts';
import { resumedEvents } from './resume.ts';
import { VenueStopped, type Submitted } from './submitted.ts';
import type { VenueOptions } from './venue-options.ts';

export type { AppliedTo, VenueChange } from './venue-changes.ts';
export { VenueStopped, type Submitted } from './submitted.ts';
export type { VenueOptions } from './venue-options.ts';

/** Attempts of a cluster follower's command refused because the market moved under it. */
const MARKET_MOVED_ATTEMPTS = 5;

export class Venue {
  /** The market as the feed made it (marks, tables): what public endpoints read. */
  readonly market: EngineState;
  /** The last funding rate the feed settled, per symbol, as text (premiumIndex's lastFundingRate). */
  readonly lastFundingRates: Record<string, string> = {};
  private readonly states: Map<string, EngineState>;
  private readonly keys = new Map<string, KeyRecord>();
  private readonly loading = new Map<string, Promise<unknown>>();
  private readonly pending = new Set<Promise<unknown>>();
  private readonly listeners = new ChangeListeners();
  /** What the log holds, read once every append issued so far is durable (history endpoints, journals). */
  readonly records: VenueRecords;
  private readonly commit: GroupCommit;
  private timer: NodeJS.Timeout | undefined;
  /** Set on a venue resumed from a log: the feed's start, where its first batch repeats the bar's path so far. */
  private resumedAtMs: number | undefined;
  private failure: unknown;
  /** The newest sequence number known durable: every state in memory includes all it should up to it. */
  private lastSeq: number;
  /** Cluster: this node runs the feed and writes the market's commands. */
  private leader = false;
  /** Cluster: the newest market command applied in memory. */
  private marketSeq = 0;
  /** Cluster: catch-ups, loads and the promotion, one at a time. */
  private serial: Promise<unknown> = Promise.resolve();
  private following = false;

  private constructor(
    private readonly options: VenueOptions,
    market: EngineState,
    states: Map<string, EngineState>,
    lastSeq: number,
    /** The feed; in a cluster, run only by the leader (rebuilt when this node becomes it). */
    public feed: ReplayFeed,
  ) {
    this.market = market;
    this.states = states;
    this.lastSeq = lastSeq;
    const cluster = options.cluster;
    // a cluster node's appends are fenced by its lease; a follower's carry the market it applied
    this.records = new VenueRecords(options.store, () => this.flushed());
    this.commit = new GroupCommit(cluster ? { appendBatch: (entries) => cluster.log.appendGuarded(entries, { nodeId: cluster.nodeId, leader: this.leader, marketSeq: this.marketSeq }) } : options.store);
  }

  /** Replays every account and the market from the store, then builds the feed after the log's newest time. */
  static async open(options: VenueOptions): Promise<Venue> {
    const { market, states, lastSeq, fundingRates, logTimeMs } = await recoverState(options.store, options.cluster !== undefined, options.log);
    const venue = new Venue(options, market, states, lastSeq, options.feed(logTimeMs, options.clock()));
    Object.assign(venue.lastFundingRates, fundingRates);
    venue.marketSeq = lastSeq;
    if (logTimeMs > 0) venue.resumedAtMs = logTimeMs + 1;
    return venue;
  }

  /** The synchronous key lookup authentication needs (fill it first with `knowKey`). */
  readonly lookup = (apiKey: string): KeyRecord | undefined => this.keys.get(apiKey);

  /**
   * Caches the key's account and secret from the store and loads the account; false for an unknown key.
   * A key known with its account loaded (all requests but an account's first) is answered at once, not as a
   * promise: the server skips an await per request. A cluster follower drops an account the market overtook.
   */
  knowKey(apiKey: string): boolean | Promise<boolean> {
    const known = this.keys.get(apiKey);
    if (known && this.states.has(known.account)) return true;
    if (known) return this.account(known.account).then((state) => state !== undefined);
    return this.options.store.credentials(apiKey).then(async (found) => {
      if (!found || !(await this.account(found.accountId))) return false;
      this.keys.set(apiKey, { account: found.accountId, secret: found.secret });
      return true;
    });
  }

  /** The account's state, loaded from the store on first use (an account another process created). */
  async account(accountId: string): Promise<EngineState | undefined> {
    const known = this.states.get(accountId);
    if (known) return known;
    let load = this.loading.get(accountId) as Promise<EngineState | undefined> | undefined;
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
    // a follower's time is the market's as the log has it: the leader's next market command is never older
    if (this.options.cluster && !this.leader) return this.market.time;
    return Math.max(this.feed.timeAt(wallMs), this.market.time);
  }

  /** Applies and logs the feed's events due by wall time `wallMs` (every ~100 ms, and before each trader command). */
  tick(wallMs = this.options.clock()): void {
    // while an account loads, the market stands still: its replay must see every market event up to now
    if (this.failure !== undefined || this.loading.size > 0) return;
    if (this.options.cluster && !this.leader) {
      void this.followMarket();
      return;
    }
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
  submit<T>(accountId: string, command: Command, respond: (state: EngineState, result: ApplyResult, orderIdBefore: number) => T): Promise<Submitted<T>> {
    // not async, nor submitOnce: every order passed two async frames and their promise adoptions (MarketMoved is a cluster's only)
    return this.options.cluster ? this.submitLeased(accountId, command, respond) : this.submitOnce(accountId, command, respond);
  }

  private async submitLeased<T>(accountId: string, command: Command, respond: (state: EngineState, result: ApplyResult, orderIdBefore: number) => T): Promise<Submitted<T>> {
    for (let attempt = 1; ; attempt++) {
      if (!this.states.has(accountId)) await this.account(accountId);
      try {
        return await this.submitOnce(accountId, command, respond);
      } catch (caught) {
        if (!(caught instanceof MarketMoved) || attempt >= MARKET_MOVED_ATTEMPTS) throw caught;
      }
    }
  }

  /** The command applied and its append issued in one synchronous step; every failure is a rejected promise, as from an async function. */
  private submitOnce<T>(accountId: string, command: Command, respond: (state: EngineState, result: ApplyResult, orderIdBefore: number) => T): Promise<Submitted<T>> {
    // an account being loaded holds the market still; a command timed meanwhile could precede a market event
    if (this.loading.size > 0) return Promise.allSettled([...this.loading.values()]).then(() => this.submitOnce(accountId, command, respond));
    try {
      if (this.failure !== undefined) throw new VenueStopped('the venue stopped after a failed log append');
      const state = this.states.get(accountId);
      if (!state) throw new Error(`account ${accountId} is not loaded`);
      // one wall time for the tick and the command: read twice, a mark due between the reads would come after a
      // command timed past it and be refused, live and on replay (src/cli/serve-crash.test.ts, PostgreSQL x2000)
      const wallMs = this.options.clock();
      this.tick(wallMs);
      const timeMs = Math.max(this.nowMs(wallMs), state.time);
      // read after the tick: a liquidation in the tick takes order ids too
      const orderIdBefore = state.nextOrderId;
      const before = { nextOrderId: orderIdBefore, nextTradeId: state.nextTradeId };
      const result = apply(state, command, timeMs);
      if (result.rejection) return Promise.resolve({ rejection: result.rejection });
      const value = respond(state, result, orderIdBefore);
      const written = this.append(command, timeMs);
      this.publish('trader', command, timeMs, [{ account: accountId, state, result, before }], written);
      return written.then((seq) => ({ value, seq }));
    } catch (caught) {
      return Promise.reject(caught);
    }
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

  /** Calls `listener` after every applied change (see VenueChange); returns the unsubscribe. */
  onChange(listener: (change: VenueChange) => void): () => void {
    return this.listeners.add(listener);
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
    let snapshots = this.failure === undefined;
    // a follower's states include every market command up to its newest append only once it caught up
    if (snapshots && this.options.cluster && !this.leader) snapshots = await this.catchUp().then(() => true, () => false);
    if (snapshots) {
      const createdMs = this.options.clock();
      for (const [id, state] of this.states) await this.options.store.saveSnapshot(id, { state, seq: this.lastSeq }, createdMs);
    }
    // the leases go last: another node takes the accounts over once their snapshots are written
    if (this.options.cluster) await this.options.cluster.log.leave(this.options.cluster.nodeId).catch(() => undefined);
    await this.options.store.close();
  }

  /** Applies one market event everywhere and issues its append (the promise: durable, or the venue stopped). */
  private marketEvent(event: FeedEvent): Promise<unknown> {
    // a settlement before the symbol's first mark (a feed started on a settlement instant) has nothing to
    // settle against: every account would refuse it (-4131), so it is neither applied nor logged
    if (event.command.op === 'funding' && this.market.marks[event.command.symbol] === undefined) return Promise.resolve();
    const applied = this.applyMarket(event.command, event.time);
    const written = this.append(event.command, event.time);
    void written.catch(() => undefined);
    this.publish('market', event.command, event.time, applied, written);
    return written;
  }

  /** Tells the subscribers, after the append is issued (a subscriber's bug never comes between apply and log). */
  private publish(source: VenueChange['source'], command: Command, timeMs: number, applied: AppliedTo[], durable: Promise<number>): void {
    this.listeners.publish({ source, command, timeMs, applied, durable }, this.options.log);
  }

  /** Applies a market command to the market and every loaded account; what subscribers are told of it. */
  private applyMarket(command: FeedEvent['command'], time: number, seq?: number): AppliedTo[] {
    apply(this.market, command, time, seq);
    const applied: AppliedTo[] = [];
    for (const [id, state] of this.states) {
      const before = { nextOrderId: state.nextOrderId, nextTradeId: state.nextTradeId };
      const result = apply(state, command, time, seq);
      if (result.rejection) this.options.log?.(`account ${id}: ${command.op} ${command.symbol} at ${time} refused: ${result.rejection.code}`);
      else if (this.listeners.active) applied.push({ account: id, state, result, before });
    }
    if (command.op === 'funding') this.lastFundingRates[command.symbol] = formatFixed(command.rate);
    return applied;
  }

  /** Cluster: this node won the feed; it catches up with the log and runs a feed resumed after its newest time. */
  async lead(): Promise<void> {
    await this.exclusively('@lead', async () => {
      await this.catchUp();
      const logTimeMs = await this.options.cluster!.log.logTimeMs();
      this.feed = this.options.feed(logTimeMs, this.options.clock());
      if (logTimeMs > 0) this.resumedAtMs = logTimeMs + 1;
      this.leader = true;
      this.options.log?.(`this node runs the feed now (after the log's time ${logTimeMs})`);
    });
  }

  /** Cluster follower: catches up when the leader recorded a newer market command (each tick, one at a time). */
  private async followMarket(): Promise<void> {
    if (this.following) return;
    this.following = true;
    try {
      if ((await this.options.cluster!.log.marketHead()) > this.marketSeq) await this.exclusively('@market', () => this.catchUp());
    } catch (caught) {
      this.options.log?.(`market catch-up failed: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      this.following = false;
    }
  }

  /** Applies the log's market commands after the newest one applied (run exclusively: nothing in flight). */
  private async catchUp(): Promise<void> {
    for (const logged of await this.options.cluster!.log.marketAfter(this.marketSeq)) {
      const parsed = parseCommand(logged.command);
      if ('command' in parsed && (parsed.command.op === 'mark' || parsed.command.op === 'funding')) {
        // already durable (the leader logged it): a follower's streams send its messages at once
        const applied = this.applyMarket(parsed.command, logged.timeMs, logged.seq);
        this.publish('market', parsed.command, logged.timeMs, applied, Promise.resolve(logged.seq));
      }
      this.marketSeq = logged.seq;
      this.lastSeq = Math.max(this.lastSeq, logged.seq);
    }
  }

  /** Runs `op` after the other exclusive ones and once no append is in flight; commands and ticks wait for it. */
  private exclusively<T>(key: string, op: () => Promise<T>): Promise<T> {
    const run = this.serial.then(async () => {
      await Promise.allSettled([...this.pending]);
      return op();
    });
    this.serial = run.catch(() => undefined);
    const done = run.finally(() => this.loading.delete(key));
    this.loading.set(key, done);
    return done;
  }

  /** The one writer: issued synchronously after the apply; a failure stops the venue. `pending` holds the store's own promise (its handlers here, attached first, run before any waiter's): one promise per append, not three. */
  private append(command: Command, timeMs: number): Promise<number> {
    const appended = this.commit.append({ command: journalForm(command), timeMs });
    this.pending.add(appended);
    return appended.then(
      (seq) => {
        this.pending.delete(appended);
        this.lastSeq = Math.max(this.lastSeq, seq);
        // the leader's market commands: what a load on the leader replays the market up to
        if (command.op === 'mark' || command.op === 'funding') this.marketSeq = Math.max(this.marketSeq, seq);
        return seq;
      },
      (error: unknown) => {
        this.pending.delete(appended);
        // a follower's command the market overtook: nothing was written; its account is reloaded and the command applied again
        if (error instanceof MarketMoved) {
          const account = (command as { account?: unknown }).account;
          if (typeof account === 'string') this.states.delete(account);
          throw error;
        }
        this.fail(error);
        throw new VenueStopped('the command log refused an append');
      },
    );
  }

  private fail(error: unknown): void {
    if (this.failure !== undefined) return;
    this.failure = error;
    if (this.timer) clearInterval(this.timer);
    this.options.log?.(`fatal: a command log append failed (${error instanceof Error ? error.message : String(error)}); stopping`);
    this.options.onFatal(error);
  }

  private async load(accountId: string): Promise<EngineState> {
    if (this.options.cluster) return this.loadLeased(accountId);
    // every market event applied so far must be in the log before the replay reads it
    await Promise.allSettled([...this.pending]);
    const replay = await this.options.store.replay(accountId);
    this.states.set(accountId, replay.state);
    this.lastSeq = Math.max(this.lastSeq, replay.seq);
    this.options.log?.(`account ${accountId} loaded from the log (seq ${replay.seq})`);
    return replay.state;
  }

  /**
   * Cluster: an account this node just leased (its previous owner is gone or fenced, so its log is
   * complete), as of the market applied here: caught up first, since the account's commands came after
   * every market command older than them.
   */
  private loadLeased(accountId: string): Promise<EngineState> {
    return this.exclusively(`@load ${accountId}`, async () => {
      await this.catchUp();
      const replay = await this.options.store.replay(accountId, { marketUntilSeq: this.marketSeq });
      this.states.set(accountId, replay.state);
      this.lastSeq = Math.max(this.lastSeq, replay.seq);
      this.options.log?.(`account ${accountId} leased and loaded from the log (seq ${replay.seq})`);
      return replay.state;
    });
  }
}
