// `perpguard advise size` end to end, in-process through runCli (the main() the bin script calls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './test-support.ts';
import { fileURLToPath } from 'node:url';


async function run(args: string[]) {
  const r = await runCli(['advise', 'size', '--wide', ...args], { stdin: '' });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('perpguard advise size', () => {
  it('the table for people: 10,000 at 2 %, BTCUSDT 60,000 -> 58,800', async () => {
    const r = await run(['--portfolio', '10,000', '--risk', '2', '--entry', '60000', '--stop', '58800']);
    assert.equal(r.code, 0, r.err);
    // 200 / (1,200 + 0.0005 x 118,800) = 0.1588 -> 0.158; loss 189.6 + 4.74 + 4.6452 = 198.9852
    assert.match(r.out, /BTCUSDT long on binance-usdm: entry 60,000, stop 58,800 \(2 % away\)/);
    assert.match(r.out, /quantity \(rounded down to the step 0\.001\)\s+│ 0\.158 /);
    assert.match(r.out, /= total \(never above the budget\)\s+│ 198\.9852 USDT \(1\.0148 unused\)/);
    assert.match(r.out, /41\.806x \(stop first up to 41x; with the buffer up to 38x\)/);
  });
  it('a short on ETHUSDT is read from the stop above the entry', async () => {
    const r = await run(['--portfolio', '5000', '--risk', '1', '--symbol', 'ETHUSDT', '--entry', '3000', '--stop', '3090', '--leverage', '10', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    // 50 / (90 + 0.0005 x 6,090) = 0.5373... -> 0.537
    assert.deepEqual([j.side, j.quantity, j.loss.total, j.stopStatus], ['short', '0.537', '49.96516500', 'before-liquidation']);
  });
  it('bad input: exit 2, one line naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--portfolio', '10000', '--entry', '60000', '--stop', '61000', '--side', 'long'], /--stop: a long's stop must be below the entry/],
      [['--portfolio', '10000', '--entry', '60000', '--stop', '58800', '--symbol', 'DOGEUSDT'], /--symbol: DOGEUSDT is not a bundled market/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')} -> ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
