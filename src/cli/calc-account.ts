// `perpguard calc` on any account input: a snapshot, or an exchange's / ccxt's response imported on the
// way in (src/io/import), with --compare setting perpguard's liquidation prices beside the exchange's.
import type { BracketTable } from '../domain/tiers.ts';
import { InputError } from '../schema/input-error.ts';
import { compareLiquidation, renderComparison } from '../io/import/compare.ts';
import { loadAccount } from '../io/import/read.ts';
import { calcReport, renderCalc } from './calc.ts';
import { reportJson } from '../views/calc.ts';
import { wrapText } from './format.ts';

export interface CalcOptions {
  json?: boolean;
  compare?: boolean;
  balance?: string;
  brackets?: string;
  exchange?: string;
}

/** What `perpguard calc` prints for the main input's text (`label` names it in messages). */
export function calcOutput(text: string, label: string, options: CalcOptions, tiers?: readonly BracketTable[]): string {
  const { snapshot, imported } = loadAccount(text, {
    label,
    ...(options.balance !== undefined ? { balance: options.balance } : {}),
    ...(options.brackets !== undefined ? { brackets: options.brackets } : {}),
    ...(options.exchange !== undefined ? { exchange: options.exchange } : {}),
    ...(tiers ? { tiers } : {}),
  });
  if (options.compare && !imported) {
    throw new InputError('--compare', 'needs an exchange response (ccxt fetchPositions, Binance positionRisk, Hyperliquid clearinghouseState): a perpguard snapshot carries no exchange-reported liquidation price');
  }
  const report = calcReport(snapshot);
  const json = reportJson(report);
  const comparison = options.compare && imported ? compareLiquidation(report, imported.reported) : undefined;
  if (options.json) {
    const extra = imported ? { imported: { format: imported.format, notes: imported.notes, ...(comparison ? { comparison } : {}) } } : {};
    return JSON.stringify({ ...json, ...extra }, null, 2) + '\n';
  }
  const tables = renderCalc(json, report);
  if (!imported) return tables;
  // notes are prose: wrapped to the output width like the rest (table lines are left alone)
  if (comparison) return `${tables}\n${wrapText(renderComparison(comparison, imported.format, imported.notes))}`;
  return `${tables}${wrapText([`imported from ${imported.format}`, ...imported.notes.map((n) => `note: ${n}`)].join('\n'))}\n`;
}
