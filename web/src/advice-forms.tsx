// The advisor's sizing, leverage calibration and margin-mode forms (#/advisor): each asks the venue
// (/perpguard/v1/adviseSize, adviseLeverage, adviseMode), which answers the JSON `perpguard advise size|leverage|
// mode --json` prints on the same input, and shows the numbers that decide: the size and its liquidation
// price against the stop, the highest safe leverage per mode, the recommended mode with the reason that decided
// it. A refusal is the venue's one line naming the field. Blank fields take the venue's defaults (the account's
// equity, the mark, this account's positions). The mode form advises on a leg the portfolio holds or on a new
// trade about to be opened beside it; the leverage form calibrates beside the positions as held, or beside a
// portfolio (this account's or an example) entered at the last closes.
import { useState } from 'preact/hooks';
import type { ComponentChildren } from 'preact';
import type { Credentials } from './credentials.ts';
import type { sizeJson } from '../../src/views/sizing.ts';
import { useRun } from './use-run.ts';

type Size = ReturnType<typeof sizeJson>;
interface Leverage {
  readonly account: string;
  readonly move: string;
  readonly price: string;
  readonly modes: readonly { readonly mode: string; readonly leverage: number | null; readonly sentence: string }[];
  readonly odds: readonly { readonly mode: string; readonly leverage: number; readonly probability: number | null; readonly refused: string | null }[];
}
interface Mode {
  readonly trade: { readonly symbol: string; readonly side: string; readonly leverage: number; readonly role: string; readonly size: Readonly<Record<string, string>> };
  readonly legCorrelations: readonly { readonly symbol: string; readonly side: string; readonly marginMode: string; readonly correlation: number | null }[];
  readonly recommendation: string;
  readonly reason: string;
  readonly criteria: readonly { readonly name: string; readonly verdict: string; readonly statement: string }[];
}

interface Field {
  readonly name: string;
  readonly label: string;
  readonly initial: string;
  /** A select's values (value, label); a text input without. */
  readonly options?: readonly (readonly [string, string])[];
  /** Shown, and sent, only while another field holds this value. */
  readonly when?: readonly [field: string, value: string];
  /** The form's own choice between sets of fields, never sent. */
  readonly local?: boolean;
}

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'].map((s) => [s, s] as const);
const SIDES = [['LONG', 'long'], ['SHORT', 'short']] as const;

function AdviceForm<T>(props: { credentials: Credentials; id: string; title: string; note: string; path: string; fields: readonly Field[]; button: string; show: (answer: T) => ComponentChildren }) {
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(props.fields.map((f) => [f.name, f.initial])));
  const { answer, problem, running, run: send } = useRun<T>(props.credentials, props.path);
  const shown = props.fields.filter((f) => !f.when || values[f.when[0]] === f.when[1]);
  const run = () => send(Object.fromEntries(shown.filter((f) => !f.local).map((f) => [f.name, values[f.name]!])));
  const set = (name: string) => (e: { currentTarget: { value: string } }) => setValues((v) => ({ ...v, [name]: e.currentTarget.value }));
  return (
    <section class={`card ${props.id}`} aria-labelledby={`${props.id}-title`}>
      <form onSubmit={(e) => (e.preventDefault(), void run())}>
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <p class="note">{props.note}</p>
        <div class="checklist-fields">
          {shown.map((f) => (
            <label key={f.name}>
              {f.label}
              {f.options ? (
                <select name={f.name} value={values[f.name]} onChange={set(f.name)}>
                  {f.options.map(([value, label]) => (
                    <option key={value} value={value}>
                      {label}
                    </option>
                  ))}
                </select>
              ) : (
                <input name={f.name} inputMode="decimal" value={values[f.name]} onInput={set(f.name)} />
              )}
            </label>
          ))}
        </div>
        <button type="submit" disabled={running}>
          {running ? 'Working…' : props.button}
        </button>
      </form>
      {problem && (
        <p class="problem" role="alert">
          {problem}
        </p>
      )}
      {answer && <div role="status">{props.show(answer)}</div>}
    </section>
  );
}

