// Replay from the store gives the state that applying the same commands directly gives, byte for byte
// (the engine's serializer), from the start and from snapshots, on SQLite and PostgreSQL. The commands
// are the engine fuzz's seeded workload (src/testing/workload.ts: deposits, orders of every type, cancels,
// margin moves, mode changes, marks that walk, jump and crash, funding), its accounts mapped to the store's.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { apply } from '../engine/apply.ts';
import { parseCommand } from '../engine/commands.ts';
import { serialize } from '../engine/invariants.ts';
import { parseJournal, runJournal, stateOfSetup } from '../engine/journal.ts';
import type { EngineState } from '../engine/state.ts';
import { InputError } from '../schema/input-error.ts';
import { Workload } from '../testing/workload.ts';
import { configOfSeed, setupOf, USERS, workloadStart } from '../testing/workload-setup.ts';
import type { ReplayOptions } from './replay.ts';
import type { Store } from './store.ts';
import { backends, openFresh } from './store-test-support.ts';
import type { VenueSetup } from './venue.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

const START_MS = 1_767_225_600_000; // 2026-01-01

/** `count` well-formed operations of seed `seed`, each with its time (one second apart). */
function workloadOps(seed: number, count: number): { raw: Record<string, unknown>; timeMs: number }[] {
  const config = configOfSeed(seed);
  const state = workloadStart(config).state;
  const workload = new Workload(config);
  const ops: { raw: Record<string, unknown>; timeMs: number }[] = [];
  for (let i = 0; ops.length < count; i++) {
    const op = workload.next(state);
    const parsed = parseCommand(op.raw);
    // a log holds only what parses, at times that never go back (the store and the server see to both)
    if (op.backInTime || 'rejection' in parsed) continue;
    // and names an account of the store in every trader command (the workload aims now and then at an
    // account that does not exist, which the store refuses: store.test.ts)
    if (!['mark', 'funding'].includes(parsed.command.op) && !(USERS as readonly unknown[]).includes(op.raw['account'])) continue;
    const timeMs = START_MS + i * 1_000;
    apply(state, parsed.command, timeMs, i);
    ops.push({ raw: op.raw, timeMs });
  }
  return ops;
}

/** The workload's operations with its users renamed to the store's account ids. */
function renamed(ops: ReturnType<typeof workloadOps>, ids: Record<string, string>) {
  return ops.map(({ raw, timeMs }) => ({ command: typeof raw['account'] === 'string' ? { ...raw, account: ids[raw['account']]! } : raw, timeMs }));
}

/** Each account's state from applying the commands directly: its own and the market's, in order. */
function applyDirectly(setup: VenueSetup, accountIds: readonly string[], commands: readonly { command: Record<string, unknown>; timeMs: number }[]) {
  const states = new Map<string, { state: EngineState; refused: number }>(accountIds.map((id) => [id, { state: stateOfSetup(setup).state, refused: 0 }]));
  commands.forEach(({ command, timeMs }, i) => {
    const parsed = parseCommand(command);
    if ('rejection' in parsed) throw new Error(`op ${i} does not parse`);
    const owner = command['account'];
    for (const [id, entry] of states) {
      if (typeof owner === 'string' && owner !== id) continue;
      if (apply(entry.state, parsed.command, timeMs, i).rejection) entry.refused += 1;
    }
  });
  return states;
}

async function assertReplaysTo(store: Store, expected: ReturnType<typeof applyDirectly>, options: ReplayOptions = {}) {
  const replayed = await store.replayAccounts(undefined, options);
  assert.deepEqual([...replayed.keys()].sort(), [...expected.keys()].sort());
  for (const [id, want] of expected) {
    const got = replayed.get(id)!;
    assert.equal(serialize(got.state), serialize(want.state), `account ${id}`);
    // a replay from a snapshot sees only the refusals after it
    if (got.fromSeq === 0) assert.equal(got.refused.length, want.refused, `refusals of ${id}`);
  }
  return replayed;
}

