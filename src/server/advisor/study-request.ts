// GET /perpguard/v1/study: the crash study of one bundled crash window (`perpguard study`, one window of it) on
// the account's positions or a bundled example: spec (account, or an example's name), window (a crash
// window's id, as `perpguard study` names them), modes, mark ("last" or "smoothed", the CLI's --mark) with
// markSpan (bars of the smoothed mark's EMA, --mark-span; only with smoothed), exactOnly ("true": --exact-only).
// GET /perpguard/v1/studyChoices lists the windows and the examples.
import { CRASH_WINDOWS } from '../../io/market-data.ts';
import { exampleSpecs } from '../../io/example-specs.ts';
import type { StudyTask } from '../../io/analysis-task.ts';
import type { EngineState } from '../../engine/state.ts';
import { read, type ParamMap } from '../binance/params.ts';
import { accountSnapshot } from './account-advice.ts';
import { specOfAccount } from './account-spec.ts';
import type { MarkModel } from '../../sim/data.ts';
import { modes, specParam, whole } from './analysis-params.ts';

/** A day of 1-minute bars, longer than any bundled crash's fall: the CLI has no bound, a shared venue keeps one. */
const MAX_MARK_SPAN_BARS = 1_440;

export const WINDOW_IDS: readonly string[] = CRASH_WINDOWS.map((w) => w.id);

/** The account's positions as a spec, named after the account. */
export const accountSpec = (state: EngineState, account: string) => () => specOfAccount(accountSnapshot(state, account), `account ${account}`);

export function studyRequest(params: ParamMap, state: EngineState, account: string) {
  return read(params, (r): StudyTask => {
    const spec = specParam(r, accountSpec(state, account));
    const windowId = r.requiredOneOf('window', WINDOW_IDS);
    const model = r.oneOf('mark', ['last', 'smoothed'] as const) ?? 'last';
    let mark: MarkModel = { model: 'last' };
    // the CLI reads --mark-span only with --mark smoothed; here a span sent with the last price is refused
    if (model === 'smoothed') mark = { model, spanBars: whole(r, 'markSpan', 1, MAX_MARK_SPAN_BARS, 5) };
    else r.notSent('markSpan', 'only with mark=smoothed (the last price has no span)');
    const exactOnly = r.boolean('exactOnly') ?? false;
    return { kind: 'study', spec, windowId, modes: modes(r), mark, exactOnly };
  });
}

/** What the study page offers: the crash windows and the example portfolios (with their legs, to label them). */
export function studyChoices() {
  return {
    windows: CRASH_WINDOWS.map((w) => ({ id: w.id, title: w.title })),
    examples: [...exampleSpecs()].map(([name, spec]) => ({ name, title: spec.name, legs: spec.legs.map((l) => `${l.symbol} ${l.side} ${l.leverage}x ${l.marginMode}`) })),
  };
}
