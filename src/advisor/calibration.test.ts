// Leverage calibration, the exact part: the moved price, one leverage against the move, and properties of
// the calibrated leverage. Every number below is computed by hand in the comments.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { formatFixed, gt, gte, lt, lte, money, price, rate, type Price, type Rate } from '../domain/fixed.ts';
import { InputError } from '../schema/input-error.ts';
import { parseSpec } from '../sim/spec.ts';
import { type Side } from './move.ts';
import { calibrateLeverage, checkLeverage, movedPrice, type CalibrationInput } from './calibration.ts';
import { loneAccount, marketFor, snapshotOfSpec } from './accounts.ts';

describe('the moved price', () => {
  it('long P x (1 - m), short P x (1 + m), the product rounded away from the entry', () => {
    assert.equal(formatFixed(movedPrice(price('50000'), rate('0.05'), 'long')), '47500');
    assert.equal(formatFixed(movedPrice(price('50000'), rate('0.05'), 'short')), '52500');
    // 1.0000000001 x 0.0000000003 = 0.00000000030000000003 (20 decimals) -> up to 0.000000000300000001
    assert.equal(formatFixed(movedPrice(price('1.0000000001'), rate('0.0000000003'), 'long')), '0.999999999799999999');
    assert.equal(formatFixed(movedPrice(price('1.0000000001'), rate('0.0000000003'), 'short')), '1.000000000400000001');
  });
});

const BTC = marketFor('binance-usdm', 'BTCUSDT');
const input = (over: Partial<CalibrationInput> & { margin?: string; wallet?: string; move?: Rate; side?: Side }): CalibrationInput => ({
  base: over.base ?? loneAccount('binance-usdm', money(over.wallet ?? '10000')),
  market: over.market ?? BTC,
  trade: over.trade ?? { symbol: 'BTCUSDT', side: over.side ?? 'long', margin: money(over.margin ?? '1000'), price: price('50000') },
  move: over.move ?? rate('0.05'),
  marginCallRatio: rate('0.8'),
  mode: over.mode ?? 'isolated',
});

