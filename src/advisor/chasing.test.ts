// Margin-chasing detection on a hand-written journal (every figure computed by hand below) and on the
// margin chaser of examples/margin-chaser.yaml replayed through Black Thursday 2020.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { formatFixed } from '../domain/fixed.ts';
import { parseJournal, runJournal } from '../engine/journal.ts';
import { CRASH_WINDOWS, bundled, loadCandles } from '../io/market-data.ts';
import { replay } from '../sim/replay.ts';
import { parseSpec } from '../sim/spec.ts';
import { bars, CHASER_JOURNAL } from './advisor-test-support.ts';
import { chasingWarning, detectChasing, historyOfJournal, historyOfReplay } from './chasing.ts';

const f = formatFixed;

describe('margin chasing in an operation journal', () => {
  const positions = detectChasing(historyOfJournal(runJournal(parseJournal(CHASER_JOURNAL))));
  it('finds the isolated positions only, in the order they opened', () => {
    assert.deepEqual(positions.map((p) => [p.symbol, p.side, p.leverage, p.outcome]), [
      ['BTCUSDT', 'long', 20, 'closed'],
      ['ETHUSDT', 'long', 10, 'open'],
    ]);
  });
  it('BTC: 3 top-ups, 600 added against 500, effective leverage 20x -> 13.33x -> 10x -> 9.09x: de facto cross', () => {
    const btc = positions[0]!;
    assert.equal(f(btc.initialMargin), '500');
    assert.deepEqual(btc.topUps.map((t) => [t.op, f(t.amount), f(t.marginAfter)]), [
      [6, '250', '750'],
      [8, '250', '1000'],
      [9, '100', '1100'],
    ]);
    // 250 + 250 + 100 = 600 added; 600 / 500 = 1.2; 20 taken back
    assert.equal(f(btc.marginAdded), '600');
    assert.equal(f(btc.addedToInitial!), '1.2');
    assert.equal(f(btc.marginRemoved), '20');
    // entry notional 0.2 x 50,000 = 10,000 over the margin: 10,000 / 500 = 20; / 750 = 13.333...; / 1,000 = 10; / 1,100 = 9.0909...; / 1,080 = 9.2592...
    assert.deepEqual(
      btc.timeline.map((p) => [p.kind, f(p.margin), p.effectiveLeverage ? f(p.effectiveLeverage).slice(0, 6) : null]),
      [
        ['open', '500', '20'],
        ['addMargin', '750', '13.333'],
        ['addMargin', '1000', '10'],
        ['addMargin', '1100', '9.0909'],
        ['reduceMargin', '1080', '9.2592'],
        ['close', '1080', null], // the margin before it is released
      ],
    );
    assert.equal(f(btc.lowestLeverageAfterTopUp!), '9.090909090909090909');
    assert.equal(btc.deFactoCross, true);
    // all three definitions hold: 600 >= 500; 9.09x < 20x / 2; 3 top-ups
    assert.deepEqual(btc.reasons, [
      'margin added 600.00 >= the initial margin 500.00',
      'effective leverage fell to 9.09x through top-ups, below half the chosen 20x',
      '3 top-ups (3 or more)',
    ]);
    assert.equal(chasingWarning(btc), 'BTCUSDT long isolated 20x is de facto cross: margin added 600.00 >= the initial margin 500.00; effective leverage fell to 9.09x through top-ups, below half the chosen 20x; 3 top-ups (3 or more). 3 top-up(s) moved 600.00 (120 % of its initial margin) from the wallet behind it.');
  });
  it('ETH: margin assigned right after the opening fill is initial margin; one top-up of 50 is not chasing', () => {
    const eth = positions[1]!;
    // 200 with the fill + 100 assigned at entry = 300 initial; one top-up of 50 (50 / 300 = 0.1666...)
    assert.equal(f(eth.initialMargin), '300');
    assert.equal(eth.topUps.length, 1);
    assert.equal(f(eth.marginAdded), '50');
    // 2,000 / 350 = 5.714x, above 10x / 2
    assert.equal(f(eth.lowestLeverageAfterTopUp!).slice(0, 5), '5.714');
    assert.deepEqual(eth.timeline.map((p) => p.kind), ['open', 'entryMargin', 'addMargin']);
    assert.equal(eth.deFactoCross, false);
    assert.equal(chasingWarning(eth), undefined);
  });
});

