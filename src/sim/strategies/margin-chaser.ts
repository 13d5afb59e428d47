// The margin chaser: hold, and after every mark of an exact bar top up each isolated position of the
// marked symbol whose margin ratio has reached the trigger, by a fraction of its initial margin, at most
// `maxTopUps` times per symbol. The path stops where a margin ratio crosses the trigger.
import { divideBy, lt, parseFixed, scale } from '../../domain/fixed.ts';
import { profileFor, snapshotOf, userOf } from '../../engine/state.ts';
import { legNotional } from '../../exchanges/rules.ts';
import type { StrategySpec } from '../spec.ts';
import type { Strategy, StrategyContext } from '../strategy.ts';
import { holdStrategy } from './hold.ts';

export function marginChaserStrategy(context: StrategyContext, strategy: Extract<StrategySpec, { kind: 'margin-chaser' }>): Strategy {
  const { run } = context;
  const trigger = parseFixed<'Rate'>(strategy.triggerRatio);
  const fraction = parseFixed<'Rate'>(strategy.topUpFraction);
  const topUps = new Map<string, number>();
  // the hold's methods by delegation (it is a class: a spread would copy none of them)
  const hold = holdStrategy(context);
  return {
    screenable: hold.screenable,
    settled: () => hold.settled(),
    atOpen: (bar) => hold.atOpen(bar),
    atClose: (bar) => hold.atClose(bar),
    ratioLevels: [trigger],
    screeningRatio: Number(strategy.triggerRatio),
    afterMark: (symbol, time) => {
      const state = run.state;
      const snap = snapshotOf(state, userOf(state, run.user), run.asset);
      const profile = profileFor(state);
      snap.legs.forEach((leg, n) => {
        if (leg.marginMode !== 'isolated' || leg.symbol !== symbol) return;
        const ratio = profile.marginRatio(snap, n);
        const done = topUps.get(leg.symbol) ?? 0;
        if (ratio === undefined || lt(ratio, trigger) || done >= strategy.maxTopUps) return;
        topUps.set(leg.symbol, done + 1);
        const amount = scale(divideBy(legNotional(leg, leg.entryPrice), leg.leverage, 'ceil'), fraction, 'ceil');
        run.exec({ op: 'addMargin', account: run.user, symbol: leg.symbol, amount, positionSide: undefined }, time);
      });
    },
  };
}
