// The account before the first bar: the engine's state for the spec's exchange, fees and markets, the
// starting wallet deposited, each leg's margin mode and leverage set. It is the same for every path of a
// Monte Carlo run, so the run's context (./context.ts) builds it once per (spec, mode, start time).
import { parseFixed } from '../domain/fixed.ts';
import { apply, type EngineEvent } from '../engine/apply.ts';
import type { Command } from '../engine/commands.ts';
import type { Transfer } from '../engine/ledger.ts';
import { DEFAULT_USER, initialState, marketOf, type EngineState } from '../engine/state.ts';
import type { AccountKernel } from '../exchanges/account-kernel.ts';
import type { Market } from '../exchanges/rules.ts';
import type { LegSpec, ModeName, Spec } from './spec.ts';
import type { FloatLegMemo } from './float-account.ts';

export interface AccountSetup {
  readonly state: EngineState;
  /** The number of the next command in the run's log. */
  readonly op: number;
  readonly events: readonly (EngineEvent & { time: number })[];
  readonly transfers: readonly Transfer[];
  /** The settlement asset of the first leg's market: the wallet's currency. */
  readonly asset: string;
  /** The float64 mirrors' legs built by its replays, taken back while they mirror the same engine leg. */
  readonly floatLegs: FloatLegMemo;
  /** The exact kernels its replays prepared, taken back while they fit (ReplayRun.kernelFor). */
  readonly kernels: AccountKernel[];
}

/** The set-up account of (spec, mode, start time); `markets` are the spec's own (resolved by the context). */
export function buildAccountSetup(spec: Spec, mode: ModeName, legs: readonly LegSpec[], startMs: number, markets: readonly Market[], assertInvariants = false): AccountSetup {
  let state = initialState({
    exchange: spec.exchange,
    ...(spec.fees ? { fees: { taker: parseFixed(spec.fees.taker), maker: parseFixed(spec.fees.maker) } } : {}),
    ...(spec.marginCallRatio ? { marginCallRatio: parseFixed(spec.marginCallRatio) } : {}),
    brackets: 'time',
    time: startMs,
    markets,
    assertInvariants,
  });
  const asset = marketOf(state, legs[0]!.symbol)?.settleAsset;
  if (!asset) throw new RangeError(`${legs[0]!.symbol} is not a market of ${spec.exchange}`);
  const events: (EngineEvent & { time: number })[] = [];
  const transfers: Transfer[] = [];
  let op = 0;
  // rejections are not expected here and, as in the run itself, leave the state as it was
  const exec = (command: Command) => {
    const result = apply(state, command, startMs, op++);
    state = result.state;
    for (const e of result.events) events.push({ ...e, time: startMs });
    for (const t of result.transfers) transfers.push({ ...t, seq: transfers.length });
  };
  exec({ op: 'deposit', account: DEFAULT_USER, asset, amount: parseFixed<'Money'>(spec.wallet) });
  for (const leg of legs) {
    if (!marketOf(state, leg.symbol)) throw new RangeError(`${leg.symbol} is not a market of ${spec.exchange}`);
    // breakout opens isolated and moves a confirmed trade to cross later (./strategies/breakout.ts)
    const initialMode = spec.strategy.kind === 'breakout' && mode !== 'cross' ? 'isolated' : leg.marginMode;
    if (initialMode === 'isolated') exec({ op: 'setMarginMode', account: DEFAULT_USER, symbol: leg.symbol, mode: 'isolated' });
    exec({ op: 'setLeverage', account: DEFAULT_USER, symbol: leg.symbol, leverage: leg.leverage });
  }
  return { state, op, events, transfers, asset, floatLegs: new Map(), kernels: [] };
}

