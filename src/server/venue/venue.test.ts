// The live venue over a real SQLite store and the bundled BTC/ETH/SOL feed, driven by a fake wall clock:
// commands are applied, logged and replayed to the same state; a refusal is not logged; the feed resumes
// after the log's newest time; an account created beside the venue is loaded on first use; a failed
// append stops the venue.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed } from '../../domain/fixed.ts';
import { marketOrder, parseCommand } from '../../engine/commands.ts';
import { accountV3, positionRiskV3 } from '../binance/account-responses.ts';
import { openStore, type Store } from '../../store/store.ts';
import type { StoreLocation } from '../../store/connection.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed, bundledRange } from './default-feed.ts';
import { Venue, VenueStopped } from './venue.ts';

const env = { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY };
const open = (location: StoreLocation) => openStore({ location, env });
const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

function clock(startMs = 1_000_000) {
  let now = startMs;
  return { now: () => now, advance: (ms: number) => (now += ms) };
}

async function venueOn(store: Store, wall: ReturnType<typeof clock>, fatal: unknown[] = [], fromMs?: number) {
  return Venue.open({ store, clock: wall.now, onFatal: (e) => fatal.push(e), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs, fromMs }, wallMs) });
}

async function logLength(store: Store): Promise<number> {
  let n = 0;
  for await (const _ of store.commands()) n++;
  return n;
}

