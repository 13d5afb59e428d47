// The crash study and the Monte Carlo in the dashboard (#/study): the account's own positions (or a bundled
// example) through a bundled crash window, every leg charted and each mode's equity curve with its liquidations
// marked, and the Monte Carlo distribution of kept equity per mode with its statistics. Drawn by the report
// components (../report/), the same ones the exported HTML reports use; computed by the venue on its analysis
// thread (/perpguard/v1/study, /perpguard/v1/montecarlo), which answers `perpguard study` / `montecarlo`'s figures.
// The study takes the CLI's mark-price model (the last price, wicks and all, or its EMA) and its exact-only switch,
// and says how many bars each mode ran through the exact engine.
import { useEffect, useState } from 'preact/hooks';
import { signed } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { Distribution, WindowSection } from '../report/report.tsx';
import { useRun } from '../use-run.ts';
import type { DistributionReport, WindowReport } from '../report/types.ts';
import { SpecSelect, type Choices } from './spec-select.tsx';

interface SpecLegs {
  readonly name: string;
  readonly wallet: string;
  readonly legs: readonly { readonly symbol: string; readonly side: string; readonly leverage: number; readonly marginMode: string }[];
}
interface StudyAnswer {
  readonly spec: SpecLegs;
  readonly mark: { readonly model: 'last' } | { readonly model: 'smoothed'; readonly spanBars: number };
  readonly exactOnly: boolean;
  readonly exactBars: readonly { readonly mode: string; readonly exactBars: number; readonly bars: number }[];
  readonly window: WindowReport;
}
interface MonteCarloAnswer {
  readonly spec: SpecLegs;
  readonly json: { readonly paths: number; readonly hours: number; readonly seed: number; readonly seconds: number };
  readonly distribution: DistributionReport;
}

const markText = (mark: StudyAnswer['mark']) => (mark.model === 'last' ? 'the last price (wicks count)' : `smoothed, an EMA of ${mark.spanBars} bars (no wicks)`);

const legsText = (spec: SpecLegs) => spec.legs.map((l) => `${l.symbol} ${l.side} ${l.leverage}x ${l.marginMode}`).join(', ');

