// What the venue tells its subscribers (the WebSocket streams, ../ws/) about each change it applied, and
// the list of subscribers. A subscriber hears a change synchronously right after its append is issued:
// it builds its messages from the state as it is then and sends them only once `durable` resolves.
import type { ApplyResult } from '../../engine/apply.ts';
import type { Command } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';

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

/** The subscribers of one venue; one that throws is logged and harms neither the venue nor the others. */
export class ChangeListeners {
  private readonly listeners: ((change: VenueChange) => void)[] = [];

  /** True when someone listens (the venue then keeps what a change did to each account). */
  get active(): boolean {
    return this.listeners.length > 0;
  }

  /** Adds a listener; returns the unsubscribe. */
  add(listener: (change: VenueChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const at = this.listeners.indexOf(listener);
      if (at >= 0) this.listeners.splice(at, 1);
    };
  }

  publish(change: VenueChange, log: ((line: string) => void) | undefined): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        log?.(`a venue subscriber failed on ${change.command.op} at ${change.timeMs}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
}
