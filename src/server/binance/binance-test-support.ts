// Helpers of the Binance protocol tests: an engine on binance-usdm driven by commands, and parameters
// built from a plain object as a client would send them.
import assert from 'node:assert/strict';
import { parseFixed } from '../../domain/fixed.ts';
import { apply, type ApplyResult } from '../../engine/apply.ts';
import { parseCommand, type Command } from '../../engine/commands.ts';
import { initialState, type EngineState } from '../../engine/state.ts';
import { mergeParams, type ParamMap } from './params.ts';
import { isBinanceError, type BinanceError } from './errors.ts';

/** A binance-usdm engine with Binance's base fees (taker 0.05 %, maker 0.02 %) and the newest tables. */
export function venue(options: { fees?: { taker: string; maker: string } } = {}): EngineState {
  const fees = options.fees ?? { taker: '0.0005', maker: '0.0002' };
  return initialState({ exchange: 'binance-usdm', fees: { taker: parseFixed(fees.taker), maker: parseFixed(fees.maker) } });
}

let clock = 1_764_000_000_000;
/** Applies journal-form operations (src/engine/commands.ts) in order, each 1 s after the last; all must be accepted. */
export function given(state: EngineState, ops: Record<string, unknown>[]): ApplyResult[] {
  return ops.map((op) => {
    const parsed = parseCommand(op);
    if ('rejection' in parsed) throw new Error(parsed.rejection.message);
    return applyOk(state, parsed.command);
  });
}

export function applyOk(state: EngineState, command: Command): ApplyResult {
  clock += 1000;
  const result = apply(state, command, Math.max(clock, state.time));
  assert.equal(result.rejection, undefined, result.rejection?.message);
  return result;
}

export function applyAny(state: EngineState, command: Command): ApplyResult {
  clock += 1000;
  return apply(state, command, Math.max(clock, state.time));
}

/** Parameters as a form body built from an object (values as the client writes them). */
export function form(entries: Record<string, string>): ParamMap {
  const merged = mergeParams(new URLSearchParams(entries).toString(), '');
  if (isBinanceError(merged)) throw new Error(merged.msg);
  return merged;
}

/** The value of a translation that must succeed. */
export function ok<T>(result: { value: T } | { error: BinanceError }): T {
  if ('error' in result) assert.fail(`refused: ${result.error.code} ${result.error.msg} (${result.error.detail})`);
  return result.value;
}

/** The error of a translation that must be refused. */
export function refused<T>(result: { value: T } | { error: BinanceError }): BinanceError {
  assert.ok('error' in result, 'expected a refusal');
  return result.error;
}
