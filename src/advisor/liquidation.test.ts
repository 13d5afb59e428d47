// Isolated vs cross liquidation prices, the cross price's sensitivities and the blast radius, on hand-computed
// accounts (Binance USD-M, bracket 1: BTC/ETH MMR 0.4 %, SOL 0.5 %, maintenance amount 0), and the exact
// uniform-move solver against bisection on the exact liquidation predicate.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { abs, add, formatFixed, fromInt, gt, lte, money, rate, scale, sub, type Money, type Price, type Rate } from '../domain/fixed.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import {
  blastRadius,
  crossVersion,
  liquidationAdvice,
  uniformMoveToLiquidation,
  withMarksMoved,
} from './liquidation.ts';

const show = (p: Price | Rate | Money | undefined): string => (p === undefined ? 'none' : formatFixed(p));
const pcts = (...xs: string[]): Rate[] => xs.map((x) => rate(x));
const threeJson = JSON.parse(readFileSync(new URL('../../examples/account-cross-three.json', import.meta.url), 'utf8'));

describe('liquidation advice: the seed example (1,000 USDT, 0.02 BTC long at 50,000, 10x)', () => {
  const account = resolveSnapshot({
    exchange: 'binance-usdm',
    walletBalance: '1000',
    positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'cross', leverage: 10 }],
  });
  const advice = liquidationAdvice(account, 0, { otherMoves: pcts('-0.3', '0'), walletChanges: pcts('-0.5', '-0.25', '0.25') });
  it('isolated with margin = IM: (100 - 1,000) / (0.02 x 0.004 - 0.02) = 45,180.72289...', () => {
    // IM = 0.02 x 50,000 / 10 = 100; LP = -900 / -0.01992 = 45,180.722891566265060240963..., rounded up (toward the mark)
    assert.equal(show(advice.isolated.margin), '100');
    assert.equal(show(advice.isolated.liquidationPrice), '45180.722891566265060241');
    // bankruptcy: 100 + 0.02 (P - 50,000) = 0 -> 45,000
    assert.equal(show(advice.isolated.bankruptcyPrice), '45000');
  });
  it('cross with the whole 1,000: no liquidation price (the wallet covers the whole notional)', () => {
    // (1,000 - 1,000) / -0.01992 = 0: no positive price
    assert.equal(advice.cross.liquidationPrice, undefined);
    assert.equal(advice.cross.otherCrossLegs, 0);
  });
  it('the cross price moves with the wallet', () => {
    // wallet 500: (500 - 1,000) / -0.01992 = 25,100.40160642570281124979...; 750: 250 / 0.01992 = 12,550.20080321285140562249...
    assert.deepEqual(advice.walletChanges.map((r) => show(r.liquidationPrice)), ['25100.401606425702811245', '12550.200803212851405623', 'none']);
    // no other position: the other-marks rows all equal the base case
    assert.deepEqual(advice.otherMoves.map((r) => show(r.liquidationPrice)), ['none', 'none']);
  });
  it('blast radius: no uniform move liquidates it (margin balance - MM = 996 k > 0 for every k > 0)', () => {
    assert.equal(advice.blastRadius.down.move, undefined);
    assert.equal(advice.blastRadius.up.move, undefined);
    assert.equal(advice.blastRadius.adverse, 'down');
  });
});

