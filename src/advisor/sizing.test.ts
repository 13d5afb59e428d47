// Position sizing from a risk budget: hand-computed cases (Binance USD-M, taker 0.05 %, bracket 1: BTC/ETH
// MMR 0.4 %, SOL 0.5 %) and properties of the sizing (never above the budget, within one step of it, on
// the step) and of the leverage at which the liquidation price meets the stop.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { add, formatFixed, gt, isMultipleOf, lte, money, price, rate, sub, type Fixed } from '../domain/fixed.ts';
import { tradeFee } from '../exchanges/fees.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import type { Market } from '../exchanges/rules.ts';
import { lossAtStop, sizePosition, type SizingInput } from './sizing.ts';

const show = <U extends string>(x: Fixed<U> | undefined): string => (x === undefined ? 'none' : formatFixed(x));
const fees = { taker: rate('0.0005'), maker: rate('0.0002') };

function marketOf(symbol: string): Market {
  return resolveSnapshot({ exchange: 'binance-usdm', walletBalance: '1', positions: [{ symbol, side: 'long', size: '1', entryPrice: '1', marginMode: 'cross', leverage: 1 }] }).legs[0]!.market;
}
const BTC = marketOf('BTCUSDT');
const ETH = marketOf('ETHUSDT');
const SOL = marketOf('SOLUSDT');

const base = (over: Partial<SizingInput>): SizingInput => ({
  exchange: 'binance-usdm',
  market: BTC,
  fees,
  portfolio: money('10000'),
  riskFraction: rate('0.02'),
  side: 1,
  entry: price('60000'),
  stop: price('58800'),
  ...over,
});

describe('sizePosition: 10,000 USDT, 2 % risk, BTCUSDT long at 60,000, stop 58,800', () => {
  const r = sizePosition(base({}));
  it('quantity from the budget with both taker fees, rounded down to 0.001', () => {
    // R = 200; per BTC: 1,200 + 0.0005 x (60,000 + 58,800) = 1,259.4; 200 / 1,259.4 = 0.15880...
    assert.equal(show(r.riskBudget), '200');
    assert.equal(show(r.lossPerUnit), '1259.4');
    assert.equal(show(r.quantity), '0.158');
    assert.equal(show(r.notional), '9480');
    // 0.158 x 1,200 = 189.6; 9,480 x 0.0005 = 4.74; 0.158 x 58,800 x 0.0005 = 4.6452; total 198.9852
    assert.equal(show(r.priceLoss), '189.6');
    assert.equal(show(r.entryFee), '4.74');
    assert.equal(show(r.exitFee), '4.6452');
    assert.equal(show(r.lossAtStop), '198.9852');
    assert.equal(show(r.unusedBudget), '1.0148');
  });
  it('minimum leverage ceil(9,480 / 10,000) = 1: the whole notional as margin, no liquidation price', () => {
    assert.equal(r.minimumLeverage, 1);
    assert.equal(r.leverage, 1);
    assert.equal(show(r.isolatedMargin), '9480');
    assert.equal(show(r.walletNeeded), '9484.74');
    assert.equal(r.liquidationPrice, undefined);
    assert.equal(r.stopStatus, 'no-liquidation');
  });
  it('the leverage at which liquidation = stop: 9,480 / (MM 37.1616 + loss 189.6) = 41.806...', () => {
    // MM at the stop = 0.158 x 58,800 x 0.004 = 37.1616
    assert.equal(show(r.coincidingLeverage), '41.806020066889632107');
    assert.equal(r.maxLeverageStopFirst, 41);
    // buffer: LP at 60,000 - 1,200 / 0.9 = 58,666.666...; MM 37.0773...; loss 210.666...; 9,480 / 247.744 = 38.27
    assert.equal(r.maxLeverageWithBuffer, 38);
    assert.deepEqual(r.warnings, []);
  });
  it('at 50x the stop is beyond the liquidation price: IM 189.6, LP 59,036.14...', () => {
    const at50 = sizePosition(base({ leverage: 50 }));
    // IM = 9,480 / 50 = 189.6; LP = (189.6 - 9,480) / (0.158 x 0.004 - 0.158) = 59,036.144578313253012048...
    assert.equal(show(at50.isolatedMargin), '189.6');
    assert.equal(show(at50.liquidationPrice), '59036.144578313253012049');
    // bankruptcy: 189.6 = 0.158 x (60,000 - P) -> 58,800, exactly the stop
    assert.equal(show(at50.bankruptcyPrice), '58800');
    assert.equal(at50.stopStatus, 'beyond-liquidation');
    assert.match(at50.warnings.join(' '), /liquidated before the stop fills/);
  });
  it('41x keeps the stop first, 42x does not; 38x keeps the buffer, 39x does not', () => {
    // 41x: IM 231.2195...; balance at the stop 41.62 > MM 37.16. 42x: IM 225.714...; 36.11 < 37.16
    assert.notEqual(sizePosition(base({ leverage: 41 })).stopStatus, 'beyond-liquidation');
    assert.equal(sizePosition(base({ leverage: 42 })).stopStatus, 'beyond-liquidation');
    assert.equal(sizePosition(base({ leverage: 38 })).stopStatus, 'before-liquidation');
    assert.equal(sizePosition(base({ leverage: 39 })).stopStatus, 'within-buffer');
  });
  it('with 2,000 of available margin: minimum leverage ceil(4.74) = 5, LP 48,192.77...', () => {
    const r5 = sizePosition(base({ availableMargin: money('2000') }));
    // IM = 1,896; LP = (1,896 - 9,480) / -0.157368 = 48,192.771084337349397590...; buffer price 49,373.49...
    assert.equal(r5.minimumLeverage, 5);
    assert.equal(show(r5.isolatedMargin), '1896');
    assert.equal(show(r5.liquidationPrice), '48192.771084337349397591');
    assert.equal(r5.stopStatus, 'before-liquidation');
  });
});

