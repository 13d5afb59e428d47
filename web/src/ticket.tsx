// The trading ticket: orders (market, limit, stop-market, take-profit-market; reduce-only; a position side in
// hedge mode) placed through the venue's own API as any Binance client places them, the open orders with a
// cancel button each, and the symbol's margin mode and leverage and the account's position mode. Every
// refusal is said in plain words (./errors.ts).
import { useEffect, useState } from 'preact/hooks';
import { signed } from './api.ts';
import type { Credentials } from './credentials.ts';
import { plainError } from './errors.ts';
import { price } from './format.ts';

interface OpenOrder {
  readonly orderId?: number;
  readonly algoId?: number;
  readonly symbol: string;
  readonly side: string;
  readonly type?: string;
  readonly orderType?: string;
  readonly origQty?: string;
  readonly quantity?: string;
  readonly price: string;
  readonly triggerPrice?: string;
  readonly reduceOnly: boolean;
}

const SYMBOLS = ['BTCUSDT', 'ETHUSDT', 'SOLUSDT'];
type OrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'TAKE_PROFIT_MARKET';

export function TicketPage(props: { credentials: Credentials }) {
  const [symbol, setSymbol] = useState('BTCUSDT');
  const [side, setSide] = useState<'BUY' | 'SELL'>('BUY');
  const [type, setType] = useState<OrderType>('MARKET');
  const [quantity, setQuantity] = useState('');
  const [limit, setLimit] = useState('');
  const [trigger, setTrigger] = useState('');
  const [reduceOnly, setReduceOnly] = useState(false);
  const [positionSide, setPositionSide] = useState<'BOTH' | 'LONG' | 'SHORT'>('BOTH');
  const [orders, setOrders] = useState<OpenOrder[]>([]);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | undefined>();

  const refresh = async () => {
    const [plain, algo] = await Promise.all([
      signed<OpenOrder[]>(props.credentials, 'GET', '/fapi/v1/openOrders').catch(() => []),
      signed<OpenOrder[]>(props.credentials, 'GET', '/fapi/v1/openAlgoOrders').catch(() => []),
    ]);
    setOrders([...plain, ...algo]);
  };
  useEffect(() => void refresh(), [props.credentials]);

  const act = async (what: string, run: () => Promise<unknown>) => {
    try {
      await run();
      setOutcome({ ok: true, text: `${what}: done.` });
    } catch (error) {
      setOutcome({ ok: false, text: `${what}: refused. ${plainError(error)}` });
    }
    await refresh();
  };

  const place = () => {
    const common = { symbol, side, quantity, reduceOnly: reduceOnly && positionSide === 'BOTH' ? 'true' : undefined, positionSide: positionSide === 'BOTH' ? undefined : positionSide };
    const label = `${side.toLowerCase()} ${quantity} ${symbol} ${type.toLowerCase().replace(/_/g, ' ')}`;
    if (type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET') return act(label, () => signed(props.credentials, 'POST', '/fapi/v1/algoOrder', { ...common, algoType: 'CONDITIONAL', type, triggerPrice: trigger }));
    return act(label, () => signed(props.credentials, 'POST', '/fapi/v1/order', { ...common, type, ...(type === 'LIMIT' ? { price: limit, timeInForce: 'GTC' } : {}) }));
  };
  const cancel = (o: OpenOrder) =>
    o.algoId !== undefined
      ? act(`cancel ${o.symbol} ${o.orderType}`, () => signed(props.credentials, 'DELETE', '/fapi/v1/algoOrder', { algoId: String(o.algoId) }))
      : act(`cancel ${o.symbol} ${o.type} ${o.orderId}`, () => signed(props.credentials, 'DELETE', '/fapi/v1/order', { symbol: o.symbol, orderId: String(o.orderId) }));

  return (
    <main class="ticket" aria-labelledby="ticket-title">
      <h1 id="ticket-title">Trade</h1>
      <div class="risk">
        <form class="card ticket-form" aria-label="new order" onSubmit={(e) => (e.preventDefault(), void place())}>
          <h2>New order</h2>
          <label>
            Symbol
            <select name="symbol" value={symbol} onChange={(e) => setSymbol(e.currentTarget.value)}>
              {SYMBOLS.map((s) => (
                <option key={s}>{s}</option>
              ))}
            </select>
          </label>
          <fieldset>
            <legend>Side</legend>
            {(['BUY', 'SELL'] as const).map((s) => (
              <label class="inline" key={s}>
                <input type="radio" name="side" value={s} checked={side === s} onChange={() => setSide(s)} /> {s === 'BUY' ? 'buy / long' : 'sell / short'}
              </label>
            ))}
          </fieldset>
          <label>
            Type
            <select name="type" value={type} onChange={(e) => setType(e.currentTarget.value as OrderType)}>
              <option value="MARKET">market</option>
              <option value="LIMIT">limit</option>
              <option value="STOP_MARKET">stop-market</option>
              <option value="TAKE_PROFIT_MARKET">take-profit-market</option>
            </select>
          </label>
          <label>
            Quantity ({symbol.replace(/USDT$/, '')})
            <input name="quantity" inputMode="decimal" required value={quantity} onInput={(e) => setQuantity(e.currentTarget.value)} />
          </label>
          {type === 'LIMIT' && (
            <label>
              Limit price (USDT)
              <input name="price" inputMode="decimal" required value={limit} onInput={(e) => setLimit(e.currentTarget.value)} />
            </label>
          )}
          {(type === 'STOP_MARKET' || type === 'TAKE_PROFIT_MARKET') && (
            <label>
              Trigger price, at the mark (USDT)
              <input name="triggerPrice" inputMode="decimal" required value={trigger} onInput={(e) => setTrigger(e.currentTarget.value)} />
            </label>
          )}
          <label>
            Position side (hedge mode)
            <select name="positionSide" value={positionSide} onChange={(e) => setPositionSide(e.currentTarget.value as 'BOTH' | 'LONG' | 'SHORT')}>
              <option value="BOTH">one-way (BOTH)</option>
              <option value="LONG">long leg</option>
              <option value="SHORT">short leg</option>
            </select>
          </label>
          <label class="inline">
            <input type="checkbox" name="reduceOnly" checked={reduceOnly} onChange={(e) => setReduceOnly(e.currentTarget.checked)} /> reduce-only
          </label>
          <button type="submit">Place order</button>
        </form>
        <Settings credentials={props.credentials} symbol={symbol} act={act} />
      </div>
      {outcome && (
        <p class={outcome.ok ? 'done' : 'problem'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <section class="card" aria-labelledby="orders-title">
        <h2 id="orders-title">Open orders</h2>
        {orders.length === 0 ? (
          <p class="empty">No open orders.</p>
        ) : (
          <table class="orders">
            <thead>
              <tr>
                <th scope="col">Symbol</th>
                <th scope="col">Order</th>
                <th scope="col" class="num">Quantity</th>
                <th scope="col" class="num">Price / trigger</th>
                <th scope="col">
                  <span class="visually-hidden">Cancel</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {orders.map((o) => (
                <tr key={`${o.orderId ?? ''}-${o.algoId ?? ''}`} data-order={o.algoId ?? o.orderId}>
                  <th scope="row">{o.symbol}</th>
                  <td>
                    {o.side.toLowerCase()} {(o.type ?? o.orderType ?? '').toLowerCase().replace(/_/g, ' ')}
                    {o.reduceOnly ? ' reduce-only' : ''}
                  </td>
                  <td class="num">{o.origQty ?? o.quantity}</td>
                  <td class="num">{price(o.triggerPrice && Number(o.triggerPrice) > 0 ? o.triggerPrice : o.price)}</td>
                  <td>
                    <button class="link" onClick={() => void cancel(o)}>
                      Cancel
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </main>
  );
}

function Settings(props: { credentials: Credentials; symbol: string; act: (what: string, run: () => Promise<unknown>) => Promise<void> }) {
  const [leverage, setLeverage] = useState('');
  const { credentials, symbol, act } = props;
  return (
    <section class="card" aria-labelledby="settings-title">
      <h2 id="settings-title">{symbol} settings</h2>
      <div class="buttons">
        <button onClick={() => void act(`${symbol} to isolated`, () => signed(credentials, 'POST', '/fapi/v1/marginType', { symbol, marginType: 'ISOLATED' }))}>Isolated</button>
        <button onClick={() => void act(`${symbol} to cross`, () => signed(credentials, 'POST', '/fapi/v1/marginType', { symbol, marginType: 'CROSSED' }))}>Cross</button>
      </div>
      <form onSubmit={(e) => (e.preventDefault(), void act(`${symbol} leverage ${leverage}x`, () => signed(credentials, 'POST', '/fapi/v1/leverage', { symbol, leverage })))}>
        <label>
          Leverage
          <input name="leverage" inputMode="numeric" required value={leverage} onInput={(e) => setLeverage(e.currentTarget.value)} />
        </label>
        <button type="submit">Set leverage</button>
      </form>
      <h2>Position mode (every symbol)</h2>
      <div class="buttons">
        <button onClick={() => void act('one-way mode', () => signed(credentials, 'POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'false' }))}>One-way</button>
        <button onClick={() => void act('hedge mode', () => signed(credentials, 'POST', '/fapi/v1/positionSide/dual', { dualSidePosition: 'true' }))}>Hedge</button>
      </div>
    </section>
  );
}
