// Paper-trading accounts: an id (the engine's account name), a public API key and a secret that is
// shown once, at creation, and kept only sealed (./secret-box.ts). Binance's keys and secrets are 64
// letters and digits; these are too, so clients that check the form accept them.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { positiveDecimal } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { apply } from '../engine/apply.ts';
import { parseCommand } from '../engine/commands.ts';
import { insertCommands } from './command-log.ts';
import { int64 } from './connection.ts';
import { open, seal } from './secret-box.ts';
import type { StoreTables } from './tables.ts';
import { initialAccountState, type VenueSetup } from './venue.ts';

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CREDENTIAL_CHARS = 64;

/** `length` characters drawn uniformly from A-Z a-z 0-9 (bytes of 248 and above are redrawn: no bias). */
export function randomAlphanumeric(length: number): string {
  let out = '';
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248 && out.length < length) out += ALPHANUMERIC[byte % 62];
    }
  }
  return out;
}

export interface NewAccount {
  /** Creation time (epoch ms, the caller's clock): the account's row records it. */
  readonly timeMs: number;
  /**
   * Opening deposits, logged in the same transaction as the account at the venue's time, the newest time
   * in the log (command-log.ts insertCommands `atLogTime`), not at `timeMs`: the venue's clock may be a feed's.
   */
  readonly deposits?: readonly { readonly asset: string; readonly amount: string }[];
}

/** The credentials, returned once: the store keeps the secret sealed and never returns it again but to authenticate. */
export interface CreatedAccount {
  readonly accountId: string;
  readonly apiKey: string;
  readonly secret: string;
  /** The opening deposits' sequence numbers and the time they were logged at. */
  readonly deposits: readonly { readonly seq: number; readonly timeMs: number }[];
}

export async function createAccount(db: Kysely<StoreTables>, key: Buffer, setup: VenueSetup, input: NewAccount, dialect: 'sqlite' | 'postgres' = 'sqlite'): Promise<CreatedAccount> {
  const deposits = input.deposits ?? [];
  if (!Number.isSafeInteger(input.timeMs) || input.timeMs < 0) throw new InputError('timeMs', 'must be a whole number of ms since 1970');
  // each deposit as the engine will take it on replay, on a fresh account of the venue: an asset the venue
  // does not margin in (USDC on a USDT venue) is refused now, not found refused in the log later
  const trial = initialAccountState(setup);
  deposits.forEach((d, i) => {
    const parsed = positiveDecimal.safeParse(d.amount);
    if (!parsed.success) throw new InputError(`deposits[${i}].amount`, parsed.error.issues[0]?.message ?? 'must be a decimal string');
    const command = parseCommand({ op: 'deposit', account: 'new', asset: d.asset, amount: d.amount });
    const rejection = 'rejection' in command ? command.rejection : apply(trial, command.command, trial.time).rejection;
    // the engine's message is Binance's text, then `field: detail` (codes.ts reject): the detail is the reason
    const marker = ` ${rejection?.field}: `;
    if (rejection) throw new InputError(`deposits[${i}].${rejection.field}`, rejection.message.slice(rejection.message.indexOf(marker) + marker.length));
  });
  const accountId = randomUUID();
  const apiKey = randomAlphanumeric(CREDENTIAL_CHARS);
  const secret = randomAlphanumeric(CREDENTIAL_CHARS);
  const logged = await db.transaction().execute(async (tx) => {
    await tx.insertInto('accounts').values({ id: accountId, api_key: apiKey, secret_sealed: seal(key, secret, accountId), created_ms: input.timeMs }).execute();
    const commands = deposits.map((d) => ({ command: { op: 'deposit', account: accountId, asset: d.asset, amount: d.amount }, timeMs: 0 }));
    return insertCommands(tx, commands, { atLogTime: true, dialect });
  });
  return { accountId, apiKey, secret, deposits: logged };
}

/** What authentication needs: the account an API key names and its secret (to verify the HMAC), if any. */
export async function credentialsOf(db: Kysely<StoreTables>, key: Buffer, apiKey: string): Promise<{ accountId: string; secret: string } | undefined> {
  const row = await db.selectFrom('accounts').select(['id', 'secret_sealed']).where('api_key', '=', apiKey).executeTakeFirst();
  return row ? { accountId: row.id, secret: open(key, row.secret_sealed, row.id) } : undefined;
}

export interface AccountRow {
  readonly accountId: string;
  readonly apiKey: string;
  readonly createdMs: number;
}

export async function listAccounts(db: Kysely<StoreTables>): Promise<AccountRow[]> {
  const rows = await db.selectFrom('accounts').select(['id', 'api_key', 'created_ms']).orderBy('created_ms').orderBy('id').execute();
  return rows.map((r) => ({ accountId: r.id, apiKey: r.api_key, createdMs: int64(r.created_ms) }));
}
