// The JSON of `perpguard advise chasing`: every isolated position that was topped up, with the warning
// when the top-ups made it de facto cross (undefined as null). Exact values stay fixed-point (toJsonText
// prints them). Pure.
import { chasingWarning, type ChasedPosition } from '../advisor/chasing.ts';

export function chasingJson(source: string, positions: readonly ChasedPosition[]) {
  return { source, positions: positions.map((p) => ({ ...p, warning: chasingWarning(p) ?? null })) };
}
