// `perpguard advise hedge` end to end, in-process through runCli (the main() the bin script calls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './test-support.ts';
import { fileURLToPath } from 'node:url';


async function run(args: string[], input: unknown) {
  const r = await runCli(['advise', 'hedge', '--wide', ...args], { stdin: JSON.stringify(input) });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

// BTC long against ETH short, 20x, 5,000 of wallet (hand-computed in src/advisor/hedge.test.ts)
const pair = {
  exchange: 'binance-usdm',
  walletBalance: '5000',
  positions: [
    { symbol: 'BTCUSDT', side: 'long', size: '0.5', entryPrice: '60000', marginMode: 'cross', leverage: 20 },
    { symbol: 'ETHUSDT', side: 'short', size: '5', entryPrice: '3000', marginMode: 'isolated', leverage: 20, isolatedMargin: '750' },
  ],
};

describe('perpguard advise hedge', () => {
  it('tables for people from stdin: margins each way and the domino', async () => {
    // the ETH leg is isolated in the snapshot: its 750 joins the 4,250 of cross wallet in the all-cross version
    const r = await run([], { ...pair, walletBalance: '4250' });
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /total wallet 5,000 USDT/);
    // isolated 57,228.9156... to the 0.1 tick toward the mark: 57,229
    assert.match(r.out, /BTCUSDT long\s+│ 0\.5\s+│ 60,000 │ 30,000\s+│ 1,500 │ 120 │ 0\s+│ 1,500\s+│ 57,229 \(-4\.61 %\)\s+│ 50,321\.3 \(-16\.13 %\)/);
    assert.match(r.out, /first liquidation, all marks down │ -4\.61 % \(BTCUSDT long\)\s+│ -32\.52 % \(the whole account\)/);
    assert.match(r.out, /ETHUSDT short cross liq\.\s+│ 3,960\.15 -> 3,685\.25/);
  });
  it('--json: hedge mode pair, flat one-way net, shared cross price 2,100,000', async () => {
    const r = await run(['-', '--json'], {
      exchange: 'binance-usdm',
      positionMode: 'hedge',
      walletBalance: '2000',
      positions: [
        { symbol: 'BTCUSDT', side: 'long', size: '0.1', entryPrice: '60000', marginMode: 'cross', leverage: 10 },
        { symbol: 'BTCUSDT', side: 'short', size: '0.1', entryPrice: '60000', marginMode: 'cross', leverage: 10 },
      ],
    });
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.deepEqual(j.hedgeModePairs[0], {
      symbol: 'BTCUSDT',
      initialMargin: '1200.00000000',
      maintenanceMargin: '48.00000000',
      crossLiquidationPrice: '2100000.00000000',
      crossLiquidationPriceTick: '2100000',
      oneWayNet: null,
    });
    assert.equal(j.positions[0].domino.afterLoss.wallet, '1400.00000000');
    assert.equal(j.isolated.firstLiquidationDown.movePct, '-9.6385');
  });
  it('bad input: exit 2, one line naming the field', async () => {
    for (const [input, message] of [
      [{ ...pair, positions: [pair.positions[0]] }, /positions: a hedge needs at least two positions/],
    ] as const) {
      const r = await run([], input);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
