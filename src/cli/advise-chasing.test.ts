// `perpguard advise chasing` end to end: the real bin script in a child process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHASER_JOURNAL } from '../advisor/advisor-test-support.ts';

const bin = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const chaser = fileURLToPath(new URL('../../examples/margin-chaser.yaml', import.meta.url));

function run(args: string[]) {
  const r = spawnSync(process.execPath, [bin, 'advise', 'chasing', '--wide', ...args] /* content checks: every column, no wrapping */, { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('perpguard advise chasing', () => {
  it('the margin chaser through Black Thursday: 14 top-ups, flagged, with its timeline', () => {
    const r = run(['--spec', chaser, '--window', '2020-03-12']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /│ BTCUSDT long \(opened 2020-03-12 22:39\) │ 20x +│ open +│ 499\.78 +│ 14 +│ 3,498\.43 │ 700\.0 % +│ 2\.50x +│ YES/);
    assert.match(r.out, /WARNING: BTCUSDT long isolated 20x is de facto cross: margin added 3498\.43 >= the initial margin 499\.78/);
    assert.match(r.out, /│ 2020-03-12 23:11 │ addMargin │ 1\.721 │ 9,995\.52 +│ 749\.66 +│ 13\.33x/);
  });
  it('a journal, --json: the BTC chaser flagged, the ETH position not', () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpguard-chasing-'));
    const file = join(dir, 'journal.json');
    writeFileSync(file, JSON.stringify(CHASER_JOURNAL));
    const r = run([file, '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.deepEqual(json.positions.map((p: { symbol: string; deFactoCross: boolean }) => [p.symbol, p.deFactoCross]), [['BTCUSDT', true], ['ETHUSDT', false]]);
    assert.equal(json.positions[0].marginAdded, '600');
    assert.equal(json.positions[0].topUps.length, 3);
    assert.match(json.positions[0].warning, /3 top-ups \(3 or more\)/);
    assert.equal(json.positions[1].warning, null);
  });
  it('bad input: exit code 2 and the option named', () => {
    for (const [args, message] of [
      [[], /^perpguard: journal: give an operation journal, or --spec/],
      [['--spec', chaser, '--window', '2019-01-01'], /^perpguard: --window: must be one of 2020-03-12/],
      [['/nonexistent.json'], /^perpguard: journal: cannot read \/nonexistent\.json: ENOENT/],
    ] as [string[], RegExp][]) {
      const r = run(args);
      assert.equal(r.code, 2, r.err);
      assert.match(r.err, message);
    }
  });
});
