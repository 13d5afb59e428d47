// The operations the workload draws without aiming at an account: mark moves (a trending walk, jumps,
// crashes, the deep tier's x0.01/x100, off-tick prices) and malformed journal lines. Split from
// workload.ts, whose generator calls them with its own PRNG at the same points as before.
import type { EngineState } from '../engine/state.ts';
import type { Rng } from './prng.ts';
import { priceText, unitsOfPrice, USERS, type SymbolSpec } from './workload-setup.ts';

export interface WorkloadOp {
  /** A journal operation (parseCommand's input), possibly malformed on purpose. */
  readonly raw: Record<string, unknown>;
  /** Send it with a time before the state's time (the engine must reject it). */
  readonly backInTime?: boolean;
  /** What the generator meant, for the statistics (e.g. "order/stop_market", "malformed"). */
  readonly kind: string;
}

/** A mark step of `how` for `spec`; `trendBySymbol` is the generator's per-symbol trend, kept across steps. */
export function markOp(
  r: Rng,
  trendBySymbol: Map<string, number>,
  state: EngineState,
  spec: SymbolSpec,
  how: 'walk' | 'jump' | 'crash' | 'extreme' | 'offTick',
): WorkloadOp {
  const current = state.marks[spec.symbol];
  const now = current ? unitsOfPrice(current) : spec.baseUnits;
  const stretch = now / spec.baseUnits;
  let factor: number;
  switch (how) {
    case 'walk': {
      // A trend per symbol (redrawn now and then) plus mostly small noise: prices travel, and positions
      // creep through the margin-call zone (margin ratio 80-100 %, about 0.1 % of price wide at any
      // leverage) before they are liquidated. Far from the reference price the trend turns back.
      if (r.chance(0.04)) trendBySymbol.set(spec.symbol, r.real(-0.0008, 0.0008));
      let trend = trendBySymbol.get(spec.symbol) ?? 0;
      if ((stretch > 2 && trend > 0) || (stretch < 0.5 && trend < 0)) trendBySymbol.set(spec.symbol, (trend = -trend));
      factor = 1 + trend + r.weighted([[50, 0.0005], [35, 0.0025], [15, 0.01]]) * r.real(-1, 1);
      break;
    }
    case 'jump': {
      const size = r.real(0.1, 0.3);
      const up = stretch > 2.5 ? false : stretch < 0.4 ? true : r.chance(0.5);
      factor = up ? 1 + size : 1 - size;
      break;
    }
    case 'crash':
      // a crash, or (when the price is already low) the squeeze back up
      factor = stretch < 0.5 ? r.real(1.4, 2.0) : r.real(0.45, 0.7);
      break;
    case 'extreme':
      // the deep tier's crashes: the mark x0.01 or x100 in one step (and back from such a price)
      factor = stretch < 0.1 ? 100 : stretch > 10 ? 0.01 : r.chance(0.5) ? 0.01 : 100;
      break;
    case 'offTick':
      factor = 1 + r.real(-0.003, 0.003);
      break;
  }
  let units = now * factor;
  units = how === 'offTick' ? Math.round(units / 1000) * 1000 + r.int(1, 999) : Math.max(1, Math.round(units / spec.tickUnits)) * spec.tickUnits;
  return { kind: `mark/${how}`, raw: { op: 'mark', symbol: spec.symbol, price: priceText(units) } };
}

/** A journal line the parser or the engine must refuse. */
export function malformedOp(r: Rng): WorkloadOp {
  const account = r.pick(USERS);
  const raw = r.pick<Record<string, unknown>>([
    { op: 'deposit', account, asset: 'USDT', amount: 100 },
    { op: 'teleport', account },
    { op: 'order', account, symbol: 'BTCUSDT', side: 'long', type: 'market', quantity: '0.01' },
    { op: 'order', account, symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '1e400x' },
    { op: 'order', account, symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01' },
    { op: 'order', account, symbol: 'BTCUSDT', side: 'buy', type: 'market' },
    { op: 'order', account, symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01', closePosition: true },
    { op: 'order', account, symbol: 'ETHUSDT', side: 'sell', type: 'stop_market', quantity: '0.01' },
    { op: 'order', account, symbol: 'ETHUSDT', side: 'sell', type: 'market', quantity: '0.01', clientOrderId: 'x'.repeat(40) },
    { op: 'order', account, symbol: 'DOGEUSDT', side: 'buy', type: 'market', quantity: '1' },
    { op: 'setLeverage', account, symbol: 'BTCUSDT', leverage: '10' },
    { op: 'setMarginMode', account, symbol: 'BTCUSDT', mode: 'ISOLATED' },
    { op: 'mark', symbol: 'BTCUSDT', price: 'abc' },
    { op: 'mark', symbol: 'BTCUSDT', price: '-100' },
    { op: 'mark', symbol: 'XRPUSDT', price: '1' },
    { op: 'addMargin', account, symbol: 'BTCUSDT', amount: '1', positionSide: 'UP' },
    { op: 'funding', symbol: '', rate: '0.001' },
    { op: 'funding', symbol: 'SOLUSDT', rate: null },
    { op: 'cancel', account, symbol: 'BTCUSDT', orderId: 1.5 },
    { op: 'withdraw', account, asset: 'USDT', amount: '' },
  ]);
  return { kind: 'malformed', raw };
}
