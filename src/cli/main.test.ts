// The perpguard command end to end: the real bin script in a child process, as a user runs it.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const example = fileURLToPath(new URL('../../examples/account-cross-three.json', import.meta.url));

function run(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { input: input ?? '', encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('perpguard CLI', () => {
  it('--help lists every command', () => {
    const r = run(['--help']);
    assert.equal(r.code, 0);
    for (const command of ['calc', 'tiers']) assert.match(r.out, new RegExp(`\\n  ${command} `));
  });
  it('calc prints the tables for people', () => {
    const r = run(['calc', example]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Positions/);
    assert.match(r.out, /liq\. price/);
    assert.match(r.out, /margin ratio, cross/);
  });
  it('calc --json reads stdin and prints the documented shape with decimal strings', () => {
    const snapshot = JSON.stringify({
      exchange: 'binance-usdm',
      walletBalance: '1000',
      positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'isolated', leverage: 10, isolatedMargin: '100' }],
    });
    const r = run(['calc', '--json'], snapshot);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    // seed example: (100 - 0.02 x 50,000) / (0.02 x 0.004 - 0.02) = 45,180.7228...
    assert.equal(json.positions[0].liquidationPrice, '45180.72289157');
    assert.equal(json.positions[0].liquidationPriceTick, '45180.8');
    assert.equal(json.account.walletBalance, '1000.00000000');
  });
  it('bad input: exit code 2 and one line naming the field and the reason', () => {
    const cases: [unknown, RegExp][] = [
      [{ exchange: 'kraken', positions: [] }, /exchange: must be one of/],
      [{ exchange: 'binance-usdm', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '-1', entryPrice: '1', marginMode: 'cross', leverage: 5 }], walletBalance: '1' }, /positions\[0\]\.size: must be above zero/],
      [{ exchange: 'binance-usdm', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '1', marginMode: 'isolated', leverage: 5 }] }, /positions\[0\]\.isolatedMargin: is required/],
      [{ exchange: 'binance-usdm', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '1', marginMode: 'cross', leverage: 500 }], walletBalance: '1' }, /positions\[0\]\.leverage: 500x is above the 125x maximum/],
      [{ exchange: 'okx-swap', positions: [{ symbol: 'ETHUSDT', side: 'long', size: '1', entryPrice: '10', marginMode: 'isolated', leverage: 5, isolatedMargin: '2' }] }, /no maintenance bracket table for ETHUSDT on okx-swap/],
    ];
    for (const [input, message] of cases) {
      const r = run(['calc', '--json'], JSON.stringify(input));
      assert.equal(r.code, 2, `${JSON.stringify(input)} -> ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
    const notJson = run(['calc'], '{oops');
    assert.equal(notJson.code, 2);
    assert.match(notJson.err, /not valid JSON/);
    const missing = run(['calc', '/nonexistent.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /cannot read \/nonexistent\.json: ENOENT/);
  });
  it('tiers validates a ccxt dump and refuses a broken one', () => {
    const good = run(['tiers', '--json', fileURLToPath(new URL('../../test/fixtures/ccxt-binance-leverage-tiers.json', import.meta.url))]);
    assert.equal(good.code, 0, good.err);
    assert.equal(JSON.parse(good.out)[0].brackets[3].maintenanceAmount, '11450');
    const bad = run(['tiers', fileURLToPath(new URL('../../test/fixtures/ccxt-tiers-broken-cum.json', import.meta.url))]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /breaks cum_n/);
  });
});
