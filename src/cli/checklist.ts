// `perpguard checklist`: the seed's five pre-trade steps, as a terminal dialogue (also over piped stdin)
// or non-interactive from flags or a JSON file. Exit 0 when ready, 3 when refused, 2 on bad input.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import Table from 'cli-table3';
import type { Command } from 'commander';
import { decimalProblem, isPositive, parseFixed, roundToStep, quantityOf, type Money, type Price, type Quantity } from '../domain/fixed.ts';
import { checklist, type ChecklistResult, type StrategyType } from '../advisor/checklist.ts';
import { DEFAULT_MARKETS } from '../exchanges/markets.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/rules.ts';
import { DEFAULT_FEES, InputError, resolveSnapshot } from '../exchanges/snapshot.ts';
import { io, out, setExitCode } from './io.ts';

export const EXIT_NOT_READY = 3;

interface Answers {
  exchange?: string;
  equity?: string;
  strategy?: string;
  mode?: string;
  margin?: string;
  symbol?: string;
  side?: string;
  entry?: string;
  size?: string;
  notional?: string;
  leverage?: string;
  stop?: string;
  risk?: string;
}

function decimal(field: string, text: string | undefined): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim().replace(/[, _$]/g, '');
  const problem = decimalProblem(t);
  if (problem) throw new InputError(field, problem);
  return t;
}

function oneOf<T extends string>(field: string, text: string | undefined, options: readonly T[]): T | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim().toLowerCase() as T;
  if (!options.includes(t)) throw new InputError(field, `must be one of ${options.join(', ')}, got "${text}"`);
  return t;
}

/** Evaluates the answers; missing answers count as not given (the checklist refuses what it must). */
export function evaluate(answers: Answers): ChecklistResult {
  const exchange = (oneOf('--exchange', answers.exchange, EXCHANGE_IDS) ?? 'binance-usdm') as ExchangeId;
  const symbol = answers.symbol?.trim() || 'BTCUSDT';
  const known = DEFAULT_MARKETS[exchange].find((m) => m.symbol === symbol);
  if (!known) throw new InputError('--symbol', `${symbol} is not a bundled market of ${exchange} (${DEFAULT_MARKETS[exchange].map((m) => m.symbol).join(', ')})`);
  const equityText = decimal('--equity', answers.equity);
  if (equityText === undefined) throw new InputError('--equity', 'is required: the account equity in the settlement asset');
  const entryText = decimal('--entry', answers.entry);
  if (entryText === undefined) throw new InputError('--entry', 'is required: the planned entry price');
  const leverage = Number(answers.leverage ?? '');
  if (!Number.isInteger(leverage) || leverage < 1) throw new InputError('--leverage', `must be a whole number >= 1, got "${answers.leverage ?? ''}"`);
  const side = oneOf('--side', answers.side, ['long', 'short'] as const);
  if (!side) throw new InputError('--side', 'is required: long or short');
  // the market with its bracket table, through the same resolution as `perpguard calc`
  const probe = resolveSnapshot({ exchange, walletBalance: '1', positions: [{ symbol, side, size: '1', entryPrice: entryText, marginMode: 'cross', leverage }] });
  const market = probe.legs[0]!.market;
  const entry = parseFixed<'Price'>(entryText);
  let quantity: Quantity;
  const sizeText = decimal('--size', answers.size);
  const notionalText = decimal('--notional', answers.notional);
  if (sizeText !== undefined) quantity = parseFixed(sizeText);
  else if (notionalText !== undefined) quantity = roundToStep(quantityOf(parseFixed<'Money'>(notionalText), entry, 'floor'), market.stepSize, 'floor');
  else throw new InputError('--size', 'give the position size (base quantity) or --notional');
  if (!isPositive(quantity)) throw new InputError('--size', 'must be above zero (after rounding down to the step)');
  const fees = DEFAULT_FEES[exchange];
  const marginText = decimal('--margin', answers.margin);
  const stopText = decimal('--stop', answers.stop);
  const riskText = decimal('--risk', answers.risk) ?? '2';
  return checklist({
    exchange,
    market,
    fees: { taker: parseFixed(fees.taker), maker: parseFixed(fees.maker) },
    equity: parseFixed<'Money'>(equityText),
    strategy: oneOf<StrategyType>('--strategy', answers.strategy, ['speculative', 'core', 'hedge']),
    marginMode: oneOf('--mode', answers.mode, ['isolated', 'cross'] as const),
    isolatedMargin: marginText === undefined ? undefined : (parseFixed(marginText) as Money),
    side: side === 'long' ? 1 : -1,
    entry,
    quantity,
    leverage,
    stop: stopText === undefined ? undefined : (parseFixed(stopText) as Price),
    riskFraction: parseFixed(String(Number(riskText) / 100)),
  });
}

