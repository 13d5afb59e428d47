// How numbers are laid out for people in the terminal: amounts in tables, and fitting tables and text to
// the terminal's width. The rounding rules of the numbers themselves (the README's "Rounding" section) are
// in ../views/numbers.ts, shared with the JSON views.
import Table from 'cli-table3';
import { formatFixedTo, parseFixed, type Rounding } from '../domain/fixed.ts';
import { grouped } from '../views/numbers.ts';

/**
 * A decimal string (as the JSON outputs carry it) for a table: rounded to `decimals` the way the figure is
 * rounded (IM/MM up, PnL and balances down), trailing zeros dropped, thousands grouped, never "-0".
 */
export function amountText(text: string | null, decimals: number, rounding: Rounding): string {
  if (text === null) return '—';
  const shown = formatFixedTo(parseFixed<'Money'>(text), decimals, rounding);
  const trimmed = shown.includes('.') ? shown.replace(/0+$/, '').replace(/\.$/, '') : shown;
  return grouped(trimmed === '-0' ? '0' : trimmed);
}

// ------------------------------------------------------------------------------------ fitting the terminal

let wideOutput = false;

/** `--wide`: print every column whatever the width (set once per run by main.ts). */
export function setWideOutput(on: boolean): void {
  wideOutput = on;
}

/** Columns available to a table: the terminal's width on a TTY, else 100; unlimited under --wide. */
export function outputWidth(): number {
  if (wideOutput) return Number.POSITIVE_INFINITY;
  const columns = process.stdout.isTTY ? process.stdout.columns : undefined;
  return columns !== undefined && columns >= 40 ? columns : DEFAULT_WIDTH;
}
export const DEFAULT_WIDTH = 100;

export interface Column {
  readonly head: string;
  /** Dropped when the table does not fit: the highest rank goes first. Without a rank, always shown. */
  readonly dropRank?: number;
  /** Long text: wrapped (cli-table3 wordWrap) to the width left over, never narrower than `minWidth`. */
  readonly wrap?: boolean;
  readonly minWidth?: number;
  /** Wrap inside words too (paths such as user/main/isolated/BTCUSDT/BOTH have no spaces to break at). */
  readonly breakWords?: boolean;
}

export type CellText = string | number;

export interface FittedTable {
  readonly text: string;
  /** Heads of the columns left out to fit. */
  readonly hidden: readonly string[];
}

