// A typed engine command back in its journal form (the raw JSON parseCommand reads), so the command log
// holds exactly what the engine applied: decimals as their exact text, unset optionals left out.
import { formatFixed } from '../../domain/fixed.ts';
import type { Command } from '../../engine/commands.ts';

/** The journal operation of `command`; parseCommand(journalForm(c)) gives back c. */
export function journalForm(command: Command): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  // for...in over a command's own fields (a plain object literal): Object.entries built a pair per field, per order
  for (const key in command) {
    const value = (command as Record<string, unknown>)[key];
    if (value === undefined) continue;
    // every decimal of a command (amount, price, quantity, stopPrice, rate) is a bigint fixed point
    out[key] = typeof value === 'bigint' ? formatFixed(value as never) : value;
  }
  return out;
}
