// Records keyed by user-supplied names (symbols, accounts) that never touch Object.prototype. Pure: no I/O.
import { z } from 'zod';

/**
 * A record keyed by user-supplied names (symbols, accounts). The result has no prototype, so a name such
 * as "constructor" or "toString" finds only its own entry; "__proto__" is refused (JSON.parse keeps it as
 * an own key, but assigning it to an object would replace the prototype instead of adding an entry).
 */
export function nameRecord<V extends z.ZodType>(value: V) {
  const refuseProto = (input: unknown, ctx: { issues: z.core.$ZodRawIssue[] }) => {
    if (typeof input === 'object' && input !== null && Object.hasOwn(input, '__proto__')) {
      ctx.issues.push({ code: 'custom', message: 'is not a name perpguard accepts', path: ['__proto__'], input });
    }
    return input;
  };
  return z.preprocess(refuseProto, z.record(z.string(), value)).transform((record) => Object.assign(Object.create(null) as Record<string, z.output<V>>, record));
}

/** The own entry of a record keyed by a user-supplied name (never one inherited from Object.prototype). */
export function ownEntry<V>(record: Readonly<Record<string, V>> | undefined, name: string): V | undefined {
  return record !== undefined && Object.hasOwn(record, name) ? record[name] : undefined;
}
