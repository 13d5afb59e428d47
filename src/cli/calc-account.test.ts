// `perpguard calc` on imported accounts, end to end in-process (runCli), on the files examples/import
// ships (copies of test/fixtures/import, sources in its SOURCES.md).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { runCli } from './test-support.ts';

const example = (name: string) => fileURLToPath(new URL(`../../examples/import/${name}`, import.meta.url));

describe('perpguard calc on an imported account', () => {
  it('--compare --json: Binance positionRisk with --balance account', async () => {
    const r = await runCli(['calc', example('binance-positionRisk.json'), '--balance', example('binance-account.json'), '--compare', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const json = JSON.parse(r.stdout);
    assert.equal(json.account.walletBalance, '25.72610060');
    assert.equal(json.imported.format, 'Binance /fapi/v3/positionRisk + Binance /fapi/v3/account');
    assert.deepEqual(json.imported.comparison[0], {
      symbol: 'BTCUSDT',
      side: 'long',
      positionSide: 'BOTH',
      marginMode: 'cross',
      tickSize: '0.1',
      perpguard: '64846.8317046',
      exchange: '64846.9875379',
      differenceTicks: '-1.56',
    });
  });

  it('--compare for people: Hyperliquid clearinghouseState', async () => {
    const r = await runCli(['calc', example('hyperliquid-clearinghouseState.json'), '--compare']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Compared with the exchange \(imported from Hyperliquid clearinghouseState\)/);
    assert.match(r.stdout, /SOL +│ short │ cross │ 22881\.19788911 +│ 22881\.19788911 +│ 0\.00 ticks \(tick 0\.01\)/);
    assert.match(r.stdout, /ETH +│ long +│ cross │ none +│ none +│ both: none/);
  });

  it('what is missing is one line and exit 2; --compare needs an exchange response', async () => {
    const missing = await runCli(['calc', example('binance-positionRisk.json')]);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr.trim().split('\n').length, 1);
    assert.match(missing.stderr, /^perpguard: balance: the cross position BTCUSDT needs the cross wallet: give the balance: --balance balance\.json or a fetchBalance in the file/);
    const snapshot = await runCli(['calc', fileURLToPath(new URL('../../examples/account-cross-three.json', import.meta.url)), '--compare']);
    assert.equal(snapshot.code, 2);
    assert.match(snapshot.stderr, /^perpguard: --compare: needs an exchange response/);
  });

  it('advise liquidation reads the one-file {positions, balance} form', async () => {
    const r = await runCli(['advise', 'liquidation', example('ccxt-positions-and-balance.json'), '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /64846\.8/);
  });
});
