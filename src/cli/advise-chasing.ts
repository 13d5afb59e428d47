// `perpguard advise chasing`: margin chasing in an account's history. The history is an operation journal
// (what `perpguard run` reads) or a simulator run of a spec over a crash window or candle files.
import type { Command } from 'commander';
import { formatFixed, formatFixedTo, times, type Money, type Rate } from '../domain/fixed.ts';
import { parseJournal, runJournal } from '../engine/journal.ts';
import { toJsonText } from '../views/json-text.ts';
import { InputError } from '../schema/input-error.ts';
import { loadCrashWindows } from '../io/crash-data.ts';
import { CRASH_WINDOWS, bundled, loadCandles, loadFunding } from '../io/market-data.ts';
import { chasingWarning, detectChasing, historyOfJournal, historyOfReplay, CHASING_RULES, type AccountHistory, type ChasedPosition } from '../advisor/chasing.ts';
import { replay } from '../sim/replay.ts';
import { iso } from '../sim/study.ts';
import { assetDecimals, grouped } from '../views/numbers.ts';
import { chasingJson } from '../views/chasing.ts';
import { FittedRows, wrapText } from './format.ts';
import { choiceOption, readJsonFile, timeframeOption } from './advise-options.ts';
import { readSpec } from './simulate.ts';
import { out } from './io.ts';

interface ChasingOptions {
  spec?: string;
  window?: string;
  data?: string[];
  timeframe?: string;
  funding?: string[];
  mode: string;
  timeline?: boolean;
  json?: boolean;
}

export function registerChasing(advise: Command): void {
  advise
    .command('chasing')
    .description('margin chasing in an account\'s history: per isolated position the top-ups, the margin added against the initial margin, the effective leverage over time, and a warning when it has become "de facto cross"')
    .argument('[journal]', 'an operation journal (JSON, as perpguard run reads)')
    .option('--spec <file>', 'or a simulator run: a spec (YAML/JSON) ...')
    .option('--window <id>', `... over a bundled crash window (${CRASH_WINDOWS.map((w) => w.id).join(', ')})`)
    .option('--data <SYMBOL=FILE...>', '... or over candle files (bundled:NAME for data/NAME)')
    .option('--timeframe <bar>', 'bar length of the --data files (1m, 1h, ...); default: from the file name, else from the timestamps')
    .option('--funding <SYMBOL=FILE...>', 'funding history for --data')
    .option('--mode <mode>', 'the simulator run\'s margin mode: isolated, cross or mixed (as specified)', 'mixed')
    .option('--timeline', 'print every position\'s timeline, not only the de facto cross ones\'')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      `\nDe facto cross: margin added >= the initial margin, or the effective leverage (entry notional / isolated margin)\nbelow half the chosen leverage through top-ups, or ${CHASING_RULES.topUps} top-ups or more.\n\nExamples:\n  perpguard advise chasing examples/seed-isolated.json\n  perpguard advise chasing --spec examples/margin-chaser.yaml --window 2020-03-12\n`,
    )
    .action((journal: string | undefined, options: ChasingOptions) => {
      const { history, source } = historyFrom(journal, options);
      const positions = detectChasing(history);
      out(options.json ? toJsonText(chasingJson(source, positions)) + '\n' : renderChasing(positions, source, options.timeline === true, history));
    });
}

