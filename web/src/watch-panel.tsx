// The watch panel of a watched account (`perpguard watch --dashboard`): each position's liquidation price in
// its own mode and in the other one (isolated at the margin at entry, or cross with the whole wallet), the
// venue's reported price beside perpguard's, its stop and whether it lies in front of the liquidation price,
// and the warnings watch holds active: the figures of the same reading `watch --json` prints.
import { price, pct } from './format.ts';
import type { WatchAnswer } from './types.ts';

export function WatchPanel(props: { watch: WatchAnswer }) {
  const { positions, warnings } = props.watch;
  return (
    <section class="watch" aria-labelledby="watch-title">
      <h2 id="watch-title">Both modes, the venue's price and the stops</h2>
      <p class="note">
        Reading {props.watch.tick} of {props.watch.exchange} at {props.watch.time.slice(11, 19)} UTC. Read-only: perpguard watch never places, changes or cancels an order.
      </p>
      <div class="table-scroll" tabIndex={0} aria-label="both modes (scrolls sideways on a narrow screen)">
        <table class="watch-positions">
          <caption>Liquidation in each mode</caption>
          <thead>
            <tr>
              <th scope="col">Position</th>
              <th scope="col" class="num">In its mode</th>
              <th scope="col" class="num">In the other mode</th>
              <th scope="col" class="num">The venue's</th>
              <th scope="col" class="num">Stop</th>
            </tr>
          </thead>
          <tbody>
            {positions.map((p) => {
              const other = p.otherMode === 'cross' ? p.modes.cross : p.modes.isolated;
              return (
                <tr key={`${p.symbol} ${p.positionSide}`} data-symbol={p.symbol}>
                  <th scope="row">
                    {p.symbol} <span class={`side side-${p.side}`}>{p.side}</span> <span class={`badge badge-${p.marginMode}`}>{p.marginMode}</span>
                  </th>
                  <td class="num own-mode">
                    {p.liquidationPrice === null ? 'none' : price(p.liquidationPrice)}
                    {p.liquidationDistancePct !== null && <span class="unit"> ({pct(p.liquidationDistancePct)} away)</span>}
                  </td>
                  <td class="num other-mode">
                    {other.liquidationPrice === null ? 'none' : price(other.liquidationPrice)} <span class="unit">{p.otherMode}</span>
                  </td>
                  <td class="num venue-price">
                    {price(p.venue.liquidationPrice)}
                    {p.venue.differenceTicks !== null && p.venue.differenceTicks !== '0.00' && <span class="unit"> ({p.venue.differenceTicks} ticks off)</span>}
                  </td>
                  <td class="num stop">{p.stop.triggerPrice === null ? 'none' : `${price(p.stop.triggerPrice)}${p.stop.inFrontOfLiquidation ? '' : ' (behind the liquidation)'}`}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <h2>Warnings</h2>
      {warnings.active.length === 0 ? (
        <p class="note warnings-none">No warning is active.</p>
      ) : (
        <ul class="warnings" aria-live="polite">
          {warnings.active.map((w) => (
            <li key={`${w.kind} ${w.position}`} data-kind={w.kind}>
              <strong>{w.kind}</strong> {w.message}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
