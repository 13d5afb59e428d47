// `perpguard sweep`'s table as the page shows it: one row per cell and mode, the columns of the CLI's table
// (P(liquidation) per leg, P(ruin), kept equity p5 and median, the expected shortfall, the first crash window
// that liquidates, the verdict), then the cells the venue refuses. Drawn from src/views/sweep.ts's JSON, under
// the heatmaps (./heatmap.tsx), in the dashboard's #/sweep and in `sweep --html` alike.
import type { SweepView } from './types.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;

export function SweepRows(props: { sweep: SweepView }) {
  const s = props.sweep;
  return (
    <section class="card report-sweep-rows" aria-labelledby="sweep-rows-title">
      <h2 id="sweep-rows-title">Every cell</h2>
      <div class="table-scroll" tabIndex={0} aria-label="every cell's figures">
        <table class="report-rows">
          <thead>
            <tr>
              <th scope="col" class="num">Leverage</th>
              <th scope="col" class="num">Allocation</th>
              <th scope="col">Mode</th>
              {s.legs.map((l) => (
                <th key={l} scope="col" class="num">
                  P(liq) {l.split(' ')[0]}
                </th>
              ))}
              <th scope="col" class="num">P(ruin)</th>
              <th scope="col" class="num">Kept p5</th>
              <th scope="col" class="num">Kept median</th>
              <th scope="col" class="num">ES 5 %</th>
              <th scope="col">First crash liquidating</th>
              <th scope="col">Verdict</th>
            </tr>
          </thead>
          <tbody>
            {s.cells.map((c) => (
              <tr key={`${c.leverage} ${c.allocation} ${c.mode}`} data-cell={`${c.leverage} ${c.allocation} ${c.mode}`}>
                <td class="num">{c.leverage}x</td>
                <td class="num">{pct(Number(c.allocation))}</td>
                <td>{c.mode}</td>
                {c.legLiquidationProbability.map((p, i) => (
                  <td key={i} class="num">
                    {pct(p)}
                  </td>
                ))}
                <td class="num">{pct(c.ruinProbability)}</td>
                <td class="num">{pct(c.keptQuantiles[0])}</td>
                <td class="num">{pct(c.keptQuantiles[2])}</td>
                <td class="num">{pct(c.expectedShortfall5)}</td>
                <td>{c.firstCrash ?? '—'}</td>
                <td>{[c.safe ? 'safe' : '', c.breaksRule ? 'breaks rule' : ''].filter(Boolean).join(', ') || '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {s.refused.length > 0 && (
        <ul class="note sweep-refused-list">
          {s.refused.map((r) => (
            <li key={`${r.leverage} ${r.allocation}`}>
              {r.leverage}x at {pct(Number(r.allocation))}: refused by the venue ({r.reason}), not run
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
