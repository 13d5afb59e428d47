// Breakout: enter a leg when a close breaks the range of the previous `lookbackBars` bars (above the highs
// for a long, below the lows for a short), at the next open. Trades open isolated (./setup.ts); in mixed
// mode a cross leg whose trade has gained `confirmPercent` moves to cross. It decides at closes the
// screening kernel would skip, so screening never skips runs of bars for it.
import { toApproxNumber } from '../../domain/fixed.ts';
import type { Command } from '../../engine/commands.ts';
import { userOf } from '../../engine/state.ts';
import { entryCommands, order } from '../sizing.ts';
import type { StrategySpec } from '../spec.ts';
import { EntryBook, type Strategy, type StrategyContext } from '../strategy.ts';

export function breakoutStrategy(context: StrategyContext, strategy: Extract<StrategySpec, { kind: 'breakout' }>): Strategy {
  const { run, mode } = context;
  const book = new EntryBook(context.legs.length);
  const history = new Map<string, { highs: number[]; lows: number[] }>();
  const movedToCross = new Set<string>();
  return {
    ratioLevels: [],
    screeningRatio: Infinity,
    screenable: false,
    settled: () => book.settled(),
    atOpen: (bar) => book.takeQueued(bar.symbol),
    afterMark: undefined,
    atClose: ({ series, i, symbol, legs }) => {
      const user = run.user;
      const h = history.get(symbol) ?? { highs: [], lows: [] };
      for (const leg of legs) {
        const held = Object.values(userOf(run.state, user).positions).some((p) => p.symbol === leg.symbol);
        if (!book.entered.has(leg.symbol) && h.highs.length >= strategy.lookbackBars) {
          const broke = leg.side === 'long' ? series.closeF[i]! > Math.max(...h.highs) : series.closeF[i]! < Math.min(...h.lows);
          if (broke) {
            book.enter(leg.symbol);
            book.queue(symbol, entryCommands(run.state, leg, series.close.at(i)!, context.startWallet));
          }
        } else if (held && mode === 'mixed' && leg.marginMode === 'cross' && !movedToCross.has(leg.symbol)) {
          // confirmed: move the isolated trade to cross within the exchange's rules (the margin type cannot
          // change with a position open, -4048): close it, switch, reopen the same size
          const position = Object.values(userOf(run.state, user).positions).find((p) => p.symbol === leg.symbol)!;
          const gain = (position.side * (series.closeF[i]! - toApproxNumber(position.entryPrice))) / toApproxNumber(position.entryPrice);
          if (gain * 100 >= Number(strategy.confirmPercent)) {
            movedToCross.add(leg.symbol);
            const side = position.side === 1 ? 'sell' : 'buy';
            const cancels: Command[] = userOf(run.state, user)
              .orders.filter((o) => o.symbol === leg.symbol)
              .map((o) => ({ op: 'cancel', account: user, symbol: leg.symbol, clientOrderId: o.clientOrderId, orderId: undefined }));
            book.queue(symbol, [
              ...cancels,
              { ...order(leg.symbol, side, 'market', position.size), reduceOnly: true },
              { op: 'setMarginMode', account: user, symbol: leg.symbol, mode: 'cross' },
              order(leg.symbol, side === 'sell' ? 'buy' : 'sell', 'market', position.size),
            ]);
          }
        }
      }
      h.highs.push(series.highF[i]!);
      h.lows.push(series.lowF[i]!);
      if (h.highs.length > strategy.lookbackBars) {
        h.highs.shift();
        h.lows.shift();
      }
      history.set(symbol, h);
    },
  };
}
