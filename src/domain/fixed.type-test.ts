// Type-level tests: `tsc --noEmit` (the first half of `npm test`) fails if any line marked with an
// expect-error directive compiles, i.e. if units could be mixed. Nothing here runs.
import { add, notional, perQuantity, price, quantity, money, rate, scale, type Money, type Price } from './fixed.ts';

const p = price('50000');
const q = quantity('0.02');
const m = money('100');

// @ts-expect-error Price + Quote (Money) does not compile: an operator on opaque fixed-point values
export const operatorMix = p + m;
// @ts-expect-error and neither does Price + Price: all arithmetic goes through named functions
export const operatorSame = p + p;
// @ts-expect-error add() only takes two amounts of one unit
export const addMix = add(p, m);
// @ts-expect-error a notional is quantity x price, not price x price
export const wrongNotional = notional(p, p, 'halfEven');
// @ts-expect-error a Money is not a Price
export const moneyAsPrice: Price = m;
// @ts-expect-error rounding must be named on every division-like operation
export const unnamedRounding = perQuantity(m, q);

// the right way, for contrast: these compile
export const value: Money = notional(q, p, 'halfEven');
export const distance: Price = perQuantity(m, q, 'ceil');
export const fee: Money = scale(value, rate('0.0005'), 'ceil');
export const total: Money = add(value, fee);