describe('sizePosition: other markets and sides', () => {
  it('ETHUSDT short at 3,000, stop 3,090, 1 % of 5,000', () => {
    // R = 50; per ETH: 90 + 0.0005 x 6,090 = 93.045; 50 / 93.045 = 0.5373... -> 0.537; loss 0.537 x 93.045 = 49.965165
    const r = sizePosition(base({ market: ETH, portfolio: money('5000'), riskFraction: rate('0.01'), side: -1, entry: price('3000'), stop: price('3090'), leverage: 10 }));
    assert.equal(show(r.quantity), '0.537');
    assert.equal(show(r.priceLoss), '48.33');
    assert.equal(show(r.entryFee), '0.8055');
    assert.equal(show(r.exitFee), '0.829665');
    assert.equal(show(r.lossAtStop), '49.965165');
    // 10x: IM = 161.1; LP = (161.1 + 0.537 x 3,000) / (0.537 x 0.004 + 0.537) = 1,772.1 / 0.539148
    //      = 3,286.85258964143426294820..., rounded down (toward the mark)
    assert.equal(show(r.isolatedMargin), '161.1');
    assert.equal(show(r.liquidationPrice), '3286.852589641434262948');
    assert.equal(r.stopStatus, 'before-liquidation');
  });
  it('SOLUSDT in whole coins: 200 / (5 + 0.0005 x 295) = 38.85 -> 38', () => {
    const r = sizePosition(base({ market: SOL, entry: price('150'), stop: price('145') }));
    assert.equal(show(r.quantity), '38');
    // 38 x 5.1475 = 195.605
    assert.equal(show(r.lossAtStop), '195.605');
  });
  it('a budget below one step buys nothing and says so', () => {
    const r = sizePosition(base({ portfolio: money('100'), riskFraction: rate('0.01') }));
    assert.equal(show(r.quantity), '0');
    assert.match(r.warnings.join(' '), /does not buy one quantity step/);
  });
  it('a long needs its stop below the entry', () => {
    assert.throws(() => sizePosition(base({ stop: price('61000') })), /stop below the entry/);
  });
});

// ------------------------------------------------------------------ properties

