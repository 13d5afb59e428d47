// The perpguard command. I/O lives here and in ../io; everything it calls is pure.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { InputError } from '../schema/input-error.ts';
import { MissingBracketsError } from '../exchanges/schedules.ts';
import { calcOutput, type CalcOptions } from './calc-account.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';
import { formatFixed, times } from '../domain/fixed.ts';
import type { BracketTable } from '../domain/tiers.ts';
import { bundledBrackets } from '../exchanges/markets.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/rules.ts';
import { bracketTableJson, importCcxtLeverageTiers, TierImportError } from '../io/ccxt-tiers.ts';
import { FittedRows, setWideOutput, wrapText } from './format.ts';
import { grouped } from '../views/numbers.ts';
import { parseJournal } from '../engine/journal.ts';
import { toJsonText } from '../views/json-text.ts';
import { renderRun, runJson } from './run.ts';
import { DEFAULT_STUDY_SPEC, simulate, study } from './simulate.ts';
import { montecarlo, type MonteCarloOptions } from './montecarlo.ts';
import { registerAdvise } from './advise.ts';
import { registerChecklist } from './checklist.ts';
import { registerServe } from './serve.ts';
import { registerWatch } from './watch.ts';
import { registerProtect } from './protect.ts';
import { registerSweep } from './sweep-command.ts';
import { DataError } from '../io/market-data.ts';
import { SpecError } from '../sim/spec.ts';
import { isCalendarDate } from '../schema/dates.ts';
import { io, out, processIo, readStdinText, setExitCode, withIo, type CliIo } from './io.ts';

/** Exit codes: 0 ok, 2 bad input or usage (one line names the field), 70 an internal error (a bug to report). */
export const EXIT_BAD_INPUT = 2;

