// `perpguard advise liquidation` end to end, in-process through runCli (the main() the bin script calls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './test-support.ts';
import { fileURLToPath } from 'node:url';

const example = fileURLToPath(new URL('../../examples/account-cross-three.json', import.meta.url));

async function run(args: string[], input = '') {
  const r = await runCli(['advise', 'liquidation', '--wide', ...args], { stdin: input });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('perpguard advise liquidation', () => {
  it('hedge mode: the SHORT leg of a net-long symbol is 36.94 % from the shared cross price, not -36.94 % (past it)', async () => {
    // LONG 1 BTC @ 60,000 and SHORT 0.5 @ 62,000, both cross 20x, wallet 10,000, mark 61,000: one cross price for both
    const hedge = JSON.stringify({
      exchange: 'binance-usdm',
      positionMode: 'hedge',
      walletBalance: '10000',
      positions: [
        { symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '60000', markPrice: '61000', marginMode: 'cross', leverage: 20 },
        { symbol: 'BTCUSDT', side: 'short', size: '0.5', entryPrice: '62000', markPrice: '61000', marginMode: 'cross', leverage: 20 },
      ],
    });
    const short = await run(['-', '--symbol', 'BTCUSDT', '--side', 'short'], hedge);
    const long = await run(['-', '--symbol', 'BTCUSDT', '--side', 'long'], hedge);
    assert.equal(short.code, 0, short.err);
    for (const r of [short, long]) {
      assert.match(r.out, /cross \(wallet 10,000\)\s+│ whole wallet │ 38,461\.6 +│ 36\.94 % /);
      assert.equal(r.out.split('\n').filter((l) => /share one cross liquidation price/.test(l)).length, 1);
    }
    assert.doesNotMatch(short.out, /│ -36\.94 % +│ ok/); // the sensitivity rows (the blast radius move of -36.94 % is signed on purpose)
  });
  it('a snapshot position: isolated vs cross, the sensitivity tables and the blast radius for people', async () => {
    const r = await run([example, '--symbol', 'BTCUSDT']);
    assert.equal(r.code, 0, r.err);
    // isolated 61,445.78... shown to the 0.1 tick toward the mark; cross 50,275.83... likewise
    assert.match(r.out, /isolated \(margin = IM at entry\)\s+│ 3,400\s+│ 61,445\.8 /);
    assert.match(r.out, /cross \(wallet 10,000\)\s+│ whole wallet │ 50,275\.9 /);
    assert.match(r.out, /-30 %\s+│ 62,181\.1 /);
    assert.match(r.out, /-50 %\s+│ 5,000\s+│ 60,316 /);
    assert.match(r.out, /down \(adverse\) │ -17\.41 %/);
    assert.match(r.out, /SOLUSDT at 15\.619 %/);
  });
  it('--json for a planned position (the seed: 0.02 BTC at 50,000, 10x, wallet 1,000)', async () => {
    const r = await run(['--symbol', 'BTCUSDT', '--side', 'long', '--entry', '50000', '--size', '0.02', '--leverage', '10', '--wallet', '1000', '--wallet-changes', '-50,-25', '--json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    // (100 - 1,000) / (0.02 x 0.004 - 0.02) = 45,180.7228915...
    assert.equal(j.isolated.margin, '100.00000000');
    assert.equal(j.isolated.liquidationPrice, '45180.72289157');
    assert.equal(j.isolated.liquidationPriceTick, '45180.8');
    assert.equal(j.cross.liquidationPrice, null);
    assert.deepEqual(j.walletChanges.map((w: { liquidationPrice: string }) => w.liquidationPrice), ['25100.40160643', '12550.20080322']);
    assert.equal(j.blastRadius.down.movePct, null);
    assert.equal(j.otherMoves.length, 7);
  });
  it('--notional sizes the planned position down to the step', async () => {
    const r = await run(['--symbol', 'ETHUSDT', '--side', 'short', '--entry', '3000', '--notional', '1000', '--leverage', '5', '--wallet', '500', '--json']);
    assert.equal(r.code, 0, r.err);
    // 1,000 / 3,000 = 0.3333 -> 0.333 (step 0.001)
    assert.equal(JSON.parse(r.out).position.size, '0.333');
  });
  it('bad input: exit 2, one line naming the flag', async () => {
    const cases: [string[], RegExp][] = [
      [['--symbol', 'BTCUSDT', '--side', 'long', '--entry', '50000', '--size', '0.02', '--leverage', '10', '--wallet', 'lots'], /--wallet: must be a decimal string/],
      [[example, '--moves', '-30,abc'], /--moves: "abc": must be a decimal string/],
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
