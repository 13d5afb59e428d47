// The checks of serve-crash.test.ts after each SIGKILL:
//  - the ledger audit: every account's log replayed from the start through the engine's invariant checker
//    (src/engine/invariants.ts: ledger, conservation, solvency, derived sums, after every command; the
//    full audit of the transfer log at the end), no logged command refused, and the state equal to the
//    store's own replay (from its snapshots, as the restarted server rebuilds it);
//  - the log against the record of the load: every acknowledged order, cancel, margin move and leverage
//    change is in it, nothing refused is, and everything in it was sent (acknowledged or unanswered);
//  - the restarted server's answers: allOrders holds every acknowledged order as it was acknowledged
//    (a cancel acknowledged: CANCELED; a fill acknowledged: FILLED at the same price), no refused one;
//    symbolConfig's leverage and margin type are the audited replay's.
import assert from 'node:assert/strict';
import { parseCommand } from '../engine/commands.ts';
import { settingsOf, userOf, type EngineState } from '../engine/state.ts';
import { InvariantChecker, serialize } from '../engine/invariants.ts';
import type { StoreLocation } from '../store/connection.ts';
import { openStore } from '../store/store.ts';
import { initialAccountState } from '../store/venue.ts';
import { client } from '../server/http/http-test-support.ts';
import type { Credentials, Sent } from './serve-crash-test-support.ts';

/** A trader command of the log, as the checks read it. */
export interface LoggedTrade {
  readonly op: string;
  readonly clientOrderId?: string;
  readonly orderId?: number;
  readonly amount?: string;
  readonly symbol?: string;
  readonly leverage?: number;
}

/** "0.500010" and "0.50001" are the same amount: decimals compared without trailing zeros. */
const decimalText = (text: string): string => (text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text);

/**
 * Replays each account's log from the start through InvariantChecker (every invariant after every command,
 * the full audit at the end) and compares the result with the store's replay. Returns each account's own
 * commands and how many commands were checked.
 */
export async function auditStore(location: StoreLocation, secretKey: string, accounts: readonly Credentials[]): Promise<{ trades: LoggedTrade[][]; states: EngineState[]; commands: number }> {
  const store = await openStore({ location, env: { PERPGUARD_SECRET_KEY: secretKey } });
  let commands = 0;
  try {
    const trades: LoggedTrade[][] = [];
    const states: EngineState[] = [];
    for (const { accountId } of accounts) {
      const state = initialAccountState(store.setup);
      const checker = new InvariantChecker(state, [], { fullAuditEvery: 1_000, mutationCheckEvery: 1_000 });
      const own: LoggedTrade[] = [];
      for await (const logged of store.commands({ accountIds: [accountId] })) {
        const parsed = parseCommand(logged.command);
        assert.ok(!('rejection' in parsed), `seq ${logged.seq} does not parse`);
        const result = checker.step(state, parsed.command, logged.timeMs, logged.seq);
        assert.equal(result.rejection, undefined, `account ${accountId}: logged seq ${logged.seq} ${JSON.stringify(logged.command)} refused on replay: ${result.rejection?.message}`);
        commands += 1;
        if (logged.accountId === accountId) own.push(logged.command as unknown as LoggedTrade);
      }
      checker.finish(state);
      const replayed = await store.replay(accountId);
      assert.equal(replayed.refused.length, 0, `the store's replay of ${accountId} refused seq ${replayed.refused[0]?.seq}`);
      assert.equal(serialize(replayed.state), serialize(state), `account ${accountId}: the store's replay (from its snapshot) differs from the replay from the start`);
      trades.push(own);
      states.push(state);
    }
    return { trades, states, commands };
  } finally {
    await store.close();
  }
}