describe('margin chasing in a simulator run', () => {
  it('examples/margin-chaser.yaml through Black Thursday 2020: 14 top-ups, 7x the initial margin, 20x down to 2.5x', () => {
    const spec = parseSpec(parseYaml(readFileSync(fileURLToPath(new URL('../../examples/margin-chaser.yaml', import.meta.url)), 'utf8')));
    const series = loadCandles(bundled(CRASH_WINDOWS[0].file), 'BTCUSDT');
    // no funding series: the isolated wallet moves only by the top-ups (with funding it gains 1.31 on the way)
    const run = replay({ spec, mode: 'mixed', series: [series] });
    const [btc, ...others] = detectChasing(historyOfReplay(run));
    assert.equal(others.length, 0);
    assert.equal(btc!.symbol, 'BTCUSDT');
    assert.equal(btc!.leverage, 20);
    // entry: 500 x 20 / 5,807.97 = 1.7218...; floored to the 0.001 step: 1.721 BTC, notional 9,995.51637
    // initial margin 9,995.51637 / 20 = 499.7758185; each top-up half of it: 249.88790925
    assert.equal(f(btc!.initialMargin), '499.7758185');
    assert.ok(btc!.topUps.every((t) => f(t.amount) === '249.88790925'));
    // the chaser tops up every time the margin ratio reaches 80 %: 14 times between 23:11 and 02:16 UTC
    assert.equal(btc!.topUps.length, 14);
    assert.equal(new Date(btc!.topUps[0]!.time).toISOString(), '2020-03-12T23:11:00.000Z');
    assert.equal(new Date(btc!.topUps[13]!.time).toISOString(), '2020-03-13T02:16:00.000Z');
    // 14 x 249.88790925 = 3,498.4307295 = 7 x the initial margin
    assert.equal(f(btc!.marginAdded), '3498.4307295');
    assert.equal(f(btc!.addedToInitial!), '7');
    // the margin is 8 x the initial margin (1 + 14 / 2), so the effective leverage is 20 / 8 = 2.5x
    assert.equal(f(btc!.lowestLeverageAfterTopUp!), '2.5');
    assert.equal(btc!.outcome, 'open');
    assert.equal(btc!.deFactoCross, true);
    assert.equal(btc!.reasons.length, 3);
    assert.match(chasingWarning(btc!)!, /^BTCUSDT long isolated 20x is de facto cross: margin added 3498\.43 >= the initial margin 499\.78; effective leverage fell to 2\.50x through top-ups, below half the chosen 20x; 14 top-ups/);
  });
  it("a spec's isolatedMargin, assigned at entry by the replay, is initial margin, not a top-up", () => {
    const spec = parseSpec({
      wallet: '10000',
      legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: '10000' }, leverage: 20, marginMode: 'isolated', isolatedMargin: '1500' }],
    });
    const series = bars('BTCUSDT', [[50000, 50100, 49900, 50000], [50000, 50100, 49900, 50050]], undefined, undefined, Date.UTC(2024, 0, 1));
    const [btc] = detectChasing(historyOfReplay(replay({ spec, mode: 'mixed', series: [series] })));
    // 0.2 BTC, IM 10,000 / 20 = 500 with the fill, 1,000 more assigned right after: 1,500 initial, no top-up
    assert.equal(f(btc!.initialMargin), '1500');
    assert.equal(btc!.topUps.length, 0);
    assert.equal(btc!.deFactoCross, false);
    // effective leverage 10,000 / 1,500 = 6.67x from the start: a choice at entry, not chasing
    assert.equal(f(btc!.timeline[1]!.effectiveLeverage!).slice(0, 4), '6.66');
  });
});
