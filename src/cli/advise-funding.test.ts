// `perpguard advise funding` end to end, in-process through runCli (the main() the bin script calls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './test-support.ts';
import { fileURLToPath } from 'node:url';

const ethFile = fileURLToPath(new URL('../../data/binance-futures-ETHUSDT-funding-8h.csv', import.meta.url));

async function run(args: string[]) {
  const r = await runCli(['advise', 'funding', '--wide', ...args], { stdin: '' });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('perpguard advise funding', () => {
  it('the bundled BTCUSDT history for people, with the liquidation-price drift', async () => {
    const r = await run(['--notional', '6000', '--entry', '60000', '--leverage', '10']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Funding of BTCUSDT \(binance-futures-BTCUSDT-funding-8h\.csv/);
    // last 365 days: 1,095 settlements averaging 0.0071832986...% -> 7.86 % a year
    assert.match(r.out, /last 365 days\s+│ 2023-01-01 00:00 │ 1095\s+│ 0\.0072 %\s+│ 7\.86 %/);
    assert.match(r.out, /10x isolated with margin 600 USDT/);
    assert.match(r.out, /Isolated liquidation price now: 54,216\.9/);
  });
  it('--json with --funding FILE, a short: it receives at positive rates', async () => {
    const r = await run(['--funding', ethFile, '--symbol', 'ETHUSDT', '--side', 'short', '--notional', '10000', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    const year = j.windows.find((w: { window: string }) => w.window === '1y');
    assert.equal(year.settlements, 1095);
    assert.ok(year.costPerYear.startsWith('-'), year.costPerYear);
    assert.equal(year.drift, null);
    assert.equal(j.position.side, 'short');
  });
  it('bad input: exit 2, one line naming the flag', async () => {
    for (const [args, message] of [
      [['--symbol', 'SOLUSDT'], /--symbol: no bundled funding history for SOLUSDT/],
      [['--entry', '60000', '--leverage', '0'], /--leverage: must be a whole number >= 1/],
    ] as const) {
      const r = await run([...args]);
      assert.equal(r.code, 2, `${args.join(' ')} -> ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
