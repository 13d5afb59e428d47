// Engine throughput for `npm run bench`: apply() on one account holding the benchmark's 20 cross positions
// under a stream of mark-price ticks, against the margin-core-only cost of the same ticks (the exact
// margin balance and maintenance margin of the account after each tick, computed straight from the
// exchange profile, without the engine's bookkeeping: symbol index, kept cross sums, orders, ledger, events).
import { add, formatFixed, lte, parseFixed, roundToStep, scale, zero, type Money, type Price } from '../src/domain/fixed.ts';
import { apply } from '../src/engine/apply.ts';
import { parseCommand, type Command } from '../src/engine/commands.ts';
import { initialState, type EngineState } from '../src/engine/state.ts';
import { profileOf } from '../src/exchanges/profiles.ts';
import { unrealizedPnl, type AccountSnapshot, type Leg } from '../src/exchanges/rules.ts';
import { crossAccount } from './cross-account.ts';

function command(json: Record<string, unknown>): Command {
  const parsed = parseCommand(json);
  if ('rejection' in parsed) throw new Error(parsed.rejection.message);
  return parsed.command;
}

/** Ticks that move each symbol's mark by up to +/-0.2 % around its level, rounded to the tick (deterministic). */
function ticks(account: AccountSnapshot, count: number): { symbol: string; price: Price }[] {
  const out: { symbol: string; price: Price }[] = [];
  let seed = 12345;
  for (let i = 0; i < count; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    const leg = account.legs[i % account.legs.length]!;
    const wiggle = parseFixed<'Rate'>(((seed / 2147483648 - 0.5) * 0.004).toFixed(6));
    const moved = add(leg.markPrice, scale(leg.markPrice, wiggle, 'halfEven'));
    out.push({ symbol: leg.symbol, price: roundToStep(moved, leg.market.tickSize, 'halfEven') });
  }
  return out;
}

export interface EngineBench {
  readonly positions: number;
  /** Applies the next tick through apply(); returns 1 (one operation). */
  engineTick(): number;
  /** The margin-core work of the same tick; returns 1. */
  coreTick(): number;
}

export function engineBench(): EngineBench {
  const account = crossAccount();
  // the synthetic symbols' tick sizes are 1e-8 (no bundled market): ticks and entries round to them
  const markets = account.legs.map((l) => l.market);
  let state: EngineState = initialState({ exchange: 'binance-usdm', markets, brackets: { day: '2024-11-01' } });
  let time = 0;
  const run = (json: Record<string, unknown>) => {
    const result = apply(state, command(json), time);
    if (result.rejection) throw new Error(`bench setup rejected: ${result.rejection.message}`);
    state = result.state;
    time += 1;
  };
  run({ op: 'deposit', asset: 'USDT', amount: '3000000' });
  for (const leg of account.legs) {
    run({ op: 'mark', symbol: leg.symbol, price: formatFixed(leg.markPrice) });
    run({ op: 'setLeverage', symbol: leg.symbol, leverage: leg.leverage });
    run({ op: 'order', symbol: leg.symbol, side: leg.side === 1 ? 'buy' : 'sell', type: 'market', quantity: formatFixed(leg.size) });
  }
  const stream = ticks(account, 4096);
  const commands = stream.map((t) => command({ op: 'mark', symbol: t.symbol, price: formatFixed(t.price) }));
  let i = 0;
  const profile = profileOf('binance-usdm');
  let legs: Leg[] = account.legs.map((l) => ({ ...l }));
  let j = 0;
  return {
    positions: account.legs.length,
    engineTick() {
      const result = apply(state, commands[i % commands.length]!, time, i);
      if (result.events.some((e) => e.type === 'liquidation' || e.type === 'rejected')) throw new Error('the bench stream liquidated or was rejected');
      state = result.state;
      i += 1;
      return 1;
    },
    coreTick() {
      const tick = stream[j % stream.length]!;
      j += 1;
      legs = legs.map((l) => (l.symbol === tick.symbol ? { ...l, markPrice: tick.price } : l));
      let balance: Money = parseFixed('3000000');
      let mm: Money = zero();
      for (const leg of legs) {
        balance = add(balance, unrealizedPnl(leg, leg.markPrice));
        mm = add(mm, profile.maintenanceMargin(leg, account.fees).amount);
      }
      return lte(balance, mm) ? 0 : 1;
    },
  };
}

