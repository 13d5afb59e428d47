// The analysis thread's queue: tasks beyond the running one and ANALYSIS_QUEUE_MAX waiting are refused at once
// with -1008 (503), the others answered in full; a task's input problem comes back as its one line; after close
// nothing more runs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { exampleSpecs } from '../../io/example-specs.ts';
import type { MonteCarloTask } from '../../io/analysis-task.ts';
import { AnalysisPool, ANALYSIS_QUEUE_MAX } from './analysis-pool.ts';

describe('the analysis pool', { timeout: 30_000 }, () => {
  it('refuses what does not fit in its queue (-1008), answers the rest, reports a task\'s problem, refuses after close', async () => {
    const pool = new AnalysisPool();
    const spec = exampleSpecs().get('crash-study')!;
    const task: MonteCarloTask = { kind: 'montecarlo', spec, paths: 2, hours: 4, generator: 'bootstrap', blockHours: 2, crashProbability: 0, seed: 1, modes: ['cross'] };
    const answers = await Promise.all(Array.from({ length: ANALYSIS_QUEUE_MAX + 3 }, () => pool.run(task)));
    const refused = answers.filter((a) => 'code' in a);
    assert.ok(refused.length >= 2, `${refused.length} refused`);
    for (const a of refused) assert.deepEqual(['code' in a && a.code, 'status' in a && a.status], [-1008, 503]);
    // the refusals are the last ones sent: the first ones queued
    assert.ok(answers.slice(0, ANALYSIS_QUEUE_MAX).every((a) => 'value' in a));
    const problem = await pool.run({ kind: 'study', spec, windowId: '1999-01-01', modes: ['cross'], mark: { model: 'last' }, exactOnly: false });
    assert.deepEqual(problem, { problem: 'window: no leg of this portfolio has data in 1999-01-01' });
    await pool.close();
    assert.equal('code' in (await pool.run(task)) ? -1008 : 0, -1008);
  });
});
