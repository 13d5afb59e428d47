// perpguard sweep on this machine: the figures against perpguard montecarlo's, resuming from --out, the
// HTML heatmap, and bad input (one line naming the field, exit 2). The queue runs are in
// ../io/sweep-queue.test.ts.
import { describe, it, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.ts';
import { parseAxis } from './sweep.ts';

const dir = mkdtempSync(join(tmpdir(), 'perpguard-sweep-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const SPEC = 'examples/max-exposure.yaml';
// 2 leverages x 2 allocations x 2 modes x 40 paths x 48 h, one crash window
export const SMALL = ['--spec', SPEC, '--leverage', '3,20', '--allocation', '0.3,1', '--modes', 'isolated,cross', '--paths', '40', '--hours', '48', '--crashes', '2024-08-05', '--chunk', '20', '--seed', '7'];
const cellsOf = (stdout: string) => (JSON.parse(stdout) as { cells: unknown[] }).cells;

describe('perpguard sweep, on this machine', () => {
  it('parses grid axes: lists, ranges with a default or given count', () => {
    assert.deepEqual(parseAxis('--leverage', '2..50:5', { min: 1, max: 200, decimals: 0, defaultCount: 6 }), [2, 14, 26, 38, 50]);
    assert.deepEqual(parseAxis('--allocation', '0.1..1', { min: 0.0001, max: 1, decimals: 4, defaultCount: 4 }), [0.1, 0.4, 0.7, 1]);
    assert.deepEqual(parseAxis('--leverage', '10,2,10', { min: 1, max: 200, decimals: 0, defaultCount: 6 }), [2, 10]);
  });

  it('a cell at one leverage and allocation equals perpguard montecarlo on the re-sized spec (same paths, same seed)', async () => {
    const r = await runCli(['sweep', ...SMALL, '--leverage', '3', '--allocation', '0.3', '--crashes', 'none', '--workers', '1', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const cells = cellsOf(r.stdout) as { mode: string; ruinProbability: number; liquidationProbability: number; keptQuantiles: number[]; expectedShortfall5: number }[];
    // the cell's portfolio written out as a spec of its own (sweep-grid.test.ts checks the re-sizing)
    const resized = join(dir, 'resized.json');
    const { cellSpec } = await import('../sim/sweep-grid.ts');
    const { readSpec } = await import('./simulate.ts');
    writeFileSync(resized, JSON.stringify(cellSpec(readSpec(SPEC), { leverage: 3, allocation: '0.3' })));
    const mc = await runCli(['montecarlo', '--spec', resized, '--paths', '40', '--hours', '48', '--seed', '7', '--modes', 'isolated,cross', '--workers', '1', '--json']);
    assert.equal(mc.code, 0, mc.stderr);
    const stats = (JSON.parse(mc.stdout) as { statistics: { mode: string; ruinProbability: number; liquidationProbability: number; keptQuantiles: number[]; expectedShortfall5: number }[] }).statistics;
    for (const s of stats) {
      const c = cells.find((x) => x.mode === s.mode)!;
      assert.deepEqual([c.ruinProbability, c.liquidationProbability, c.keptQuantiles, c.expectedShortfall5], [s.ruinProbability, s.liquidationProbability, s.keptQuantiles, s.expectedShortfall5], s.mode);
    }
  });

  it('resumes from --out: a torn file runs only its missing units, a finished one runs none, and the figures are the same', async () => {
    const out = join(dir, 'sweep.jsonl');
    const full = await runCli(['sweep', ...SMALL, '--workers', '2', '--out', out, '--json']);
    assert.equal(full.code, 0, full.stderr);
    const first = JSON.parse(full.stdout) as { run: { units: number; ranUnits: number }; cells: { leverage: number; mode: string; firstCrash: string | null }[] };
    assert.deepEqual([first.run.units, first.run.ranUnits], [12, 12]); // 4 cells x (1 crash + 2 path units)
    assert.equal(first.cells.length, 8);
    // in the 5 August 2024 window, cross liquidates at 20x with all the wallet in, not with 30 % nor at 3x
    assert.deepEqual(first.cells.filter((c) => c.mode === 'cross').map((c) => [c.leverage, c.firstCrash]), [[3, null], [3, null], [20, null], [20, '2024-08-05']]);
    // interrupted after 5 units, in the middle of writing the 6th
    const lines = readFileSync(out, 'utf8').split('\n');
    writeFileSync(out, lines.slice(0, 6).join('\n') + '\n' + lines[6]!.slice(0, 40));
    const resumed = await runCli(['sweep', ...SMALL, '--workers', '1', '--out', out, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    const second = JSON.parse(resumed.stdout) as typeof first;
    assert.equal(second.run.ranUnits, 7);
    assert.deepEqual(second.cells, first.cells);
    const again = await runCli(['sweep', ...SMALL, '--out', out, '--json']);
    assert.equal((JSON.parse(again.stdout) as typeof first).run.ranUnits, 0);
    assert.deepEqual((JSON.parse(again.stdout) as typeof first).cells, first.cells);
    // another plan is refused, the file left alone
    const other = await runCli(['sweep', ...SMALL, '--seed', '8', '--out', out]);
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^perpguard: --out: .* holds another sweep/);
  });

  it('writes a heatmap per mode in the HTML report, with the safe region and the rule marked', async () => {
    const html = join(dir, 'sweep.html');
    const r = await runCli(['sweep', ...SMALL, '--max-ruin', '0.05', '--html', html]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /breaks rule/);
    const page = readFileSync(html, 'utf8');
    const data = JSON.parse(/<script type="application\/json" id="report-data">(.*?)<\/script>/s.exec(page)![1]!) as { sweep: { modes: string[]; cells: { safe: boolean; breaksRule: boolean; mode: string }[] } };
    assert.deepEqual(data.sweep.modes, ['isolated', 'cross']);
    assert.ok(data.sweep.cells.some((c) => c.safe) && data.sweep.cells.some((c) => !c.safe));
    assert.ok(data.sweep.cells.every((c) => !c.breaksRule || c.mode === 'cross'));
    assert.ok(data.sweep.cells.some((c) => c.breaksRule));
  });

  for (const [name, args, line] of [
    ['a malformed range', ['--leverage', '2..'], /^perpguard: --leverage: malformed range/],
    ['a range running backwards', ['--allocation', '1..0.1'], /^perpguard: --allocation: a range goes from low to high/],
    ['an allocation above 1', ['--allocation', '0.5,1.5'], /^perpguard: --allocation: 1.5 is outside/],
    ['an unknown mode', ['--modes', 'cross,portfolio'], /^perpguard: --modes: "portfolio" is not one of isolated, cross, mixed/],
    ['an unknown crash window', ['--crashes', '1987-10-19'], /^perpguard: --crashes: "1987-10-19" is not a bundled crash window/],
    ['a Redis URL that does not answer', ['--redis', 'redis://127.0.0.1:1'], /^perpguard: --redis: no Redis answers at redis:\/\/127\.0\.0\.1:1/],
    ['a URL that is not Redis', ['--redis', 'http://127.0.0.1:6379'], /^perpguard: --redis: must be a redis:\/\/ or rediss:\/\/ URL/],
    ['an --out that is a directory', ['--out', 'examples'], /^perpguard: --out: cannot read examples: EISDIR/],
    ['a password in a URL that does not answer is not printed', ['--redis', 'redis://user:hunter2@127.0.0.1:1'], /^perpguard: --redis: no Redis answers at redis:\/\/user:\*\*\*@/],
  ] as const) {
    it(`refuses ${name}: one line, exit 2`, async () => {
      const r = await runCli(['sweep', ...SMALL, ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, line);
      assert.equal(r.stderr.trim().split('\n').length, 1);
      assert.doesNotMatch(r.stderr, /hunter2/);
    });
  }

  for (const [args, line] of [
    [['--redis', 'redis://127.0.0.1:1'], /^perpguard: --redis: no Redis answers at redis:\/\/127\.0\.0\.1:1 \(connect ECONNREFUSED/],
    [['--redis', 'redis://127.0.0.1:6379', '--lock-seconds', '0'], /^perpguard: --lock-seconds: must be a whole number from 1 to 3600, got "0"/],
  ] as const) {
    it(`worker refuses ${args.join(' ')}: one line, exit 2`, async () => {
      const r = await runCli(['worker', ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, line);
      assert.equal(r.stderr.trim().split('\n').length, 1);
    });
  }

  it('is in the command list, and so is worker', async () => {
    const r = await runCli(['--help']);
    assert.match(r.stdout, /\n {2}sweep /);
    assert.match(r.stdout, /\n {2}worker /);
  });
});
