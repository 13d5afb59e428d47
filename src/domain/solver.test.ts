// solveMarginEquation against an independent reference: a decimal.js (60 significant digits) bisection
// of f(P) = pool + sum UPNL_g(P) - sum MM_g(P) over the mark price P, with MM_g taken from the segment
// that contains the leg's notional at P (notional < cap, as the solver and evaluateSchedule read it).
//
// One leg goes through the single-leg fast path, two legs (a hedge group: LONG and SHORT of one symbol,
// or two legs on one side) through the general multi-leg path; both must find the root nearest the
// reference price to 1e-9 relative (the solver rounds it to 1e-18 toward the reference, so for roots
// below 1e-9 an absolute 2e-18 applies instead), and both must say "no root" (undefined) together.
//
// The reference finds every root: between two consecutive segment boundaries (prices where some leg's
// notional equals a floor) f is linear in P (linear contracts) or in 1/P (inverse), and continuous
// because the schedules are continuous (maintenance amounts on the cum recurrence), so it has at most
// one root per interval and a root shows as a sign change (or a zero) at the interval's ends. The outer
// ends are P = 1e-30 and P = 1e30, far outside every generated price. Each sign change is bisected.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import { fromScaled, parseFixed, toScaled, type Money, type Price } from './fixed.ts';
import { solveMarginEquation, type ContractKind, type MarginSegment, type SolverLeg } from './solver.ts';

const D = Decimal.clone({ precision: 60, rounding: Decimal.ROUND_HALF_EVEN });
type Dec = InstanceType<typeof D>;

const dec = (scaled: bigint): Dec => new D(scaled.toString()).div('1e18');
const fixedOf = <U extends string>(x: Dec): ReturnType<typeof fromScaled<U>> =>
  fromScaled<U>(BigInt(x.mul('1e18').toDecimalPlaces(0, Decimal.ROUND_HALF_EVEN).toFixed(0)));

// ------------------------------------------------------------------------------------ reference

function refNotional(leg: SolverLeg, p: Dec): Dec {
  const q = dec(toScaled(leg.size));
  if (leg.kind === 'linear') return q.mul(p);
  return refFace(leg).div(p);
}

function refFace(leg: SolverLeg): Dec {
  // the solver truncates contracts x contract size to 18 decimals (faceValue); the generated values are exact
  return dec((toScaled(leg.size) * toScaled(leg.contractSizeUsd!)) / 10n ** 18n);
}

function refF(pool: Dec, legs: readonly SolverLeg[], p: Dec): Dec {
  let f = pool;
  for (const leg of legs) {
    const ep = dec(toScaled(leg.entryPrice));
    const upnl =
      leg.kind === 'linear'
        ? dec(toScaled(leg.size)).mul(p.sub(ep)).mul(leg.side)
        : refFace(leg).mul(new D(1).div(ep).sub(new D(1).div(p))).mul(leg.side);
    const n = refNotional(leg, p);
    let seg = leg.segments[leg.segments.length - 1]!;
    for (const s of leg.segments) {
      if (s.cap === undefined || n.lt(dec(toScaled(s.cap)))) {
        seg = s;
        break;
      }
    }
    const mm = n.mul(dec(toScaled(seg.rate))).add(dec(toScaled(seg.constant)));
    f = f.add(upnl).sub(mm);
  }
  return f;
}

/** Every positive root of f, by bisection between consecutive segment-boundary prices. */
function refRoots(pool: Dec, legs: readonly SolverLeg[]): Dec[] {
  const points: Dec[] = [new D('1e-30'), new D('1e30')];
  for (const leg of legs) {
    for (const seg of leg.segments) {
      const floor = dec(toScaled(seg.floor));
      if (floor.lte(0)) continue;
      points.push(leg.kind === 'linear' ? floor.div(dec(toScaled(leg.size))) : refFace(leg).div(floor));
    }
  }
  points.sort((a, b) => a.cmp(b));
  const roots: Dec[] = [];
  const values = points.map((p) => refF(pool, legs, p));
  for (let i = 0; i < points.length; i++) {
    if (values[i]!.isZero()) roots.push(points[i]!);
    if (i + 1 === points.length) break;
    const a = values[i]!;
    const b = values[i + 1]!;
    if (a.isZero() || b.isZero() || a.isNeg() === b.isNeg()) continue;
    let lo = points[i]!;
    let hi = points[i + 1]!;
    const loNegative = a.isNeg();
    for (let k = 0; k < 400; k++) {
      // geometric steps while the bracket spans orders of magnitude, then arithmetic ones
      const mid = hi.gt(lo.mul(4)) ? lo.mul(hi).sqrt() : lo.add(hi).div(2);
      const fm = refF(pool, legs, mid);
      if (fm.isZero()) {
        lo = hi = mid;
        break;
      }
      if (fm.isNeg() === loNegative) lo = mid;
      else hi = mid;
      if (hi.sub(lo).lte(lo.mul('1e-24'))) break;
    }
    roots.push(lo.add(hi).div(2));
  }
  return roots;
}

