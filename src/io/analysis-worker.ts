// The dashboard's analysis worker thread: one task in (./analysis-task.ts), its JSON out. Run as precompiled
// JavaScript (dist/analysis-worker.mjs, built like the Monte Carlo worker: ./bundles.mjs) so the thread starts
// without a TypeScript loader. An InputError (a spec leg the data cannot replay, a symbol with no history)
// comes back as a problem naming the field, the rest is a bug and rejects the task.
import { InputError } from '../schema/input-error.ts';
import { runAnalysis, type AnalysisTask } from './analysis-task.ts';

export default function run(task: AnalysisTask): unknown {
  try {
    return runAnalysis(task);
  } catch (error) {
    if (error instanceof InputError) return { problem: error.message };
    throw error;
  }
}
