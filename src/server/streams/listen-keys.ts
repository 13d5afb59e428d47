// listenKey bookkeeping for the user data streams, as Binance USDⓈ-M documents it ("User Data Streams"):
// a key is valid for 60 minutes after creation; PUT extends it by 60 minutes; DELETE closes it; POST on an
// account with an active key returns that key and extends it; an unknown or expired key is -1125 "This
// listenKey does not exist.". ccxt refreshes every 20 minutes and never sends DELETE
// (../shared/reference/binance-api-clients.md §4). Pure: the caller passes the time and, for a new key,
// the random text (the server draws it); one account's key never resolves to, extends or closes another's.

export const LISTEN_KEY_VALIDITY_MS = 60 * 60_000;

/** Binance's code and message for a key that does not exist (or no longer does). */
export const LISTEN_KEY_MISSING = { code: -1125, msg: 'This listenKey does not exist.' } as const;

interface Entry {
  readonly account: string;
  expiresAtMs: number;
}

export class ListenKeys {
  private readonly byKey = new Map<string, Entry>();
  private readonly byAccount = new Map<string, string>();

  constructor(private readonly validityMs: number = LISTEN_KEY_VALIDITY_MS) {}

  /**
   * POST /fapi/v1/listenKey: the account's active key, extended, or `freshKey` (64 letters and digits, as
   * Binance's) as its new one. An expired key of the account is replaced.
   */
  create(account: string, nowMs: number, freshKey: string): string {
    const active = this.byAccount.get(account);
    if (active !== undefined) {
      const entry = this.byKey.get(active)!;
      if (entry.expiresAtMs > nowMs) {
        entry.expiresAtMs = nowMs + this.validityMs;
        return active;
      }
      this.byKey.delete(active);
    }
    if (!/^[A-Za-z0-9]{16,128}$/.test(freshKey)) throw new Error('a listenKey must be 16 to 128 letters and digits');
    if (this.byKey.has(freshKey)) throw new Error('the fresh listenKey is already in use: draw another');
    this.byKey.set(freshKey, { account, expiresAtMs: nowMs + this.validityMs });
    this.byAccount.set(account, freshKey);
    return freshKey;
  }

  /** PUT /fapi/v1/listenKey: extends the account's key by 60 minutes from now. */
  keepAlive(account: string, key: string, nowMs: number): { ok: true } | { error: typeof LISTEN_KEY_MISSING } {
    const entry = this.live(account, key, nowMs);
    if (!entry) return { error: LISTEN_KEY_MISSING };
    entry.expiresAtMs = nowMs + this.validityMs;
    return { ok: true };
  }

  /** DELETE /fapi/v1/listenKey: closes the account's key (its streams end). */
  close(account: string, key: string, nowMs: number): { ok: true } | { error: typeof LISTEN_KEY_MISSING } {
    if (!this.live(account, key, nowMs)) return { error: LISTEN_KEY_MISSING };
    this.byKey.delete(key);
    this.byAccount.delete(account);
    return { ok: true };
  }

  /** The account a key streams (a WebSocket opened with it), while it is valid. */
  accountOf(key: string, nowMs: number): string | undefined {
    const entry = this.byKey.get(key);
    return entry && entry.expiresAtMs > nowMs ? entry.account : undefined;
  }

  /** The account's valid key, if it has one (PUT and DELETE may omit the key: Binance's USDⓈ-M takes none). */
  activeKey(account: string, nowMs: number): string | undefined {
    const key = this.byAccount.get(account);
    return key !== undefined && this.accountOf(key, nowMs) === account ? key : undefined;
  }

  /** When the key expires (epoch ms), while it is valid. */
  expiresAt(key: string, nowMs: number): number | undefined {
    const entry = this.byKey.get(key);
    return entry && entry.expiresAtMs > nowMs ? entry.expiresAtMs : undefined;
  }

  /**
   * Removes the keys expired at `nowMs` and returns them with their accounts, oldest expiry first: each
   * open stream of one gets listenKeyExpired (./user-events.ts) and is closed.
   */
  expire(nowMs: number): { key: string; account: string; expiredAtMs: number }[] {
    const gone: { key: string; account: string; expiredAtMs: number }[] = [];
    for (const [key, entry] of this.byKey) {
      if (entry.expiresAtMs > nowMs) continue;
      gone.push({ key, account: entry.account, expiredAtMs: entry.expiresAtMs });
      this.byKey.delete(key);
      if (this.byAccount.get(entry.account) === key) this.byAccount.delete(entry.account);
    }
    return gone.sort((a, b) => a.expiredAtMs - b.expiredAtMs || (a.key < b.key ? -1 : 1));
  }

  private live(account: string, key: string, nowMs: number): Entry | undefined {
    const entry = this.byKey.get(key);
    return entry && entry.account === account && entry.expiresAtMs > nowMs ? entry : undefined;
  }
}
