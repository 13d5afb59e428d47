// protect's plan on examples/account-cross-three.json: which positions get a stop, where it triggers (the
// buffer in front of the liquidation price, on the tick, away from it), and when the buffer is too wide.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { add, formatFixed, parseFixed, roundToStep, scale, sub, type Price, type Quantity, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import { protectPlans } from './protect.ts';
import { positionChecks, stopCheck, type StopOrder } from './watch.ts';

const snapshot = parseSnapshotText(readFileSync(new URL('../../examples/account-cross-three.json', import.meta.url), 'utf8'));
const report = profileOf(snapshot.exchange).evaluate(snapshot);
const rate = (t: string) => parseFixed<'Rate'>(t) as Rate;
const sol = report.legs[2]!; // SOL short 100 isolated, mark 170.4

describe('protectPlans', () => {
  const plansAt = (buffer: Rate, stops: StopOrder[] = []) => protectPlans(report, positionChecks(report, [], stops, [], buffer), buffer);
  it('the isolated SOL short: a reduce-only buy for 100, 1 % of the mark below its liquidation price, down to the tick', () => {
    const plan = plansAt(rate('0.01'))[2]!;
    assert.equal(plan.kind, 'place');
    if (plan.kind !== 'place') return;
    const expected = roundToStep(sub(sol.liquidationPrice!, scale(sol.leg.markPrice, rate('0.01'), 'ceil')), sol.leg.market.tickSize, 'floor');
    assert.deepEqual([plan.side, plan.size, formatFixed(plan.triggerPrice)], ['buy', '100', formatFixed(expected)]);
    assert.equal(formatFixed(sol.leg.markPrice), '170.4');
    // the stop it would place passes watch's check with the same buffer
    const placed: StopOrder = { symbol: 'SOLUSDT', side: 'buy', triggerPrice: plan.triggerPrice, reduceOnly: true, size: sol.leg.size };
    assert.equal(stopCheck(sol, [placed], rate('0.01')).inFront, true);
    assert.equal(stopCheck(sol, [{ ...placed, triggerPrice: add(plan.triggerPrice, sol.leg.market.tickSize) }], rate('0.01')).inFront, false);
  });
  it('a stop already in front: skipped; one within the buffer: a new one in front of it', () => {
    const far: StopOrder = { symbol: 'SOLUSDT', side: 'buy', triggerPrice: parseFixed<'Price'>('175') as Price, reduceOnly: true, size: 'whole' };
    const kept = plansAt(rate('0.01'), [far])[2]!;
    assert.deepEqual([kept.kind, kept.reason], ['skip', 'its stop at 175 is already in front of the liquidation price by the buffer']);
    const near: StopOrder = { ...far, triggerPrice: sub(sol.liquidationPrice!, sol.leg.market.tickSize) };
    const again = plansAt(rate('0.01'), [near])[2]!;
    assert.equal(again.kind, 'place');
    assert.match(again.kind === 'place' ? again.reason : '', /^its stop at [\d.]+ is within the buffer of the liquidation price$/);
  });
  it('a stop in front for part of the position only: a stop for the whole, saying what the first one closes', () => {
    const part: StopOrder = { symbol: 'SOLUSDT', side: 'buy', triggerPrice: parseFixed<'Price'>('175') as Price, reduceOnly: true, size: parseFixed<'Quantity'>('25') as Quantity };
    const plan = plansAt(rate('0.01'), [part])[2]!;
    assert.equal(plan.kind, 'place');
    assert.deepEqual(plan.kind === 'place' ? [plan.size, plan.reason] : [], ['100', 'its stops in front of the liquidation price close 25.00 % of it']);
  });
  it('a buffer that puts the stop past the mark: skipped, saying why', () => {
    const plan = plansAt(rate('0.5'))[2]!;
    assert.equal(plan.kind, 'skip');
    assert.match(plan.reason, /at or past the mark 170\.4: it would close the position at once/);
  });
});
