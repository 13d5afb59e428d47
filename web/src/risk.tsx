// What the cross account puts at risk: the pool (its wallet and the positions that draw on it), the blast
// radius (the move of every mark together that liquidates it, with the isolated positions lost on the way)
// and the domino chain (which positions close together when the cross account is liquidated).
import { amount, pct } from './format.ts';
import type { BlastRadiusAnswer, BlastSide, CalcAccount, CalcPosition, DominoAnswer } from './types.ts';

export function CrossPool(props: { account: CalcAccount; positions: readonly CalcPosition[] }) {
  const cross = props.positions.filter((p) => p.marginMode === 'cross');
  const asset = props.account.settleAsset;
  return (
    <section class="card" aria-labelledby="pool-title">
      <h2 id="pool-title">Cross pool</h2>
      <p class="figure num">
        {amount(props.account.marginBalance)} <span class="unit">{asset} margin balance</span>
      </p>
      <p class="note">
        {cross.length === 0 ? 'No position draws on the cross wallet.' : `Drawn on by ${cross.length} position${cross.length === 1 ? '' : 's'}: a loss in any of them is paid from this pool.`}
      </p>
      <ul class="pool-members">
        {cross.map((p) => (
          <li key={`${p.symbol} ${p.positionSide}`}>
            {p.symbol} {p.side} · {amount(p.notional, 0)} {asset} notional
          </li>
        ))}
      </ul>
    </section>
  );
}

function blastLine(direction: 'down' | 'up', side: BlastSide, asset: string) {
  return (
    <li key={direction}>
      <strong>{direction === 'down' ? 'Every mark down' : 'Every mark up'}:</strong>{' '}
      {side.movePct === null ? 'the cross account survives any move' : <span class="num">{pct(side.movePct)} liquidates the cross account ({amount(side.equityLost)} {asset} lost)</span>}
      {side.isolatedOnTheWay.length > 0 && (
        <span class="note">
          {' '}
          — on the way: {side.isolatedOnTheWay.map((i) => `${i.symbol} isolated at ${pct(i.movePct)} (${amount(i.margin)} ${asset})`).join(', ')}
        </span>
      )}
    </li>
  );
}

export function BlastRadius(props: { blast: BlastRadiusAnswer; asset: string }) {
  return (
    <section class="card" aria-labelledby="blast-title">
      <h2 id="blast-title">Blast radius</h2>
      <p class="note">The move of all marks together that liquidates the cross account (adverse side for this book: {props.blast.adverse}).</p>
      <ul class="blast">
        {blastLine('down', props.blast.down, props.asset)}
        {blastLine('up', props.blast.up, props.asset)}
      </ul>
    </section>
  );
}

/**
 * A move to liquidation against the position's side is one already made: a long's isolated liquidation
 * price above the mark (its initial margin at entry no longer covers the loss since), a short's below it.
 */
function moveText(side: 'long' | 'short', movePct: string | null): string {
  if (movePct === null) return pct(movePct);
  const past = side === 'long' ? Number(movePct) > 0 : Number(movePct) < 0;
  return past ? `already past (${pct(movePct)})` : pct(movePct);
}

export function DominoChain(props: { domino: DominoAnswer }) {
  return (
    <section class="card" aria-labelledby="domino-title">
      <h2 id="domino-title">Domino chain</h2>
      <p class="note">Each position in cross: what closes with it when the cross account is liquidated, and its liquidation price in either mode.</p>
      <div class="table-scroll" tabIndex={0} aria-label="domino chain (scrolls sideways on a narrow screen)">
      <table class="domino">
        <caption class="visually-hidden">Domino chain per position</caption>
        <thead>
          <tr>
            <th scope="col">Position</th>
            <th scope="col" class="num">Isolated: move to liquidation</th>
            <th scope="col" class="num">Cross: move to liquidation</th>
            <th scope="col">Falls together in cross</th>
          </tr>
        </thead>
        <tbody>
          {props.domino.positions.map((p) => (
            <tr key={p.label}>
              <th scope="row">{p.label}</th>
              <td class="num">{moveText(p.side, p.isolated.movePct)}</td>
              <td class="num">{moveText(p.side, p.cross.movePct)}</td>
              <td>{p.domino.closedAtCrossLiquidation.length === 0 ? 'nothing else' : p.domino.closedAtCrossLiquidation.join(', ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      </div>
    </section>
  );
}