const caseArb = fc.record({
  which: fc.constantFrom(BTC, ETH, SOL),
  long: fc.boolean(),
  portfolio: fc.integer({ min: 100, max: 5_000_000 }),
  riskBp: fc.integer({ min: 10, max: 500 }), // 0.1 % to 5 %
  entryCents: fc.integer({ min: 1_000, max: 10_000_000 }),
  stopBp: fc.integer({ min: 20, max: 2_000 }), // 0.2 % to 20 % away
});

interface Case {
  readonly which: Market;
  readonly long: boolean;
  readonly portfolio: number;
  readonly riskBp: number;
  readonly entryCents: number;
  readonly stopBp: number;
}

function toInput(c: Case): SizingInput {
  const entry = price((c.entryCents / 100).toString());
  // stop = entry x (1 -/+ bp / 10,000), to the cent
  const offsetCents = Math.max(1, Math.floor((c.entryCents * c.stopBp) / 10_000));
  const stop = price(((c.long ? c.entryCents - offsetCents : c.entryCents + offsetCents) / 100).toString());
  return base({ market: c.which, side: c.long ? 1 : -1, portfolio: money(String(c.portfolio)), riskFraction: rate(String(c.riskBp / 10_000)), entry, stop });
}

describe('sizePosition properties', () => {
  it('the loss at the stop never exceeds the budget, is within one step of it, and the quantity is on the step', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = toInput(c);
        const r = sizePosition(input);
        const step = input.market.stepSize;
        assert.ok(isMultipleOf(r.quantity, step), `${show(r.quantity)} is not a multiple of ${show(step)}`);
        assert.ok(lte(r.lossAtStop, r.riskBudget), `loss ${show(r.lossAtStop)} above budget ${show(r.riskBudget)}`);
        // one more step would be too much: the budget is used to within one step's loss
        const next = lossAtStop(input.market, input.side, input.entry, input.stop, add(r.quantity, step), fees.taker);
        assert.ok(gt(next.total, r.riskBudget), 'one more step still fits the budget');
        // within one step x |entry - stop| plus that step's fees
        const distance = input.side === 1 ? sub(input.entry, input.stop) : sub(input.stop, input.entry);
        const slack = add(add(lossAtStop(input.market, input.side, input.entry, input.stop, step, rate('0')).price, tradeFee(input.market, step, input.entry, fees.taker)), tradeFee(input.market, step, input.stop, fees.taker));
        assert.ok(lte(sub(r.riskBudget, r.lossAtStop), slack), `unused ${show(r.unusedBudget)} > one step ${show(slack)} (distance ${show(distance)})`);
      }),
      { numRuns: 300, seed: 61 },
    );
  });
  it('up to maxLeverageStopFirst the stop fills first; one leverage more and the liquidation comes first', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const input = toInput(c);
        const r = sizePosition(input);
        if (r.maxLeverageStopFirst === undefined || r.quantity === undefined || formatFixed(r.quantity) === '0') return;
        const at = sizePosition({ ...input, leverage: r.maxLeverageStopFirst });
        assert.notEqual(at.stopStatus, 'beyond-liquidation', `${r.maxLeverageStopFirst}x`);
        if (r.maxLeverageStopFirst < r.venueMaxLeverage) {
          assert.equal(sizePosition({ ...input, leverage: r.maxLeverageStopFirst + 1 }).stopStatus, 'beyond-liquidation', `${r.maxLeverageStopFirst + 1}x`);
        }
        if (r.maxLeverageWithBuffer !== undefined) {
          const b = sizePosition({ ...input, leverage: r.maxLeverageWithBuffer }).stopStatus;
          assert.ok(b === 'before-liquidation' || b === 'no-liquidation', `${r.maxLeverageWithBuffer}x: ${b}`);
          if (r.maxLeverageWithBuffer < r.venueMaxLeverage) {
            assert.notEqual(sizePosition({ ...input, leverage: r.maxLeverageWithBuffer + 1 }).stopStatus, 'before-liquidation');
          }
        }
      }),
      { numRuns: 150, seed: 62 },
    );
  });
});

