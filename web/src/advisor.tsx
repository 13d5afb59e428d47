// The advisor on the account: the pre-trade checklist (/perpguard/v1/checklist: `perpguard checklist` on the
// account's equity and settings) as a form that refuses an unsafe trade and says why at the step that
// refused it, margin-chasing warnings from the account's own history (/perpguard/v1/chasing), and the sizing,
// leverage calibration and margin-mode forms (./advice-forms.tsx).
import { useEffect, useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { plainError } from './errors.ts';
import { AdviceForms } from './advice-forms.tsx';

interface ChecklistStep {
  readonly step: number;
  readonly title: string;
  readonly answer: string;
  readonly ok: boolean;
  readonly refusal: boolean;
  readonly message: string;
}
interface Checklist {
  readonly ready: boolean;
  readonly steps: readonly ChecklistStep[];
  readonly refusals: readonly string[];
  readonly warnings: readonly string[];
}
interface Chasing {
  readonly positions: readonly { readonly symbol: string; readonly warning: string | null }[];
}

const FIELDS = ['symbol', 'side', 'quantity', 'price', 'stopPrice', 'leverage', 'marginType', 'strategy'] as const;
type Field = (typeof FIELDS)[number];

export function AdvisorPage(props: { credentials: Credentials }) {
  const [form, setForm] = useState<Record<Field, string>>({ symbol: 'BTCUSDT', side: 'BUY', quantity: '', price: '', stopPrice: '', leverage: '', marginType: 'ISOLATED', strategy: 'speculative' });
  const [result, setResult] = useState<Checklist | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [chasing, setChasing] = useState<Chasing | undefined>();
  const [examples, setExamples] = useState<readonly string[]>([]);
  useEffect(() => void signed<Chasing>(props.credentials, 'GET', '/perpguard/v1/chasing').then(setChasing).catch(() => undefined), [props.credentials]);
  // the bundled example portfolios the mode advice can run on (the study page lists the same)
  useEffect(() => void signed<{ examples: { name: string }[] }>(props.credentials, 'GET', '/perpguard/v1/studyChoices').then((c) => setExamples(c.examples.map((e) => e.name))).catch(() => undefined), [props.credentials]);
  const set = (field: Field) => (e: { currentTarget: { value: string } }) => setForm((f) => ({ ...f, [field]: e.currentTarget.value }));
  const run = async () => {
    try {
      setResult(await signed<Checklist>(props.credentials, 'GET', '/perpguard/v1/checklist', form));
      setProblem(undefined);
    } catch (error) {
      setResult(undefined);
      setProblem(plainError(error));
    }
  };
  const warnings = chasing?.positions.filter((p) => p.warning !== null) ?? [];
  return (
    <main class="advisor" aria-labelledby="advisor-title">
      <h1 id="advisor-title">Advisor</h1>
      <section class="card" aria-labelledby="chasing-title">
        <h2 id="chasing-title">Margin chasing in this account's history</h2>
        {chasing === undefined ? <p class="note">Reading the account's history…</p> : warnings.length === 0 ? <p class="note">No position was fed margin as it fell.</p> : (
          <ul class="warnings">
            {warnings.map((w) => (
              <li key={w.symbol}>
                <strong>{w.symbol}:</strong> {w.warning}
              </li>
            ))}
          </ul>
        )}
      </section>
      <form class="card checklist-form" aria-label="pre-trade checklist" onSubmit={(e) => (e.preventDefault(), void run())}>
        <h2>Pre-trade checklist</h2>
        <p class="note">The five questions before a trade, answered with this account's equity and the venue's margin model. Leave price blank for the mark.</p>
        <div class="checklist-fields">
          <label>
            Symbol
            <select name="symbol" value={form.symbol} onChange={set('symbol')}>
              {['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <label>
            Side
            <select name="side" value={form.side} onChange={set('side')}>
              <option value="BUY">buy / long</option>
              <option value="SELL">sell / short</option>
            </select>
          </label>
          <label>
            Quantity
            <input name="quantity" inputMode="decimal" required value={form.quantity} onInput={set('quantity')} />
          </label>
          <label>
            Entry price (USDT)
            <input name="price" inputMode="decimal" value={form.price} onInput={set('price')} />
          </label>
          <label>
            Stop price (USDT)
            <input name="stopPrice" inputMode="decimal" value={form.stopPrice} onInput={set('stopPrice')} />
          </label>
          <label>
            Leverage
            <input name="leverage" inputMode="numeric" value={form.leverage} onInput={set('leverage')} />
          </label>
          <label>
            Margin mode
            <select name="marginType" value={form.marginType} onChange={set('marginType')}>
              <option value="ISOLATED">isolated</option>
              <option value="CROSSED">cross</option>
            </select>
          </label>
          <label>
            Kind of trade
            <select name="strategy" value={form.strategy} onChange={set('strategy')}>
              <option value="speculative">speculative</option>
              <option value="core">core</option>
              <option value="hedge">hedge</option>
            </select>
          </label>
        </div>
        <button type="submit">Check this trade</button>
      </form>
      {problem && <p class="problem" role="alert">{problem}</p>}
      {result && (
        <section class="card checklist-result" aria-labelledby="verdict" role="status">
          <h2 id="verdict" class={result.ready ? 'done' : 'problem'}>
            {result.ready ? 'Ready: every step passes.' : `Refused: ${result.refusals.join(' ')}`}
          </h2>
          <ol>
            {result.steps.map((s) => (
              <li key={s.step} data-step={s.step} class={s.refusal ? 'refusal' : s.ok ? 'ok' : 'warn'}>
                <strong>{s.title}</strong> {s.answer}. {s.message}
              </li>
            ))}
          </ol>
          {result.warnings.length > 0 && <p class="note">{result.warnings.join(' ')}</p>}
        </section>
      )}
      <AdviceForms credentials={props.credentials} examples={examples} />
    </main>
  );
}
