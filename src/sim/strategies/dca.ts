// Dollar-cost averaging: open every leg at its symbol's first bar, then add one more entry-sized market
// order every `everyBars` bars of the symbol, `buys` times. It decides on bars the screening kernel would
// skip, so screening never skips runs of bars for it.
import { isPositive } from '../../domain/fixed.ts';
import { order, sizeOf } from '../sizing.ts';
import type { StrategySpec } from '../spec.ts';
import { EntryBook, NO_COMMANDS, type Strategy, type StrategyContext } from '../strategy.ts';
import { enterLeg } from './hold.ts';

export function dcaStrategy(context: StrategyContext, strategy: Extract<StrategySpec, { kind: 'dca' }>): Strategy {
  const book = new EntryBook(context.legs.length);
  const dcaCount = new Map<string, number>();
  return {
    ratioLevels: [],
    screeningRatio: Infinity,
    screenable: false,
    settled: () => book.settled(),
    atOpen: (bar) => {
      let commands = book.takeQueued(bar.symbol);
      for (const leg of bar.legs) {
        const key = leg.symbol;
        if (!book.entered.has(key)) commands = enterLeg(context, book, bar, leg, commands);
        const count = dcaCount.get(key) ?? 0;
        if (count < strategy.buys && bar.seen > 1 && (bar.seen - 1) % strategy.everyBars === 0) {
          dcaCount.set(key, count + 1);
          const quantity = sizeOf(context.run.state, leg, bar.series.open.at(bar.i)!, context.startWallet);
          if (isPositive(quantity)) {
            if (commands === NO_COMMANDS) commands = [];
            commands.push(order(leg.symbol, leg.side === 'long' ? 'buy' : 'sell', 'market', quantity));
          }
        }
      }
      return commands;
    },
    afterMark: undefined,
    atClose: () => {},
  };
}