for (const backend of list) describe(`Venue on ${backend.name}`, { skip: backend.skip }, () => {
  after(() => backend.cleanup());
  const freshPath = () => backend.fresh();
  it('a market buy of 0.01 BTC is applied, logged, and replayed after a restart to the same position; the feed resumes after the log', async () => {
    const location = freshPath();
    const wall = clock();
    let store = await open(location);
    const { accountId } = await store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '10000' }] });
    let venue = await venueOn(store, wall);
    venue.tick();
    const mark = venue.market.marks['BTCUSDT'];
    assert.ok(mark !== undefined, 'the feed gives a BTC mark at once');
    const placed = await venue.submit(accountId, marketOrder(accountId, 'BTCUSDT', 'buy', parseFixed('0.01')), (state) => Object.keys(state.users[accountId]!.positions).length);
    assert.ok('value' in placed);
    assert.equal(placed.value, 1);
    wall.advance(9 * 3600_000); // nine feed hours at x1: a funding settlement among them
    venue.tick();
    const fundingBefore = venue.lastFundingRates['BTCUSDT'];
    assert.ok(fundingBefore !== undefined);
    const before = venue.state(accountId)!;
    const timeBefore = venue.market.time;
    const position = before.users[accountId]!.positions['BTCUSDT/BOTH']!;
    const entry = formatFixed(position.entryPrice);
    assert.equal(entry, formatFixed(mark));
    await venue.close();

    store = await open(location);
    venue = await venueOn(store, wall);
    const replayed = venue.state(accountId)!;
    assert.equal(formatFixed(replayed.users[accountId]!.positions['BTCUSDT/BOTH']!.entryPrice), entry);
    assert.equal(formatFixed(replayed.users[accountId]!.positions['BTCUSDT/BOTH']!.size), '0.01');
    assert.equal(replayed.time, before.time);
    assert.equal(venue.market.time, timeBefore);
    // the feed starts just after the newest logged time, not at its fresh default
    assert.equal(venue.feed.timeAt(wall.now()), timeBefore + 1);
    assert.equal(venue.lastFundingRates['BTCUSDT'], fundingBefore);
    // the first tick after the restart does not replay the bar's path so far: at most one new mark per symbol
    const marksBefore = Object.fromEntries(Object.entries(venue.market.marks).map(([s, p]) => [s, formatFixed(p)]));
    let seqBefore = 0;
    for await (const c of store.commands()) seqBefore = c.seq;
    venue.tick();
    await venue.flushed();
    const atStart: string[] = [];
    for await (const c of store.commands({ afterSeq: seqBefore })) if (c.timeMs === timeBefore + 1 && c.command['op'] === 'mark') atStart.push(`${c.command['symbol']} ${c.command['price']}`);
    assert.equal(new Set(atStart.map((m) => m.split(' ')[0])).size, atStart.length, atStart.join(', '));
    for (const m of atStart) assert.notEqual(m.split(' ')[1], marksBefore[m.split(' ')[0]!]);
    await venue.close();
  });

  it('what was acknowledged is in the log: another process replays the running venue\'s state exactly (no snapshot)', async () => {
    const location = freshPath();
    const wall = clock();
    const store = await open(location);
    const { accountId } = await store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '10000' }] });
    const venue = await venueOn(store, wall);
    const ops: Record<string, unknown>[] = [
      { op: 'setLeverage', account: accountId, symbol: 'ETHUSDT', leverage: 7 },
      { op: 'setMarginMode', account: accountId, symbol: 'ETHUSDT', mode: 'isolated' },
      { op: 'order', account: accountId, symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: '0.5' },
      { op: 'addMargin', account: accountId, symbol: 'ETHUSDT', amount: '12.5' },
      { op: 'order', account: accountId, symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.003' },
    ];
    for (const op of ops) {
      wall.advance(20 * 60_000);
      const parsed = parseCommand(op);
      assert.ok('command' in parsed);
      const submitted = await venue.submit(accountId, parsed.command, () => true);
      assert.ok('value' in submitted, JSON.stringify(op));
    }
    await venue.flushed();
    const other = await open(location);
    const replayed = await other.replay(accountId);
    assert.deepEqual(replayed.refused, []);
    assert.equal(JSON.stringify(accountV3(replayed.state, accountId)), JSON.stringify(accountV3(venue.state(accountId)!, accountId)));
    assert.equal(JSON.stringify(positionRiskV3(replayed.state, accountId)), JSON.stringify(positionRiskV3(venue.state(accountId)!, accountId)));
    await other.close();
    await venue.close();
  });

  it('a refused order (10 BTC on 10,000 USDT: -2019) changes nothing and is not logged', async () => {
    const wall = clock();
    const store = await open(freshPath());
    const { accountId } = await store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '10000' }] });
    const venue = await venueOn(store, wall);
    venue.tick();
    await venue.flushed(); // the tick's market appends land
    const logged = await logLength(store);
    const refused = await venue.submit(accountId, marketOrder(accountId, 'BTCUSDT', 'buy', parseFixed('10')), () => 'accepted');
    assert.ok('rejection' in refused);
    assert.equal(refused.rejection.code, -2019);
    assert.equal(await logLength(store), logged);
    await venue.close();
  });

  it('an account created by another process after the venue opened is loaded on its first request, with the market it missed', async () => {
    const location = freshPath();
    const wall = clock();
    const store = await open(location);
    const venue = await venueOn(store, wall);
    venue.tick();
    const other = await open(location);
    const created = await other.createAccount({ timeMs: 2, deposits: [{ asset: 'USDT', amount: '500' }] });
    await other.close();
    assert.equal(venue.lookup(created.apiKey), undefined);
    assert.equal(await venue.knowKey(created.apiKey), true);
    assert.equal(venue.lookup(created.apiKey)?.account, created.accountId);
    // known and loaded: answered at once, not as a promise (the server skips an await per request)
    assert.equal(venue.knowKey(created.apiKey), true);
    assert.equal(await venue.knowKey('no-such-key'), false);
    const state = venue.state(created.accountId)!;
    assert.equal(formatFixed(state.marks['BTCUSDT']!), formatFixed(venue.market.marks['BTCUSDT']!));
    await venue.close();
  });

  it('fail-stop: an append the log refuses calls onFatal once and every later command is refused with VenueStopped', async () => {
    const wall = clock();
    const real = await open(freshPath());
    const { accountId } = await real.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '10000' }] });
    const broken: Store = { ...real, appendBatch: () => Promise.reject(new Error('disk full')) };
    const fatal: unknown[] = [];
    const venue = await venueOn(broken, wall, fatal);
    await assert.rejects(venue.submit(accountId, marketOrder(accountId, 'BTCUSDT', 'buy', parseFixed('0.01')), () => 'ok'), VenueStopped);
    assert.equal(fatal.length, 1);
    assert.equal((fatal[0] as Error).message, 'disk full');
    await assert.rejects(venue.submit(accountId, marketOrder(accountId, 'BTCUSDT', 'buy', parseFixed('0.01')), () => 'ok'), VenueStopped);
    await venue.close();
  });

  it('a fresh venue starts 7 days before the bundled history ends, or at --from', async () => {
    const { lastMs } = bundledRange();
    const wall = clock();
    const store = await open(freshPath());
    const venue = await venueOn(store, wall);
    assert.equal(venue.feed.timeAt(wall.now()), lastMs - 7 * 24 * 3600_000);
    await venue.close();
    const from = Date.parse('2025-03-01T00:00:00Z');
    const store2 = await open(freshPath());
    const venue2 = await venueOn(store2, wall, [], from);
    assert.equal(venue2.feed.timeAt(wall.now()), from);
    await venue2.close();
  });
});

describe('Venue feed edge', () => {
  it('a feed started on a settlement instant (--from 2026-01-20T00:00Z): the funding before the first marks is neither applied nor logged', async () => {
    const { list: [sqlite] } = await backends();
    const store = await open(sqlite!.fresh());
    const lines: string[] = [];
    const { accountId } = await store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '100' }] });
    const wall = clock();
    const venue = await Venue.open({ store, clock: wall.now, onFatal: () => undefined, log: (l) => lines.push(l), feed: (logTimeMs, wallMs) => defaultFeed({ speed: 1, logTimeMs, fromMs: Date.parse('2026-01-20T00:00:00Z') }, wallMs) });
    venue.tick();
    await venue.flushed();
    const ops: string[] = [];
    for await (const c of store.commands()) ops.push(String(c.command['op']));
    assert.deepEqual(ops, ['deposit', 'mark', 'mark', 'mark']);
    assert.deepEqual(lines, []);
    assert.ok(venue.state(accountId)!.marks['SOLUSDT'] !== undefined);
    await venue.close();
    await sqlite!.cleanup();
  });
});
