// One account's log as an operation journal (the venue's set-up, then its commands and the market's, each
// with its time as `at`): `perpguard run` replays it to the account's state, so a paper account can be
// inspected, diffed or turned into a regression test with the tools that already read journals.
import type { Kysely } from 'kysely';
import { readCommands } from './command-log.ts';
import type { StoreTables } from './tables.ts';
import type { VenueSetup } from './venue.ts';

export interface AccountJournal {
  readonly id: string;
  readonly source: string;
  readonly setup: VenueSetup;
  readonly ops: Record<string, unknown>[];
}

export async function exportJournal(db: Kysely<StoreTables>, setup: VenueSetup, accountId: string): Promise<AccountJournal> {
  const ops: Record<string, unknown>[] = [];
  for await (const logged of readCommands(db, { accountIds: [accountId] })) ops.push({ ...logged.command, at: logged.timeMs });
  return { id: `account-${accountId}`, source: `perpguard store: the commands of account ${accountId} and the market's, in log order`, setup, ops };
}
