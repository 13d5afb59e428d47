// The advisor's accounts: a portfolio spec entered through the engine as a snapshot.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, price } from '../domain/fixed.ts';
import { InputError } from '../schema/input-error.ts';
import { parseSpec } from '../sim/spec.ts';
import { snapshotOfSpec } from './accounts.ts';

describe('a portfolio spec as an account', () => {
  it('the crash-study book entered at BTC 50,000, ETH 2,500, SOL 100', () => {
    const spec = parseSpec({
      wallet: '10000',
      legs: [
        { symbol: 'BTCUSDT', side: 'long', size: { notional: '40000' }, leverage: 20, marginMode: 'cross', role: 'core' },
        { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 20, marginMode: 'isolated', role: 'speculative' },
        { symbol: 'SOLUSDT', side: 'short', size: { margin: '200' }, leverage: 10, marginMode: 'isolated', role: 'hedge' },
      ],
    });
    const snap = snapshotOfSpec(spec, new Map([['BTCUSDT', price('50000')], ['ETHUSDT', price('2500')], ['SOLUSDT', price('100')]]));
    // BTC 40,000 / 50,000 = 0.8; ETH 500 x 20 / 2,500 = 4; SOL 200 x 10 / 100 = 20
    assert.deepEqual(snap.legs.map((l) => [l.symbol, formatFixed(l.size), l.marginMode, formatFixed(l.isolatedWallet)]), [
      ['BTCUSDT', '0.8', 'cross', '0'],
      ['ETHUSDT', '4', 'isolated', '500'],
      ['SOLUSDT', '20', 'isolated', '200'],
    ]);
    // cross wallet: 10,000 - 500 - 200 - fees (40,000 + 10,000 + 2,000) x 0.05 % = 26  ->  9,274
    assert.equal(formatFixed(snap.crossWallet), '9274');
    assert.throws(() => snapshotOfSpec(spec, new Map()), (e: unknown) => e instanceof InputError && e.field === 'legs[0].symbol');
  });
});

// ------------------------------------------------------------------------------------------ property