function refNearest(pool: Dec, legs: readonly SolverLeg[], reference: Dec): Dec | undefined {
  let best: Dec | undefined;
  for (const r of refRoots(pool, legs)) {
    if (best === undefined || r.sub(reference).abs().lt(best.sub(reference).abs())) best = r;
  }
  return best;
}

function assertAgrees(pool: Money, legs: readonly SolverLeg[], reference: Price): void {
  const got = solveMarginEquation(pool, legs, reference);
  const expected = refNearest(dec(toScaled(pool)), legs, dec(toScaled(reference)));
  const describeCase = () =>
    JSON.stringify(
      { pool: dec(toScaled(pool)).toFixed(), reference: dec(toScaled(reference)).toFixed(), legs: legs.map(show) },
      null,
      1,
    );
  if (expected === undefined) {
    assert.equal(got, undefined, `solver found ${got && dec(toScaled(got)).toFixed()} where the reference finds no root\n${describeCase()}`);
    return;
  }
  assert.ok(got !== undefined, `solver found no root, reference ${expected.toFixed()}\n${describeCase()}`);
  const diff = dec(toScaled(got)).sub(expected).abs();
  const tolerance = D.max(expected.mul('1e-9'), new D('2e-18'));
  assert.ok(
    diff.lte(tolerance),
    `solver ${dec(toScaled(got)).toFixed()} vs reference ${expected.toFixed()} (diff ${diff.toExponential(3)})\n${describeCase()}`,
  );
}

function show(leg: SolverLeg) {
  return {
    side: leg.side,
    kind: leg.kind,
    size: dec(toScaled(leg.size)).toFixed(),
    entry: dec(toScaled(leg.entryPrice)).toFixed(),
    cs: leg.contractSizeUsd && dec(toScaled(leg.contractSizeUsd)).toFixed(),
    segments: leg.segments.map((s) => [s.floor, s.cap ?? '-', s.rate, s.constant].map((x) => (typeof x === 'string' ? x : dec(toScaled(x)).toFixed()))),
  };
}

// ------------------------------------------------------------------------------------ generators

/** An exact decimal m x 10^-d from an integer and a digit count. */
const decimalOf = (m: number | bigint, d: number): Dec => new D(m.toString()).div(new D(10).pow(d));

interface LegShape {
  side: 1 | -1;
  sizeMantissa: number;
  entryTicks: number;
  /** Floors of the brackets after the first, as fractions (per mille) of the entry notional, increasing. */
  floorSteps: number[];
  firstRate: number; // 1e-4 units
  rateSteps: number[]; // 1e-4 units, one per floor
  /** Extra constant added to every segment (Bybit's MM at entry, fees): 1e-4 of entry notional. */
  extraConstant: number;
  /** 0: tiered table; 1: one constant segment (Bybit classic, rate 0); 2: one plain-rate segment */
  shape: 0 | 1 | 2;
}

const arbLegShape = (side?: 1 | -1): fc.Arbitrary<LegShape> =>
  fc.record({
    side: side === undefined ? fc.constantFrom<1 | -1>(1, -1) : fc.constant(side),
    sizeMantissa: fc.integer({ min: 1, max: 2_000_000 }),
    entryTicks: fc.integer({ min: 100, max: 20_000_000 }), // 1.00 .. 200000.00
    floorSteps: fc.array(fc.integer({ min: 50, max: 1500 }), { minLength: 0, maxLength: 4 }),
    firstRate: fc.integer({ min: 0, max: 300 }),
    rateSteps: fc.array(fc.integer({ min: 0, max: 600 }), { minLength: 4, maxLength: 4 }),
    extraConstant: fc.integer({ min: 0, max: 100 }),
    shape: fc.constantFrom<0 | 1 | 2>(0, 0, 0, 1, 2),
  });

