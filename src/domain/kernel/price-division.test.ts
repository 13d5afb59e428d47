// The exact quotient in doubles (divideScaled) and the money pairs (splitInto, pairOfRaw) against plain
// bigint arithmetic: random operands across the ranges the kernel allows, and the edges (an exact
// quotient, a quotient on the reference, a carry into the next limb, operands past 2^53).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../testing/prng.ts';
import { DigitsMemo, chunkDigits, divideScaled } from './price-division.ts';
import { MONEY_UNIT, pairOfRaw, splitInto } from './money-pair.ts';

/** The reference: floor(N x 10^shift / den), N = whole x 10^15 + fraction, up when below the reference and inexact. */
function expected(whole: number, fraction: number, shift: number, den: number, reference: bigint): bigint {
  const num = (BigInt(whole) * 10n ** 15n + BigInt(fraction)) * 10n ** BigInt(shift);
  const floor = num / BigInt(den);
  return floor * BigInt(den) !== num && floor < reference ? floor + 1n : floor;
}

function divide(whole: number, fraction: number, shift: number, den: number, reference: bigint): bigint | null {
  return divideScaled(whole, fraction, 15, shift, den, 1 / den, chunkDigits(den), reference, Number(reference), new DigitsMemo());
}

describe('divideScaled', () => {
  it('equals the bigint quotient, rounded toward the reference, on 20,000 random operands', () => {
    const rng = new Rng(7);
    let checked = 0;
    for (let n = 0; n < 20_000; n++) {
      const whole = rng.int(0, 10 ** rng.int(0, 9));
      const fraction = rng.chance(0.1) ? 0 : rng.int(0, 999_999) * 1e9 + rng.int(0, 999_999_999);
      const den = rng.int(1, 10 ** rng.int(1, 12));
      const shift = rng.int(0, 12);
      if (whole === 0 && fraction === 0) continue;
      const floor = expected(whole, fraction, shift, den, 0n);
      // references below, at and above the quotient
      const reference = rng.pick([floor - 1n, floor, floor + 1n, floor * 2n, floor / 2n]);
      const got = divide(whole, fraction, shift, den, reference);
      if (got === null) continue; // refused: the caller solves in bigints
      assert.equal(got, expected(whole, fraction, shift, den, reference), `${whole} ${fraction} ${shift} ${den} ${reference}`);
      checked++;
    }
    assert.ok(checked > 19_000, `only ${checked} quotients in doubles`);
  });

  it('an exact quotient is not rounded; an inexact one below the reference is rounded up', () => {
    // 3 x 10^15 / 4 = 750,000,000,000,000 exactly, whatever the reference
    assert.equal(divide(3, 0, 0, 4, 10n ** 18n), 750_000_000_000_000n);
    // 1 / 3 x 10^15 -> 333333333333333.33..: floor, or up when below the reference
    assert.equal(divide(1, 0, 0, 3, 0n), 333_333_333_333_333n);
    assert.equal(divide(1, 0, 0, 3, 10n ** 18n), 333_333_333_333_334n);
  });

  it('refuses what does not fit: a numerator at 2^53 with its denominator', () => {
    assert.equal(divide(2 ** 53 - 1, 0, 0, 2, 0n), null);
  });

  it('a row memo hands back the same bigint for the same digits, a new one for new digits', () => {
    const memo = new DigitsMemo();
    const first = divideScaled(12345, 678, 15, 6, 997, 1 / 997, chunkDigits(997), 0n, 0, memo);
    assert.equal(divideScaled(12345, 678, 15, 6, 997, 1 / 997, chunkDigits(997), 0n, 0, memo), first);
    assert.equal(divideScaled(12346, 678, 15, 6, 997, 1 / 997, chunkDigits(997), 0n, 0, memo), expected(12346, 678, 6, 997, 0n));
  });
});

describe('money pairs', () => {
  it('splitInto gives whole + fraction / 10^15 = x / 10^d exactly, negative values floored', () => {
    const out = new Float64Array(2);
    const rng = new Rng(11);
    for (let n = 0; n < 5_000; n++) {
      const d = rng.int(0, 15);
      const x = (rng.chance(0.5) ? -1 : 1) * rng.int(0, 2 ** 40);
      assert.ok(splitInto(x, 10 ** d, 10 ** (15 - d), out, 0));
      const [whole, fraction] = [out[0]!, out[1]!];
      assert.ok(fraction >= 0 && fraction < MONEY_UNIT);
      assert.equal(BigInt(whole) * 10n ** 15n + BigInt(fraction), BigInt(x) * 10n ** BigInt(15 - d));
    }
    assert.equal(splitInto(2 ** 52, 1, MONEY_UNIT, out, 0), false);
  });

  it('pairOfRaw reads a raw fixed-point amount exactly, or refuses more than 15 decimals', () => {
    const out = new Float64Array(2);
    assert.ok(pairOfRaw(-1_500_000_000_000_000_001_000n, out, 0)); // -1500.000000000000001
    assert.deepEqual([...out], [-1501, 999_999_999_999_999]);
    assert.ok(pairOfRaw(421_481_450n * 10n ** 18n, out, 0));
    assert.deepEqual([...out], [421_481_450, 0]);
    assert.equal(pairOfRaw(1n, out, 0), false); // 10^-18
  });
});