function readInput(file: string | undefined): string {
  if (file === undefined || file === '-') {
    if (io().stdinIsTTY) throw new InputError('file', 'no input: give a file, or pipe one in (perpguard calc - < account.json)');
    return readStdinText();
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('file', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function parseJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputError('', `the input is not valid JSON (${(error as Error).message})`);
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('perpguard')
    .description('Exact margin engine for crypto perpetual futures: isolated vs cross margin, liquidation prices, what a crash does to an account.')
    .version('0.1.0')
    .showHelpAfterError('(run perpguard --help for the commands)')
    // one flag for every table-printing command, so it is listed in each command's --help
    .option('--wide', 'print every column of the tables, however wide (default: fit the terminal, or 100 columns)')
    .configureHelp({ showGlobalOptions: true })
    .hook('preAction', (_program, command) => setWideOutput(command.optsWithGlobals().wide === true));

  program
    .command('calc')
    .description('margin, maintenance, PnL, liquidation and bankruptcy prices of an account snapshot (JSON, see vectors/README.md)')
    .argument('[file]', 'snapshot JSON file, or - for stdin', '-')
    .option('--json', 'print JSON for programs instead of tables')
    .addHelpText(
      'after',
      `\nExample:\n  perpguard calc examples/account-cross-three.json\n  cat examples/account-cross-three.json | perpguard calc --json\n` +
        `\nYour own account (ccxt fetchPositions, Binance positionRisk, Hyperliquid clearinghouseState):\n` +
        `  perpguard calc examples/import/binance-positionRisk.json --balance examples/import/binance-account.json --compare\n` +
        `  perpguard calc examples/import/ccxt-positions-and-balance.json --compare --json\n`,
    )
    .option('--tiers <file>', 'use the bracket tables of a ccxt fetchLeverageTiers JSON dump instead of the bundled ones')
    .option('--tiers-date <YYYY-MM-DD>', 'the day that dump was taken (default: 1970-01-01, i.e. in force for any snapshot date)')
    .option('--balance <file>', 'the cross wallet for imported positions: ccxt fetchBalance, Binance /fapi/v2|v3/account or a Hyperliquid clearinghouseState')
    .option('--brackets <file>', 'bracket tables for imported positions: Binance /fapi/v1/leverageBracket')
    .option('--exchange <id>', 'venue of ccxt positions whose shape does not say it (binanceusdm, binancecoinm, bybit, okx, hyperliquid or a perpguard id)')
    .option('--compare', "print the exchange's reported liquidation price beside perpguard's and the difference in ticks (imported input)")
    .action((file: string, options: CalcOptions & { tiers?: string; tiersDate?: string }) => {
      const brackets = options.tiers ? loadTiers(options.tiers, options.tiersDate) : undefined;
      out(calcOutput(readInput(file), file === '-' ? 'the input' : file, options, brackets));
    });
  program
    .command('run')
    .description('apply an operation journal (JSON, see vectors/README.md) and print the resulting state, the events and the ledger')
    .argument('[file]', 'journal JSON file, or - for stdin', '-')
    .option('--json', 'print JSON: { engine, tables, state, openOrders, orders, trades, events, ledger, audit }')
    .option('--replay-any-version', "replay a journal whose setup.engine or setup.tables differ from this engine's (refused by default, exit 2); the difference is printed as versionMismatch")
    .addHelpText('after', '\nExamples:\n  perpguard run examples/seed-isolated.json\n  perpguard run examples/seed-cross.json --json\n')
    .action((file: string, options: { json?: boolean; replayAnyVersion?: boolean }) => {
      const journal = parseJournal(parseJsonText(readInput(file)), { refuseMalformedOps: true });
      const { run, json } = runJson(journal, { replayAnyVersion: options.replayAnyVersion ?? false });
      out(options.json ? toJsonText(json) + '\n' : renderRun(run, json.state));
      if (!run.audit.ok) setExitCode(1);
    });

  program
    .command('study')
    .description('the crash study: a portfolio through the bundled crashes (2020-03-12, 2021-05-19, LUNA, FTX, 2024-08-05) under isolated, cross and mixed margin, side by side')
    .option('--spec <file>', 'portfolio and strategy spec (YAML or JSON)', DEFAULT_STUDY_SPEC)
    .option('--modes <list>', 'comma-separated: isolated,cross,mixed', 'isolated,cross,mixed')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--exact-only', 'run every bar through the exact engine (no float64 screening)')
    .option('--mark <model>', 'mark price: last (the candles, wicks count) or smoothed (an EMA of the closes, no wicks)', 'last')
    .option('--mark-span <bars>', 'EMA span of the smoothed mark, in bars', '5')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  perpguard study --spec examples/safety-net.yaml --modes isolated,cross\n  perpguard study --spec examples/safety-net.yaml --mark smoothed --json\n')
    .action((options: { spec: string; modes: string; html?: string; exactOnly?: boolean; json?: boolean; mark?: string; markSpan?: string }) => study(options));

  program
    .command('simulate')
    .description('replay price history through a portfolio under isolated, cross and mixed margin, side by side')
    .requiredOption('--spec <file>', 'portfolio and strategy spec (YAML or JSON), see examples/')
    .requiredOption('--data <SYMBOL=FILE...>', 'candle files: bundled CSV, a Binance 12-column kline dump or ccxt OHLCV JSON; bundled:NAME for data/NAME')
    .option('--funding <SYMBOL=FILE...>', 'funding history CSV (timestamp_ms,funding_rate)')
    .option('--timeframe <bar>', 'bar length of the --data files (1m, 1h, 1d, ...); default: from the file name, else from the timestamps')
    .option('--modes <list>', 'comma-separated: isolated,cross,mixed', 'isolated,cross,mixed')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option('--exact-only', 'run every bar through the exact engine (no float64 screening)')
    .option('--mark <model>', 'mark price: last (the candles, wicks count) or smoothed (an EMA of the closes, no wicks)', 'last')
    .option('--mark-span <bars>', 'EMA span of the smoothed mark, in bars', '5')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExample:\n  perpguard simulate --spec examples/safety-net.yaml --data BTCUSDT=bundled:binance-futures-BTCUSDT-1m-crash-2020-03-12.csv\n')
    .action((options: { spec: string; data: string[]; funding?: string[]; modes: string; html?: string; exactOnly?: boolean; json?: boolean; mark?: string; markSpan?: string; timeframe?: string }) => simulate(options));

  program
    .command('montecarlo')
    .description('thousands of generated futures (block bootstrap or GBM of BTC/ETH/SOL hourly history, with real crashes spliced in) under each margin mode')
    .option('--spec <file>', 'portfolio and strategy spec (YAML or JSON)', DEFAULT_STUDY_SPEC)
    .option('--paths <n>', 'number of paths', '1000')
    .option('--hours <n>', 'hours per path', '720')
    .option('--generator <kind>', 'bootstrap or gbm', 'bootstrap')
    .option('--block-hours <n>', 'bootstrap block length', '24')
    .option('--crash-probability <p>', 'probability that a path gets a real crash spliced in', '0.2')
    .option('--seed <n>', 'seed: the same seed gives the same paths', '42')
    .option('--workers <n>', 'worker threads (default: one per core)')
    .option('--modes <list>', 'comma-separated: isolated,cross,mixed', 'isolated,cross,mixed')
    .option('--html <file>', 'also write an HTML report with the distributions')
    .option('--json', 'print JSON')
    .action((options: MonteCarloOptions) => montecarlo(options));

  registerAdvise(program);
  registerChecklist(program);
  registerServe(program);
  registerWatch(program);
  registerProtect(program);
  registerSweep(program);

  program
    .command('tiers')
    .description('show the bundled bracket tables of an exchange, or validate and show a ccxt fetchLeverageTiers dump')
    .argument('[file]', 'ccxt fetchLeverageTiers JSON dump to import (omit to list the bundled tables)')
    .option('--exchange <id>', `exchange whose bundled tables to show (${EXCHANGE_IDS.join(', ')})`, 'binance-usdm')
    .option('--symbol <symbol>', 'only this symbol')
    .option('--date <YYYY-MM-DD>', 'the table in force on this day (bundled) or the day the dump was taken (import)')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nExamples:\n  perpguard tiers --exchange bybit-linear --symbol BTCUSDT\n  perpguard tiers --exchange binance-usdm --symbol ETHUSDT --date 2023-06-01 --json\n')
    .action((file: string | undefined, options: { exchange: string; symbol?: string; date?: string; json?: boolean }) => {
      let tables: BracketTable[];
      if (file) {
        tables = loadTiers(file, options.date, '--date');
      } else {
        if (!(EXCHANGE_IDS as readonly string[]).includes(options.exchange)) {
          throw new InputError('--exchange', `must be one of ${EXCHANGE_IDS.join(', ')}`);
        }
        if (options.date !== undefined && !isCalendarDate(options.date)) throw new InputError('--date', `must be a real date YYYY-MM-DD, got "${options.date}"`);
        const registry = bundledBrackets(options.exchange as ExchangeId);
        tables = registry.symbols().flatMap((s) => (options.date ? [registry.at(s, options.date)!.table] : [...registry.tables(s)]));
      }
      if (options.symbol) tables = tables.filter((t) => t.symbol === options.symbol);
      if (tables.length === 0) throw new InputError('--symbol', `no table for ${options.symbol ?? 'any symbol'}`);
      out(options.json ? JSON.stringify(tables.map(bracketTableJson), null, 2) + '\n' : renderTiers(tables));
    });
  return program;
}

function loadTiers(file: string, date: string | undefined, dateFlag = '--tiers-date'): BracketTable[] {
  if (date !== undefined && !isCalendarDate(date)) throw new InputError(dateFlag, `must be a real date YYYY-MM-DD, got "${date}"`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError('--tiers', `cannot read ${file} as JSON: ${(error as Error).message}`);
  }
  try {
    return importCcxtLeverageTiers(json, date ?? '1970-01-01', `ccxt fetchLeverageTiers dump ${file}`);
  } catch (error) {
    if (error instanceof TierImportError) throw new InputError('--tiers', `${file}: ${error.message}`);
    throw error;
  }
}

function renderTiers(tables: readonly BracketTable[]): string {
  return tables
    .map((t) => {
      // OKX tiers go by position size (contracts, or base quantity for linear swaps), not notional
      const table = new FittedRows(['#', ...(t.basis === 'size' ? ['size\nfloor', 'size\ncap'] : ['notional\nfloor', 'notional\ncap']), 'MMR', 'max\nlev.', 'maint.\namount']);
      for (const b of t.brackets) {
        table.push([
          b.bracket,
          grouped(formatFixed(b.floor)),
          grouped(formatFixed(b.cap)),
          `${formatFixed(times(b.maintenanceMarginRate, 100))} %`,
          `${b.maxLeverage}x`,
          grouped(formatFixed(b.maintenanceAmount)),
        ]);
      }
      return `${wrapText(`${t.symbol} from ${t.effectiveFrom} (${t.source})`)}\n${table.toString()}\n`;
    })
    .join('\n');
}

/** Where to report an internal error. */
const ISSUES = 'https://github.com/perpguard/perpguard/issues';

/**
 * Runs one perpguard command: `argv` as process.argv (node, script, args...), the streams injected (the
 * process's by default). Returns the exit code and never throws: bad input and usage errors print one line
 * `perpguard: <field>: <reason>` and give 2; anything unexpected prints one line asking for a report and
 * gives 70 (EX_SOFTWARE), with the stack only under --debug.
 */
export async function main(argv: string[], streams: CliIo = processIo): Promise<number> {
  const debug = argv.slice(2).includes('--debug');
  const args = argv.filter((a, i) => i < 2 || a !== '--debug');
  if (streams === processIo) quietOnClosedPipe();
  const program = buildProgram();
  configureCommands(program, streams);
  try {
    const { exitCode } = await withIo(streams, () => program.parseAsync(args));
    return exitCode ?? 0;
  } catch (error) {
    const refusal = inputRefusal(error, program, args.slice(2));
    if (refusal === 'done') return 0;
    if (refusal !== undefined) {
      streams.stderr(`perpguard: ${refusal}\n`);
      return EXIT_BAD_INPUT;
    }
    const command = ['perpguard', ...args.slice(2)].join(' ');
    streams.stderr(`perpguard: internal error in \`${command}\`: ${oneLine(error)}; please report it (with the command and its input) at ${ISSUES}${debug ? '' : ' (--debug shows the stack)'}\n`);
    if (debug) streams.stderr(`${(error as Error)?.stack ?? String(error)}\n`);
    return EXIT_INTERNAL;
  }
}

/** Exit code of an unexpected internal error (sysexits EX_SOFTWARE). */
export const EXIT_INTERNAL = 70;

/** Every command writes help through the streams and leaves usage errors to main()'s one line. */
function configureCommands(command: Command, streams: CliIo): void {
  command.exitOverride();
  // writeErr only carries usage errors and the help shown for them: main() prints its one line instead
  command.configureOutput({ writeOut: (t) => streams.stdout(t), writeErr: () => {}, outputError: () => {} });
  command.showHelpAfterError(false);
  for (const sub of command.commands) configureCommands(sub, streams);
}

function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!;
}

/** The one line for bad input or a usage error, 'done' for help and --version, undefined for a bug. */
function inputRefusal(error: unknown, program: Command, args: readonly string[]): string | 'done' | undefined {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 'done';
    if (error.code === 'commander.help') return missingSubcommand(program, args);
    return usageLine(error);
  }
  // a document that is not JSON at all has no field yet: it is the input itself
  if (error instanceof InputError) return `${error.field || 'input'}: ${error.reason}`.split('\n')[0]!;
  if (error instanceof MissingBracketsError || error instanceof DataError || error instanceof SpecError) {
    return error.message.split('\n')[0]!;
  }
  return undefined;
}

