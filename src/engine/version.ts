// Which engine and which market tables produced a log: a command log replays to the same state only on
// the same rules and the same maintenance tables, so a journal may record both (setup.engine,
// setup.tables) and a replay on anything else is reported instead of silently giving other numbers.
import { createHash } from 'node:crypto';
import { formatFixed } from '../domain/fixed.ts';
import type { ExchangeId, Market } from '../exchanges/rules.ts';
import { marketOf, type EngineState } from './state.ts';

/** package.json's version. A constant, because the core reads no files; a test keeps the two equal. */
export const PACKAGE_VERSION = '0.1.0';
/**
 * Bumped whenever the engine's behaviour changes for the same commands (a rule, a rounding, an order's
 * outcome), even within one package version. 1: order statuses, trades and the ids/times of issue 10.
 */
export const ENGINE_REVISION = 1;
export const ENGINE_VERSION = `${PACKAGE_VERSION}+engine.${ENGINE_REVISION}`;

/** The identity of one market's table as the engine resolved it. */
export interface TableIdentity {
  readonly venue: ExchangeId;
  readonly symbol: string;
  /** The bracket (or size-tier) table's first day in force and its source; null for a market without one. */
  readonly effectiveFrom: string | null;
  readonly source: string | null;
  /**
   * sha256 (first 16 hex digits) of every margin fact of the market, keys sorted: kind, settlement asset,
   * contract size, tick, step, max leverage, liquidation fee rate and each tier (floor, cap, MMR,
   * maintenance amount, max leverage). Two tables with the same date and source but other numbers (a
   * `markets` entry, an imported table) differ here.
   */
  readonly hash: string;
}

export function tableIdentity(venue: ExchangeId, market: Market): TableIdentity {
  const table = market.brackets ?? market.sizeTiers;
  const { bracketsExtrapolated: _derived, ...facts } = market;
  const hash = createHash('sha256').update(canonical(facts)).digest('hex').slice(0, 16);
  return { venue, symbol: market.symbol, effectiveFrom: table?.effectiveFrom ?? null, source: table?.source ?? null, hash };
}

/** The identities of the tables of `symbols` (sorted) as `state` resolves them; unknown symbols are left out. */
export function tablesOf(state: EngineState, symbols: Iterable<string>): TableIdentity[] {
  return [...new Set(symbols)]
    .sort()
    .flatMap((symbol) => {
      const market = marketOf(state, symbol);
      return market ? [tableIdentity(state.config.exchange, market)] : [];
    });
}

/** What differs between a recorded engine and tables and the running ones: the field, both versions. */
export function versionProblem(
  recorded: { readonly engine?: string | undefined; readonly tables?: readonly TableIdentity[] | undefined },
  state: EngineState,
): { readonly field: string; readonly reason: string } | undefined {
  if (recorded.engine !== undefined && recorded.engine !== ENGINE_VERSION) {
    return { field: 'setup.engine', reason: `the log was recorded by engine ${recorded.engine}, this is engine ${ENGINE_VERSION}` };
  }
  for (const [i, table] of (recorded.tables ?? []).entries()) {
    const running = tablesOf(state, [table.symbol])[0];
    const show = (t: TableIdentity | undefined) => (t ? `${t.venue} ${t.symbol} ${t.effectiveFrom ?? 'no table'} (${t.source ?? 'no source'}) #${t.hash}` : `no ${state.config.exchange} market ${table.symbol}`);
    if (!running || running.venue !== table.venue || running.hash !== table.hash || running.effectiveFrom !== table.effectiveFrom) {
      return { field: `setup.tables[${i}]`, reason: `the log was recorded with ${show(table)}, this engine resolves ${show(running)}` };
    }
  }
  return undefined;
}

/** JSON with object keys sorted and fixed-point values as decimal strings: the same facts, the same text. */
function canonical(value: unknown): string {
  if (typeof value === 'bigint') return JSON.stringify(formatFixed(value as never));
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