/** Every request against the log: acknowledged ones are in it once, refused ones never, and nothing else is. */
export function checkLog(sent: readonly Sent[], trades: readonly LoggedTrade[][]): void {
  trades.forEach((own, account) => {
    const mine = sent.filter((s) => s.account === account);
    const orders = new Map<string, number>();
    const cancels = new Map<number, number>();
    const margins = new Map<string, number>();
    const leverages = new Map<string, number>();
    const bump = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
    for (const t of own) {
      if (t.op === 'order') bump(orders, t.clientOrderId ?? '(none)');
      else if (t.op === 'cancel') bump(cancels, t.orderId!);
      else if (t.op === 'addMargin' || t.op === 'reduceMargin') bump(margins, `${t.op} ${decimalText(t.amount!)}`);
      else if (t.op === 'setLeverage') bump(leverages, `${t.symbol} ${t.leverage}`);
      else assert.ok(['deposit', 'setMarginMode'].includes(t.op), `account ${account}: a logged ${t.op} nobody sent`);
    }
    const expectCount = (what: string, count: number, s: Sent) => {
      if (s.outcome === 'acked') assert.equal(count, 1, `account ${account}: acknowledged ${what} is ${count === 0 ? 'missing from' : 'more than once in'} the log`);
      else if (s.outcome === 'refused') assert.equal(count, 0, `account ${account}: refused ${what} (HTTP ${s.status} ${JSON.stringify(s.body)}) is in the log`);
      else assert.ok(count <= 1, `account ${account}: unanswered ${what} is in the log ${count} times`);
    };
    const sentOrders = new Set<string>();
    const sentCancels = new Set<number>();
    const sentMargins = new Set<string>();
    const leverageSent = new Map<string, { acked: number; unknown: number }>();
    for (const s of mine) {
      if (s.clientOrderId !== undefined) {
        sentOrders.add(s.clientOrderId);
        expectCount(`order ${s.clientOrderId}`, orders.get(s.clientOrderId) ?? 0, s);
      } else if (s.kind === 'cancel') {
        sentCancels.add(s.orderId!);
        expectCount(`cancel of order ${s.orderId}`, cancels.get(s.orderId!) ?? 0, s);
      } else if (s.kind === 'addMargin' || s.kind === 'reduceMargin') {
        const key = `${s.kind} ${decimalText(s.amount!)}`;
        sentMargins.add(key);
        expectCount(key, margins.get(key) ?? 0, s);
      } else if (s.kind === 'leverage') {
        const key = `${s.symbol} ${s.leverage}`;
        const counts = leverageSent.get(key) ?? { acked: 0, unknown: 0 };
        if (s.outcome !== 'refused') counts[s.outcome] += 1;
        leverageSent.set(key, counts);
      }
    }
    for (const id of orders.keys()) assert.ok(sentOrders.has(id), `account ${account}: logged order ${id} was never sent`);
    for (const id of cancels.keys()) assert.ok(sentCancels.has(id), `account ${account}: logged cancel of ${id} was never sent`);
    for (const key of margins.keys()) assert.ok(sentMargins.has(key), `account ${account}: logged ${key} was never sent`);
    // leverage changes carry no id: as many in the log as acknowledged, at most as many as sent and not refused
    for (const key of new Set([...leverages.keys(), ...leverageSent.keys()])) {
      const logged = leverages.get(key) ?? 0;
      const { acked, unknown } = leverageSent.get(key) ?? { acked: 0, unknown: 0 };
      assert.ok(logged >= acked && logged <= acked + unknown, `account ${account}: leverage ${key}: ${logged} in the log, ${acked} acknowledged, ${unknown} unanswered`);
    }
  });
}

/** Every order of `symbols` the restarted server reports for the account, by orderId (allOrders, paged). */
async function allOrders(url: string, account: Credentials, symbols: readonly string[]): Promise<Map<number, any>> {
  const api = client(url, account.apiKey, account.secret);
  const found = new Map<number, any>();
  for (const symbol of symbols) {
    for (let from = 1; ; ) {
      const reply = await api.signed('GET', '/fapi/v1/allOrders', { symbol, orderId: String(from), limit: '1000' });
      assert.equal(reply.status, 200, JSON.stringify(reply.body));
      for (const o of reply.body) found.set(o.orderId, o);
      if (reply.body.length < 1000) break;
      from = reply.body[reply.body.length - 1].orderId + 1;
    }
  }
  return found;
}

/**
 * The restarted server's settings (symbolConfig: leverage and margin type of BTCUSDT and ETHUSDT) equal the
 * audited replay's: the feed moves marks and settles funding after the restart, but never changes a setting.
 */
export async function checkSettingsOverApi(url: string, accounts: readonly Credentials[], states: readonly EngineState[]): Promise<void> {
  for (const [i, credentials] of accounts.entries()) {
    const reply = await client(url, credentials.apiKey, credentials.secret).signed('GET', '/fapi/v1/symbolConfig');
    assert.equal(reply.status, 200);
    const user = userOf(states[i]!, credentials.accountId);
    for (const symbol of ['BTCUSDT', 'ETHUSDT']) {
      const row = reply.body.find((r: { symbol: string }) => r.symbol === symbol);
      const settings = settingsOf(states[i]!, user, symbol);
      assert.deepEqual([row.leverage, row.marginType], [settings.leverage, settings.marginMode === 'isolated' ? 'ISOLATED' : 'CROSSED'], `account ${i} ${symbol} after the restart`);
    }
  }
}

/** The restarted server's allOrders against the acknowledged (and refused) orders and cancels. */
export async function checkOrdersOverApi(url: string, accounts: readonly Credentials[], sent: readonly Sent[]): Promise<number> {
  let checked = 0;
  for (const [account, credentials] of accounts.entries()) {
    const orders = await allOrders(url, credentials, ['BTCUSDT', 'ETHUSDT']);
    const byClientId = new Map([...orders.values()].map((o) => [o.clientOrderId as string, o]));
    for (const s of sent.filter((x) => x.account === account)) {
      if (s.clientOrderId !== undefined && s.outcome === 'acked') {
        const o = orders.get(s.body.orderId);
        assert.ok(o, `account ${account}: acknowledged order ${s.body.orderId} (${s.clientOrderId}) is not in allOrders after the restart`);
        assert.deepEqual([o.clientOrderId, o.symbol, o.side, o.type, o.origQty], [s.clientOrderId, s.body.symbol, s.body.side, s.body.type, s.body.origQty]);
        if (s.body.status === 'FILLED') assert.deepEqual([o.status, o.executedQty, o.avgPrice], ['FILLED', s.body.executedQty, s.body.avgPrice], `order ${s.body.orderId}`);
        checked += 1;
      } else if (s.clientOrderId !== undefined && s.outcome === 'refused') {
        assert.equal(byClientId.get(s.clientOrderId), undefined, `account ${account}: refused order ${s.clientOrderId} is in allOrders`);
      } else if (s.kind === 'cancel' && s.outcome === 'acked') {
        assert.equal(orders.get(s.orderId!)?.status, 'CANCELED', `account ${account}: acknowledged cancel of ${s.orderId}`);
        checked += 1;
      }
    }
  }
  return checked;
}
