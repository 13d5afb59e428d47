// A report: the crash study's or a replay's windows and the Monte Carlo distribution, drawn from the data
// src/views/report.ts prints. The same components serve the exported HTML file (../report-main.tsx) and the
// dashboard.
import { DistributionChart, EquityChart, LegPriceChart } from './charts.tsx';
import { modeColor } from './colors.ts';
import { SweepMaps } from './heatmap.tsx';
import { SweepRows } from './sweep-rows.tsx';
import type { DistributionReport, ReportData, WindowReport } from './types.ts';

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;

/** A mode's name in the text colour, after a square of the mode's colour (the colours alone are too light for text). */
function ModeName(props: { mode: string }) {
  return (
    <>
      <span class="mode-square" style={{ background: modeColor(props.mode) }} aria-hidden="true" />
      {props.mode}
    </>
  );
}

export function WindowSection(props: { window: WindowReport }) {
  const w = props.window;
  return (
    <section class="card report-window" aria-labelledby={`w-${w.id}`} data-window={w.id}>
      <h2 id={`w-${w.id}`}>
        {w.title} <span class="note">({w.id})</span>
      </h2>
      {w.skipped.length > 0 && <p class="note">No intraday data for {w.skipped.join(', ')} in this window: those legs are left out.</p>}
      <div class="table-scroll" tabIndex={0} aria-label={`${w.title}: each mode's outcome`}>
        <table class="report-rows">
          <thead>
            <tr>
              <th scope="col">Mode</th>
              <th scope="col" class="num">Liquidations</th>
              <th scope="col" class="num">Domino</th>
              <th scope="col" class="num">Margin calls</th>
              <th scope="col" class="num">Fees ({w.asset})</th>
              <th scope="col" class="num">Funding ({w.asset})</th>
              <th scope="col" class="num">Final equity ({w.asset})</th>
              <th scope="col" class="num">Max drawdown</th>
              <th scope="col" class="num">Kept</th>
            </tr>
          </thead>
          <tbody>
            {w.rows.map((r) => (
              <tr key={r.mode} data-mode={r.mode}>
                <th scope="row">
                  <ModeName mode={r.mode} />
                </th>
                <td class="num">{r.liquidations}</td>
                <td class="num">{r.dominoLiquidations}</td>
                <td class="num">{r.marginCalls}</td>
                <td class="num">{r.fees}</td>
                <td class="num">{r.funding}</td>
                <td class="num">{r.finalEquity}</td>
                <td class="num">{r.maxDrawdownPct} %</td>
                <td class="num">
                  <strong>{r.keptPct} %</strong>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div class="report-legs">
        {w.legs.map((leg) => (
          <LegPriceChart key={leg.symbol} leg={leg} quote={w.asset} />
        ))}
      </div>
      <EquityChart curves={w.equity} liquidations={w.liquidations} asset={w.asset} />
      {w.liquidations.length === 0 ? (
        <p class="note">No liquidation in any mode.</p>
      ) : (
        <ul class="report-liquidations">
          {w.liquidations.map((l, i) => (
            <li key={i} data-liquidation={`${l.mode} ${l.symbol}`}>
              <ModeName mode={l.mode} />: {l.symbol} {l.marginMode}
              {l.domino ? <strong> (domino)</strong> : null} at mark {l.markPrice.toFixed(2)}, {new Date(l.timeS * 1000).toISOString().slice(0, 16).replace('T', ' ')} UTC, lost {l.marginLost.toFixed(2)} {w.asset}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

export function Distribution(props: { distribution: DistributionReport }) {
  const d = props.distribution;
  return (
    <section class="card report-distribution" aria-labelledby="distribution-title">
      <h2 id="distribution-title">{d.title}</h2>
      <div class="table-scroll" tabIndex={0} aria-label="statistics per mode">
        <table class="report-stats">
          <thead>
            <tr>
              <th scope="col">Mode</th>
              <th scope="col" class="num">Paths</th>
              <th scope="col" class="num">P(liquidation)</th>
              <th scope="col" class="num">P(ruin)</th>
              <th scope="col" class="num">Kept 5 %</th>
              <th scope="col" class="num">25 %</th>
              <th scope="col" class="num">Median</th>
              <th scope="col" class="num">75 %</th>
              <th scope="col" class="num">95 %</th>
              <th scope="col" class="num">Expected shortfall 5 %</th>
              <th scope="col" class="num">Mean kept</th>
            </tr>
          </thead>
          <tbody>
            {d.modes.map(({ mode, stats: s }) => (
              <tr key={mode} data-mode={mode}>
                <th scope="row">
                  <ModeName mode={mode} />
                </th>
                <td class="num">{s.paths}</td>
                <td class="num">{pct(s.liquidationProbability)}</td>
                <td class="num">{pct(s.ruinProbability)}</td>
                {s.keptQuantiles.map((q, i) => (
                  <td key={i} class="num">
                    {pct(q)}
                  </td>
                ))}
                <td class="num">{pct(s.expectedShortfall5)}</td>
                <td class="num">{pct(s.meanKept)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <DistributionChart distribution={d} />
    </section>
  );
}

export function Report(props: { data: ReportData }) {
  const { data } = props;
  return (
    <main class="report" aria-labelledby="report-title">
      <h1 id="report-title">{data.title}</h1>
      <p>{data.subtitle}</p>
      {data.notes.map((n, i) => (
        <p key={i} class="note">
          {n}
        </p>
      ))}
      {data.windows.map((w) => (
        <WindowSection key={w.id} window={w} />
      ))}
      {data.distribution && <Distribution distribution={data.distribution} />}
      {data.sweep && <SweepMaps sweep={data.sweep} />}
      {data.sweep && <SweepRows sweep={data.sweep} />}
    </main>
  );
}
