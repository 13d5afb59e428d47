// The bad-input suite (issue 9, "Done when"): every case of bad-input.cases.ts runs in-process through the
// CLI's one error boundary and must exit 2 with exactly one stderr line `perpguard: <field>: <reason>`
// naming its field, print nothing on stdout, write no file, and never crash (exit 70 or a throw).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { badInputCases } from './bad-input.cases.ts';
import { runCli } from './test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'perpguard-bad-input-'));
const cases = badInputCases(dir);
const perCommand = new Map<string, number>();
for (const c of cases) perCommand.set(c.command, (perCommand.get(c.command) ?? 0) + 1);

describe(`bad input: ${cases.length} cases (${[...perCommand].map(([c, n]) => `${c} ${n}`).join(', ')})`, () => {
  after(() => rmSync(dir, { recursive: true, force: true }));
  it('covers every command with at least 200 cases in all', () => {
    assert.ok(cases.length >= 200, `${cases.length} cases`);
    for (const command of ['calc', 'run', 'simulate', 'study', 'montecarlo', 'checklist', ...['chasing', 'funding', 'hedge', 'leverage', 'liquidation', 'mode', 'size'].map((t) => `advise ${t}`)]) {
      assert.ok((perCommand.get(command) ?? 0) >= 5, `${command}: ${perCommand.get(command) ?? 0} cases`);
    }
  });
  for (const c of cases) {
    it(`${c.command}: ${c.name}`, async () => {
      const r = await runCli(c.args, c.stdin === undefined ? {} : { stdin: c.stdin });
      const shown = `perpguard ${c.args.join(' ')} -> exit ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 300)}`;
      assert.equal(r.code, 2, shown);
      if (c.dialogue) assert.doesNotMatch(r.stdout, /READY|step/, shown); // the questions only, no result
      else assert.equal(r.stdout, '', shown);
      assert.match(r.stderr, /^perpguard: [^\n]+: [^\n]+\n$/, shown);
      assert.ok(r.stderr.startsWith(`perpguard: ${c.field}`) || r.stderr.includes(` ${c.field}: `) || r.stderr.includes(`${c.field}:`), `the line does not name ${c.field}\n${shown}`);
    });
  }
  it('wrote no file', () => {
    assert.deepEqual(readdirSync(join(dir, 'out')), []);
  });
});
