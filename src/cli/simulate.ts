// `perpguard study` (npm start) and `perpguard simulate`: one portfolio through history under isolated,
// cross and mixed margin, side by side.
import { assertFromEnvironment } from './run.ts';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fitTable, hiddenNote, wrapText, type Column } from './format.ts';
import { parse as parseYaml } from 'yaml';
import { InputError } from '../schema/input-error.ts';
import { loadCrashWindows } from '../io/crash-data.ts';
import { htmlReport } from '../io/html-report.ts';
import { bundled, loadCandles, loadFunding, parseTimeframe } from '../io/market-data.ts';
import { parseSpec, SpecError, MODES, type ModeName, type Spec } from '../sim/spec.ts';
import { runWindow, specFor, type WindowData, type WindowResult } from '../sim/study.ts';
import { modeRow } from '../views/summary.ts';
import { markSeries, type CandleSeries, type MarkModel } from '../sim/data.ts';
import { toJsonText } from '../views/json-text.ts';
import { out } from './io.ts';
import { specDecimals, windowsJson } from '../views/simulation.ts';

const packageRoot = resolve(dirname(new URL(import.meta.url).pathname), '..', '..');
export const DEFAULT_STUDY_SPEC = join(packageRoot, 'examples', 'crash-study.yaml');

export function readSpec(file: string): Spec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('--spec', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  let json: unknown;
  try {
    json = file.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new InputError('--spec', `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`);
  }
  try {
    return parseSpec(json);
  } catch (error) {
    if (error instanceof SpecError) throw new InputError(file, error.message);
    throw error;
  }
}

export function parseModes(text: string | undefined): ModeName[] {
  if (!text) return [...MODES];
  const modes = text.split(',').map((m) => m.trim());
  for (const m of modes) if (!(MODES as readonly string[]).includes(m)) throw new InputError('--modes', `"${m}" is not one of ${MODES.join(', ')}`);
  return modes as ModeName[];
}

export function renderWindows(results: WindowResult[]): string {
  const out: string[] = [];
  const columns: Column[] = [
    { head: 'mode' },
    { head: 'liqui-\ndations' },
    { head: 'domino' },
    { head: 'margin\ncalls', dropRank: 1 },
    { head: 'fees', dropRank: 3 },
    { head: 'funding', dropRank: 2 },
    { head: 'final\nequity' },
    { head: 'min\nequity', dropRank: 4 },
    { head: 'max\nDD' },
    { head: 'kept' },
    { head: 'first\nliquidation', wrap: true, minWidth: 10 },
  ];
  for (const r of results) {
    const rows = Object.values(r.modes).map((m) => {
      const row = modeRow(m, specDecimals(r.spec));
      return [row.mode, row.liquidations, row.dominoLiquidations, row.marginCalls, row.fees, row.funding, row.finalEquity, row.minEquity, `${row.maxDrawdownPct} %`, `${row.keptPct} %`, row.firstLiquidation ?? '—'];
    });
    const table = fitTable(columns, rows);
    const legs = r.spec.legs.map((l) => `${l.symbol} ${l.side} ${l.leverage}x ${l.marginMode}`).join(', ');
    const title = wrapText(`${r.window.title} (${r.window.id}): ${legs}${r.window.skipped.length ? `; no intraday data for ${r.window.skipped.join(', ')}` : ''}`);
    out.push([title, table.text, ...hiddenNote(table.hidden)].join('\n'));
  }
  return out.join('\n\n') + '\n';
}


/**
 * Checks an output path before any work is done, so that a bad --html is refused with nothing printed or
 * written: not a directory, and its folder (created when missing) is not a file.
 */
export function checkOutputPath(flag: string, path: string | undefined): void {
  if (path === undefined) return;
  if (path.trim() === '') throw new InputError(flag, 'must name a file');
  if (existsSync(path) && statSync(path).isDirectory()) throw new InputError(flag, `${path} is a directory: name a file such as report.html`);
  let folder = dirname(resolve(path));
  while (!existsSync(folder)) folder = dirname(folder);
  if (!statSync(folder).isDirectory()) throw new InputError(flag, `cannot write ${path}: ${folder} is a file`);
}

function writeReport(path: string, html: string): void {
  mkdirSync(dirname(resolve(path)), { recursive: true });
  writeFileSync(path, html);
}

export interface MarkOptions {
  mark?: string;
  markSpan?: string;
}

/** The mark-price model of --mark and --mark-span: the last-price candles as they are, or an EMA of them (no wicks). */
function markOption(options: MarkOptions): MarkModel {
  const model = options.mark ?? 'last';
  if (model === 'last') return { model };
  if (model !== 'smoothed') throw new InputError('--mark', `must be "last" or "smoothed", got "${model}"`);
  const span = Number(options.markSpan ?? '5');
  if (!Number.isInteger(span) || span < 1) throw new InputError('--mark-span', `must be a whole number of bars >= 1, got "${options.markSpan}"`);
  return { model, spanBars: span };
}

