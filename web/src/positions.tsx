// Every position of the account with its margin mode, leverage, entry, mark, PnL, isolated bucket, margin
// ratio gauge (an isolated position's own, a cross position's the cross account's) and liquidation price
// with the distance to it.
import { amount, pct, price, sign } from './format.ts';
import { MarginGauge } from './gauge.tsx';
import type { CalcAccount, CalcPosition } from './types.ts';

/** `charts`: each symbol links to its chart page (the venue's dashboard; a watched account has none). */
export function PositionsTable(props: { positions: readonly CalcPosition[]; account: CalcAccount; marginCall: string; charts: boolean }) {
  const asset = props.account.settleAsset;
  if (props.positions.length === 0) return <p class="empty">{props.charts ? 'No open positions. Place an order with any Binance client (ccxt, the binance package) on this venue and it shows here.' : 'No open positions on the watched account.'}</p>;
  return (
    <div class="table-scroll" tabIndex={0} aria-label="positions (scrolls sideways on a narrow screen)">
      <table class="positions">
        <caption>Positions</caption>
        <thead>
          <tr>
            <th scope="col">Symbol</th>
            <th scope="col">Mode</th>
            <th scope="col" class="num">Size</th>
            <th scope="col" class="num">Entry</th>
            <th scope="col" class="num">Mark</th>
            <th scope="col" class="num">PnL ({asset})</th>
            <th scope="col" class="num">Isolated margin ({asset})</th>
            <th scope="col">Margin ratio</th>
            <th scope="col" class="num">Liquidation price</th>
            <th scope="col" class="num">Distance</th>
          </tr>
        </thead>
        <tbody>
          {props.positions.map((p) => {
            const pnlSign = sign(p.unrealizedPnl);
            return (
              <tr key={`${p.symbol} ${p.positionSide}`} data-symbol={p.symbol}>
                <th scope="row">
                  {props.charts ? (
                    <a href={`#/chart/${p.symbol}`} title={`${p.symbol}: chart with the entry and liquidation lines`}>
                      {p.symbol}
                    </a>
                  ) : (
                    p.symbol
                  )}{' '}
                  <span class={`side side-${p.side}`}>{p.side}</span>
                </th>
                <td>
                  <span class={`badge badge-${p.marginMode}`}>{p.marginMode}</span> {p.leverage}×
                </td>
                <td class="num">{p.size}</td>
                <td class="num">{price(p.entryPrice)}</td>
                <td class="num">{price(p.markPrice)}</td>
                <td class={`num pnl pnl-${pnlSign > 0 ? 'up' : pnlSign < 0 ? 'down' : 'flat'}`}>{amount(p.unrealizedPnl)}</td>
                <td class="num">{p.marginMode === 'isolated' ? amount(p.isolatedMargin) : 'cross pool'}</td>
                <td>
                  <MarginGauge ratio={p.marginMode === 'isolated' ? p.marginRatio : props.account.marginRatio} marginCall={props.marginCall} label={`${p.symbol} ${p.marginMode}`} />
                </td>
                <td class="num liquidation-price">{price(p.liquidationPrice)}</td>
                <td class="num">{pct(p.liquidationDistancePct)}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