describe('liquidation advice: examples/account-cross-three.json (BTC and ETH long cross, SOL short isolated)', () => {
  const account = resolveSnapshot(threeJson);
  it('BTCUSDT: isolated 61,445.78..., cross 50,275.83...', () => {
    const a = liquidationAdvice(account, 0, { otherMoves: pcts('-0.3', '0', '0.1'), walletChanges: pcts('-0.5') });
    // isolated margin = 0.5 x 68,000 / 10 = 3,400; LP = (3,400 - 34,000) / (0.5 x 0.004 - 0.5) = 30,600 / 0.498
    assert.equal(show(a.isolated.margin), '3400');
    assert.equal(show(a.isolated.liquidationPrice), '61445.783132530120481928');
    // cross: pool = 10,000 + ETH (UPNL 8 x (2,480.25 - 2,600) = -958, MM 8 x 2,480.25 x 0.004 = 79.368) = 8,962.632
    //        LP = (8,962.632 - 34,000) / -0.498 = 50,275.8393574297188755020...
    assert.equal(show(a.cross.liquidationPrice), '50275.839357429718875503');
    assert.equal(a.cross.otherCrossLegs, 1);
    assert.equal(a.assigned, undefined);
    // ETH 30 % lower: mark 1,736.175, UPNL -6,910.6, MM 55.5576 -> pool 3,033.8424, LP = 30,966.1576 / 0.498
    // ETH 10 % higher: mark 2,728.275, UPNL 1,026.2, MM 87.3048 -> pool 10,938.8952, LP = 23,061.1048 / 0.498 = 46,307.43935...
    assert.deepEqual(a.otherMoves.map((r) => show(r.liquidationPrice)), ['62181.039357429718875503', '50275.839357429718875503', '46307.439357429718875503']);
    // wallet 5,000: pool 3,962.632, LP = 30,037.368 / 0.498 = 60,316 exactly
    assert.equal(show(a.walletChanges[0]!.liquidationPrice), '60316');
    assert.equal(a.walletChanges[0]!.liquidatableNow, false);
  });
  it('SOLUSDT (isolated in the snapshot): its own margin, and in cross its 3,300 back in the wallet', () => {
    const a = liquidationAdvice(account, 2, { otherMoves: [], walletChanges: [] });
    // isolated at IM: 100 x 165 / 5 = 3,300 (the same as assigned): LP = (3,300 + 16,500) / (0.5 + 100) = 197.01492537...
    assert.equal(show(a.isolated.margin), '3300');
    assert.equal(show(a.isolated.liquidationPrice), '197.014925373134328358');
    assert.equal(show(a.assigned!.liquidationPrice), '197.014925373134328358');
    assert.equal(show(a.cross.wallet), '13300');
    assert.equal(crossVersion(account, 2).legs[2]!.marginMode, 'cross');
  });
  it('blast radius: every mark 17.418... % lower liquidates the cross account; nothing upward', () => {
    const b = blastRadius(account);
    // f(k) = 10,000 + 0.5 (69,250.5 k - 68,000) + 8 (2,480.25 k - 2,600) - 0.004 (34,625.25 + 19,842) k
    //      = 0.996 x 54,467.25 k - 44,800  ->  k = 44,800 / 54,249.381 = 0.8258158742861969245...
    // (k rounded up, toward the marks: 0.825815874286196925)
    assert.equal(b.adverse, 'down');
    assert.equal(show(b.netNotional), '54467.25');
    assert.equal(b.down.exact, true);
    assert.equal(show(b.down.move), '-0.174184125713803075');
    // MB now = 10,000 + 625.25 - 958 = 9,667.25: all of it is lost
    assert.equal(show(b.down.marginBalanceNow), '9667.25');
    assert.equal(show(b.down.equityLost), '9667.25');
    // at the move the margin balance meets the maintenance margin (k is rounded to 18 decimals: ~1e-13 off)
    assert.ok(lte(abs(sub(b.down.marginBalanceAt!, b.down.maintenanceAt!)), money('0.000000000001')), 'MB = MM at the move');
    // upward: the longs gain faster than MM grows: no root
    assert.equal(b.up.move, undefined);
    // SOL short (isolated) is liquidated by a rise of 197.0149... / 170.4 - 1 = 15.6190876602900988...% on the way up
    assert.equal(b.up.isolatedOnTheWay.length, 1);
    assert.equal(b.up.isolatedOnTheWay[0]!.symbol, 'SOLUSDT');
    assert.equal(show(b.up.isolatedOnTheWay[0]!.move), '0.156190876602900988');
    assert.equal(b.down.isolatedOnTheWay.length, 0);
  });
  it('an account already past its maintenance margin has a blast radius of 0', () => {
    // an empty cross wallet: BTC +625.25 and ETH -958 leave a margin balance of -332.75, below the MM
    // (a negative wallet is refused as input since issue 9)
    const broke = resolveSnapshot({ ...threeJson, walletBalance: '0' });
    assert.equal(show(uniformMoveToLiquidation(broke, 'down').move), '0');
  });
});