describe('one leverage against the move (exact)', () => {
  it('the seed example scaled: 1,000 of margin at 10x isolated, BTC long at 50,000, a 5 % move', () => {
    const c = checkLeverage(input({}), 10);
    // size = 1,000 x 10 / 50,000 = 0.2 BTC; notional 10,000; IM = 10,000 / 10 = 1,000; fee 10,000 x 0.05 % = 5
    assert.equal(formatFixed(c.size), '0.2');
    assert.equal(formatFixed(c.initialMargin), '1000');
    assert.equal(formatFixed(c.fee), '5');
    // bracket 1 (MMR 0.4 %, cum 0): 1,000 + 0.2 (P - 50,000) = 0.2 x 0.004 P  ->  P = 9,000 / 0.1992 = 45,180.722891566...
    assert.equal(formatFixed(c.liquidationPrice!).slice(0, 15), '45180.722891566');
    // margin call: 1,000 + 0.2 (P - 50,000) = 0.2 x 0.004 P / 0.8 = 0.001 P  ->  P = 9,000 / 0.199 = 45,226.130653266...
    assert.equal(formatFixed(c.marginCallPrice!).slice(0, 15), '45226.130653266');
    // at 47,500: MM = 0.2 x 47,500 x 0.004 = 38; margin balance = 1,000 - 0.2 x 2,500 = 500; ratio 38 / 500 = 0.076
    assert.equal(formatFixed(c.marginRatioAtMove!), '0.076');
    assert.equal(c.survives, true);
    assert.equal(c.marginCalled, false);
  });
  it('isolated: 18x survives a 5 % move, 19x is liquidated by it; the margin call lies between', () => {
    const cal = calibrateLeverage(input({}));
    // size 0.02 L; LP = (1,000 - 1,000 L) / (0.02 L x 0.004 - 0.02 L) = 1,000 (L - 1) / (0.01992 L)
    //   L = 18: 17,000 / 0.35856 = 47,411.87 < 47,500 (survives); L = 19: 18,000 / 0.37848 = 47,558.66 > 47,500
    assert.equal(cal.leverage, 18);
    assert.equal(cal.limitedBy, 'liquidation');
    assert.equal(formatFixed(cal.at!.liquidationPrice!).slice(0, 8), '47411.86');
    assert.equal(formatFixed(cal.next!.liquidationPrice!).slice(0, 8), '47558.65');
    // ratio at the move, 18x: MM = 0.36 x 47,500 x 0.004 = 68.4; MB = 1,000 - 0.36 x 2,500 = 100 -> 0.684
    assert.equal(formatFixed(cal.at!.marginRatioAtMove!), '0.684');
    // 19x: MM = 72.2; MB = 1,000 - 0.38 x 2,500 = 50 -> 1.444 (liquidated)
    assert.equal(formatFixed(cal.next!.marginRatioAtMove!), '1.444');
    // margin-call price 1,000 (L - 1) / (0.0199 L): 18x 47,459.52 (not reached), 19x 47,606.45 (reached)
    assert.equal(cal.at!.marginCalled, false);
    assert.equal(cal.marginCallFrom, 19);
    assert.equal(cal.checks.length, 19);
  });
  it('a short mirrors it: the liquidation price lies above the entry', () => {
    const cal = calibrateLeverage(input({ side: 'short' }));
    // short LP: 1,000 - 0.02 L (P - 50,000) = 0.02 L x 0.004 P -> P = 1,000 (L + 1) / (0.02008 L)
    //   L = 19: 20,000 / 0.38152 = 52,421.891 < 52,500 (liquidated by a 5 % rise); L = 18: 19,000 / 0.36144 = 52,567.508 (survives)
    assert.equal(cal.leverage, 18);
    assert.equal(formatFixed(cal.at!.liquidationPrice!).slice(0, 8), '52567.50');
    assert.equal(formatFixed(cal.next!.liquidationPrice!).slice(0, 8), '52421.89');
  });
  it('cross with a lone position: the wallet backs it, and the bracket at the liquidation price counts', () => {
    // a 15 % move (moved price 42,500); wallet 10,000 less the fee 0.02 L x 50,000 x 0.05 % = 0.5 L
    //   notional 1,000 L > 50,000 from 51x: bracket 2 (MMR 0.5 %, cum 50):
    //   LP = (10,000 - 0.5 L - 1,000 L + 50) / (0.02 L x 0.005 - 0.02 L) = (1,000.5 L - 10,050) / (0.0199 L)
    //   L = 64: 53,982 / 1.2736 = 42,385.36 (survives); L = 65: 54,982.5 / 1.2935 = 42,506.76 (liquidated)
    const cal = calibrateLeverage(input({ mode: 'cross', move: rate('0.15') }));
    assert.equal(cal.leverage, 64);
    assert.equal(cal.limitedBy, 'liquidation');
    assert.equal(formatFixed(cal.at!.liquidationPrice!).slice(0, 8), '42385.36');
    assert.equal(formatFixed(cal.next!.liquidationPrice!).slice(0, 8), '42506.76');
  });
  it('cross at 5 %: no leverage up to 100x is liquidated; 101x is refused by the brackets (cap)', () => {
    const cal = calibrateLeverage(input({ mode: 'cross' }));
    // 100x: notional 100,000 in bracket 2; LP = (100,050 - 10,050) / 1.99 = 45,226.13 < 47,500
    assert.equal(cal.leverage, 100);
    assert.equal(cal.limitedBy, 'refused');
    assert.equal(formatFixed(cal.at!.liquidationPrice!).slice(0, 8), '45226.13');
    // 101x: only bracket 1 (125x) allows it, capped at 50,000 notional; 101,000 needed
    assert.match(cal.next!.refused!, /101x allows at most 50000 notional/);
  });
  it('refusals: more margin than the wallet, a position below one step', () => {
    const broke = calibrateLeverage(input({ margin: '20000' }));
    assert.equal(broke.leverage, undefined);
    assert.equal(broke.limitedBy, 'refused');
    assert.match(broke.next!.refused!, /Margin is insufficient/);
    const sol = marketFor('binance-usdm', 'SOLUSDT');
    // SOL steps are whole coins: 10 x 1 / 150 = 0.066 SOL rounds down to 0
    const tiny = checkLeverage({ ...input({}), market: sol, trade: { symbol: 'SOLUSDT', side: 'long', margin: money('10'), price: price('150') } }, 1);
    assert.match(tiny.refused!, /smaller than one step/);
  });
  it('bad trades name their option', () => {
    const spec = snapshotOfSpec(parseSpec({ wallet: '10000', legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: '10000' }, leverage: 10 }] }), new Map([['BTCUSDT', price('50000')]]));
    assert.throws(() => calibrateLeverage(input({ base: spec })), (e: unknown) => e instanceof InputError && e.field === '--symbol');
    assert.throws(() => calibrateLeverage(input({ move: rate('1') })), (e: unknown) => e instanceof InputError && e.field === '--move');
    assert.throws(() => calibrateLeverage(input({ margin: '0' })), (e: unknown) => e instanceof InputError && e.field === '--margin');
    assert.throws(() => marketFor('binance-usdm', 'DOGEUSDT'), (e: unknown) => e instanceof InputError && e.field === '--symbol');
  });
});