// the backends side by side (each has its own locations): the file's time is the slower one's, not the sum
describe('replay', { concurrency: true }, () => {
  for (const backend of list) {
    describe(`replay on ${backend.name}`, { skip: backend.skip }, () => {
      after(() => backend.cleanup());

      it('rebuilds every account as applying the commands directly does, from the start and from snapshots (seed 11)', async () => {
        const setup = setupOf(configOfSeed(11)) as VenueSetup;
        const store = await openFresh(backend, { setup });
        try {
          const ids: Record<string, string> = {};
          for (const user of USERS) ids[user] = (await store.createAccount({ timeMs: START_MS })).accountId;
          const commands = renamed(workloadOps(11, 360), ids);
          const half = commands.slice(0, 180);
          // the first half one by one, the second in batches of 30 (group commit)
          for (const c of half) await store.append(c);
          const replayed = await assertReplaysTo(store, applyDirectly(setup, Object.values(ids), half));
          for (const [id, r] of replayed) await store.saveSnapshot(id, r, START_MS);
          const snapshotSeqs = new Map([...replayed].map(([id, r]) => [id, r.seq]));
          for (let i = 180; i < commands.length; i += 30) await store.appendBatch(commands.slice(i, i + 30));

          const direct = applyDirectly(setup, Object.values(ids), commands);
          const fromSnapshots = await assertReplaysTo(store, direct);
          for (const [id, r] of fromSnapshots) assert.equal(r.fromSeq, snapshotSeqs.get(id), 'the replay starts from the snapshot');
          assert.ok(Math.min(...snapshotSeqs.values()) > 100);
          await assertReplaysTo(store, direct, { useSnapshots: false });
          // the whole-venue path: one scan of the log, other accounts' commands skipped in the loop
          await assertReplaysTo(store, direct, { useSnapshots: false, filteredAccountsMax: 0 });
          // not a vacuous comparison: the accounts traded, and the engine refused some commands on its own
          const trades = [...direct.values()].reduce((n, { state }) => n + Object.values(state.history).reduce((m, h) => m + h.trades.chunks.flat().length, 0), 0);
          assert.ok(trades > 20, `only ${trades} trades`);
          assert.ok([...direct.values()].some((e) => e.refused > 0));
          // one account alone replays to the same state as in the pass over all of them
          const alone = await store.replay(ids['c']!);
          assert.equal(serialize(alone.state), serialize(direct.get(ids['c']!)!.state));
          // and its exported journal runs through `perpguard run`'s code path to that state too
          const journal = await store.exportJournal(ids['c']!);
          assert.equal(serialize(runJournal(parseJournal(JSON.parse(JSON.stringify(journal)), { refuseMalformedOps: true })).state), serialize(alone.state));
          // two snapshots are kept per account: a third pushes out the oldest, and the newest is used
          await store.saveSnapshot(ids['c']!, alone, START_MS);
          assert.equal((await store.replay(ids['c']!)).fromSeq, alone.seq);
        } finally {
          await store.close();
        }
      });

      it('gives an account without commands the set-up\'s fresh state, and refuses an unknown account', async () => {
        const store = await openFresh(backend);
        try {
          const { accountId } = await store.createAccount({ timeMs: 5 });
          await store.append({ command: { op: 'mark', symbol: 'BTCUSDT', price: '64000.5' }, timeMs: 10 });
          const replayed = await store.replay(accountId);
          assert.equal(replayed.applied, 1);
          assert.equal(replayed.state.marks['BTCUSDT'] as unknown as bigint, 64_000_500_000_000_000_000_000n);
          assert.deepEqual(Object.keys(replayed.state.users), []);
          await assert.rejects(store.replay('nobody'), (e: unknown) => e instanceof InputError && e.field === 'account');
        } finally {
          await store.close();
        }
      });
    });
  }
});
