// GET /perpguard/v1/study: the crash study of one bundled crash window (`perpguard study`, one window of it) on
// the account's positions or a bundled example: spec (account, or an example's name), window (a crash
// window's id, as `perpguard study` names them), modes. GET /perpguard/v1/studyChoices lists both.
import { CRASH_WINDOWS } from '../../io/market-data.ts';
import { exampleSpecs } from '../../io/example-specs.ts';
import type { StudyTask } from '../../io/analysis-task.ts';
import type { EngineState } from '../../engine/state.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { accountSnapshot } from './account-advice.ts';
import { specOfAccount } from './account-spec.ts';
import { modes, specParam } from './analysis-params.ts';

export const WINDOW_IDS: readonly string[] = CRASH_WINDOWS.map((w) => w.id);

/** The account's positions as a spec, named after the account. */
export const accountSpec = (state: EngineState, account: string) => () => specOfAccount(accountSnapshot(state, account), `account ${account}`);

export function studyRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): StudyTask => {
    const spec = specParam(r, accountSpec(state, account));
    const windowId = r.requiredOneOf('window', WINDOW_IDS);
    return { kind: 'study', spec, windowId, modes: modes(r) };
  });
}

/** What the study page offers: the crash windows and the example portfolios (with their legs, to label them). */
export function studyChoices() {
  return {
    windows: CRASH_WINDOWS.map((w) => ({ id: w.id, title: w.title })),
    examples: [...exampleSpecs()].map(([name, spec]) => ({ name, title: spec.name, legs: spec.legs.map((l) => `${l.symbol} ${l.side} ${l.leverage}x ${l.marginMode}`) })),
  };
}