const beyond = (p: Price | undefined, moved: Price, side: Side) => p === undefined || (side === 'long' ? lt(p, moved) : gt(p, moved));
const within = (p: Price | undefined, moved: Price, side: Side) => p !== undefined && (side === 'long' ? gte(p, moved) : lte(p, moved));

describe('property: the calibrated leverage', () => {
  it('its liquidation price lies beyond the move; the margin call is within it exactly when reported; one more leverage is liquidated or refused', () => {
    const eth = marketFor('binance-usdm', 'ETHUSDT');
    fc.assert(
      fc.property(
        fc.record({
          side: fc.constantFrom<Side>('long', 'short'),
          mode: fc.constantFrom<'isolated' | 'cross'>('isolated', 'cross'),
          marginCents: fc.integer({ min: 1000, max: 500_000 }), // 10 .. 5,000
          walletCents: fc.integer({ min: 500_000, max: 10_000_000 }), // 5,000 .. 100,000
          moveBp: fc.integer({ min: 10, max: 4000 }), // 0.1 % .. 40 %
          withBook: fc.boolean(),
          btcUnits: fc.integer({ min: 1, max: 15 }), // a cross BTC long of 0.1 .. 1.5 BTC at 20x beside an ETH trade
        }),
        (g) => {
          const wallet = money(String(g.walletCents / 100));
          let base = loneAccount('binance-usdm', wallet);
          if (g.withBook) {
            base = snapshotOfSpec(
              parseSpec({ wallet: String(g.walletCents / 100), legs: [{ symbol: 'BTCUSDT', side: 'long', size: { notional: String(g.btcUnits * 5000) }, leverage: 20, marginMode: 'cross' }] }),
              new Map([['BTCUSDT', price('50000')]]),
            );
          }
          const trade = { symbol: 'ETHUSDT', side: g.side, margin: money(String(g.marginCents / 100)), price: price('2500') };
          const cal = calibrateLeverage({ base, market: eth, trade, move: rate(String(g.moveBp / 10000)), marginCallRatio: rate('0.8'), mode: g.mode });
          const moved = cal.checks[0]!.movedPrice;
          if (cal.leverage !== undefined) {
            const at = cal.at!;
            assert.ok(beyond(at.liquidationPrice, moved, g.side), 'liquidation price beyond the move');
            assert.equal(at.marginCalled, within(at.marginCallPrice, moved, g.side));
            if (at.marginCalled) assert.ok(within(at.marginCallPrice, moved, g.side), 'margin-call price within the move');
            // the ratio at the moved price agrees: below 100 %, and at or above 80 % exactly when margin-called
            assert.ok(at.marginRatioAtMove !== undefined && lt(at.marginRatioAtMove, rate('1')));
            if (at.marginCalled) assert.ok(gte(at.marginRatioAtMove, rate('0.79999999')));
            else assert.ok(lt(at.marginRatioAtMove, rate('0.80000001')));
            // every smaller leverage survives too
            for (const c of cal.checks.slice(0, cal.leverage)) assert.ok(c.survives);
          }
          // leverage + 1 violates: liquidated by the move (its liquidation price within it) or refused, or there is none
          if (cal.next === undefined) assert.equal(cal.leverage, eth.maxLeverage);
          else if (cal.next.refused === undefined) {
            assert.equal(cal.next.survives, false);
            assert.ok(within(cal.next.liquidationPrice, moved, g.side), 'leverage + 1: liquidation price within the move');
            assert.ok(within(cal.next.marginCallPrice, moved, g.side), 'leverage + 1: margin call within the move too');
            assert.ok(cal.next.marginRatioAtMove === undefined || gte(cal.next.marginRatioAtMove, rate('0.99999999')));
          }
          // the lowest margin-called leverage: margin call within the move there, beyond it one below
          if (cal.marginCallFrom !== undefined) {
            assert.ok(within(cal.checks[cal.marginCallFrom - 1]!.marginCallPrice, moved, g.side));
            if (cal.marginCallFrom > 1) assert.ok(!cal.checks[cal.marginCallFrom - 2]!.marginCalled);
          }
        },
      ),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------- Monte Carlo
