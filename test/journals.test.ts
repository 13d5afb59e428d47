// Every operation journal of vectors/journals (vendored) and ../shared/vectors/journals (when present) runs
// through runJournal, the code path of `perpguard run`, and must show the expected state and events. The
// ledger audit must hold after the run.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseJournal, runJournal } from '../src/engine/journal.ts';
import { stateView } from '../src/views/account.ts';
import { VECTOR_DIRS, journalFiles, withinTolerance } from './vector-files.ts';
import { checkExpectation } from '../src/engine/expect.ts';

for (const { label, dir } of VECTOR_DIRS) {
  const files = journalFiles(dir);
  describe(`operation journals (${label}: ${files.length})`, () => {
    it('has journals', () => assert.ok(files.length > 0));
    for (const file of files) {
      const journal = parseJournal(JSON.parse(readFileSync(file, 'utf8')));
      it(`${basename(file)} — ${journal.source ?? ''}`, () => {
        const run = runJournal(journal);
        assert.deepEqual(run.audit.problems, []);
        const view = { state: stateView(run.state), events: run.events };
        for (const expectation of journal.expect ?? []) {
          const problem = checkExpectation(view, expectation, withinTolerance);
          assert.equal(problem, undefined, problem);
        }
      });
    }
  });
}
