// `perpguard advise chasing` end to end, in-process through runCli (the main() the bin script calls).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from './test-support.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHASER_JOURNAL } from '../advisor/advisor-test-support.ts';

const chaser = fileURLToPath(new URL('../../examples/margin-chaser.yaml', import.meta.url));

async function run(args: string[]) {
  const r = await runCli(['advise', 'chasing', '--wide', ...args], { stdin: '' });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('perpguard advise chasing', () => {
  it('the margin chaser through Black Thursday: 14 top-ups, flagged, with its timeline', async () => {
    const r = await run(['--spec', chaser, '--window', '2020-03-12']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /│ BTCUSDT long \(opened 2020-03-12 22:39\) │ 20x +│ open +│ 499\.78 +│ 14 +│ 3,498\.43 │ 700\.0 % +│ 2\.50x +│ YES/);
    assert.match(r.out, /WARNING: BTCUSDT long isolated 20x is de facto cross: margin added 3498\.43 >= the initial margin 499\.78/);
    assert.match(r.out, /│ 2020-03-12 23:11 │ addMargin │ 1\.721 │ 9,995\.52 +│ 749\.66 +│ 13\.33x/);
  });
  it('a journal, --json: the BTC chaser flagged, the ETH position not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpguard-chasing-'));
    const file = join(dir, 'journal.json');
    writeFileSync(file, JSON.stringify(CHASER_JOURNAL));
    const r = await run([file, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(json.positions.map((p: { symbol: string; deFactoCross: boolean }) => [p.symbol, p.deFactoCross]), [['BTCUSDT', true], ['ETHUSDT', false]]);
    assert.equal(json.positions[0].marginAdded, '600');
    assert.equal(json.positions[0].topUps.length, 3);
    assert.match(json.positions[0].warning, /3 top-ups \(3 or more\)/);
    assert.equal(json.positions[1].warning, null);
  });
  it('bad input: exit code 2 and the option named', async () => {
    for (const [args, message] of [
      [[], /^perpguard: journal: give an operation journal, or --spec/],
      [['--spec', chaser, '--window', '2019-01-01'], /^perpguard: --window: must be one of 2020-03-12/],
      [['/nonexistent.json'], /^perpguard: journal: cannot read \/nonexistent\.json: ENOENT/],
    ] as [string[], RegExp][]) {
      const r = await run(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
    }
  });
});
