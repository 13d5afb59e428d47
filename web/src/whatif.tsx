// What-if: one position switched between isolated and cross, its leverage or isolated margin changed, the
// other marks moved; every liquidation price, margin ratio and the blast radius before and after, computed by
// the venue (/perpguard/v1/whatIf) before anything is sent. Then "Send" places the account changes (margin
// mode, leverage, margin) through the venue's own API, and says in plain words what it refused.
import { useEffect, useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { plainError } from './errors.ts';
import { amount, pct, price, ratioPct } from './format.ts';
import { css, LineStyle, PriceChart, type Line } from './price-chart.tsx';
import type { AccountAnswer, BlastRadiusAnswer, CalcAccount, CalcPosition } from './types.ts';

interface Figures {
  readonly calc: { readonly account: CalcAccount; readonly positions: readonly CalcPosition[] };
  readonly blastRadius: BlastRadiusAnswer;
}
interface Answer {
  readonly before: Figures;
  readonly after: Figures;
}
interface Plan {
  symbol: string;
  mode: '' | 'ISOLATED' | 'CROSSED';
  leverage: string;
  marginChange: string;
  othersMovePct: number;
}

const DEBOUNCE_MS = 250;

function query(plan: Plan): Record<string, string | undefined> {
  const margin = plan.marginChange.trim();
  return {
    symbol: plan.symbol,
    marginType: plan.mode || undefined,
    leverage: plan.leverage.trim() || undefined,
    amount: margin ? margin.replace(/^-/, '') : undefined,
    type: margin ? (margin.startsWith('-') ? '2' : '1') : undefined,
    othersMovePct: plan.othersMovePct !== 0 ? String(Math.abs(plan.othersMovePct)) : undefined,
    othersDirection: plan.othersMovePct !== 0 ? (plan.othersMovePct < 0 ? 'DOWN' : 'UP') : undefined,
  };
}

function Comparison(props: { answer: Answer }) {
  const { before, after } = props.answer;
  const asset = after.calc.account.settleAsset;
  const blast = (f: Figures) => f.blastRadius[f.blastRadius.adverse].movePct;
  return (
    <table class="whatif-result">
      <caption>Now → after the change</caption>
      <thead>
        <tr>
          <th scope="col">Figure</th>
          <th scope="col" class="num">Now</th>
          <th scope="col" class="num">After</th>
        </tr>
      </thead>
      <tbody>
        {after.calc.positions.map((p, i) => {
          const b = before.calc.positions[i]!;
          return [
            <tr key={`${p.symbol} lp`} data-row={`${p.symbol} liquidation`}>
              <th scope="row">
                {p.symbol} liquidation price ({b.marginMode} → {p.marginMode})
              </th>
              <td class="num">{price(b.liquidationPrice)}</td>
              <td class="num after">{price(p.liquidationPrice)}</td>
            </tr>,
            <tr key={`${p.symbol} mr`}>
              <th scope="row">{p.symbol} margin ratio</th>
              <td class="num">{ratioPct(b.marginMode === 'isolated' ? b.marginRatio : before.calc.account.marginRatio)}</td>
              <td class="num after">{ratioPct(p.marginMode === 'isolated' ? p.marginRatio : after.calc.account.marginRatio)}</td>
            </tr>,
          ];
        })}
        <tr>
          <th scope="row">Cross wallet ({asset})</th>
          <td class="num">{amount(before.calc.account.walletBalance)}</td>
          <td class="num after">{amount(after.calc.account.walletBalance)}</td>
        </tr>
        <tr data-row="blast">
          <th scope="row">Blast radius: move of all marks that liquidates the cross account</th>
          <td class="num">{pct(blast(before))}</td>
          <td class="num after">{pct(blast(after))}</td>
        </tr>
      </tbody>
    </table>
  );
}

/** The chosen position's liquidation line now (solid) and after the change (dashed), over its candles. */
function whatIfLines(answer: Answer | undefined, symbol: string): Line[] {
  const before = answer?.before.calc.positions.find((p) => p.symbol === symbol);
  const after = answer?.after.calc.positions.find((p) => p.symbol === symbol);
  if (!before || !after) return [];
  return [
    { key: 'entry', title: 'entry', value: before.entryPrice, color: css('--accent'), style: LineStyle.Solid },
    { key: 'liquidation now', title: `liquidation now (${before.marginMode})`, value: before.liquidationPrice, color: css('--liquidation'), style: LineStyle.Solid },
    { key: 'liquidation after', title: `liquidation after (${after.marginMode})`, value: after.liquidationPrice, color: css('--other-mode'), style: LineStyle.Dashed },
  ];
}

export function WhatIfPage(props: { credentials: Credentials }) {
  const [positions, setPositions] = useState<readonly CalcPosition[] | undefined>();
  const [plan, setPlan] = useState<Plan>({ symbol: '', mode: '', leverage: '', marginChange: '', othersMovePct: 0 });
  const [answer, setAnswer] = useState<Answer | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [sent, setSent] = useState<string[]>([]);

  useEffect(() => {
    void signed<AccountAnswer>(props.credentials, 'GET', '/perpguard/v1/account')
      .then((a) => {
        setPositions(a.calc.positions);
        if (a.calc.positions[0]) setPlan((p) => ({ ...p, symbol: p.symbol || a.calc.positions[0]!.symbol }));
      })
      .catch((e) => setProblem(plainError(e)));
  }, [props.credentials]);

  useEffect(() => {
    if (!plan.symbol) return;
    let stopped = false;
    const timer = setTimeout(() => {
      signed<Answer>(props.credentials, 'GET', '/perpguard/v1/whatIf', query(plan))
        .then((a) => !stopped && (setAnswer(a), setProblem(undefined)))
        .catch((e) => !stopped && (setAnswer(undefined), setProblem(plainError(e))));
    }, DEBOUNCE_MS);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [plan, props.credentials]);

  const send = async () => {
    const results: string[] = [];
    const steps: [string, string, Record<string, string>][] = [];
    if (plan.mode) steps.push([`margin mode ${plan.mode.toLowerCase()}`, '/fapi/v1/marginType', { symbol: plan.symbol, marginType: plan.mode }]);
    if (plan.leverage.trim()) steps.push([`leverage ${plan.leverage.trim()}x`, '/fapi/v1/leverage', { symbol: plan.symbol, leverage: plan.leverage.trim() }]);
    const q = query(plan);
    if (q.amount) steps.push([`margin ${plan.marginChange.trim()}`, '/fapi/v1/positionMargin', { symbol: plan.symbol, amount: q.amount, type: q.type! }]);
    for (const [what, path, params] of steps) {
      try {
        await signed(props.credentials, 'POST', path, params);
        results.push(`${what}: done`);
      } catch (error) {
        results.push(`${what}: refused. ${plainError(error)}`);
      }
    }
    if (steps.length === 0) results.push('Nothing to send: the marks move with the market, not by an order.');
    setSent(results);
  };

  if (!positions) return <p class="loading" aria-busy="true">{problem ?? 'Loading the account…'}</p>;
  if (positions.length === 0) return <main class="whatif"><h1>What if</h1><p class="empty">No open positions to try changes on.</p></main>;
  const set = (change: Partial<Plan>) => setPlan((p) => ({ ...p, ...change }));
  return (
    <main class="whatif" aria-labelledby="whatif-title">
      <h1 id="whatif-title">What if</h1>
      <div class="whatif-controls">
        <form class="whatif-form" onSubmit={(e) => (e.preventDefault(), void send())}>
          <label>
            Position
            <select name="symbol" value={plan.symbol} onChange={(e) => set({ symbol: e.currentTarget.value })}>
              {positions.map((p) => (
                <option key={p.symbol} value={p.symbol}>
                  {p.symbol} {p.side} ({p.marginMode}, {p.leverage}×)
                </option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>Margin mode</legend>
            {(['', 'ISOLATED', 'CROSSED'] as const).map((mode) => (
              <label class="inline" key={mode || 'now'}>
                <input type="radio" name="mode" value={mode} checked={plan.mode === mode} onChange={() => set({ mode })} /> {mode === '' ? 'as now' : mode === 'ISOLATED' ? 'isolated' : 'cross'}
              </label>
            ))}
          </fieldset>
          <label>
            Leverage (blank: as now)
            <input name="leverage" inputMode="numeric" value={plan.leverage} onInput={(e) => set({ leverage: e.currentTarget.value })} />
          </label>
          <label>
            Isolated margin to add (negative: take back), {'USDT'}
            <input name="margin" inputMode="decimal" value={plan.marginChange} onInput={(e) => set({ marginChange: e.currentTarget.value })} />
          </label>
          <label>
            Other symbols' marks: <output class="num">{plan.othersMovePct > 0 ? '+' : ''}{plan.othersMovePct} %</output>
            <input name="othersMove" type="range" min={-50} max={50} step={1} value={plan.othersMovePct} onInput={(e) => set({ othersMovePct: Number(e.currentTarget.value) })} />
          </label>
          <button type="submit">Send the account changes to the venue</button>
        </form>
        {problem && <p class="problem" role="alert">{problem}</p>}
        {answer && <Comparison answer={answer} />}
        {sent.length > 0 && (
          <ul class="sent" role="status" aria-label="what the venue did">
            {sent.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        )}
      </div>
      <section class="whatif-chart" aria-label={`${plan.symbol} liquidation now and after`}>
        <PriceChart symbol={plan.symbol} lines={whatIfLines(answer, plan.symbol)} asset={answer?.after.calc.account.settleAsset ?? 'USDT'} />
      </section>
    </main>
  );
}
