// Rebuilding accounts from the log. One engine state per account: the accounts of a paper venue do not
// trade with each other (every order fills at the mark), so an account's state depends only on its own
// commands and the market's (marks, funding). That lets a server rebuild, snapshot and later own (through
// a lease) any subset of the accounts without the others, and one account's long history never slows
// another's restart. Each state starts from the venue's set-up or the account's newest usable snapshot,
// and the log after it is applied in sequence order through the engine's own parser and apply().
import type { Kysely } from 'kysely';
import { apply } from '../engine/apply.ts';
import { parseCommand } from '../engine/commands.ts';
import type { Rejection } from '../engine/codes.ts';
import type { EngineState } from '../engine/state.ts';
import { readCommands } from './command-log.ts';
import { newestSnapshot } from './snapshots.ts';
import type { StoreTables } from './tables.ts';
import { initialAccountState, type VenueSetup } from './venue.ts';

export interface ReplayedAccount {
  readonly state: EngineState;
  /** The newest sequence number the state includes (of its own commands or the market's; 0: none). */
  seq: number;
  /** Where the replay started: the snapshot's sequence number, 0 without one. */
  readonly fromSeq: number;
  /** Commands applied by this replay (after the snapshot). */
  applied: number;
  /**
   * Logged commands the engine refused on replay, with their sequence numbers. A log of accepted commands
   * replays without any: one here means the engine changed under the log (or the log was written without
   * applying first), and the caller decides whether to serve such an account.
   */
  readonly refused: { readonly seq: number; readonly rejection: Rejection }[];
}

const FILTERED_ACCOUNTS_MAX = 500;

export interface ReplayOptions {
  /** false: replay from the start even where a snapshot exists (a check of the snapshots). */
  readonly useSnapshots?: boolean;
  /** Up to this many accounts the database filters the log by account; beyond, one scan (default 500). */
  readonly filteredAccountsMax?: number;
  /**
   * Market commands after this sequence number are left out (the accounts' own are all applied): a cluster
   * node loads an account as of the market it has applied in memory (../server/cluster/).
   */
  readonly marketUntilSeq?: number;
}

/**
 * The states of `accountIds` after every logged command, in one pass over the log (the market's commands
 * are read once and applied to each account). Accounts with no command yet get the set-up's fresh state.
 */
export async function replayAccounts(db: Kysely<StoreTables>, setup: VenueSetup, accountIds: readonly string[], options: ReplayOptions = {}): Promise<Map<string, ReplayedAccount>> {
  const replays = new Map<string, ReplayedAccount>();
  for (const id of new Set(accountIds)) {
    const fresh = initialAccountState(setup);
    const snapshot = options.useSnapshots === false ? undefined : await newestSnapshot(db, id, fresh.config);
    replays.set(id, { state: snapshot?.state ?? fresh, seq: snapshot?.seq ?? 0, fromSeq: snapshot?.seq ?? 0, applied: 0, refused: [] });
  }
  if (replays.size === 0) return replays;
  const from = Math.min(...[...replays.values()].map((r) => r.fromSeq));
  // a few accounts: the database filters; many (a whole venue): one scan, other accounts' commands skipped
  // here (an IN list of thousands of ids is slow to plan and PostgreSQL takes at most 65,535 parameters)
  const filter = replays.size <= (options.filteredAccountsMax ?? FILTERED_ACCOUNTS_MAX) ? [...replays.keys()] : undefined;
  const everyone = [...replays.values()];
  for await (const logged of readCommands(db, { accountIds: filter, afterSeq: from })) {
    const own = logged.accountId === null ? undefined : replays.get(logged.accountId);
    if (logged.accountId !== null && !own) continue;
    if (logged.accountId === null && options.marketUntilSeq !== undefined && logged.seq > options.marketUntilSeq) continue;
    const parsed = parseCommand(logged.command);
    // the log refuses what does not parse (command-log.ts), so a parse failure is a corrupt or foreign log
    if ('rejection' in parsed) throw new Error(`command log seq ${logged.seq}: ${parsed.rejection.field}: ${parsed.rejection.message}`);
    for (const replay of own ? [own] : everyone) {
      if (logged.seq <= replay.fromSeq) continue;
      const result = apply(replay.state, parsed.command, logged.timeMs, logged.seq);
      if (result.rejection) replay.refused.push({ seq: logged.seq, rejection: result.rejection });
      replay.seq = logged.seq;
      replay.applied += 1;
    }
  }
  return replays;
}
