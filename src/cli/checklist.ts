// `perpguard checklist`: the seed's five pre-trade steps, as a terminal dialogue (also over piped stdin)
// or non-interactive from flags or a JSON file. Exit 0 when ready, 3 when refused, 2 on bad input.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { FittedRows, wrapText } from './format.ts';
import type { Command } from 'commander';
import { decimalProblem, isPositive, parseFixed, roundToStep, quantityOf, type Money, type Price, type Quantity } from '../domain/fixed.ts';
import { checklist, type ChecklistResult, type StrategyType } from '../advisor/checklist.ts';
import { DEFAULT_MARKETS } from '../exchanges/markets.ts';
import { EXCHANGE_IDS, type ExchangeId } from '../exchanges/rules.ts';
import { DEFAULT_FEES, resolveSnapshot } from '../exchanges/snapshot.ts';
import { checkedDecimalText } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { firstProblem, strictObject } from '../schema/fields.ts';
import { z } from 'zod';
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

/** How an answer is named in an error: the flag, the JSON field or the question the user actually answered. */
export type FieldNamer = (key: keyof Answers) => string;
const asFlag: FieldNamer = (key) => `--${key}`;

function decimal(field: string, text: string | undefined, sign: 'positive' | 'nonNegative' = 'positive'): string | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = checkedDecimalText(field, text.replace(/[ $]/g, ''));
  if (t.startsWith('-') || (sign === 'positive' && !/[1-9]/.test(t.replace(/[eE].*$/, '')))) throw new InputError(field, `must be ${sign === 'positive' ? 'above zero' : 'zero or more'}, got "${text}"`);
  return t;
}

function oneOf<T extends string>(field: string, text: string | undefined, options: readonly T[]): T | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const t = text.trim().toLowerCase() as T;
  if (!options.includes(t)) throw new InputError(field, `must be one of ${options.join(', ')}, got "${text}"`);
  return t;
}

function wholeLeverage(field: string, text: string | undefined): number {
  const t = (text ?? '').trim();
  const leverage = Number(t);
  if (!/^\d+$/.test(t) || !Number.isSafeInteger(leverage) || leverage < 1) throw new InputError(field, `must be a whole number >= 1, got "${text ?? ''}"`);
  return leverage;
}

/**
 * Checks one answer on its own, as soon as it is given (the dialogue asks again when this throws):
 * everything evaluate() can tell without the other answers.
 */
export function checkAnswer(key: keyof Answers, text: string, exchange: ExchangeId, field: string): void {
  const given = text.trim() !== '';
  switch (key) {
    case 'equity':
    case 'entry':
      if (!given) throw new InputError(field, 'is required');
      decimal(field, text);
      return;
    case 'size':
    case 'notional':
    case 'stop':
    case 'risk':
      decimal(field, text);
      return;
    case 'margin':
      decimal(field, text, 'nonNegative');
      return;
    case 'side':
      if (!given) throw new InputError(field, 'is required: long or short');
      oneOf(field, text, ['long', 'short'] as const);
      return;
    case 'leverage':
      wholeLeverage(field, text);
      return;
    case 'strategy':
      oneOf(field, text, ['speculative', 'core', 'hedge'] as const);
      return;
    case 'mode':
      oneOf(field, text, ['isolated', 'cross'] as const);
      return;
    case 'symbol': {
      const symbol = text.trim() || 'BTCUSDT';
      if (!DEFAULT_MARKETS[exchange].some((m) => m.symbol === symbol)) throw new InputError(field, `${symbol} is not a bundled market of ${exchange} (${DEFAULT_MARKETS[exchange].map((m) => m.symbol).join(', ')})`);
      return;
    }
    case 'exchange':
      oneOf(field, text, EXCHANGE_IDS);
      return;
  }
}

