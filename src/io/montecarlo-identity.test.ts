// The Monte Carlo's screening changes no outcome: a batch run as `perpguard montecarlo` runs it (screened,
// replayOutcome) equals the same batch with every bar through the exact engine (full replays), field by
// field except the count of exact bars; and the pool gives the same outcomes on 1 and 2 workers.
// npm test runs a few paths; the deep tier (scripts/run-deep.mjs) runs PERPGUARD_MC_IDENTITY_PATHS paths
// per spec and PERPGUARD_MC_POOL_PATHS through the pool.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { runBatch, type PathOutcome } from '../sim/montecarlo.ts';
import { parseSpec } from '../sim/spec.ts';
import { runPaths } from './montecarlo-pool.ts';
import { bundledReturnsModel, MC_TICKS } from './returns.ts';

const identityPaths = Number(process.env['PERPGUARD_MC_IDENTITY_PATHS'] ?? 6);
const poolPaths = Number(process.env['PERPGUARD_MC_POOL_PATHS'] ?? 0);
const seed = Number(process.env['PERPGUARD_SEED'] ?? 20261202);

const specs = {
  'crash study (the CLI default)': parseSpec(parseYaml(readFileSync(new URL('../../examples/crash-study.yaml', import.meta.url), 'utf8'))),
  'leveraged book with a stop-loss and a take-profit': parseSpec({
    wallet: '10000',
    legs: [
      { symbol: 'BTCUSDT', side: 'long', size: { notional: '60000' }, leverage: 20, marginMode: 'cross' },
      { symbol: 'ETHUSDT', side: 'long', size: { margin: '500' }, leverage: 25, marginMode: 'isolated', stopLoss: { percent: '3' } },
      { symbol: 'SOLUSDT', side: 'short', size: { margin: '300' }, leverage: 10, marginMode: 'isolated', takeProfit: { percent: '4' } },
    ],
  }),
};
const options = { generator: 'bootstrap' as const, hours: 240, blockHours: 24, crashProbability: 0.3, ticks: [0.1, 0.01, 0.01], startMs: Date.UTC(2026, 0, 21) };
const withoutExactBars = (outcomes: readonly PathOutcome[]) => outcomes.map(({ exactBars: _e, ...rest }) => rest);

describe(`Monte Carlo identity, seed ${seed} (PERPGUARD_SEED to replay)`, () => {
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: ${identityPaths} paths x 240 h x 3 modes, screened = all exact`, () => {
      const input = { spec, model: bundledReturnsModel(), options, modes: ['isolated' as const, 'cross' as const, 'mixed' as const], seed, fromPath: 0, toPath: identityPaths };
      const screened = runBatch(input, MC_TICKS);
      const exact = runBatch({ ...input, screening: false }, MC_TICKS);
      assert.deepEqual(withoutExactBars(screened), withoutExactBars(exact));
      const liquidated = screened.filter((o) => o.liquidated).length;
      console.log(`${name}: ${screened.length} outcomes, ${liquidated} with a liquidation; exact bars ${screened.reduce((n, o) => n + o.exactBars, 0)} of ${screened.reduce((n, o) => n + o.bars, 0)}`);
      assert.ok(identityPaths < 20 || (liquidated > 0 && liquidated < screened.length), 'the paths liquidate some runs and not others');
    });
  }

  it(`${poolPaths || 'no (deep tier only)'} paths x 720 h x 2 modes through the pool: 1 worker = 2 workers`, { skip: poolPaths === 0 }, async () => {
    const task = { spec: specs['crash study (the CLI default)'], options: { ...options, hours: 720 }, modes: ['isolated' as const, 'cross' as const], seed };
    const one = await runPaths(task, poolPaths, { workers: 1, chunkPaths: 50 });
    const two = await runPaths(task, poolPaths, { workers: 2, chunkPaths: 50, notice: (line) => assert.fail(line) });
    assert.equal(one.length, 2 * poolPaths);
    assert.ok(one.every((o, k) => o.path === Math.floor(k / 2)));
    assert.deepEqual(two, one);
  });
});
