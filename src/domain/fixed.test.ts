// Unit tests of the fixed-point core: parsing and printing, divRound in every rounding mode, and a
// property check of the rounded arithmetic against decimal.js at 40 significant digits.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { Decimal } from 'decimal.js';
import {
  add,
  coinValue,
  decimalProblem,
  divRound,
  divideBy,
  divideByRate,
  formatFixed,
  formatFixedTo,
  fromScaled,
  notional,
  parseFixed,
  perQuantity,
  ratio,
  roundToStep,
  scale,
  sub,
  toScaled,
  type Rounding,
} from './fixed.ts';

const ROUNDINGS: readonly Rounding[] = ['floor', 'ceil', 'down', 'up', 'halfEven', 'halfUp'];

describe('parseFixed / formatFixed', () => {
  const cases: [input: string, scaled: bigint, printed: string][] = [
    ['0', 0n, '0'],
    ['-0', 0n, '0'],
    ['+0.000', 0n, '0'],
    ['1', 10n ** 18n, '1'],
    ['123.45', 12345n * 10n ** 16n, '123.45'],
    ['-0.004', -4n * 10n ** 15n, '-0.004'],
    ['+7.50', 75n * 10n ** 17n, '7.5'],
    ['  42.1  ', 421n * 10n ** 17n, '42.1'],
    ['0.000000000000000001', 1n, '0.000000000000000001'],
    ['-0.000000000000000001', -1n, '-0.000000000000000001'],
    ['123456789012345678901234567890', 123456789012345678901234567890n * 10n ** 18n, '123456789012345678901234567890'],
    // exponent form
    ['1e-4', 10n ** 14n, '0.0001'],
    ['1E-4', 10n ** 14n, '0.0001'],
    ['2.5e3', 2500n * 10n ** 18n, '2500'],
    ['2.5e+3', 2500n * 10n ** 18n, '2500'],
    ['-1.25e-2', -125n * 10n ** 14n, '-0.0125'],
    ['1e-18', 1n, '0.000000000000000001'],
    ['12e0', 12n * 10n ** 18n, '12'],
    ['0.5e1', 5n * 10n ** 18n, '5'],
    // more than 18 written decimals are fine when the digits beyond the 18th are zeros (exact)
    ['0.1000000000000000000000', 10n ** 17n, '0.1'],
  ];
  for (const [input, scaled, printed] of cases) {
    it(`"${input}" -> ${printed}`, () => {
      const value = parseFixed(input);
      assert.equal(toScaled(value), scaled);
      assert.equal(formatFixed(value), printed);
      assert.equal(decimalProblem(input, '1e30'), undefined);
    });
  }

  // README rounding table: an input perpguard cannot hold exactly is refused, never rounded on reading
  const tooPrecise = ['0.0000000000000000004', '0.0000000000000000015', '3.3333333333333333333333333', '1e-19', '1.5e-18', '1e-30', '-0.0000000000000000025'];
  for (const input of tooPrecise) {
    it(`refuses ${input}: more than 18 decimals`, () => {
      assert.throws(() => parseFixed(input), /has more than 18 decimals/);
      assert.match(decimalProblem(input)!, /has more than 18 decimals/);
    });
  }
  it('input magnitude is bounded at 1e15 (1e400 was accepted), larger bounds on request', () => {
    assert.equal(decimalProblem('1000000000000000'), undefined);
    assert.equal(decimalProblem('-1e15'), undefined);
    assert.match(decimalProblem('1000000000000000.000000000000000001')!, /at most 1e15 in magnitude/);
    assert.match(decimalProblem('1e400')!, /at most 1e15 in magnitude, got "1e400"/);
    assert.match(decimalProblem('-2e15')!, /at most 1e15/);
    assert.equal(decimalProblem('9223372036854775807', '1e19'), undefined);
    assert.equal(toScaled(parseFixed('1e400')), 10n ** 418n); // parseFixed itself is exact and unbounded
  });
  it('the plain-digits shortcut accepts exactly what the full check accepts (the same bound spelled so it takes the full path)', () => {
    const digits = fc.string({ unit: fc.constantFrom('0', '1', '9', '.', '-', 'e', ' '), minLength: 1, maxLength: 40 });
    const plain = fc.tuple(fc.boolean(), fc.stringMatching(/^[0-9]{1,17}$/), fc.option(fc.stringMatching(/^[0-9]{1,20}$/), { nil: undefined })).map(([negative, whole, frac]) => `${negative ? '-' : ''}${whole}${frac === undefined ? '' : `.${frac}`}`);
    fc.assert(
      fc.property(fc.oneof(digits, plain), (text) => {
        assert.equal(decimalProblem(text) === undefined, decimalProblem(text, '1000000000000000') === undefined, text);
      }),
      { numRuns: 3000 },
    );
    assert.equal(decimalProblem('999999999999999.999999999999999999'), undefined);
    assert.match(decimalProblem('999999999999999.9999999999999999999')!, /more than 18 decimals/);
  });

  const bad: unknown[] = ['', ' ', 'abc', '1,000', '1.', '.5', '1.2.3', '0x10', 'NaN', 'Infinity', '-', '+', '1e', 'e5', '1e1000', '1 000', '--1', '1e-', '١٢'];
  for (const input of bad) {
    it(`rejects ${JSON.stringify(input)}`, () => {
      assert.throws(() => parseFixed(input as string), RangeError);
      assert.notEqual(decimalProblem(input), undefined);
    });
  }
  it('names the reason for non-strings (a JSON number must be written as a string)', () => {
    assert.match(decimalProblem(1.5)!, /JSON number 1\.5/);
    assert.match(decimalProblem(null)!, /got null/);
    assert.match(decimalProblem(undefined)!, /got undefined/);
    assert.throws(() => parseFixed(12 as unknown as string), /decimal string/);
  });

  it('formatFixed(parseFixed(x)) round-trips every 18-decimal value (property)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (v) => {
        const text = formatFixed(fromScaled<'Money'>(v));
        assert.equal(toScaled(parseFixed(text)), v);
        assert.equal(D80(text).mul('1e18').toFixed(0), v.toString());
      }),
      { numRuns: 300 },
    );
  });

  it('formatFixedTo rounds to the asked decimals', () => {
    const x = parseFixed<'Price'>('-2.345');
    assert.equal(formatFixedTo(x, 2, 'halfEven'), '-2.34');
    assert.equal(formatFixedTo(x, 2, 'halfUp'), '-2.35');
    assert.equal(formatFixedTo(x, 2, 'floor'), '-2.35');
    assert.equal(formatFixedTo(x, 2, 'ceil'), '-2.34');
    assert.equal(formatFixedTo(x, 0, 'down'), '-2');
    assert.equal(formatFixedTo(parseFixed('-0.004'), 2, 'halfEven'), '0.00'); // no "-0.00"
    assert.equal(formatFixedTo(parseFixed('7'), 3, 'down'), '7.000');
    assert.equal(formatFixedTo(parseFixed('0.000000000000000001'), 18, 'down'), '0.000000000000000001');
  });
});