function historyFrom(journal: string | undefined, o: ChasingOptions): { history: AccountHistory; source: string } {
  if (journal !== undefined) {
    if (o.spec || o.window || o.data) throw new InputError('--spec', 'give a journal or a simulator run (--spec with --window or --data), not both');
    return { history: historyOfJournal(runJournal(parseJournal(readJsonFile('journal', journal), { refuseMalformedOps: true }))), source: `journal ${journal}` };
  }
  if (!o.spec) throw new InputError('journal', 'give an operation journal, or --spec with --window or --data for a simulator run');
  const spec = readSpec(o.spec);
  const mode = choiceOption('--mode', o.mode, ['isolated', 'cross', 'mixed'] as const);
  if (o.window && o.data) throw new InputError('--window', 'give --window or --data, not both');
  if (o.window) {
    const window = loadCrashWindows([...new Set(spec.legs.map((l) => l.symbol))], spec.exchange).find((w) => w.id === o.window);
    if (!window) throw new InputError('--window', `must be one of ${CRASH_WINDOWS.map((w) => w.id).join(', ')}, got "${o.window}"`);
    const legs = spec.legs.filter((l) => window.series.some((s) => s.symbol === l.symbol));
    if (legs.length === 0) throw new InputError('--window', `${window.title} has no data for ${spec.legs.map((l) => l.symbol).join(', ')}`);
    const run = replay({ spec: { ...spec, legs }, mode, series: window.series, funding: window.funding });
    return { history: historyOfReplay(run), source: `${spec.name} (${o.spec}), ${mode}, ${window.title}` };
  }
  if (!o.data || o.data.length === 0) throw new InputError('--window', 'a simulator run needs --window or --data');
  const timeframeMs = timeframeOption(o.timeframe);
  const series = o.data.map((entry) => {
    const eq = entry.indexOf('=');
    const [symbol, file] = eq >= 0 ? [entry.slice(0, eq), entry.slice(eq + 1)] : [undefined, entry];
    if (symbol === '' || file === '') throw new InputError('--data', `"${entry}": write SYMBOL=FILE or FILE`);
    return loadCandles(file.startsWith('bundled:') ? bundled(file.slice(8)) : file, symbol, timeframeMs);
  });
  // every leg needs prices (the replay had nothing to mark a leg without them, and crashed)
  spec.legs.forEach((leg, i) => {
    if (!series.some((s) => s.symbol === leg.symbol)) throw new InputError(`legs[${i}].symbol`, `${leg.symbol} has no price data: give --data ${leg.symbol}=FILE (loaded: ${series.map((s) => s.symbol).join(', ')})`);
  });
  const funding = (o.funding ?? []).map((entry) => {
    const [symbol, file] = entry.split('=', 2) as [string, string];
    if (!file) throw new InputError('--funding', `"${entry}": write SYMBOL=FILE`);
    return loadFunding(file.startsWith('bundled:') ? bundled(file.slice(8)) : file, symbol);
  });
  const run = replay({ spec, mode, series, funding });
  return { history: historyOfReplay(run), source: `${spec.name} (${o.spec}), ${mode}, ${o.data.join(', ')}` };
}

const amount = (m: Money) => grouped(formatFixedTo(m, 2, 'halfEven'));
const lev = (r: Rate | undefined) => (r === undefined ? '—' : `${formatFixedTo(r, 2, 'halfEven')}x`);

export function renderChasing(positions: readonly ChasedPosition[], source: string, allTimelines: boolean, history: AccountHistory): string {
  const journal = history.events.every((e) => e.time === e.op);
  const when = (t: number) => (journal ? `op ${t}` : iso(t));
  // amounts at the asset's precision: a coin-margined journal moves fractions of a coin
  const decimals = assetDecimals(history.transfers[0]?.asset ?? 'USDT');
  const amount = (m: Money) => grouped(formatFixedTo(m, decimals, 'halfEven'));
  const out: string[] = [`Margin chasing: ${source}`];
  if (positions.length === 0) return out.concat(['no isolated position in this history']).join('\n') + '\n';
  const table = new FittedRows([
    { head: 'position', wrap: true, minWidth: 12 },
    { head: 'chosen' },
    { head: 'outcome', wrap: true, minWidth: 12 },
    { head: 'initial\nmargin' },
    { head: 'top-\nups' },
    { head: 'added' },
    { head: 'added /\ninitial' },
    { head: 'lowest eff.\nleverage' },
    { head: 'de facto\ncross' },
  ], { compact: true });
  for (const p of positions) {
    table.push([
      `${p.symbol} ${p.side} (opened ${when(p.openedTime)})`,
      `${p.leverage}x`,
      p.outcome,
      amount(p.initialMargin),
      p.topUps.length,
      amount(p.marginAdded),
      p.addedToInitial === undefined ? '—' : `${formatFixedTo(times(p.addedToInitial, 100), 1, 'halfEven')} %`,
      lev(p.lowestLeverageAfterTopUp),
      p.deFactoCross ? 'YES' : 'no',
    ]);
  }
  out.push(table.toString());
  for (const p of positions) {
    const warning = chasingWarning(p);
    if (warning) out.push(`WARNING: ${warning}`);
  }
  for (const p of positions) {
    if (!p.deFactoCross && !allTimelines) continue;
    out.push('');
    out.push(`${p.symbol} ${p.side}: effective leverage (entry notional / isolated margin) after each change`);
    const t = new FittedRows([{ head: 'when', wrap: true, minWidth: 10 }, { head: 'change', wrap: true, minWidth: 10 }, 'size', 'entry notional', 'isolated margin', 'eff. leverage'], { compact: true });
    for (const point of p.timeline) {
      t.push([when(point.time), point.kind, formatFixed(point.size), amount(point.entryNotional), amount(point.margin), lev(point.effectiveLeverage)]);
    }
    out.push(t.toString());
  }
  return wrapText(out.join('\n')) + '\n';
}
