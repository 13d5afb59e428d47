// A venue's memory rebuilt from its store at start: the market from the market's commands in the log, and
// (not in a cluster, where an account is loaded when it is leased) every account replayed from its newest
// snapshot; with the newest sequence number and time the log holds.
import { apply } from '../../engine/apply.ts';
import { parseCommand } from '../../engine/commands.ts';
import type { EngineState } from '../../engine/state.ts';
import type { Store } from '../../store/store.ts';
import { initialAccountState } from '../../store/venue.ts';

export interface RecoveredState {
  readonly market: EngineState;
  readonly states: Map<string, EngineState>;
  readonly lastSeq: number;
  /** The last funding rate logged per symbol, as text. */
  readonly fundingRates: Record<string, string>;
  readonly logTimeMs: number;
}

export async function recoverState(store: Store, clustered: boolean, log: ((line: string) => void) | undefined): Promise<RecoveredState> {
  const replays = clustered ? new Map<string, never>() : await store.replayAccounts();
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
    if (replay.refused.length > 0) log?.(`account ${id}: ${replay.refused.length} logged command(s) refused on replay (first: seq ${replay.refused[0]!.seq} ${replay.refused[0]!.rejection.code})`);
    states.set(id, replay.state);
    logTimeMs = Math.max(logTimeMs, replay.state.time);
    lastSeq = Math.max(lastSeq, replay.seq);
  }
  return { market, states, lastSeq, fundingRates, logTimeMs };
}
