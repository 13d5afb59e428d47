// What a venue's log holds, for the endpoints that read history (income, margin moves, the advisor's
// journal): each read waits until every append issued so far is durable, so it sees every acknowledged
// command.
import type { LoggedCommand } from '../../store/command-log.ts';
import type { AccountJournal } from '../../store/journal-export.ts';
import type { Store } from '../../store/store.ts';
import type { VenueSetup } from '../../store/venue.ts';

export class VenueRecords {
  constructor(
    private readonly store: Store,
    private readonly flushed: () => Promise<void>,
  ) {}

  /** The engine set-up every account starts from (a replay of an account's log starts from it). */
  get setup(): VenueSetup {
    return this.store.setup;
  }

  /** The log of one account and the market's after `afterSeq`, in sequence order. */
  async *accountLog(accountId: string, afterSeq = 0): AsyncGenerator<LoggedCommand> {
    await this.flushed();
    yield* this.store.commands({ accountIds: [accountId], afterSeq });
  }

  /** The account's log as an operation journal (its commands and the market's). */
  async journal(accountId: string): Promise<AccountJournal> {
    await this.flushed();
    return this.store.exportJournal(accountId);
  }
}