function buildLeg(s: LegShape, kind: ContractKind, contractSize: number): SolverLeg {
  const entry = decimalOf(s.entryTicks, 2);
  const size = kind === 'linear' ? decimalOf(s.sizeMantissa, 3) : new D(s.sizeMantissa);
  const face = size.mul(contractSize);
  const entryNotional = kind === 'linear' ? size.mul(entry) : face.div(entry);
  // floors at fractions of the entry notional, rounded to 4 decimals so that they are exact
  const floors: Dec[] = [new D(0)];
  let acc = new D(0);
  for (const step of s.floorSteps) {
    acc = acc.add(entryNotional.mul(step).div(1000));
    const floor = acc.toDecimalPlaces(4, Decimal.ROUND_CEIL);
    if (floor.gt(floors[floors.length - 1]!)) floors.push(floor);
  }
  const extra = entryNotional.mul(s.extraConstant).div(10000).toDecimalPlaces(6, Decimal.ROUND_HALF_EVEN);
  let segments: MarginSegment[];
  if (s.shape === 1) {
    segments = [{ floor: fixedOf(new D(0)), cap: undefined, rate: fixedOf(new D(0)), constant: fixedOf(extra.add(entryNotional.mul(s.firstRate).div(10000).toDecimalPlaces(8))) }];
  } else if (s.shape === 2) {
    segments = [{ floor: fixedOf(new D(0)), cap: undefined, rate: fixedOf(decimalOf(s.firstRate, 4)), constant: fixedOf(extra) }];
  } else {
    // continuous: constant_n = constant_{n-1} - floor_n x (rate_n - rate_{n-1})  (i.e. -cum, the recurrence)
    segments = [];
    let rate = decimalOf(s.firstRate, 4);
    let constant = extra;
    floors.forEach((floor, i) => {
      if (i > 0) {
        const next = rate.add(decimalOf(s.rateSteps[i - 1]!, 4));
        constant = constant.sub(floor.mul(next.sub(rate)));
        rate = next;
      }
      const cap = floors[i + 1];
      segments.push({
        floor: fixedOf(floor),
        cap: cap === undefined ? undefined : fixedOf(cap),
        rate: fixedOf(rate),
        constant: fixedOf(constant),
        bracket: i + 1,
      });
    });
  }
  return {
    side: s.side,
    size: fixedOf(size),
    entryPrice: fixedOf(entry),
    kind,
    ...(kind === 'inverse' ? { contractSizeUsd: fixedOf(new D(contractSize)) } : {}),
    segments,
  };
}

const arbKindAndSize = fc.record({
  kind: fc.constantFrom<ContractKind>('linear', 'inverse'),
  contractSize: fc.constantFrom(1, 10, 100),
});

/** The pool as a multiple (per mille, -500 .. 2500) of the first leg's entry notional; the reference price. */
const arbPoolAndReference = fc.record({
  poolPerMille: fc.integer({ min: -500, max: 2500 }),
  poolDust: fc.integer({ min: 0, max: 999_999 }),
  referenceBp: fc.integer({ min: -5000, max: 5000 }),
});

function poolAndReference(legs: readonly SolverLeg[], p: { poolPerMille: number; poolDust: number; referenceBp: number }) {
  const leg = legs[0]!;
  const entry = dec(toScaled(leg.entryPrice));
  const entryNotional = refNotional(leg, entry);
  const pool = entryNotional.mul(p.poolPerMille).div(1000).toDecimalPlaces(6, Decimal.ROUND_DOWN).add(decimalOf(p.poolDust, 12));
  const reference = entry.mul(new D(10000).add(p.referenceBp)).div(10000).toDecimalPlaces(8, Decimal.ROUND_HALF_EVEN);
  return { pool: fixedOf<'Money'>(pool), reference: fixedOf<'Price'>(reference) };
}

