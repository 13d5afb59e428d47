// `perpguard sweep`'s map, one heatmap per margin mode: leverage down, allocation across, each cell coloured
// by P(ruin) and showing it. The safe region (P(ruin) at most the trader's limit) is outlined: a cell of it
// draws a border on each side where its neighbour is outside. Cross cells that break the seed's rule are
// marked with a cross. The figures and verdicts come from src/views/sweep.ts; this only draws them.
import { modeColor } from './colors.ts';
import type { SweepCellView, SweepView } from './types.ts';

const pct = (x: number) => `${(x * 100).toFixed(1)} %`;
/** An allocation as a column head: 40 %, 12.5 %. */
const share = (x: number) => `${Number((x * 100).toFixed(2))} %`;

/** White (no ruin) to red (certain ruin), through orange; readable dark text on every step. */
function ruinColor(p: number): string {
  const t = Math.max(0, Math.min(1, Math.sqrt(p)));
  const hue = 50 - 50 * t;
  return `hsl(${hue.toFixed(0)} 90% ${(96 - 36 * t).toFixed(0)}%)`;
}

function ModeMap(props: { sweep: SweepView; mode: string }) {
  const { sweep, mode } = props;
  const at = (li: number, ai: number): SweepCellView | undefined =>
    sweep.cells.find((c) => c.mode === mode && c.leverage === sweep.leverages[li] && c.allocation === sweep.allocations[ai]);
  const refused = (li: number, ai: number) => sweep.refused.find((r) => r.leverage === sweep.leverages[li] && r.allocation === sweep.allocations[ai]);
  const safe = (li: number, ai: number) => at(li, ai)?.safe === true;
  const line = '3px solid #1f2933';
  return (
    <figure class="sweep-map" data-mode={mode}>
      <figcaption>
        <span class="mode-square" style={{ background: modeColor(mode) }} aria-hidden="true" />
        {mode}
      </figcaption>
      <div class="table-scroll" tabIndex={0}>
        <table class="sweep-grid" aria-label={`P(ruin) by leverage and allocation, ${mode} margin`}>
          <thead>
            <tr>
              <th scope="col">
                <abbr title="leverage down, allocation of the wallet across">lev. \ alloc.</abbr>
              </th>
              {sweep.allocations.map((a) => (
                <th key={a} scope="col" class="num">
                  {share(Number(a))}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {sweep.leverages.map((lev, li) => (
              <tr key={lev}>
                <th scope="row" class="num">
                  {lev}x
                </th>
                {sweep.allocations.map((a, ai) => {
                  const c = at(li, ai);
                  const r = refused(li, ai);
                  if (!c) return <td key={a} class="sweep-refused" title={r?.reason ?? 'not finished'}>{r ? 'refused' : '…'}</td>;
                  const border = c.safe
                    ? {
                        borderTop: li === 0 || !safe(li - 1, ai) ? line : undefined,
                        borderBottom: li === sweep.leverages.length - 1 || !safe(li + 1, ai) ? line : undefined,
                        borderLeft: ai === 0 || !safe(li, ai - 1) ? line : undefined,
                        borderRight: ai === sweep.allocations.length - 1 || !safe(li, ai + 1) ? line : undefined,
                      }
                    : {};
                  const title = `${lev}x, ${pct(Number(a))} of the wallet: P(ruin) ${pct(c.ruinProbability)}, P(liquidation) ${pct(c.liquidationProbability)}, kept median ${pct(c.keptQuantiles[2])}, first crash liquidating: ${c.firstCrash ?? 'none'}`;
                  return (
                    <td key={a} class={`num sweep-cell${c.safe ? ' sweep-safe' : ''}${c.breaksRule ? ' sweep-rule' : ''}`} style={{ background: ruinColor(c.ruinProbability), ...border }} title={title}>
                      {pct(c.ruinProbability)}
                      {c.breaksRule && <span class="sweep-rule-mark" role="img" aria-label="breaks the seed's rule">✕</span>}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}

export function SweepMaps(props: { sweep: SweepView }) {
  const s = props.sweep;
  return (
    <section class="card report-sweep" aria-labelledby="sweep-title">
      <h2 id="sweep-title">P(ruin) by leverage and allocation</h2>
      <p>
        {s.paths} paths × {s.hours} h per cell, seed {s.seed}; crash windows: {s.crashWindows.join(', ') || 'none'}. Outlined: the safe region, P(ruin) ≤ {pct(s.limits.maxRuin)}. ✕ (cross
        margin): breaks the seed's rule, "never use leverage in cross margin that would liquidate your entire account on a move that is statistically probable": a liquidation on ≥{' '}
        {pct(s.limits.probable)} of the paths or in a crash window.
      </p>
      <div class="sweep-maps">
        {s.modes.map((m) => (
          <ModeMap key={m} sweep={s} mode={m} />
        ))}
      </div>
    </section>
  );
}
