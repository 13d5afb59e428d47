// Venue.onChange, the hook the WebSocket streams listen on: a trader's accepted command and each feed event
// are published right after they are applied, with the state after them, the id counters before them and
// a `durable` promise that resolves to the command's sequence number once it is in the log; a refused
// command publishes nothing; a subscriber that throws is logged and changes nothing for the trader.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/fixed.ts';
import { marketOrder } from '../../engine/commands.ts';
import { openStore, type Store } from '../../store/store.ts';
import { backends, TEST_SECRET_KEY } from '../../store/store-test-support.ts';
import { defaultFeed } from './default-feed.ts';
import { Venue, type VenueChange } from './venue.ts';

const { list, failure } = await backends();
if (failure) it('PostgreSQL is reachable (CI=true)', () => assert.fail(failure));

async function logged(store: Store, seq: number): Promise<Record<string, unknown> | undefined> {
  for await (const c of store.commands({ afterSeq: seq - 1 })) if (c.seq === seq) return c.command;
  return undefined;
}

for (const backend of list) describe(`Venue.onChange on ${backend.name}`, { skip: backend.skip }, () => {
  after(() => backend.cleanup());

  it('publishes the order with its account, counters and result; durable resolves to its logged sequence number', async () => {
    const store = await openStore({ location: backend.fresh(), env: { PERPGUARD_SECRET_KEY: TEST_SECRET_KEY } });
    const { accountId } = await store.createAccount({ timeMs: 1, deposits: [{ asset: 'USDT', amount: '10000' }] });
    let wallMs = 1_000_000;
    const lines: string[] = [];
    const venue = await Venue.open({ store, clock: () => wallMs, onFatal: () => undefined, log: (l) => lines.push(l), feed: (logTimeMs, wall) => defaultFeed({ speed: 1, logTimeMs }, wall) });
    await venue.account(accountId);
    const changes: VenueChange[] = [];
    const stop = venue.onChange((c) => changes.push(c));
    venue.onChange(() => {
      throw new Error('a subscriber bug');
    });

    venue.tick();
    const marks = changes.filter((c) => c.source === 'market');
    assert.deepEqual(marks.map((c) => c.command.op), ['mark', 'mark', 'mark']);
    assert.deepEqual(marks.map((c) => c.applied.map((a) => a.account)), [[accountId], [accountId], [accountId]]);
    const markSeq = await marks[0]!.durable;
    assert.equal((await logged(store, markSeq))?.['op'], 'mark');

    changes.length = 0;
    const placed = await venue.submit(accountId, marketOrder(accountId, 'BTCUSDT', 'buy', parseFixed('0.01')), (_state, _result, orderIdBefore) => orderIdBefore);
    assert.ok('value' in placed);
    assert.equal(changes.length, 1);
    const [change] = changes;
    assert.equal(change!.source, 'trader');
    assert.equal(change!.applied.length, 1);
    const applied = change!.applied[0]!;
    assert.equal(applied.account, accountId);
    assert.equal(applied.before.nextOrderId, placed.value);
    assert.equal(applied.state, venue.state(accountId));
    assert.ok(applied.result.events.some((e) => e.type === 'fill'));
    assert.equal(await change!.durable, placed.seq);
    assert.equal((await logged(store, placed.seq))?.['op'], 'order');
    // the throwing subscriber was logged, once per change, and the order went through regardless
    assert.equal(lines.filter((l) => l.includes('a subscriber bug')).length, 4);

    const refused = await venue.submit(accountId, marketOrder(accountId, 'BTCUSDT', 'buy', parseFixed('100')), () => 0);
    assert.ok('rejection' in refused);
    assert.equal(changes.length, 1);

    stop();
    wallMs += 3600_000;
    venue.tick();
    assert.equal(changes.length, 1);
    await venue.close();
  });
});
