// An account from files: a perpguard snapshot as before, or any response importAccount recognises, with
// the optional --balance and --brackets files. The imported snapshot is validated by the same schema as a
// hand-written one; its errors name the imported position so the user can find it in their file.
import { readFileSync } from 'node:fs';
import type { BracketTable } from '../../domain/tiers.ts';
import { resolveSnapshot } from '../../exchanges/snapshot.ts';
import { InputError } from '../../schema/input-error.ts';
import type { AccountSnapshot } from '../../exchanges/rules.ts';
import { importAccount, type ImportedAccount, type ImportOptions } from './detect.ts';

export interface AccountFiles {
  /** How messages name the main input: its file name, or "the input" for standard input. */
  readonly label: string;
  readonly balance?: string;
  readonly brackets?: string;
  readonly exchange?: string;
  /** Bracket tables from --tiers (a ccxt fetchLeverageTiers dump). */
  readonly tiers?: readonly BracketTable[];
}

export interface LoadedAccount {
  readonly snapshot: AccountSnapshot;
  /** Present when the input was an exchange's or ccxt's response rather than a perpguard snapshot. */
  readonly imported?: ImportedAccount;
}

function readText(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(flag, `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

/** JSON text, or the same one-line error the snapshot parser gives (field empty for the main input). */
function parseJson(text: string, field: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError(field, `${field ? 'the file' : 'the input'} is not valid JSON (${(error as Error).message})`);
  }
}

/** Parsed documents in, account out: the pure part of loadAccount (tests call it directly). */
export function accountOf(main: { label: string; json: unknown }, extra: readonly { label: string; json: unknown }[], options: ImportOptions & { tiers?: readonly BracketTable[] }): LoadedAccount {
  const tiers = options.tiers ?? [];
  const imported = importAccount([main, ...extra], options.exchange === undefined ? {} : { exchange: options.exchange });
  if (!imported) {
    if (extra.length > 0) throw new InputError(extra[0]!.label, `is for imported positions; a perpguard snapshot carries its own walletBalance and markets`);
    if (options.exchange !== undefined) throw new InputError('--exchange', 'is for imported ccxt positions; a perpguard snapshot names its own exchange');
    return { snapshot: resolveSnapshot(main.json, tiers.length > 0 ? { brackets: tiers } : {}) };
  }
  try {
    return { snapshot: resolveSnapshot(imported.snapshot, { brackets: [...imported.brackets, ...tiers] }), imported };
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const m = /^positions\[(\d+)\](.*)$/.exec(error.field);
    const position = m ? imported.snapshot.positions[Number(m[1])] : undefined;
    const field = position ? `${main.label}: ${position.symbol} ${position.side}${m![2] ? ` ${m![2].replace(/^\./, '')}` : ''}` : `${main.label}: ${error.field}`;
    // the schema's advice names a snapshot's "markets"; an import takes them beside "positions"
    const hint = /under "markets"|"markets" entry/.test(error.reason) ? '; beside imported positions: {"positions": [...], "balance": {...}, "markets": {...}}' : '';
    throw new InputError(field, `${error.reason}${hint} (imported from ${imported.format})`);
  }
}

/** The main input's text (read by the caller: a file or standard input) and the files named by flags. */
export function loadAccount(text: string, files: AccountFiles): LoadedAccount {
  const main = { label: files.label, json: parseJson(text, '') };
  const extra: { label: string; json: unknown }[] = [];
  if (files.balance !== undefined) extra.push({ label: '--balance', json: parseJson(readText(files.balance, '--balance'), '--balance') });
  if (files.brackets !== undefined) extra.push({ label: '--brackets', json: parseJson(readText(files.brackets, '--brackets'), '--brackets') });
  return accountOf(main, extra, { ...(files.exchange !== undefined ? { exchange: files.exchange } : {}), ...(files.tiers ? { tiers: files.tiers } : {}) });
}
