// `perpguard advise leverage` end to end, in-process through runCli (the main() the bin script calls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './test-support.ts';
import { fileURLToPath } from 'node:url';

const example = (name: string) => fileURLToPath(new URL(`../../examples/${name}`, import.meta.url));

async function run(args: string[]) {
  const r = await runCli(['advise', 'leverage', '--wide', ...args], { stdin: '' });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('perpguard advise leverage', () => {
  it('--json with a given move: 18x isolated (19x is liquidated), 100x cross (101x refused by the brackets)', async () => {
    const r = await run(['--move', '5', '--price', '50000', '--margin', '1000', '--wallet', '10000', '--paths', '0', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.move, '0.05');
    const [iso, cross] = json.modes;
    // isolated long, 0.02 L BTC: LP = 1,000 (L - 1) / (0.01992 L): 18x 47,411.87 < 47,500 <= 47,558.66 at 19x
    assert.equal(iso.leverage, 18);
    assert.equal(iso.limitedBy, 'liquidation');
    assert.equal(iso.at.liquidationPrice.slice(0, 8), '47411.86');
    assert.equal(iso.at.marginRatioAtMove, '0.684');
    assert.equal(iso.next.leverage, 19);
    assert.equal(iso.marginCallFrom, 19);
    assert.match(iso.sentence, /no whole leverage makes it a margin call only/);
    assert.equal(cross.leverage, 100);
    assert.equal(cross.limitedBy, 'refused');
    assert.match(cross.next.refused, /101x allows at most 50000 notional/);
    assert.deepEqual(json.odds, []);
  });
  it('the table: the move from the bundled BTC history, both modes and the Monte Carlo odds', async () => {
    const r = await run(['--horizon', '4', '--paths', '10', '--leverages', '5,50']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Adverse move within 4 h at 99\.0 %/);
    assert.match(r.out, /history {5}\d+\.\d\d % {2}\(nearest-rank quantile of the worst move in [\d,]+ rolling 4 h windows/);
    assert.match(r.out, /volatility {2}\d+\.\d\d % {2}\(EWMA lambda 0\.94/);
    assert.match(r.out, /last close of binance-spot-BTCUSDT-1h-2024-2026\.csv/);
    assert.match(r.out, /│ isolated │ \d+x /);
    assert.match(r.out, /│ cross {4}│ \d+x /);
    assert.match(r.out, /P\(liquidation within 4 h\), Monte Carlo: 10 block-bootstrap paths/);
    assert.match(r.out, /│ 50x {6}│ [\d.]+ % \(\d+\/10\)/);
  });
  it('bad input: exit code 2 and one line naming the option', async () => {
    const cases: [string[], RegExp][] = [
      [['--side', 'sideways'], /^perpguard: --side: must be one of long, short/],
      [['--horizon', '0', '--move', '5', '--price', '1'], /^perpguard: --horizon: must be a whole number/],
      [['--symbol', 'ETHUSDT', '--spec', example('crash-study.yaml'), '--move', '5', '--paths', '0'], /^perpguard: --symbol: the portfolio already holds ETHUSDT/],
      [['--symbol', 'DOGEUSDT', '--move', '5', '--price', '1', '--paths', '0'], /^perpguard: --symbol: DOGEUSDT is not a market of binance-usdm/],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(' ')} -> ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.err.trim().split('\n').length, 1);
    }
  });
});
