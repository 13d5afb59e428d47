// The seeded fuzz of the deep tier (and its few-seed version in npm test): a venue's random workload
// (./workload.ts) through apply(), every invariant of src/engine/invariants.ts after every step. Pure: the
// runner (test/deep/fuzz-shard.ts) prints and writes files.
//
// Every operation runs the way a journal runs (time = the state's time; funding carries its own time),
// so the operations up to a failing step, with the setup, ARE a journal (vectors/README.md "Operation
// journal") that replays the failure exactly: journalOfFailure() builds it for test/regressions/.
import { parseCommand } from '../engine/commands.ts';
import { InvariantChecker, InvariantViolation } from '../engine/invariants.ts';
import { stateOfSetup, type JournalInput } from '../engine/journal.ts';
import type { EngineState } from '../engine/state.ts';
import { Workload } from './workload.ts';
import { configOfSeed, setupOf, workloadStart, type VenueSpec, type WorkloadConfig } from './workload-setup.ts';

export interface FuzzStats {
  ops: number;
  accepted: number;
  rejected: number;
  liquidations: number;
  partialLiquidations: number;
  insurancePayouts: number;
  fills: number;
  rebates: number;
  funding: number;
  fundingRefused: number;
  extremeMarks: number;
  marginMoves: number;
  leverageChanges: number;
  modeChanges: number;
  transfers: number;
  reduceOnly: number;
}

export function emptyStats(): FuzzStats {
  return {
    ops: 0,
    accepted: 0,
    rejected: 0,
    liquidations: 0,
    partialLiquidations: 0,
    insurancePayouts: 0,
    fills: 0,
    rebates: 0,
    funding: 0,
    fundingRefused: 0,
    extremeMarks: 0,
    marginMoves: 0,
    leverageChanges: 0,
    modeChanges: 0,
    transfers: 0,
    reduceOnly: 0,
  };
}

export function addStats(total: FuzzStats, more: FuzzStats): void {
  for (const key of Object.keys(total) as (keyof FuzzStats)[]) total[key] += more[key];
}

export interface FuzzFailure {
  readonly step: number;
  readonly message: string;
  /** The operations up to and including the failing one, with the setup: a regression journal. */
  readonly journal: JournalInput & { id: string; source: string };
}

export interface FuzzResult {
  readonly config: WorkloadConfig;
  readonly stats: FuzzStats;
  readonly final: EngineState;
  readonly failure?: FuzzFailure;
}

/** Runs one seed on one venue for `ops` operations, checking after every step; stops at the first violation. */
export function fuzzSeed(seed: number, venue: VenueSpec, ops: number): FuzzResult {
  const config = configOfSeed(seed, venue);
  const start = workloadStart(config);
  let state = start.state;
  const checker = new InvariantChecker(state, start.transfers, { fullAuditEvery: 2_500, mutationCheckEvery: 8 });
  const workload = new Workload(config);
  const stats = emptyStats();
  const raws: Record<string, unknown>[] = [];
  for (let i = 0; i < ops; i++) {
    let op;
    try {
      op = workload.next(state);
    } catch (error) {
      // a generator bug, not an engine one: reported as a failure all the same (the journal is the prefix)
      const message = `the workload generator threw: ${(error as Error).stack ?? String(error)}`;
      return { config, stats, final: state, failure: { step: i - 1, message, journal: journalOf(config, raws, i - 1, message) } };
    }
    raws.push(op.raw);
    stats.ops += 1;
    const parsed = parseCommand(op.raw);
    if ('rejection' in parsed) {
      stats.rejected += 1;
      continue;
    }
    try {
      const result = checker.step(state, parsed.command, state.time, i);
      if (result.rejection) {
        stats.rejected += 1;
        if (parsed.command.op === 'funding') stats.fundingRefused += 1;
        continue;
      }
      state = result.state;
      stats.accepted += 1;
      stats.transfers += result.transfers.length;
      if (op.kind === 'mark/extreme') stats.extremeMarks += 1;
      if (op.kind.includes('reduceOnly')) stats.reduceOnly += 1;
      const c = parsed.command;
      if (c.op === 'addMargin' || c.op === 'reduceMargin') stats.marginMoves += 1;
      if (c.op === 'setLeverage') stats.leverageChanges += 1;
      if (c.op === 'setMarginMode' || c.op === 'setPositionMode') stats.modeChanges += 1;
      for (const e of result.events) {
        if (e.type === 'liquidation') stats.liquidations += 1;
        else if (e.type === 'partialLiquidation') stats.partialLiquidations += 1;
        else if (e.type === 'fill') {
          stats.fills += 1;
          if ((e.fee as unknown as bigint) < 0n) stats.rebates += 1;
        } else if (e.type === 'funding') stats.funding += 1;
      }
    } catch (error) {
      const message = error instanceof InvariantViolation ? error.message : `apply threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`;
      return { config, stats, final: state, failure: { step: i, message, journal: journalOf(config, raws, i, message) } };
    }
  }
  stats.insurancePayouts = checker.insurancePayouts;
  try {
    checker.finish(state);
  } catch (error) {
    const message = (error as Error).message;
    return { config, stats, final: state, failure: { step: ops - 1, message, journal: journalOf(config, raws, ops - 1, message) } };
  }
  return { config, stats, final: state };
}

function journalOf(config: WorkloadConfig, raws: Record<string, unknown>[], step: number, message: string): FuzzFailure['journal'] {
  const venue = config.venue!;
  return {
    id: `fuzz-${venue.exchange}-${venue.asset}-${config.seed}-step-${step}`,
    source: `deep fuzz (src/testing/fuzz.ts), venue ${venue.name}, seed ${config.seed}, failed at step ${step}: ${message.split('\n')[0]!.slice(0, 400)}`,
    setup: setupOf(config),
    ops: raws.slice(0, step + 1),
  };
}

/**
 * Replays a journal with the invariant checker after every step (the regression test). Returns the
 * violation message, or undefined when every step holds.
 */
export function replayChecked(journal: JournalInput): string | undefined {
  const { state: initial, transfers } = stateOfSetup(journal.setup);
  let state = initial;
  const checker = new InvariantChecker(state, transfers, { fullAuditEvery: 1_000, mutationCheckEvery: 8 });
  for (let i = 0; i < journal.ops.length; i++) {
    const parsed = parseCommand(journal.ops[i]);
    if ('rejection' in parsed) continue;
    try {
      state = checker.step(state, parsed.command, state.time, i).state;
    } catch (error) {
      return `step ${i}: ${error instanceof Error ? error.message : String(error)}`;
    }
  }
  try {
    checker.finish(state);
  } catch (error) {
    return `finish: ${(error as Error).message}`;
  }
  return undefined;
}

/** A journal as text, one operation per line (regression journals run to thousands of operations). */
export function journalText(journal: FuzzFailure['journal']): string {
  const { ops, ...head } = journal;
  const top = JSON.stringify(head, null, 2).replace(/\n}$/, '');
  return `${top},\n  "ops": [\n${ops.map((o) => `    ${JSON.stringify(o)}`).join(',\n')}\n  ]\n}\n`;
}
