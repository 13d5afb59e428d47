// Calendar dates: real days only.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { calendarDate, isCalendarDate } from './dates.ts';

describe('calendar dates', () => {
  it('refuses dates that do not exist', () => {
    for (const bad of ['2024-13-45', '2023-02-29', '2100-02-29', '2024-04-31', '2024-00-10', '2024-1-5', '24-01-05', '2024-01-05T00:00']) assert.equal(isCalendarDate(bad), false, bad);
    for (const good of ['2024-02-29', '2000-02-29', '1970-01-01', '2024-12-31']) assert.equal(isCalendarDate(good), true, good);
    assert.match(calendarDate.safeParse('2024-13-45').error!.issues[0]!.message, /must be a real date YYYY-MM-DD, got "2024-13-45"/);
  });
  it('agrees with the proleptic Gregorian calendar on every day from 1900 to 2200 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
        const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
        const date = new Date(Date.UTC(y, m - 1, d)); // the test may use the clock's calendar; the core may not
        assert.equal(isCalendarDate(text), date.getUTCMonth() === m - 1 && date.getUTCDate() === d);
      }),
    );
  });
});