const textWidth = (s: string): number => Math.max(0, ...s.split('\n').map((line) => [...line].length));
const PADDING = 2; // cli-table3's one space either side
/** cli-table3's default look, or the one without rules between rows. */
export const COMPACT_CHARS = { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' };

/**
 * A cli-table3 table that fits `width` columns: the least important columns are left out first (highest
 * dropRank), then the wrap columns are narrowed and their text word-wrapped. Under --wide nothing changes.
 */
export function fitTable(
  columns: readonly Column[],
  rows: readonly (readonly CellText[])[],
  options: { width?: number; compact?: boolean; headless?: boolean } = {},
): FittedTable {
  const width = options.width ?? outputWidth();
  const cellText = (r: readonly CellText[], i: number) => String(r[i] ?? '');
  const natural = columns.map((c, i) => Math.max(options.headless ? 1 : textWidth(c.head), ...rows.map((r) => textWidth(cellText(r, i)))) + PADDING);
  // the narrowest a column may get: a wrap column down to its longest word (or minWidth), others not at all
  const longestWord = (i: number) =>
    Math.max(...[options.headless ? '' : columns[i]!.head, ...rows.map((r) => cellText(r, i))].flatMap((t) => t.split(/\s+/)).map((w) => [...w].length));
  const floors = columns.map((c, i) =>
    !c.wrap ? natural[i]! : Math.min(natural[i]!, Math.max(c.minWidth ?? 12, c.breakWords ? 0 : longestWord(i)) + PADDING),
  );
  const total = (ids: readonly number[], widths: readonly number[]) => ids.reduce((sum, i) => sum + widths[i]!, 0) + ids.length + 1;
  let shown = columns.map((_, i) => i);
  // leave out columns only while wrapping the long texts cannot make the table fit
  const byRank = columns
    .map((c, i) => ({ i, rank: c.dropRank }))
    .filter((c): c is { i: number; rank: number } => c.rank !== undefined)
    .sort((a, b) => b.rank - a.rank || b.i - a.i);
  // (breaking inside words, as in user/main/isolated/BTCUSDT/BOTH, is the last resort: it counts at full width here)
  const unbroken = floors.map((f, i) => (columns[i]!.breakWords ? natural[i]! : f));
  for (const { i } of byRank) {
    if (total(shown, unbroken) <= width) break;
    shown = shown.filter((x) => x !== i);
  }
  // then narrow the widest wrap column, one character at a time, so the wrapping is shared out evenly
  const widths = [...natural];
  let excess = total(shown, widths) - width;
  while (excess > 0) {
    const candidates = shown.filter((i) => widths[i]! > floors[i]!);
    if (candidates.length === 0) break;
    const widest = candidates.reduce((a, b) => (widths[b]! > widths[a]! ? b : a));
    widths[widest] = widths[widest]! - 1;
    excess -= 1;
  }
  // rules between rows only where a row takes more than one line
  const wraps = shown.some((i) => widths[i]! < natural[i]!) || rows.some((r) => shown.some((i) => cellText(r, i).includes('\n')));
  const table = new Table({
    ...(options.headless ? {} : { head: shown.map((i) => columns[i]!.head) }),
    colWidths: shown.map((i) => widths[i]!),
    wordWrap: true,
    style: { head: [], border: [] },
    ...(options.compact && !wraps ? { chars: COMPACT_CHARS } : {}),
  });
  for (const r of rows) table.push(shown.map((i) => (columns[i]!.breakWords ? { content: r[i] ?? '', wrapOnWordBoundary: false } : r[i] ?? '')));
  return { text: table.toString(), hidden: columns.filter((_, i) => !shown.includes(i)).map((c) => c.head.replace(/\n/g, ' ')) };
}

/** One line under a table that lost columns, naming them. */
export function hiddenNote(hidden: readonly string[]): string[] {
  return hidden.length === 0 ? [] : [`(left out to fit ${outputWidth()} columns: ${hidden.join(', ')}; --wide shows them)`];
}

/** A two-column table of labelled values, the values wrapped to fit. */
export function keyValueText(rows: readonly (readonly [string, string])[], options: { compact?: boolean; width?: number } = {}): string {
  return fitTable([{ head: '' }, { head: '', wrap: true, minWidth: 20 }], rows, { ...options, headless: true }).text;
}

/** Word-wraps prose to the output width; continuation lines keep the first line's indentation. */
export function wrapText(text: string, width: number = outputWidth()): string {
  if (!Number.isFinite(width)) return text;
  return text
    .split('\n')
    .map((line) => {
      // a table line is already fitted (or is as narrow as its columns allow): never break it
      if ([...line].length <= width || /^[│┌├└]/.test(line)) return line;
      const indent = /^\s*/.exec(line)![0];
      const words = line.slice(indent.length).split(' ');
      const out: string[] = [];
      let current = indent;
      for (const word of words) {
        if (current.trim() !== '' && [...current].length + 1 + [...word].length > width) {
          out.push(current);
          current = indent + '  ' + word;
        } else current = current.trim() === '' ? indent + word : `${current} ${word}`;
      }
      out.push(current);
      return out.join('\n');
    })
    .join('\n');
}

/**
 * Rows collected like a cli-table3 Table (push, toString) and fitted to the output width when printed:
 * a drop-in for the advisor's tables. Plain-string heads become columns that may wrap.
 */
export class FittedRows {
  private readonly rows: CellText[][] = [];
  private readonly columns: readonly Column[];
  constructor(heads: readonly (string | Column)[], private readonly options: { compact?: boolean } = {}) {
    this.columns = heads.map((h) => (typeof h === 'string' ? { head: h, wrap: true, minWidth: 8 } : h));
  }
  push(...rows: (readonly CellText[])[]): number {
    for (const r of rows) this.rows.push([...r]);
    return this.rows.length;
  }
  get length(): number {
    return this.rows.length;
  }
  toString(): string {
    const t = fitTable(this.columns, this.rows, this.options);
    return [t.text, ...hiddenNote(t.hidden)].join('\n');
  }
}
