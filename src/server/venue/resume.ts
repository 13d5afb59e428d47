// A feed resumed after a restart starts just after the log's newest time, in the middle of a bar; the
// replay feed then hands out, at that start, every path point of the bar so far (open, then the extremes
// reached before the start), so that a fresh venue has marks at once. A resumed venue already applied
// those points before it stopped: replaying them would move the mark back through the bar's wicks and
// could trigger stops and liquidations a second time. Kept at the start: per symbol, only the newest
// point, and only if it differs from the mark the log ends with.
import { eq } from '../../domain/fixed.ts';
import type { EngineState } from '../../engine/state.ts';
import type { FeedEvent } from '../feed/replay-feed.ts';

export function resumedEvents(events: readonly FeedEvent[], startMs: number, market: EngineState): FeedEvent[] {
  const newestAtStart = new Map<string, number>();
  events.forEach((e, i) => {
    if (e.time === startMs && e.command.op === 'mark') newestAtStart.set(e.command.symbol, i);
  });
  return events.filter((e, i) => {
    if (e.time !== startMs || e.command.op !== 'mark') return true;
    if (newestAtStart.get(e.command.symbol) !== i) return false;
    const mark = market.marks[e.command.symbol];
    return mark === undefined || !eq(mark, e.command.price);
  });
}
