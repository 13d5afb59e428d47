// A resumed feed's first batch: the bar's path so far, repeated at the start, is cut to what is new.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatFixed, parseFixed, type Price } from '../../domain/fixed.ts';
import { initialState } from '../../engine/state.ts';
import type { FeedEvent } from '../feed/replay-feed.ts';
import { resumedEvents } from './resume.ts';

const START = 1_768_000_000_001;
const mark = (symbol: string, price: string, time = START): FeedEvent => ({ time, command: { op: 'mark', symbol, price: parseFixed<'Price'>(price) } });
const funding = (time: number): FeedEvent => ({ time, command: { op: 'funding', symbol: 'BTCUSDT', rate: parseFixed<'Rate'>('0.0001') } });
const shown = (events: FeedEvent[]) => events.map((e) => (e.command.op === 'mark' ? `${e.time - START} ${e.command.symbol} ${formatFixed(e.command.price)}` : `${e.time - START} funding`));

function market(marks: Record<string, string>) {
  const state = initialState({ exchange: 'binance-usdm' });
  for (const [s, p] of Object.entries(marks)) state.marks[s] = parseFixed<'Price'>(p) as Price;
  return state;
}

describe('resumedEvents', () => {
  it('BTC open 100, low 95 replayed at the start and the log ends at 95: nothing at the start; the later tick and funding kept', () => {
    const events = [mark('BTCUSDT', '100'), mark('BTCUSDT', '95'), funding(START + 500), mark('BTCUSDT', '104', START + 900)];
    assert.deepEqual(shown(resumedEvents(events, START, market({ BTCUSDT: '95' }))), ['500 funding', '900 BTCUSDT 104']);
  });
  it('a genuine new point at the start (the log ends at 95, the newest point 97): only 97 is kept, per symbol', () => {
    const events = [mark('BTCUSDT', '100'), mark('ETHUSDT', '3000'), mark('BTCUSDT', '97'), mark('ETHUSDT', '2990')];
    assert.deepEqual(shown(resumedEvents(events, START, market({ BTCUSDT: '95', ETHUSDT: '2990' }))), ['0 BTCUSDT 97']);
  });
});