/** Commander's "error: unknown option '--jsn'\n(Did you mean --json?)" as "--jsn: unknown option (did you mean --json?)". */
export function usageLine(error: CommanderError): string {
  const [first = '', ...rest] = error.message.replace(/^error: /, '').split('\n');
  const hint = rest.find((l) => /did you mean/i.test(l))?.replace(/^\(Did/, '(did');
  const excess = /^too many arguments for '([^']*)'\. Expected (\d+) arguments? but got (\d+)/.exec(first);
  if (excess) return `${excess[1] || 'perpguard'}: too many arguments (expected ${excess[2]}, got ${excess[3]})`;
  const quoted = /'([^']+)'/.exec(first);
  if (!quoted) return `${first}${hint ? ` ${hint}` : ''}`;
  const field = quoted[1]!.replace(/ .*$/, ''); // "--spec <file>" -> "--spec"
  const reason = first.replace(quoted[0], '').replace(/\s+/g, ' ').trim();
  return `${field}: ${reason}${hint ? ` ${hint}` : ''}`;
}

/** `perpguard advise` alone: the command that needs a subcommand, and its choices. */
function missingSubcommand(program: Command, args: readonly string[]): string {
  let command = program;
  const path: string[] = [];
  for (const arg of args) {
    const sub = command.commands.find((c) => c.name() === arg);
    if (!sub) break;
    command = sub;
    path.push(arg);
  }
  const choices = command.commands.map((c) => c.name()).filter((n) => n !== 'help');
  return `${path.join(' ') || 'command'}: needs a subcommand, one of ${choices.join(', ')}`;
}

let pipeGuarded = false;

/** `perpguard ... | head -1`: when the reader goes away, stop quietly with exit 0 (EPIPE is not an error of ours). */
function quietOnClosedPipe(): void {
  if (pipeGuarded) return;
  pipeGuarded = true;
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
