// A sweep's results file (`perpguard sweep --out FILE`): JSON lines, the plan first, then one finished
// unit per line as it comes in. An interrupted sweep leaves every line it wrote (a half-written last line
// is ignored), so running the same command again continues with the units still missing, and a finished
// sweep is shown again without running anything. A file of another plan is refused, not overwritten.
import { createHash } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { InputError } from '../schema/input-error.ts';
import type { SweepPlan, UnitResult } from '../sim/sweep.ts';

const FORMAT = 'perpguard-sweep/1';

/** A short digest of the plan: the same sweep has the same id on every machine (the queue's job ids use it). */
export function planId(plan: SweepPlan): string {
  return createHash('sha256').update(JSON.stringify(plan)).digest('hex').slice(0, 16);
}

export interface SweepStore {
  readonly results: Map<string, UnitResult>;
  add(result: UnitResult): void;
}

/** Results kept in memory only (no --out). */
export function memoryStore(): SweepStore {
  const results = new Map<string, UnitResult>();
  return { results, add: (r) => void results.set(r.key, r) };
}

export function fileStore(file: string, plan: SweepPlan): SweepStore {
  const results = new Map<string, UnitResult>();
  const id = planId(plan);
  if (existsSync(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new InputError('--out', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    const lines = text.split('\n');
    let header: { format?: string; id?: string } | undefined;
    try {
      header = JSON.parse(lines[0] ?? '') as { format?: string; id?: string };
    } catch {
      header = undefined;
    }
    if (header?.format !== FORMAT) throw new InputError('--out', `${file} is not a perpguard sweep file: give a new file name`);
    if (header.id !== id) throw new InputError('--out', `${file} holds another sweep (plan ${header.id}, this one is ${id}): give a new file name, or the first sweep's flags`);
    for (const line of lines.slice(1)) {
      if (line.trim() === '') continue;
      try {
        const r = JSON.parse(line) as UnitResult;
        results.set(r.key, r);
      } catch {
        // the line an interrupted run was writing: that unit runs again
      }
    }
    // a torn last line must not glue itself to the next record
    if (!text.endsWith('\n')) appendFileSync(file, '\n');
  } else {
    try {
      writeFileSync(file, JSON.stringify({ format: FORMAT, id, plan }) + '\n');
    } catch (error) {
      throw new InputError('--out', `cannot write ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
  }
  return {
    results,
    add(result) {
      results.set(result.key, result);
      appendFileSync(file, JSON.stringify(result) + '\n');
    },
  };
}
