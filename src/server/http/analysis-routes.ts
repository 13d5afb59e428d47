// The dashboard's study, Monte Carlo, sweep and advice over HTTP (/perpguard/v1/...), signed as the advisor's other
// routes (./advisor-routes.ts: an account only ever runs its own positions or a bundled example). Each answer
// is the JSON of the matching CLI command on the same input (--json, or the --html report's data). The
// simulations run on the analysis thread (../analysis/analysis-pool.ts), never on the venue's event loop;
// sizing is a few exact divisions and is answered here.
import type { AnalysisTask } from '../../io/analysis-task.ts';
import { binanceError } from '../binance/errors.ts';
import { read, type ParamMap } from '../binance/params.ts';
import type { AnalysisPool } from '../analysis/analysis-pool.ts';
import { leverageRequest } from '../advisor/leverage-request.ts';
import { modeRequest } from '../advisor/mode-request.ts';
import { monteCarloRequest } from '../advisor/montecarlo-request.ts';
import { sizingRequest } from '../advisor/sizing-request.ts';
import { studyChoices, studyRequest } from '../advisor/study-request.ts';
import { sweepRequest } from '../advisor/sweep-request.ts';
import { answerOf, ok, type Answer, type Route } from './route.ts';

/** A task's answer: its JSON, or its problem as -1130 naming the field (an InputError's "--flag: reason" as "flag: reason"). */
async function onThread(analysis: AnalysisPool, task: AnalysisTask): Promise<Answer> {
  const answer = await analysis.run(task);
  if ('value' in answer) return ok(answer.value);
  if ('problem' in answer) {
    const detail = answer.problem.replace(/^--/, '');
    return binanceError('INVALID_PARAMETER', [detail.split(':')[0] ?? ''], detail);
  }
  return answer;
}

const noParams = (params: ParamMap) => read(params, () => null);

export const ANALYSIS_ROUTES: readonly Route[] = [
  { method: 'GET', path: '/perpguard/v1/studyChoices', security: 'SIGNED', handle: ({ params }) => answerOf(noParams(params), () => ok(studyChoices())) },
  { method: 'GET', path: '/perpguard/v1/study', security: 'SIGNED', handle: ({ params, account, state, analysis }) => answerOf(studyRequest(params, state, account), (task) => onThread(analysis, task)) },
  { method: 'GET', path: '/perpguard/v1/montecarlo', security: 'SIGNED', handle: ({ params, account, state, analysis }) => answerOf(monteCarloRequest(params, state, account), (task) => onThread(analysis, task)) },
  { method: 'GET', path: '/perpguard/v1/sweep', security: 'SIGNED', handle: ({ params, account, state, analysis }) => answerOf(sweepRequest(params, state, account), (task) => onThread(analysis, task)) },
  { method: 'GET', path: '/perpguard/v1/adviseSize', security: 'SIGNED', handle: ({ params, account, state }) => answerOf(sizingRequest(params, state, account), (json) => ok(json)) },
  { method: 'GET', path: '/perpguard/v1/adviseLeverage', security: 'SIGNED', handle: ({ params, account, state, analysis }) => answerOf(leverageRequest(params, state, account), (task) => onThread(analysis, task)) },
  { method: 'GET', path: '/perpguard/v1/adviseMode', security: 'SIGNED', handle: ({ params, account, state, analysis }) => answerOf(modeRequest(params, state, account), (task) => onThread(analysis, task)) },
];
