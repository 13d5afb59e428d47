// `perpguard sweep` in the dashboard (#/sweep): the leverage x allocation x margin-mode map of the account's own
// positions (or a bundled example), computed by the venue on its analysis thread (GET /perpguard/v1/sweep, which
// answers `perpguard sweep --json`'s figures for the same input), drawn by the report's components
// (../report/heatmap.tsx, ../report/sweep-rows.tsx), the same ones `sweep --html` draws: a heatmap of P(ruin) per
// mode with the safe region outlined and the cross cells breaking the seed's rule marked, then every cell's row.
import { useEffect, useState } from 'preact/hooks';
import { signed } from '../api.ts';
import type { Credentials } from '../credentials.ts';
import { SweepMaps } from '../report/heatmap.tsx';
import { SweepRows } from '../report/sweep-rows.tsx';
import type { SweepView } from '../report/types.ts';
import { SpecSelect, type Choices } from '../study/spec-select.tsx';
import { useRun } from '../use-run.ts';

interface SweepAnswer {
  readonly spec: { readonly name: string; readonly wallet: string; readonly legs: readonly { readonly symbol: string; readonly side: string; readonly leverage: number; readonly marginMode: string }[] };
  readonly json: SweepView & { readonly run: { readonly units: number; readonly seconds: number } };
}

const MODE_NAMES = ['isolated', 'cross', 'mixed'] as const;
type Fields = { spec: string; leverage: string; allocation: string; paths: string; hours: string; seed: string; crashes: string; maxRuin: string; probable: string };

export function SweepPage(props: { credentials: Credentials }) {
  const [choices, setChoices] = useState<Choices | undefined>();
  // 16 cells x 20 paths x 168 h: a few seconds of the analysis thread, under the route's caps
  const [fields, setFields] = useState<Fields>({ spec: 'account', leverage: '2,5,10,20', allocation: '0.1,0.4,0.7,1', paths: '20', hours: '168', seed: '42', crashes: 'all', maxRuin: '0.01', probable: '0.05' });
  const [modes, setModes] = useState<readonly string[]>(MODE_NAMES);
  const [unchecked, setUnchecked] = useState(false);
  const sweep = useRun<SweepAnswer>(props.credentials, '/perpguard/v1/sweep');
  useEffect(() => void signed<Choices>(props.credentials, 'GET', '/perpguard/v1/studyChoices').then(setChoices).catch(() => undefined), [props.credentials]);
  const set = (field: keyof Fields) => (e: { currentTarget: { value: string } }) => setFields((f) => ({ ...f, [field]: e.currentTarget.value }));
  const text = (field: keyof Fields, label: string, inputMode: 'numeric' | 'decimal' | 'text') => (
    <label>
      {label}
      <input name={field} inputMode={inputMode} value={fields[field]} onInput={set(field)} />
    </label>
  );
  const submit = (e: Event) => {
    e.preventDefault();
    // no mode would be read as the route's default (all three): say so instead
    setUnchecked(modes.length === 0);
    if (modes.length > 0) void sweep.run({ ...fields, modes: MODE_NAMES.filter((m) => modes.includes(m)).join(',') });
  };
  const view = sweep.answer?.json;
  return (
    <main class="study sweep" aria-labelledby="sweep-page-title">
      <h1 id="sweep-page-title">Sweep: leverage × allocation × margin mode</h1>
      <p class="note">
        Every cell re-sizes the portfolio to one leverage and one share of the wallet (initial margin plus the opening fee, split between the legs as the portfolio splits its margin) and runs
        the Monte Carlo and the bundled crash windows under each margin mode. Computed by the venue on its own thread, as <code>perpguard sweep</code> computes it; here at most 30 cells
        and 100,000 cell-path-hours (cells × paths × hours) per run.
      </p>
      <form class="card sweep-form" aria-label="sweep" onSubmit={submit}>
        <div class="checklist-fields">
          <SpecSelect choices={choices} value={fields.spec} onChange={(spec) => setFields((f) => ({ ...f, spec }))} />
          {text('leverage', 'Leverages (2,5,10 or 2..50:6)', 'text')}
          {text('allocation', 'Allocations, share of the wallet (0.1,0.5 or 0.1..1:4)', 'text')}
          <fieldset class="sweep-modes">
            <legend>Margin modes</legend>
            {MODE_NAMES.map((m) => (
              <label key={m}>
                <input type="checkbox" name="modes" value={m} checked={modes.includes(m)} onChange={(e) => setModes((list) => (e.currentTarget.checked ? [...list, m] : list.filter((x) => x !== m)))} />
                {m}
              </label>
            ))}
          </fieldset>
          {text('paths', 'Paths per cell', 'numeric')}
          {text('hours', 'Hours per path', 'numeric')}
          {text('seed', 'Seed', 'numeric')}
          <label>
            Crash windows
            <select name="crashes" value={fields.crashes} onChange={set('crashes')}>
              <option value="all">all five</option>
              <option value="none">none</option>
              {choices?.windows.map((w) => (
                <option key={w.id} value={w.id}>
                  {w.title} ({w.id})
                </option>
              ))}
            </select>
          </label>
          {text('maxRuin', 'Your P(ruin) limit, 0 to 1 (safe at or under it)', 'decimal')}
          {text('probable', '"Statistically probable" from, 0 to 1', 'decimal')}
        </div>
        <button type="submit" disabled={sweep.running}>
          {sweep.running ? 'Sweeping…' : 'Run the sweep'}
        </button>
      </form>
      {(unchecked || sweep.problem) && (
        <p class="problem sweep-problem" role="alert">
          {unchecked ? 'modes: pick at least one margin mode' : sweep.problem}
        </p>
      )}
      {view && !unchecked && (
        <>
          <p class="note" data-sweep-run>
            {sweep.answer!.spec.name}: wallet {sweep.answer!.spec.wallet}; {view.legs.join(', ')}; {view.leverages.length} leverages × {view.allocations.length} allocations × {view.modes.join(', ')}, {view.run.units}{' '}
            units in {view.run.seconds.toFixed(1)} s
          </p>
          <SweepMaps sweep={view} />
          <SweepRows sweep={view} />
        </>
      )}
    </main>
  );
}
