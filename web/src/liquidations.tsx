// The account's liquidations of the last 7 days (GET /fapi/v1/forceOrders: the venue's `autoclose-` orders),
// newest first: which position the venue closed, when (the feed's time), how much at what price.
import { amount, price } from './format.ts';

export interface ForceOrder {
  readonly orderId: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly positionSide: string;
  readonly avgPrice: string;
  readonly executedQty: string;
  readonly cumQuote: string;
  readonly updateTime: number;
}

export function Liquidations(props: { orders: readonly ForceOrder[]; asset: string }) {
  return (
    <section class="card liquidations" aria-labelledby="liquidations-title" aria-live="polite">
      <h2 id="liquidations-title">Liquidations (7 days)</h2>
      {props.orders.length === 0 ? (
        <p class="note">None: the venue closed no position of this account.</p>
      ) : (
        <ul>
          {[...props.orders].reverse().map((o) => (
            <li key={o.orderId} data-liquidated={o.symbol}>
              <strong>{o.symbol}</strong> {o.side === 'SELL' ? 'long' : 'short'} liquidated at <span class="num">{price(o.avgPrice)}</span> ({o.executedQty} closed,{' '}
              <span class="num">{amount(o.cumQuote)}</span> {props.asset}) · <time dateTime={new Date(o.updateTime).toISOString()}>{new Date(o.updateTime).toISOString().slice(0, 16).replace('T', ' ')} UTC</time>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
