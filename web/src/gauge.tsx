// A margin ratio gauge (maintenance margin / margin balance): the liquidation level at 100 % and the
// venue's margin-call level marked on the bar, the value as text beside it, and the same as an ARIA meter
// for screen readers. The bar's scale is 0-100 %; a ratio past 100 % fills it and says so.
import { ratioPct } from './format.ts';

export function MarginGauge(props: { ratio: string | null; marginCall: string; label: string }) {
  const value = props.ratio === null ? 0 : Number(props.ratio);
  const call = Number(props.marginCall);
  const level = value >= 1 ? 'liquidation' : value >= call ? 'call' : value >= call / 2 ? 'watch' : 'safe';
  return (
    <div class="gauge">
      <div
        class={`gauge-bar gauge-${level}`}
        role="meter"
        aria-label={`${props.label} margin ratio`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(100, value * 100)}
        aria-valuetext={`${ratioPct(props.ratio)}; margin call at ${ratioPct(props.marginCall, 0)}, liquidation at 100 %`}
      >
        <div class="gauge-fill" style={{ width: `${Math.min(100, value * 100)}%` }} />
        <div class="gauge-mark gauge-mark-call" style={{ left: `${Math.min(100, call * 100)}%` }} title={`margin call at ${ratioPct(props.marginCall, 0)}`} />
        <div class="gauge-mark gauge-mark-liquidation" style={{ left: '100%' }} title="liquidation at 100 %" />
      </div>
      <span class="gauge-text num">{ratioPct(props.ratio)}</span>
    </div>
  );
}
