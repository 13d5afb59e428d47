// A trader command is timed at the wall time its feed tick used: with a clock that moves on every read (600 s
// of feed time per read at x10,000), the venue once read it twice in submit, timed the command after a mark
// the tick had not handed out, and the mark, applied next, was refused by the account (time before its
// state's) and logged after the command, so the replay refused it too (found by src/cli/serve-crash.test.ts
// on PostgreSQL). SQLite only: the timing is the venue's, the store just records it.
import { after, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from '../../engine/invariants.ts';
import { openStore } from '../../store/store.ts';
import { TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from './default-feed.ts';
import { Venue } from './venue.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-venue-clock-'));
after(() => rmSync(folder, { recursive: true, force: true }));

it('with a clock that moves on every read, 40 commands and the marks between them replay without a refusal to the state in memory', async () => {
  const location = { kind: 'sqlite' as const, path: join(folder, 'venue.db') };
  const store = await openStore({ location, env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
  const { accountId } = await store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '10000' }] });
  let wallMs = 1_000_000;
  const logged: string[] = [];
  const venue = await Venue.open({ store, clock: () => (wallMs += 60), log: (line) => logged.push(line), onFatal: (e) => assert.fail(String(e)), feed: (logTimeMs, wall) => defaultFeed({ speed: 10_000, logTimeMs }, wall) });
  await venue.account(accountId);
  for (let i = 0; i < 40; i++) {
    const placed = await venue.submit(accountId, { op: 'setLeverage', account: accountId, symbol: 'BTCUSDT', leverage: 10 + (i % 2) }, () => true);
    assert.ok('value' in placed);
  }
  await venue.flushed();
  assert.deepEqual(logged.filter((line) => line.includes('refused')), []);
  const replayed = await store.replay(accountId);
  assert.deepEqual(replayed.refused, []);
  assert.ok(replayed.applied > 40, `${replayed.applied} commands: the marks are among them`);
  assert.equal(serialize(replayed.state), serialize(venue.state(accountId)));
  await venue.close();
});