// ------------------------------------------------------------------------------------ properties

describe('solveMarginEquation vs a decimal.js bisection reference (60 digits)', () => {
  it('single leg (fast path), linear and inverse, tiered / constant / plain segments', () => {
    fc.assert(
      fc.property(arbKindAndSize, arbLegShape(), arbPoolAndReference, (k, shape, pr) => {
        const legs = [buildLeg(shape, k.kind, k.contractSize)];
        const { pool, reference } = poolAndReference(legs, pr);
        assertAgrees(pool, legs, reference);
      }),
      { numRuns: 300 },
    );
  });

  it('two-leg hedge group (general path): LONG and SHORT of one symbol, each with its own schedule', () => {
    fc.assert(
      fc.property(arbKindAndSize, arbLegShape(1), arbLegShape(-1), arbPoolAndReference, (k, long, short, pr) => {
        const legs = [buildLeg(long, k.kind, k.contractSize), buildLeg(short, k.kind, k.contractSize)];
        const { pool, reference } = poolAndReference(legs, pr);
        assertAgrees(pool, legs, reference);
      }),
      { numRuns: 300 },
    );
  });

  it('two legs on one side (general path)', () => {
    fc.assert(
      fc.property(arbKindAndSize, fc.constantFrom<1 | -1>(1, -1), arbLegShape(), arbLegShape(), arbPoolAndReference, (k, side, a, b, pr) => {
        const legs = [buildLeg({ ...a, side }, k.kind, k.contractSize), buildLeg({ ...b, side }, k.kind, k.contractSize)];
        const { pool, reference } = poolAndReference(legs, pr);
        assertAgrees(pool, legs, reference);
      }),
      { numRuns: 150 },
    );
  });

  it('fast path = general path when a one-segment leg is split in two legs of the same side and entry', () => {
    // With one segment (MM = rate x notional + constant) a leg of size Q equals two legs of sizes
    // Q1 + Q2 = Q with constants c1 + c2 = c, so both paths solve the same equation. Linear: the same
    // exact fraction, so the same price bit for bit. Inverse: each leg's F/EP term is floored at 1e-36
    // separately, which may move the rounded price by at most one unit (1e-18); asserted as such.
    fc.assert(
      fc.property(
        arbKindAndSize,
        arbLegShape(),
        fc.integer({ min: 1, max: 999 }),
        fc.integer({ min: 0, max: 1000 }),
        arbPoolAndReference,
        (k, shape, splitPerMille, constantPerMille, pr) => {
          const whole = buildLeg({ ...shape, shape: shape.shape === 0 ? 2 : shape.shape }, k.kind, k.contractSize);
          const seg = whole.segments[0]!;
          const size = dec(toScaled(whole.size));
          const q1 = (k.kind === 'linear' ? size.mul(splitPerMille).div(1000).toDecimalPlaces(6, Decimal.ROUND_DOWN) : size.mul(splitPerMille).div(1000).floor());
          fc.pre(q1.gt(0) && q1.lt(size));
          const c = dec(toScaled(seg.constant));
          const c1 = c.mul(constantPerMille).div(1000).toDecimalPlaces(6, Decimal.ROUND_DOWN);
          const part = (q: Dec, constant: Dec): SolverLeg => ({
            ...whole,
            size: fixedOf(q),
            segments: [{ ...seg, constant: fixedOf(constant) }],
          });
          const split = [part(q1, c1), part(size.sub(q1), c.sub(c1))];
          const { pool, reference } = poolAndReference([whole], pr);
          const fast = solveMarginEquation(pool, [whole], reference);
          const general = solveMarginEquation(pool, split, reference);
          assert.equal(fast === undefined, general === undefined, `fast ${fast && toScaled(fast)} general ${general && toScaled(general)}`);
          if (fast === undefined || general === undefined) return;
          const units = toScaled(fast) - toScaled(general);
          if (k.kind === 'linear') assert.equal(units, 0n);
          else assert.ok(units >= -1n && units <= 1n, `fast ${toScaled(fast)} general ${toScaled(general)}`);
          assertAgrees(pool, [whole], reference);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('no legs: no price', () => {
    assert.equal(solveMarginEquation(parseFixed('100'), [], parseFixed('1')), undefined);
  });
});
