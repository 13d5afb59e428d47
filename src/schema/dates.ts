// Calendar dates in input (a snapshot's asOf, a journal's setup): real days only. Pure: no I/O.
import { z } from 'zod';

/** A real calendar date YYYY-MM-DD (2024-13-45 and 2023-02-29 are refused). */
export const calendarDate = z.string({ error: 'must be a date YYYY-MM-DD' }).refine(isCalendarDate, { error: (issue) => `must be a real date YYYY-MM-DD, got "${String(issue.input)}"` });

export function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  return days !== undefined && day >= 1 && day <= days;
}
