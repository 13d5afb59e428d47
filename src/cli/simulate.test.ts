// `perpguard study`'s tables for people: 100 columns, the settlement asset's precision (in-process).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from './test-support.ts';

const spec = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));
const widest = (text: string): number => Math.max(...text.split('\n').map((l) => [...l].length));

describe('perpguard study tables', () => {
  it('a coin-margined spec prints its equity in BTC to 8 decimals (at 2 it read 0.07 or 0.00)', async () => {
    const r = await runCli(['study', '--spec', spec('venues/binance-coinm.yaml'), '--modes', 'isolated,cross']);
    assert.equal(r.code, 0, r.stderr);
    const isolated = r.stdout.split('\n').find((l) => l.startsWith('│ isolated '))!;
    // the final equity column: a fraction of the 0.25 BTC wallet, with all 8 decimals
    assert.match(isolated, /│ 0\.\d{8} +│/);
    assert.ok(widest(r.stdout) <= 100, `widest line ${widest(r.stdout)}`);
  });
  it('a USDT spec stays at the cent; --wide prints the columns left out at 100', async () => {
    const narrow = await runCli(['study', '--spec', spec('safety-net.yaml'), '--modes', 'isolated']);
    assert.equal(narrow.code, 0, narrow.stderr);
    // safety net through Black Thursday: the 3 % stop leaves 9,800.03 of 10,000 (README: kept 98.00 %)
    assert.match(narrow.stdout, /│ isolated │ .*│ 9800\.03 +│ .*│ 98\.00 % +│/);
    assert.ok(widest(narrow.stdout) <= 100, `widest line ${widest(narrow.stdout)}`);
    const wide = await runCli(['study', '--spec', spec('safety-net.yaml'), '--modes', 'isolated', '--wide']);
    assert.match(wide.stdout, /│ min +│/);
    assert.doesNotMatch(wide.stdout, /left out to fit/);
  });
});

describe('PERPGUARD_ASSERT=1 in the simulator', () => {
  it("the set-up accounts' engines run their invariants after every command, and the study's figures are unchanged", async () => {
    const { SimContext } = await import('../sim/context.ts');
    const { readSpec } = await import('./simulate.ts');
    const { legsUnder } = await import('../sim/spec.ts');
    const s = readSpec(spec('safety-net.yaml'));
    const legs = legsUnder(s, 'isolated');
    assert.equal(new SimContext({ assertInvariants: true }).setup(s, 'isolated', legs, 0).state.config.assertInvariants, true);
    assert.equal(new SimContext().setup(s, 'isolated', legs, 0).state.config.assertInvariants, false);
    const plain = await runCli(['study', '--spec', spec('safety-net.yaml'), '--modes', 'isolated,cross', '--json']);
    process.env['PERPGUARD_ASSERT'] = '1';
    try {
      const asserted = await runCli(['study', '--spec', spec('safety-net.yaml'), '--modes', 'isolated,cross', '--json']);
      assert.equal(asserted.code, 0, asserted.stderr);
      assert.equal(asserted.stdout, plain.stdout);
    } finally {
      delete process.env['PERPGUARD_ASSERT'];
    }
  });
});