describe('divRound', () => {
  // [n, d, floor, ceil, down, up, halfEven, halfUp]
  const table: [bigint, bigint, bigint, bigint, bigint, bigint, bigint, bigint][] = [
    [6n, 3n, 2n, 2n, 2n, 2n, 2n, 2n], // exact
    [-6n, 3n, -2n, -2n, -2n, -2n, -2n, -2n],
    [0n, 7n, 0n, 0n, 0n, 0n, 0n, 0n],
    [7n, 3n, 2n, 3n, 2n, 3n, 2n, 2n], // 2.333
    [8n, 3n, 2n, 3n, 2n, 3n, 3n, 3n], // 2.667
    [-7n, 3n, -3n, -2n, -2n, -3n, -2n, -2n],
    [-8n, 3n, -3n, -2n, -2n, -3n, -3n, -3n],
    [5n, 2n, 2n, 3n, 2n, 3n, 2n, 3n], // 2.5: tie, even is 2
    [7n, 2n, 3n, 4n, 3n, 4n, 4n, 4n], // 3.5: tie, even is 4
    [-5n, 2n, -3n, -2n, -2n, -3n, -2n, -3n], // -2.5
    [-7n, 2n, -4n, -3n, -3n, -4n, -4n, -4n], // -3.5
    [1n, 2n, 0n, 1n, 0n, 1n, 0n, 1n], // 0.5
    [-1n, 2n, -1n, 0n, 0n, -1n, 0n, -1n], // -0.5
    [3n, 2n, 1n, 2n, 1n, 2n, 2n, 2n], // 1.5
    [1n, 3n, 0n, 1n, 0n, 1n, 0n, 0n], // 0.333
    [-1n, 3n, -1n, 0n, 0n, -1n, 0n, 0n],
    // negative divisors: the sign of the quotient decides
    [7n, -2n, -4n, -3n, -3n, -4n, -4n, -4n], // -3.5
    [-7n, -2n, 3n, 4n, 3n, 4n, 4n, 4n], // 3.5
    [5n, -3n, -2n, -1n, -1n, -2n, -2n, -2n], // -1.667
    // large values
    [10n ** 40n + 5n, 10n, 10n ** 39n, 10n ** 39n + 1n, 10n ** 39n, 10n ** 39n + 1n, 10n ** 39n, 10n ** 39n + 1n],
  ];
  for (const [n, d, ...expected] of table) {
    it(`${n} / ${d}`, () => {
      ROUNDINGS.forEach((mode, i) => assert.equal(divRound(n, d, mode), expected[i], `${n} / ${d} ${mode}`));
    });
  }
  it('throws on division by zero', () => {
    for (const mode of ROUNDINGS) assert.throws(() => divRound(1n, 0n, mode), RangeError);
  });
  it('agrees with decimal.js on random operands (property)', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }),
        fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }).filter((d) => d !== 0n),
        fc.constantFrom(...ROUNDINGS),
        (n, d, mode) => {
          const expected = D80(n.toString()).div(d.toString()).toDecimalPlaces(0, DECIMAL_MODE[mode]);
          assert.equal(divRound(n, d, mode).toString(), expected.toFixed(0));
        },
      ),
      { numRuns: 500 },
    );
  });
});