export function render(result: ChecklistResult): string {
  const table = new Table({ head: ['step', 'answer', 'check', 'numbers'], style: { head: [], border: [] }, colWidths: [30, 22, 48, 40], wordWrap: true });
  for (const s of result.steps) {
    table.push([`${s.step}. ${s.title}`, s.answer, `${s.refusal ? 'REFUSED' : s.ok ? 'ok' : 'warning'}: ${s.message}`, Object.entries(s.numbers).map(([k, v]) => `${k}: ${v}`).join('\n')]);
  }
  const verdict = result.ready
    ? `READY${result.warnings.length ? ` (with ${result.warnings.length} warning${result.warnings.length > 1 ? 's' : ''})` : ''}`
    : `NOT READY:\n${result.refusals.map((r) => `  - ${r}`).join('\n')}`;
  return `${table.toString()}\n${verdict}\n`;
}

const QUESTIONS: [keyof Answers, string][] = [
  ['equity', '1. Account equity (USDT)'],
  ['symbol', '   Symbol [BTCUSDT]'],
  ['side', '   Side (long/short)'],
  ['entry', '   Entry price'],
  ['size', '   Size in base units (Enter to give a notional instead)'],
  ['notional', '   Notional (USDT)'],
  ['leverage', '   Leverage'],
  ['strategy', '2. Strategy type (speculative/core/hedge)'],
  ['mode', '3. Margin mode (isolated/cross)'],
  ['margin', '4. Isolated margin to assign (Enter = the initial margin)'],
  ['stop', '5. Stop-loss price (Enter = none)'],
];

/** Asks the questions on a terminal or over piped stdin, one line per answer. */
export async function dialogue(input: NodeJS.ReadableStream, output: NodeJS.WritableStream): Promise<Answers> {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const answers: Answers = {};
  for (const [key, question] of QUESTIONS) {
    if (key === 'notional' && answers.size) continue;
    if (key === 'margin' && answers.mode?.trim().toLowerCase() !== 'isolated') continue;
    output.write(`${question}: `);
    const next = await lines.next();
    const answer = next.done ? '' : String(next.value);
    if (!(input as { isTTY?: boolean }).isTTY) output.write(`${answer}\n`);
    answers[key] = answer;
  }
  rl.close();
  return answers;
}

export function registerChecklist(program: Command): void {
  program
    .command('checklist')
    .description('the pre-trade checklist: equity, strategy type, explicit margin mode, isolated margin, stop-loss; refuses "ready" without a stop or with a stop beyond the liquidation price')
    .option('--equity <usdt>', '1. account equity')
    .option('--strategy <type>', '2. speculative, core or hedge')
    .option('--mode <mode>', '3. isolated or cross')
    .option('--margin <usdt>', '4. isolated margin to assign (default: the initial margin)')
    .option('--stop <price>', '5. stop-loss price')
    .option('--exchange <id>', 'exchange profile', 'binance-usdm')
    .option('--symbol <symbol>', 'market', 'BTCUSDT')
    .option('--side <side>', 'long or short')
    .option('--entry <price>', 'planned entry price')
    .option('--size <quantity>', 'position size in base units')
    .option('--notional <usdt>', 'or the position value')
    .option('--leverage <n>', 'leverage')
    .option('--risk <percent>', 'risk budget per speculative trade, % of equity', '2')
    .option('--input <file>', 'answers as a JSON file ({ "equity": "10000", "side": "long", ... })')
    .option('--json', 'print JSON')
    .addHelpText('after', '\nWithout --equity or --input it asks the questions (on a terminal, or one answer per line on stdin).\nExit code: 0 ready, 3 not ready, 2 bad input.\n')
    .action(async (options: Answers & { input?: string; json?: boolean }) => {
      let answers: Answers;
      if (options.input) {
        try {
          answers = { ...options, ...(JSON.parse(readFileSync(options.input, 'utf8')) as Answers) };
        } catch (error) {
          throw new InputError('--input', `cannot read ${options.input} as JSON: ${(error as Error).message}`);
        }
      } else if (options.equity !== undefined) {
        answers = options;
      } else {
        answers = { ...options, ...(await dialogue(io().stdinStream(), { write: (t: string) => (out(t), true) } as unknown as NodeJS.WritableStream)) };
      }
      const result = evaluate(answers);
      out(options.json ? JSON.stringify(result, null, 2) + '\n' : `\n${render(result)}`);
      setExitCode(result.ready ? 0 : EXIT_NOT_READY);
    });
}
