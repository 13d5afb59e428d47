// `perpguard advise funding` end to end: the real bin script in a child process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const ethFile = fileURLToPath(new URL('../../data/binance-futures-ETHUSDT-funding-8h.csv', import.meta.url));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'advise', 'funding', '--wide', ...args] /* content checks: every column, no wrapping */, { input: '', encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('perpguard advise funding', () => {
  it('the bundled BTCUSDT history for people, with the liquidation-price drift', () => {
    const r = run(['--notional', '6000', '--entry', '60000', '--leverage', '10']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Funding of BTCUSDT \(binance-futures-BTCUSDT-funding-8h\.csv/);
    // last 365 days: 1,095 settlements averaging 0.0071832986...% -> 7.86 % a year
    assert.match(r.out, /last 365 days\s+│ 2023-01-01 00:00 │ 1095\s+│ 0\.0072 %\s+│ 7\.86 %/);
    assert.match(r.out, /10x isolated with margin 600 USDT/);
    assert.match(r.out, /Isolated liquidation price now: 54,216\.9/);
  });
  it('--json with --funding FILE, a short: it receives at positive rates', () => {
    const r = run(['--funding', ethFile, '--symbol', 'ETHUSDT', '--side', 'short', '--notional', '10000', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const year = j.windows.find((w: { window: string }) => w.window === '1y');
    assert.equal(year.settlements, 1095);
    assert.ok(year.costPerYear.startsWith('-'), year.costPerYear);
    assert.equal(year.drift, null);
    assert.equal(j.position.side, 'short');
  });
  it('bad input: exit 2, one line naming the flag', () => {
    for (const [args, message] of [
      [['--symbol', 'SOLUSDT'], /--symbol: no bundled funding history for SOLUSDT/],
      [['--entry', '60000', '--leverage', '0'], /--leverage: must be a whole number >= 1/],
    ] as const) {
      const r = run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')} -> ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