// ------------------------------------------------------------------------- against decimal.js

const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_EVEN });
const D80 = Decimal.clone({ precision: 80, rounding: Decimal.ROUND_HALF_EVEN });
const DECIMAL_MODE: Record<Rounding, Decimal.Rounding> = {
  floor: Decimal.ROUND_FLOOR,
  ceil: Decimal.ROUND_CEIL,
  down: Decimal.ROUND_DOWN,
  up: Decimal.ROUND_UP,
  halfEven: Decimal.ROUND_HALF_EVEN,
  halfUp: Decimal.ROUND_HALF_UP, // decimal.js HALF_UP = half away from zero, as divRound's halfUp
};

/** A random decimal with at most `intDigits` integer digits and at most `fracDigits` decimals, as a string. */
function arbDecimal(intDigits: number, fracDigits = 18, allowNegative = true): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.bigInt({ min: 0n, max: 10n ** BigInt(intDigits) - 1n }),
      fc.integer({ min: 0, max: fracDigits }),
      fc.bigInt({ min: 0n, max: 10n ** BigInt(fracDigits) - 1n }),
      fc.boolean(),
    )
    .map(([whole, decimals, frac, negative]) => {
      const fraction = decimals === 0 ? '' : '.' + frac.toString().padStart(fracDigits, '0').slice(0, decimals);
      const value = new Decimal(whole.toString() + fraction);
      return (allowNegative && negative && !value.isZero() ? '-' : '') + value.toFixed();
    });
}

/** decimal.js value (40 digits: every product below needs at most 36) rounded to 18 decimals, as scaled bigint. */
function scaled18(x: Decimal, mode: Rounding): bigint {
  return BigInt(x.toDecimalPlaces(18, DECIMAL_MODE[mode]).mul('1e18').toFixed(0));
}