export function applyMarkModel(series: readonly CandleSeries[], exchange: Spec['exchange'], options: MarkOptions): CandleSeries[] {
  return markSeries(series, exchange, markOption(options));
}

export async function study(options: { spec?: string; json?: boolean; html?: string; modes?: string; exactOnly?: boolean } & MarkOptions): Promise<void> {
  const specFile = options.spec ?? DEFAULT_STUDY_SPEC;
  const spec = readSpec(specFile);
  const modes = parseModes(options.modes);
  checkOutputPath('--html', options.html);
  const windows = loadCrashWindows(spec.legs.map((l) => l.symbol), spec.exchange).map((w) => ({ ...w, series: applyMarkModel([...w.series], spec.exchange, options) }));
  // a window where no leg has data (ETH/SOL in the LUNA and FTX windows) has nothing to replay: left out
  const results = windows.filter((w) => specFor(spec, w).legs.length > 0).map((w) => runWindow(spec, w, { modes, screening: !options.exactOnly, assertInvariants: assertFromEnvironment() }));
  if (options.json) out(toJsonText(windowsJson(results)) + '\n');
  else {
    out(`${wrapText(`Crash study: "${spec.name}", wallet ${spec.wallet} on ${spec.exchange} (${specFile})`)}\n\n`);
    out(renderWindows(results));
  }
  if (options.html) {
    writeReport(options.html, await htmlReport({ title: `perpguard crash study: ${spec.name}`, subtitle: `wallet ${spec.wallet}, ${spec.exchange}; modes ${modes.join(', ')}`, windows: results, notes: notes() }));
    if (!options.json) out(`\nreport: ${options.html}\n`);
  }
}

export async function simulate(options: { spec: string; data: string[]; funding?: string[]; json?: boolean; html?: string; modes?: string; exactOnly?: boolean; timeframe?: string } & MarkOptions): Promise<void> {
  const spec = readSpec(options.spec);
  const modes = parseModes(options.modes);
  checkOutputPath('--html', options.html);
  const timeframeMs = options.timeframe === undefined ? undefined : parseTimeframe(options.timeframe);
  if (options.timeframe !== undefined && timeframeMs === undefined) throw new InputError('--timeframe', `must be a bar length such as 1m, 15m, 1h, 4h or 1d, got "${options.timeframe}"`);
  const loaded = options.data.map((entry) => {
    const eq = entry.indexOf('=');
    const [symbol, file] = eq >= 0 ? [entry.slice(0, eq), entry.slice(eq + 1)] : [undefined, entry];
    if (symbol === '' || file === '') throw new InputError('--data', `"${entry}": write SYMBOL=FILE or FILE`);
    return loadCandles(file.startsWith('bundled:') ? bundled(file.slice(8)) : file, symbol, timeframeMs);
  });
  // every leg needs prices: without them the replay had nothing to mark the leg with and crashed
  spec.legs.forEach((leg, i) => {
    if (!loaded.some((s) => s.symbol === leg.symbol)) {
      throw new InputError(`legs[${i}].symbol`, `${leg.symbol} has no price data: give --data ${leg.symbol}=FILE (loaded: ${loaded.map((s) => s.symbol).join(', ')})`);
    }
  });
  const series = applyMarkModel(loaded, spec.exchange, options);
  const funding = (options.funding ?? []).map((entry) => {
    const eq = entry.indexOf('=');
    const [symbol, file] = [entry.slice(0, eq), entry.slice(eq + 1)];
    if (eq <= 0 || !file) throw new InputError('--funding', `"${entry}": write SYMBOL=FILE`);
    return loadFunding(file.startsWith('bundled:') ? bundled(file.slice(8)) : file, symbol);
  });
  const window: WindowData = { id: 'custom', title: options.data.join(', '), series, funding, skipped: [] };
  const result = runWindow(spec, window, { modes, screening: !options.exactOnly, assertInvariants: assertFromEnvironment() });
  if (options.json) out(toJsonText(windowsJson([result])) + '\n');
  else out(renderWindows([result]));
  if (options.html) writeReport(options.html, await htmlReport({ title: `perpguard: ${spec.name}`, subtitle: window.title, windows: [result], notes: notes() }));
}

function notes(): string[] {
  return [
    'Prices are Binance last-price candles (wicks count); the bundled data has no BTC/ETH/SOL mark-price history. Inside a bar the extreme adverse to the position comes first.',
    'Equity curves and drawdowns are float64 for the charts; events, balances and final equity come from the exact engine.',
  ];
}