// ------------------------------------------------------------------ exact solver vs bisection

const SYMBOLS = [
  { symbol: 'BTCUSDT', price: 60_000 },
  { symbol: 'ETHUSDT', price: 3_000 },
  { symbol: 'SOLUSDT', price: 150 },
];

const legArb = fc.record({
  which: fc.integer({ min: 0, max: 2 }),
  long: fc.boolean(),
  sizeSteps: fc.integer({ min: 1, max: 400_000 }),
  entryPct: fc.integer({ min: 70, max: 130 }),
  leverage: fc.integer({ min: 1, max: 20 }),
});

describe('blast radius: the exact piecewise solve agrees with bisection on the exact predicate', () => {
  it('random cross books of 1-3 symbols, both directions (Binance brackets)', () => {
    fc.assert(
      fc.property(fc.array(legArb, { minLength: 1, maxLength: 3 }), fc.integer({ min: 100, max: 2_000_000 }), (legs, wallet) => {
        const seen = new Set<number>();
        const positions = legs
          .filter((l) => (seen.has(l.which) ? false : (seen.add(l.which), true)))
          .map((l) => {
            const s = SYMBOLS[l.which]!;
            // SOL steps are whole coins; BTC/ETH 0.001
            const size = l.which === 2 ? String(Math.max(1, Math.floor(l.sizeSteps / 100))) : formatFixed(scale(fromInt<'Rate'>(l.sizeSteps), rate('0.001'), 'halfEven'));
            return { symbol: s.symbol, side: l.long ? 'long' : 'short', size, entryPrice: String((s.price * l.entryPct) / 100), markPrice: String(s.price), marginMode: 'cross', leverage: l.leverage };
          });
        const account = resolveSnapshot({ exchange: 'binance-usdm', walletBalance: String(wallet), positions });
        const profile = profileOf('binance-usdm');
        for (const direction of ['down', 'up'] as const) {
          const exact = uniformMoveToLiquidation(account, direction, profile);
          const bisected = uniformMoveToLiquidation(account, direction, profile, 'bisection');
          if (exact.move === undefined || bisected.move === undefined) {
            // bisection searches up to 10^6 x the marks upward; beyond that both may differ only when the exact root is that far
            if (direction === 'up' && exact.move !== undefined) assert.ok(gt(exact.move, rate('999999')));
            else assert.equal(show(exact.move), show(bisected.move), `${direction}: ${JSON.stringify(positions)} wallet ${wallet}`);
            continue;
          }
          assert.ok(lte(abs(sub(exact.move, bisected.move)), rate('0.000000000002')), `${direction}: exact ${show(exact.move)} vs bisection ${show(bisected.move)}`);
          if (exact.move !== undefined && !gt(abs(exact.move), rate('0'))) continue;
          // the predicate flips right there: not liquidatable 1e-9 toward the marks, liquidatable 1e-9 beyond
          const towardMarks = direction === 'down' ? rate('0.000000001') : rate('-0.000000001');
          const first = account.legs.findIndex((l) => l.marginMode === 'cross');
          assert.equal(profile.isLiquidatable(withMarksMoved(account, add(exact.move, towardMarks)), first), false);
          assert.equal(profile.isLiquidatable(withMarksMoved(account, sub(exact.move, towardMarks)), first), true);
        }
      }),
      { numRuns: 60, seed: 6 },
    );
  });
});

describe('the cross liquidation price against the wallet', () => {
  it('a long\'s cross price never rises when the wallet grows (property)', () => {
    const account = resolveSnapshot(threeJson);
    fc.assert(
      fc.property(fc.integer({ min: -90, max: 200 }), fc.integer({ min: 1, max: 100 }), (w, dw) => {
        const a = liquidationAdvice(account, 1, { otherMoves: [], walletChanges: [rate(String(w / 100)), rate(String((w + dw) / 100))] });
        const [low, high] = a.walletChanges;
        if (low!.liquidationPrice === undefined) return high!.liquidationPrice === undefined;
        return high!.liquidationPrice === undefined || lte(high!.liquidationPrice, low!.liquidationPrice);
      }),
      { numRuns: 40, seed: 7 },
    );
  });
});
