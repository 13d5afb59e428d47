// What a Venue is opened with (./venue.ts): the store, the feed, the clock, the fail-stop and, in a
// PostgreSQL cluster, the node's lease log.
import type { ClusterLog } from '../../store/cluster.ts';
import type { Store } from '../../store/store.ts';
import type { ReplayFeed } from '../feed/replay-feed.ts';

export interface VenueOptions {
  readonly store: Store;
  /** Builds the feed once the log's newest time is known (0: an empty log), at wall time `wallMs`. */
  readonly feed: (logTimeMs: number, wallMs: number) => ReplayFeed;
  /** Wall clock, ms (injected: the tests drive it). */
  readonly clock: () => number;
  /** Called once when the log refused an append: the process must stop. */
  readonly onFatal: (error: unknown) => void;
  readonly log?: (line: string) => void; // one line per notable event (never a secret)
  /** A node of a PostgreSQL cluster: its id and the store's lease log (../cluster/). */
  readonly cluster?: { readonly nodeId: string; readonly log: ClusterLog };
}
