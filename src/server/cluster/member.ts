// One `perpguard serve` process of a PostgreSQL cluster: several processes, on one machine or several, share
// one database, each owning a disjoint set of accounts (a paper venue's accounts never trade with each
// other: each fills against the feed, so an account's state needs only its own commands and the market's).
//
// Why leases in a table (../../store/cluster.ts) and not advisory locks: an advisory lock lives as long as
// one database session, so a node must keep a dedicated connection and lose everything on a reconnect, it
// does not survive a transaction-pooling proxy (pgbouncer), and the owner's URL (where to forward requests)
// and the fencing check of every append would need a table anyway. A row with an expiry on the database's
// clock gives all three in one place; the price is the takeover delay after a crash (the TTL, 5 s), where
// a lock would be freed as soon as the dead session is noticed.
//
// Why one feed leader and followers that read the log: the market's commands (marks, funding) are logged once
// and every account's replay applies them at their place in the log; two feeds would log every mark twice.
// The leader is whichever live node took the feed's lease (market_head.leader); when it dies, a follower
// takes it, catches up with the log and resumes the bundled feed after the log's newest time. A follower
// applies the market's commands from the log in the order they were logged (../venue/venue.ts).
//
// Accounts are leased on first use: a request for an account is served here if this node owns it (or can
// take it), else forwarded to the owner (./proxy.ts). A lease lasts as long as its node: renewed every second
// through the node's row; on a clean shutdown the node leaves (its leases are freed at once); a node that
// stopped renewing is reaped by the others after the TTL and its accounts are leased again on their next
// request, replayed from the log.
import { randomUUID } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { ClusterLog } from '../../store/cluster.ts';
import type { Store } from '../../store/store.ts';
import type { Venue } from '../venue/venue.ts';
import { forward, forwardsOf, MAX_FORWARDS, UNKNOWN_OUTCOME, type ForwardedReply } from './proxy.ts';

/** A node that has not renewed for this long is dead to the others (its lease expired). */
export const LEASE_TTL_MS = 5_000;
const RENEW_EVERY_MS = 1_000;
/** How often a request for a silent owner's account tries again to take it over. */
const TAKEOVER_POLL_MS = 250;

export interface MemberOptions {
  readonly store: Store;
  readonly cluster: ClusterLog;
  readonly log: (line: string) => void;
  /** The node lost its lease (it was paused or cut off past the TTL): it must stop, as on a failed append. */
  readonly onFatal: (error: unknown) => void;
  readonly ttlMs?: number;
}

export class ClusterMember {
  readonly nodeId = randomUUID();
  private readonly ttlMs: number;
  private readonly accountOfKey = new Map<string, string>();
  /** Accounts leased to this node: leases end only with the node, so no database trip is needed for them. */
  private readonly mine = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private venue: Venue | undefined;
  private joined: Promise<void> | undefined;
  /** Resolves once the node's row exists: a request that arrives between listen and join waits for it. */
  private readonly ready: Promise<void>;
  private markReady: () => void = () => undefined;
  private stopped = false;

  constructor(private readonly options: MemberOptions) {
    this.ttlMs = options.ttlMs ?? LEASE_TTL_MS;
    this.ready = new Promise((resolve) => (this.markReady = resolve));
  }

  /** What the venue needs to be a node of the cluster. */
  get link(): { nodeId: string; log: ClusterLog } {
    return { nodeId: this.nodeId, log: this.options.cluster };
  }

  /** Registers the node under the URL the others forward to, takes the feed if no one runs it, renews every second. */
  join(url: string, venue: Venue): Promise<void> {
    this.venue = venue;
    this.joined ??= (async () => {
      await this.options.cluster.join(this.nodeId, url, this.ttlMs);
      this.markReady();
      this.options.log(`cluster node ${this.nodeId} at ${url} (lease ${this.ttlMs} ms)`);
      await this.beat();
      this.timer = setInterval(() => void this.beat(), RENEW_EVERY_MS);
    })();
    return this.joined;
  }

  /** Stops renewing (the venue's close leaves the cluster once its appends and snapshots are written). */
  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /**
   * The app's hook for a request naming an API key: undefined when this node serves it (its account is
   * leased here, or the key is unknown: answered here as Binance does), else the owner's answer.
   */
  readonly route = async (apiKey: string, request: FastifyRequest, rawBody: string): Promise<ForwardedReply | undefined> => {
    await this.ready;
    const accountId = await this.accountOf(apiKey);
    if (accountId === undefined || this.mine.has(accountId)) return undefined;
    const deadline = Date.now() + this.ttlMs + 2 * RENEW_EVERY_MS;
    for (;;) {
      const owner = await this.options.cluster.claim(accountId, this.nodeId);
      if (owner.nodeId === this.nodeId) {
        this.mine.add(accountId);
        this.options.log(`account ${accountId} leased here`);
        return undefined;
      }
      if (forwardsOf(request) >= MAX_FORWARDS) return UNKNOWN_OUTCOME;
      const reply = await forward(owner.url, request, rawBody);
      if (reply !== 'refused') return reply;
      // the owner is gone and its lease not yet expired: wait for the reaper, then take the account over
      if (Date.now() > deadline) return UNKNOWN_OUTCOME;
      await new Promise((resolve) => setTimeout(resolve, TAKEOVER_POLL_MS));
      await this.options.cluster.reap().catch(() => undefined);
    }
  };

  private async accountOf(apiKey: string): Promise<string | undefined> {
    let accountId = this.accountOfKey.get(apiKey);
    if (accountId === undefined) {
      accountId = (await this.options.store.credentials(apiKey))?.accountId;
      if (accountId !== undefined) this.accountOfKey.set(apiKey, accountId);
    }
    return accountId;
  }

  /** Renews the lease, reaps dead nodes, takes the feed when no node runs it. */
  private async beat(): Promise<void> {
    try {
      if (!(await this.options.cluster.renew(this.nodeId, this.ttlMs))) {
        if (this.stopped) return;
        this.stop();
        this.options.onFatal(new Error(`cluster node ${this.nodeId}: its lease expired before it was renewed`));
        return;
      }
      const reaped = await this.options.cluster.reap();
      if (reaped.length > 0) this.options.log(`reaped ${reaped.length} node(s) whose lease expired: ${reaped.join(', ')}`);
      if (!this.stopped && this.venue && (await this.options.cluster.claimFeed(this.nodeId)) && !this.leading) {
        this.leading = true;
        await this.venue.lead();
      }
    } catch (caught) {
      // a database hiccup: the next beat tries again; past the TTL the appends are fenced and the node stops
      this.options.log(`cluster lease renewal failed: ${caught instanceof Error ? caught.message : String(caught)}`);
    }
  }

  private leading = false;
}