/** Evaluates the answers; missing answers count as not given (the checklist refuses what it must). */
export function evaluate(answers: Answers, nameOf: FieldNamer = asFlag): ChecklistResult {
  const exchange = (oneOf(nameOf('exchange'), answers.exchange, EXCHANGE_IDS) ?? 'binance-usdm') as ExchangeId;
  const symbol = answers.symbol?.trim() || 'BTCUSDT';
  checkAnswer('symbol', symbol, exchange, nameOf('symbol'));
  const equityText = decimal(nameOf('equity'), answers.equity);
  if (equityText === undefined) throw new InputError(nameOf('equity'), 'is required: the account equity in the settlement asset');
  const entryText = decimal(nameOf('entry'), answers.entry);
  if (entryText === undefined) throw new InputError(nameOf('entry'), 'is required: the planned entry price');
  const leverage = wholeLeverage(nameOf('leverage'), answers.leverage);
  const side = oneOf(nameOf('side'), answers.side, ['long', 'short'] as const);
  if (!side) throw new InputError(nameOf('side'), 'is required: long or short');
  // the market with its bracket table, through the same resolution as `perpguard calc`
  let market;
  try {
    market = resolveSnapshot({ exchange, walletBalance: '1', positions: [{ symbol, side, size: '1', entryPrice: entryText, marginMode: 'cross', leverage }] }).legs[0]!.market;
  } catch (error) {
    // the probe's own field names (positions[0].leverage) are not what the user typed
    if (error instanceof InputError) throw new InputError(nameOf(error.field.endsWith('leverage') ? 'leverage' : error.field.endsWith('entryPrice') ? 'entry' : 'symbol'), error.reason);
    throw error;
  }
  const entry = parseFixed<'Price'>(entryText);
  let quantity: Quantity;
  const sizeText = decimal(nameOf('size'), answers.size);
  const notionalText = decimal(nameOf('notional'), answers.notional);
  if (sizeText !== undefined) quantity = parseFixed(sizeText);
  else if (notionalText !== undefined) quantity = roundToStep(quantityOf(parseFixed<'Money'>(notionalText), entry, 'floor'), market.stepSize, 'floor');
  else throw new InputError(nameOf('size'), `give the position size (base quantity) or the ${nameOf('notional')}`);
  if (!isPositive(quantity)) throw new InputError(sizeText !== undefined ? nameOf('size') : nameOf('notional'), 'must be above zero (after rounding down to the step)');
  const fees = DEFAULT_FEES[exchange];
  const marginText = decimal(nameOf('margin'), answers.margin, 'nonNegative');
  const stopText = decimal(nameOf('stop'), answers.stop);
  const riskText = decimal(nameOf('risk'), answers.risk) ?? '2';
  if (Number(riskText) > 100) throw new InputError(nameOf('risk'), `is a percent of equity, at most 100, got "${answers.risk}"`);
  return checklist({
    exchange,
    market,
    fees: { taker: parseFixed(fees.taker), maker: parseFixed(fees.maker) },
    equity: parseFixed<'Money'>(equityText),
    strategy: oneOf<StrategyType>(nameOf('strategy'), answers.strategy, ['speculative', 'core', 'hedge']),
    marginMode: oneOf(nameOf('mode'), answers.mode, ['isolated', 'cross'] as const),
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
  const table = new FittedRows([
    { head: 'step', wrap: true, minWidth: 12 },
    { head: 'answer', wrap: true, minWidth: 10 },
    { head: 'check', wrap: true, minWidth: 20 },
    { head: 'numbers', wrap: true, minWidth: 14 },
  ]);
  for (const s of result.steps) {
    table.push([`${s.step}. ${s.title}`, s.answer, `${s.refusal ? 'REFUSED' : s.ok ? 'ok' : 'warning'}: ${s.message}`, Object.entries(s.numbers).map(([k, v]) => `${k}: ${v}`).join('\n')]);
  }
  const verdict = result.ready
    ? `READY${result.warnings.length ? ` (with ${result.warnings.length} warning${result.warnings.length > 1 ? 's' : ''})` : ''}`
    : `NOT READY:\n${result.refusals.map((r) => `  - ${r}`).join('\n')}`;
  return `${table.toString()}\n${wrapText(verdict)}\n`;
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

/** How an error names a dialogue answer: the question the user was asked, never a flag they did not type. */
export const questionOf: FieldNamer = (key) => {
  const question = QUESTIONS.find(([k]) => k === key)?.[1].trim().replace(/ \[.*$| \(.*$/, '');
  return question ? `"${question}"` : key;
};

/**
 * Asks the questions on a terminal or over piped stdin, one line per answer. Each answer is checked as
 * it is given; a bad one is explained and asked again. At the end of the input a required question that
 * still has no good answer is bad input naming that question.
 */
export async function dialogue(input: NodeJS.ReadableStream, output: { write(text: string): unknown }, exchange: ExchangeId = 'binance-usdm'): Promise<Answers> {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  const answers: Answers = {};
  const echo = !(input as { isTTY?: boolean }).isTTY;
  try {
    for (const [key, question] of QUESTIONS) {
      if (key === 'notional' && answers.size) continue;
      if (key === 'margin' && answers.mode?.trim().toLowerCase() !== 'isolated') continue;
      for (;;) {
        output.write(`${question}: `);
        const next = await lines.next();
        const answer = next.done ? '' : String(next.value);
        if (echo) output.write(`${answer}\n`);
        try {
          checkAnswer(key, answer, exchange, questionOf(key));
          if (key === 'notional' && answer.trim() === '') throw new InputError(questionOf('notional'), 'is required when no size is given');
          answers[key] = answer;
          break;
        } catch (error) {
          if (!(error instanceof InputError) || next.done) throw error;
          output.write(`  ${error.reason}; please answer again.\n`);
        }
      }
    }
  } finally {
    rl.close();
  }
  return answers;
}

const ANSWER_KEYS = ['exchange', 'equity', 'strategy', 'mode', 'margin', 'symbol', 'side', 'entry', 'size', 'notional', 'leverage', 'stop', 'risk'] as const;

/** The --input JSON file: strict, every answer a string (a JSON number would not stay exact). */
const answersSchema = strictObject(Object.fromEntries(ANSWER_KEYS.map((k) => [k, z.string({ error: (issue) => decimalProblem(issue.input) ?? 'must be a string' }).optional()])) as Record<(typeof ANSWER_KEYS)[number], z.ZodOptional<z.ZodString>>, 'must be an object of answers such as { "equity": "10000", "side": "long" }');

export function parseAnswersFile(file: string, text: string): Answers {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new InputError('--input', `${file} is not valid JSON (${(error as Error).message})`);
  }
  const parsed = answersSchema.safeParse(json);
  if (!parsed.success) {
    const { field, reason } = firstProblem(parsed.error);
    throw new InputError(field ? `${file}: ${field}` : '--input', reason);
  }
  return Object.fromEntries(Object.entries(parsed.data).filter(([, v]) => v !== undefined)) as Answers;
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
    .addHelpText('after', '\nWithout --equity or --input it asks the questions (on a terminal, or one answer per line on stdin).\nExit code: 0 ready, 3 not ready, 2 bad input.\n\nExamples:\n  perpguard checklist --equity 10000 --strategy speculative --mode isolated --side long --entry 60000 --size 0.158 --leverage 10 --stop 58800\n  perpguard checklist --equity 10000 --strategy speculative --mode isolated --side long --entry 60000 --size 0.158 --leverage 10   # exit 3\n')
    .action(async (options: Answers & { input?: string; json?: boolean }) => {
      let answers: Answers;
      let nameOf: FieldNamer = asFlag;
      const flags = Object.fromEntries(Object.entries(options).filter(([k]) => (ANSWER_KEYS as readonly string[]).includes(k))) as Answers;
      if (options.input) {
        let text: string;
        try {
          text = readFileSync(options.input, 'utf8');
        } catch (error) {
          throw new InputError('--input', `cannot read ${options.input}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
        }
        const fromFile = parseAnswersFile(options.input, text);
        answers = { ...flags, ...fromFile };
        const file = options.input;
        nameOf = (key) => (key in fromFile ? `${file}: ${key}` : `--${key}`);
      } else if (options.equity !== undefined) {
        answers = flags;
      } else {
        const exchange = (oneOf('--exchange', options.exchange, EXCHANGE_IDS) ?? 'binance-usdm') as ExchangeId;
        const asked = await dialogue(io().stdinStream(), { write: (t: string) => out(t) }, exchange);
        answers = { ...flags, ...asked };
        nameOf = (key) => (key in asked ? questionOf(key) : `--${key}`);
      }
      const result = evaluate(answers, nameOf);
      out(options.json ? JSON.stringify(result, null, 2) + '\n' : `\n${render(result)}`);
      setExitCode(result.ready ? 0 : EXIT_NOT_READY);
    });
}