export function StudyPage(props: { credentials: Credentials }) {
  const [choices, setChoices] = useState<Choices | undefined>();
  const [spec, setSpec] = useState('account');
  const [windowId, setWindowId] = useState('2024-08-05');
  const [replay, setReplay] = useState({ mark: 'last', markSpan: '5', exactOnly: false });
  const [mc, setMc] = useState({ paths: '200', hours: '168', seed: '42', crashProbability: '0.2' });
  const study = useRun<StudyAnswer>(props.credentials, '/perpguard/v1/study');
  const carlo = useRun<MonteCarloAnswer>(props.credentials, '/perpguard/v1/montecarlo');
  useEffect(() => void signed<Choices>(props.credentials, 'GET', '/perpguard/v1/studyChoices').then(setChoices).catch(() => undefined), [props.credentials]);
  // the span belongs to the smoothed mark only (the venue refuses it with the last price)
  const studyParams = () => ({
    spec,
    window: windowId,
    mark: replay.mark,
    ...(replay.mark === 'smoothed' ? { markSpan: replay.markSpan } : {}),
    exactOnly: String(replay.exactOnly),
  });
  const setField = (field: keyof typeof mc) => (e: { currentTarget: { value: string } }) => setMc((m) => ({ ...m, [field]: e.currentTarget.value }));
  return (
    <main class="study" aria-labelledby="study-title">
      <h1 id="study-title">Crash study and Monte Carlo</h1>
      <p class="note">
        The portfolio under all-isolated, all-cross and its own mixed margin, side by side: through a real crash (Binance's 1-minute BTC bars, hourly ETH and SOL), and through generated futures.
        Computed by the venue on its own thread, as <code>perpguard study</code> and <code>perpguard montecarlo</code> compute them.
      </p>
      <form class="card study-form" aria-label="crash study" onSubmit={(e) => (e.preventDefault(), void study.run(studyParams()))}>
        <h2>Crash study</h2>
        <div class="checklist-fields">
          <SpecSelect choices={choices} value={spec} onChange={setSpec} />
          <label>
            Crash window
            <select name="window" value={windowId} onChange={(e) => setWindowId(e.currentTarget.value)}>
              {(choices?.windows ?? [{ id: '2024-08-05', title: '5 August 2024' }]).map((w) => (
                <option key={w.id} value={w.id}>
                  {w.title} ({w.id})
                </option>
              ))}
            </select>
          </label>
          <label>
            Mark price
            <select name="mark" value={replay.mark} onChange={(e) => setReplay((r) => ({ ...r, mark: e.currentTarget.value }))}>
              <option value="last">the last price (wicks count)</option>
              <option value="smoothed">smoothed: an EMA of the closes</option>
            </select>
          </label>
          {replay.mark === 'smoothed' && (
            <label>
              EMA span (bars)
              <input name="markSpan" inputMode="numeric" value={replay.markSpan} onInput={(e) => setReplay((r) => ({ ...r, markSpan: e.currentTarget.value }))} />
            </label>
          )}
          <label class="inline">
            <input type="checkbox" name="exactOnly" checked={replay.exactOnly} onChange={(e) => setReplay((r) => ({ ...r, exactOnly: e.currentTarget.checked }))} />
            Every bar through the exact engine (no float64 screening)
          </label>
        </div>
        <button type="submit" disabled={study.running}>
          {study.running ? 'Replaying…' : 'Replay the crash'}
        </button>
      </form>
      {study.problem && (
        <p class="problem study-problem" role="alert">
          {study.problem}
        </p>
      )}
      {study.answer && (
        <>
          <p class="note" data-spec-legs>
            {study.answer.spec.name}: wallet {study.answer.spec.wallet}; {legsText(study.answer.spec)}
          </p>
          <p class="note" data-study-run>
            Mark: {markText(study.answer.mark)}. Bars run through the exact engine{study.answer.exactOnly ? ' (all of them: exact only)' : ' (the rest screened in float64)'}:{' '}
            {study.answer.exactBars.map((m) => `${m.mode} ${m.exactBars} of ${m.bars}`).join(', ')}.
          </p>
          <WindowSection window={study.answer.window} />
        </>
      )}
      <form class="card montecarlo-form" aria-label="Monte Carlo" onSubmit={(e) => (e.preventDefault(), void carlo.run({ spec, ...mc }))}>
        <h2>Monte Carlo</h2>
        <p class="note">Block-bootstrap paths of BTC, ETH and SOL hourly returns (2024-2026), a real crash spliced into a share of them; at most 100,000 path-hours per run here.</p>
        <div class="checklist-fields">
          <SpecSelect choices={choices} value={spec} onChange={setSpec} />
          <label>
            Paths
            <input name="paths" inputMode="numeric" value={mc.paths} onInput={setField('paths')} />
          </label>
          <label>
            Hours per path
            <input name="hours" inputMode="numeric" value={mc.hours} onInput={setField('hours')} />
          </label>
          <label>
            Seed
            <input name="seed" inputMode="numeric" value={mc.seed} onInput={setField('seed')} />
          </label>
          <label>
            Crash probability
            <input name="crashProbability" inputMode="decimal" value={mc.crashProbability} onInput={setField('crashProbability')} />
          </label>
        </div>
        <button type="submit" disabled={carlo.running}>
          {carlo.running ? 'Running…' : 'Run the paths'}
        </button>
      </form>
      {carlo.problem && (
        <p class="problem montecarlo-problem" role="alert">
          {carlo.problem}
        </p>
      )}
      {carlo.answer && (
        <>
          <p class="note" data-montecarlo-run>
            {carlo.answer.spec.name}: {carlo.answer.json.paths} paths x {carlo.answer.json.hours} h, seed {carlo.answer.json.seed}, {carlo.answer.json.seconds.toFixed(1)} s; {legsText(carlo.answer.spec)}
          </p>
          <Distribution distribution={carlo.answer.distribution} />
        </>
      )}
    </main>
  );
}
