// What the kept history costs a market order as it fills up (issue 10, "finished orders and trades kept"):
// one account buying and selling 0.001 BTCUSDT at the mark, with a short history (reset every 200 orders)
// vs a full one (1,000 finished orders and 1,000 trades kept), timed interleaved (timing.ts). The kept
// lists are chunked (src/engine/kept.ts) so that the ratio stays near 1; copying them whole cost 1.32x.
//   npx tsx bench/history.ts        (not part of `npm run bench`: main.ts may wire it in)
import { parseFixed } from '../src/domain/fixed.ts';
import { apply } from '../src/engine/apply.ts';
import { parseCommand, type Command } from '../src/engine/commands.ts';
import { keptTrades, TRADES_KEPT } from '../src/engine/history.ts';
import { initialState, type EngineState } from '../src/engine/state.ts';
import { interleave, sink } from './timing.ts';

function command(json: Record<string, unknown>): Command {
  const parsed = parseCommand(json);
  if ('rejection' in parsed) throw new Error(parsed.rejection.message);
  return parsed.command;
}
const BUY = command({ op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.001' });
const SELL = command({ op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.001' });

/** An account that has already traded `orders` times; each call places the next order. */
function trader(orders: number): { next: () => number; state: () => EngineState } {
  let state = initialState({ exchange: 'binance-usdm', fees: { taker: parseFixed('0.0005'), maker: parseFixed('0.0002') } });
  let time = 0;
  const run = (c: Command): number => {
    const result = apply(state, c, time++);
    if (result.rejection) throw new Error(`bench order rejected: ${result.rejection.message}`);
    state = result.state;
    return result.transfers.length;
  };
  run(command({ op: 'deposit', asset: 'USDT', amount: '1000000' }));
  run(command({ op: 'mark', symbol: 'BTCUSDT', price: '50000' }));
  let k = 0;
  for (; k < orders; k++) run(k % 2 ? SELL : BUY);
  return { next: () => run(k++ % 2 ? SELL : BUY), state: () => state };
}

let short = trader(0);
let calls = 0;
const full = trader(TRADES_KEPT + 1);
if (keptTrades(full.state(), 'main').length !== TRADES_KEPT) throw new Error('the full history is not full');
const run = interleave(
  [
    {
      name: 'market order, short history (< 200 kept)',
      run: () => {
        if (++calls % 200 === 0) short = trader(0);
        return short.next();
      },
      opsPerCall: 1,
    },
    { name: `market order, full history (${TRADES_KEPT} orders + ${TRADES_KEPT} trades kept)`, run: full.next, opsPerCall: 1 },
  ],
  { warmupMs: 300, sliceMs: 30, rounds: 40 },
);
if (!Number.isFinite(sink)) throw new Error('sink');
for (const t of run.timings) {
  const us = (rate: number) => (1e6 / rate).toFixed(1);
  console.log(`${t.name}: ${us(t.opsPerCpuSecond.median)} us median (${us(t.opsPerCpuSecond.max)}-${us(t.opsPerCpuSecond.min)})`);
}
const ratio = run.timeRatio(1, 0);
console.log(`full / short: ${ratio.median.toFixed(2)}x median (${ratio.min.toFixed(2)}-${ratio.max.toFixed(2)})`);
