// JSON text of a view: fixed-point values (bigints at run time) as their decimal strings, indented.
import { formatFixed } from '../domain/fixed.ts';

/** JSON with every fixed-point value (a bigint at run time) as its decimal string. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? formatFixed(v as never) : v), 2);
}