/** Label and value rows, each value tagged with its JSON field for readers and tests. */
function Figures(props: { rows: readonly (readonly [field: string, label: string, value: string | number | null])[] }) {
  return (
    <dl class="figures">
      {props.rows.map(([field, label, value]) => (
        <div key={field}>
          <dt>{label}</dt>
          <dd class="num" data-field={field}>
            {value ?? '—'}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** Fields of a new trade in the mode form. */
const NEW_TRADE = ['trade', 'new'] as const;

/** A leg's size as the CLI describes it: "margin 300", "notional 5000", "risk 2 %". */
const sizeText = (size: Mode['trade']['size']) => Object.entries(size).map(([kind, amount]) => (kind === 'riskPercent' ? `risk ${amount} %` : `${kind} ${amount}`))[0];

export function AdviceForms(props: { credentials: Credentials; examples: readonly string[] }) {
  const c = props.credentials;
  const examples = props.examples.map((e) => [e, `example: ${e}`] as const);
  return (
    <>
      <AdviceForm<Size>
        credentials={c}
        id="size-form"
        title="Position size"
        note="The size that loses the risk share of the portfolio at the stop, fees included; blank portfolio: this account's equity; blank entry: the mark."
        path="/perpguard/v1/adviseSize"
        button="Size the trade"
        fields={[
          { name: 'symbol', label: 'Symbol', initial: 'BTCUSDT', options: SYMBOLS },
          { name: 'portfolio', label: 'Portfolio (USDT)', initial: '' },
          { name: 'riskPct', label: 'Risk per trade (%)', initial: '2' },
          { name: 'entryPrice', label: 'Entry (USDT)', initial: '' },
          { name: 'stopPrice', label: 'Stop (USDT)', initial: '' },
          { name: 'leverage', label: 'Leverage (blank: the minimum)', initial: '' },
        ]}
        show={(s) => (
          <>
            <Figures
              rows={[
                ['quantity', `Quantity (${s.symbol}, step ${s.stepSize})`, s.quantity],
                ['notional', 'Notional (USDT)', s.notional],
                ['loss.total', 'Loss at the stop (USDT)', s.loss.total],
                ['minimumLeverage', 'Minimum leverage', s.minimumLeverage],
                ['leverage', 'Leverage used', s.leverage],
                ['isolatedMargin', 'Isolated margin to assign (USDT)', s.isolatedMargin],
                ['liquidationPriceTick', 'Liquidation price', s.liquidationPriceTick],
                ['stopStatus', 'Stop vs liquidation', s.stopStatus],
              ]}
            />
            {s.warnings.length > 0 && <p class="problem">{s.warnings.join(' ')}</p>}
          </>
        )}
      />
      <AdviceForm<Leverage>
        credentials={c}
        id="leverage-form"
        title="Leverage against volatility"
        note="The highest leverage at which a move history says is possible within the horizon only reaches the margin call. The trade joins this account's positions as held, or a portfolio entered at the last closes whose legs move with it in the Monte Carlo, or a lone wallet when one is given."
        path="/perpguard/v1/adviseLeverage"
        button="Calibrate"
        fields={[
          { name: 'symbol', label: 'Symbol', initial: 'BTCUSDT', options: SYMBOLS },
          { name: 'side', label: 'Side', initial: 'LONG', options: SIDES },
          { name: 'horizonHours', label: 'Horizon (hours)', initial: '1' },
          { name: 'confidence', label: 'Confidence', initial: '0.99' },
          { name: 'margin', label: 'Margin (USDT)', initial: '1000' },
          { name: 'spec', label: 'Beside', initial: '', options: [['', "this account's positions, as held"], ['account', "this account's positions, at the last closes"], ...examples] },
          { name: 'wallet', label: 'Lone wallet (USDT)', initial: '' },
          { name: 'paths', label: 'Monte Carlo paths', initial: '200' },
        ]}
        show={(l) => (
          <>
            <p class="note" data-field="account">
              Beside: {l.account}
            </p>
            <p>
              Adverse move calibrated against: <strong data-field="move">{(Number(l.move) * 100).toFixed(2)} %</strong> from {l.price}
            </p>
            <ul class="advice-modes">
              {l.modes.map((m) => (
                <li key={m.mode} data-mode={m.mode}>
                  <strong data-field="leverage">{m.leverage === null ? 'none' : `${m.leverage}x`}</strong> {m.sentence}
                </li>
              ))}
            </ul>
            {l.odds.length > 0 && (
              <p class="note" data-field="odds">
                P(liquidation within the horizon):{' '}
                {l.odds.map((o) => `${o.mode} ${o.leverage}x ${o.refused ? 'refused' : o.probability === null ? 'not opened' : `${(o.probability * 100).toFixed(1)} %`}`).join('; ')}
              </p>
            )}
          </>
        )}
      />
      <AdviceForm<Mode>
        credentials={c}
        id="mode-form"
        title="Isolated or cross"
        note="For a trade of a portfolio, one it holds or a new one you are about to open beside it: its role, the correlation with the cross book and your experience, backed by the crash windows and a Monte Carlo of both modes. Leg: an index or a symbol; blank: the last. A new trade: margin or notional."
        path="/perpguard/v1/adviseMode"
        button="Recommend"
        fields={[
          { name: 'spec', label: 'Portfolio', initial: 'account', options: [['account', "this account's positions"], ...examples] },
          { name: 'trade', label: 'Trade', initial: 'leg', local: true, options: [['leg', 'a leg of the portfolio'], ['new', 'a new trade']] },
          { name: 'leg', label: 'Leg', initial: '', when: ['trade', 'leg'] },
          { name: 'symbol', label: 'Symbol', initial: 'BTCUSDT', options: SYMBOLS, when: NEW_TRADE },
          { name: 'side', label: 'Side', initial: 'LONG', options: SIDES, when: NEW_TRADE },
          { name: 'margin', label: 'Margin (USDT)', initial: '', when: NEW_TRADE },
          { name: 'notional', label: 'or notional (USDT)', initial: '', when: NEW_TRADE },
          { name: 'leverage', label: 'Leverage', initial: '10', when: NEW_TRADE },
          { name: 'role', label: 'Role', initial: '', options: [['', "the leg's (a new trade: core)"], ...['core', 'speculative', 'hedge'].map((r) => [r, r] as const)] },
          { name: 'experience', label: 'Experience', initial: 'intermediate', options: ['novice', 'intermediate', 'expert'].map((e) => [e, e] as const) },
          { name: 'paths', label: 'Monte Carlo paths', initial: '100' },
          { name: 'hours', label: 'Hours per path', initial: '168' },
        ]}
        show={(m) => (
          <>
            <p class="recommendation">
              Recommendation: <strong data-field="recommendation">{m.recommendation}</strong>
            </p>
            <p data-field="trade">
              Trade: {m.trade.symbol} {m.trade.side} {m.trade.leverage}x, {sizeText(m.trade.size)}, {m.trade.role}
            </p>
            <p data-field="reason">{m.reason}</p>
            <ul class="advice-criteria">
              {m.criteria.map((k) => (
                <li key={k.name} data-criterion={k.name}>
                  <strong>{k.name}</strong> ({k.verdict}): {k.statement}
                </li>
              ))}
            </ul>
            {m.legCorrelations.length > 0 && (
              <p class="note" data-field="legCorrelations">
                PnL correlation with the other positions: {m.legCorrelations.map((l) => `${l.symbol} ${l.side} ${l.marginMode} ${l.correlation === null ? 'n/a' : l.correlation.toFixed(2)}`).join(', ')}
              </p>
            )}
          </>
        )}
      />
    </>
  );
}