describe('rounded arithmetic matches decimal.js at 40 digits', () => {
  it('add / sub are exact', () => {
    fc.assert(
      fc.property(arbDecimal(20), arbDecimal(20), (a, b) => {
        const x = parseFixed<'Money'>(a);
        const y = parseFixed<'Money'>(b);
        assert.equal(toScaled(add(x, y)), scaled18(D(a).add(b), 'down'));
        assert.equal(toScaled(sub(x, y)), scaled18(D(a).sub(b), 'down'));
        assert.equal(formatFixed(add(x, y)), D(a).add(b).toFixed());
      }),
      { numRuns: 300 },
    );
  });

  // A product of two 18-decimal values has at most (digits of a) + (digits of b) significant digits.
  // Both generators keep that sum <= 40, so the 40-digit decimal.js product is exact and its rounding to
  // 18 decimals is the true one: (2 int + 18 dec) x (2 int + 18 dec), and a realistic price
  // (8 int + 10 dec) x quantity (6 int + 12 dec) -> at most 36 digits.
  it('scale / notional (multiplication with rounding)', () => {
    const check = (a: string, r: string, mode: Rounding) => {
      const exact = D(a).mul(r);
      assert.equal(toScaled(scale(parseFixed<'Money'>(a), parseFixed<'Rate'>(r), mode)), scaled18(exact, mode), `${a} x ${r} ${mode}`);
      assert.equal(toScaled(notional(parseFixed(r), parseFixed(a), mode)), scaled18(exact, mode), `${r} x ${a} ${mode}`);
    };
    fc.assert(fc.property(arbDecimal(2), arbDecimal(2), fc.constantFrom(...ROUNDINGS), check), { numRuns: 400 });
    fc.assert(fc.property(arbDecimal(8, 10), arbDecimal(6, 12), fc.constantFrom(...ROUNDINGS), check), { numRuns: 400 });
  });

  it('ratio / perQuantity / divideByRate / divideBy / coinValue (division with rounding)', () => {
    // a / b rounded to 18 decimals. A quotient is a fraction k / raw(b) of 1e-18 units (raw(b) <= 1e18
    // here), so unless it is exactly on a rounding boundary (integer or half unit) it is at least
    // 1 / (2 raw(b)) >= 5e-19 units away from one. decimal.js at 40 digits could round a quotient onto
    // a boundary; at 80 digits (>= 50 digits past the 18th decimal for quotients below 1e15) it cannot,
    // so the division reference uses 80 digits (D80); multiplication and addition use 40 (exact there).
    fc.assert(
      fc.property(
        arbDecimal(8),
        arbDecimal(6, 12).filter((b) => new Decimal(b).abs().gte('1e-6')),
        fc.constantFrom(...ROUNDINGS),
        (a, b, mode) => {
          const expected = scaled18(D80(a).div(b), mode);
          assert.equal(toScaled(ratio(parseFixed<'Money'>(a), parseFixed<'Money'>(b), mode)), expected, `${a} / ${b} ${mode}`);
          assert.equal(toScaled(perQuantity(parseFixed(a), parseFixed(b), mode)), expected);
          assert.equal(toScaled(divideByRate(parseFixed<'Money'>(a), parseFixed<'Rate'>(b), mode)), expected);
          if (new Decimal(b).gt(0)) {
            const usdText = new Decimal(a).abs().toFixed();
            assert.equal(toScaled(coinValue(parseFixed(usdText), parseFixed(b), mode)), scaled18(D80(usdText).div(b), mode));
          }
        },
      ),
      { numRuns: 400 },
    );
    fc.assert(
      fc.property(arbDecimal(20), fc.integer({ min: 1, max: 1000 }), fc.constantFrom(...ROUNDINGS), (a, k, mode) => {
        assert.equal(toScaled(divideBy(parseFixed<'Money'>(a), k, mode)), scaled18(D80(a).div(k), mode));
      }),
      { numRuns: 300 },
    );
  });

  it('roundToStep', () => {
    fc.assert(
      fc.property(arbDecimal(8), fc.constantFrom('0.1', '0.5', '0.01', '1', '25', '0.00001'), fc.constantFrom(...ROUNDINGS), (a, step, mode) => {
        const got = roundToStep(parseFixed<'Price'>(a), parseFixed<'Price'>(step), mode);
        const expected = D80(a).div(step).toDecimalPlaces(0, DECIMAL_MODE[mode]).mul(step);
        assert.equal(formatFixed(got), expected.toFixed());
      }),
      { numRuns: 300 },
    );
    assert.throws(() => roundToStep(parseFixed<'Price'>('1'), parseFixed<'Price'>('0'), 'floor'), RangeError);
  });
});
