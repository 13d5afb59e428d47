// The perpguard command. I/O lives here and in ../io; everything it calls is pure.
import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { InputError } from '../exchanges/snapshot.ts';
import { MissingBracketsError } from '../exchanges/binance-usdm.ts';
import { calcReport, renderCalc, toJson } from './calc.ts';
import { parseSnapshotText } from '../exchanges/snapshot.ts';

/** Exit codes: 0 ok, 1 unexpected failure, 2 bad input (a clear message names the field). */
export const EXIT_BAD_INPUT = 2;

function readInput(file: string | undefined): string {
  if (file === undefined || file === '-') {
    if (process.stdin.isTTY) throw new InputError('', 'no input: give a snapshot file, or pipe one in (perpguard calc - < account.json)');
    return readFileSync(0, 'utf8');
  }
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('perpguard')
    .description('Exact margin engine for crypto perpetual futures: isolated vs cross margin, liquidation prices, what a crash does to an account.')
    .version('0.1.0')
    .showHelpAfterError('(run perpguard --help for the commands)');

  program
    .command('calc')
    .description('margin, maintenance, PnL, liquidation and bankruptcy prices of an account snapshot (JSON, see vectors/README.md)')
    .argument('[file]', 'snapshot JSON file, or - for stdin', '-')
    .option('--json', 'print JSON for programs instead of tables')
    .addHelpText(
      'after',
      `\nExample:\n  perpguard calc examples/account-cross-three.json\n  cat account.json | perpguard calc --json\n`,
    )
    .action((file: string, options: { json?: boolean }) => {
      const snapshot = parseSnapshotText(readInput(file));
      const report = calcReport(snapshot);
      const json = toJson(report);
      process.stdout.write(options.json ? JSON.stringify(json, null, 2) + '\n' : renderCalc(json, report));
    });
  return program;
}

export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  program.exitOverride();
  try {
    await program.parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : EXIT_BAD_INPUT;
    if (error instanceof InputError || error instanceof MissingBracketsError) {
      process.stderr.write(`perpguard: ${error.message}\n`);
      return EXIT_BAD_INPUT;
    }
    throw error;
  }
}

const invokedDirectly = import.meta.url === `file://${process.argv[1]}`;
if (invokedDirectly) {
  main(process.argv).then((code) => {
    process.exitCode = code;
  });
}
