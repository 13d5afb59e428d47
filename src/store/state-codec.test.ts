// Snapshots' state text: an engine state written and read back is the same state (the engine's
// serializer byte for byte) and goes on to the same states under the same commands.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apply } from '../engine/apply.ts';
import { parseCommand } from '../engine/commands.ts';
import { serialize } from '../engine/invariants.ts';
import { runJournal, parseJournal } from '../engine/journal.ts';
import type { EngineState } from '../engine/state.ts';
import { Workload } from '../testing/workload.ts';
import { configOfSeed, workloadStart } from '../testing/workload-setup.ts';
import { decodeState, encodeState } from './state-codec.ts';

const roundTrip = (state: EngineState) => decodeState(encodeState(state), state.config);

function step(state: EngineState, raw: Record<string, unknown>, time: number) {
  const parsed = parseCommand(raw);
  return 'rejection' in parsed ? undefined : apply(state, parsed.command, time);
}

describe('state codec', () => {
  it('keeps names that look like its own tags or like prototypes as data', () => {
    const { state } = runJournal(
      parseJournal({
        setup: { exchange: 'binance-usdm' },
        ops: [
          { op: 'deposit', account: '$big', asset: 'USDT', amount: '1000.000000000000000001' },
          { op: 'deposit', account: '__proto__', asset: 'USDT', amount: '500' },
          { op: 'deposit', account: 'constructor', asset: 'USDT', amount: '7' },
          { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
          { op: 'order', account: '$big', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
          // a resting order whose client id is what the engine's one-way serializer writes for the bigint 5
          { op: 'order', account: '__proto__', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.002', price: '40000', clientOrderId: '5n' },
        ],
      }),
    );
    const text = encodeState(state);
    const back = decodeState(text, state.config);
    assert.equal(serialize(back), serialize(state));
    assert.equal(Object.getPrototypeOf(back.users), null);
    assert.deepEqual(Object.keys(back.users).sort(), ['$big', '__proto__', 'constructor']);
    assert.equal(back.users['__proto__']!.orders[0]!.clientOrderId, '5n');
    // 1000.000000000000000001 - 0.01 x 50,000 x 0.05 % taker fee (Binance's base tier), exact to 1e-18
    assert.equal(back.balances['USDT']!['user/$big/cross'] as unknown as bigint, 999_750_000_000_000_000_001n);
    // the config is not in the text: it is rebuilt from the venue's set-up
    assert.ok(!text.includes('"config"'));
  });

  it('round-trips the states of the seeded workload and continues from them as from the originals (fast-check over seeds)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 20, max: 160 }), (seed, steps) => {
        const config = configOfSeed(seed);
        const original = workloadStart(config).state;
        const workload = new Workload(config);
        for (let i = 0; i < steps; i++) step(original, workload.next(original).raw, i * 1_000);
        const copy = roundTrip(original);
        assert.equal(serialize(copy), serialize(original));
        // the same next commands give the same events and states on both
        for (let i = steps; i < steps + 40; i++) {
          const raw = workload.next(original).raw;
          const a = step(original, raw, i * 1_000);
          const b = step(copy, raw, i * 1_000);
          assert.equal(serialize(b?.events), serialize(a?.events));
        }
        assert.equal(serialize(copy), serialize(original));
      }),
      { numRuns: 12, seed: 20261202 },
    );
  });
});
