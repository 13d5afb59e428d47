// `perpguard protect --exchange <ccxt id> --buffer-pct <pct>`: places, for each position without a reduce-only
// stop in front of its liquidation price, a reduce-only stop-market order for the whole position triggering
// the buffer in front of it, confirming each order (y/N on a terminal; --yes confirms all; --dry-run places
// nothing). It reads the account as watch does (the same importers and exact engine), and needs
// trade-enabled keys: watch's read-only ones are refused by the venue. It never cancels or changes an order:
// a stop that lies behind stays, the new one comes first.
import { createInterface } from 'node:readline';
import type { Command } from 'commander';
import { formatFixed, formatFixedTo, times } from '../domain/fixed.ts';
import { positionChecks } from '../advisor/watch.ts';
import { protectPlans, type ProtectPlan } from '../advisor/protect.ts';
import { profileOf } from '../exchanges/profiles.ts';
import { InputError } from '../schema/input-error.ts';
import { watchedAccount } from '../io/watch-account.ts';
import { ccxtPositionOf, openStopPlacing, type StopPlacingExchange } from '../io/protect-venue.ts';
import { readCredentials, readVenue, redact, WATCH_EXCHANGES, type WatchExchangeId } from '../io/watch-source.ts';
import { choiceOption } from './advise-options.ts';
import { fitTable } from './format.ts';
import { io, out, setExitCode } from './io.ts';
import { oneLine, percentOption } from './watch.ts';
import { grouped } from '../views/numbers.ts';

interface Options {
  exchange: string;
  url?: string;
  config?: string;
  bufferPct: string;
  symbol?: string[];
  yes?: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** The exchanges protect can place on with the keys perpguard takes (Hyperliquid signs with a wallet's private key). */
const PROTECT_EXCHANGES = WATCH_EXCHANGES.filter((e) => e !== 'hyperliquid');

export const TRADE_KEYS_LINE = 'perpguard protect places orders: it needs trade-enabled API keys (watch needs read-only ones). It only places reduce-only stops, and never cancels or changes an order.';

/** The methods the last protect called on its exchange: for tests. */
export const protectCalls: string[] = [];

const trim = (s: string): string => (s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s);
const price8 = (p: Parameters<typeof formatFixed>[0]): string => formatFixedTo(p, 8, 'halfEven');
const priceText = (p: Parameters<typeof formatFixed>[0]): string => grouped(trim(price8(p)));


export function registerProtect(program: Command): void {
  program
    .command('protect')
    .description("place a reduce-only stop in front of each position's liquidation price (asks before each order; needs trade-enabled keys)")
    .requiredOption('--exchange <id>', `ccxt exchange id: ${PROTECT_EXCHANGES.join(', ')}`)
    .requiredOption('--buffer-pct <pct>', 'how far in front of the liquidation price the stop triggers, in % of the mark')
    .option('--url <base>', "a Binance-compatible REST base for binanceusdm (perpguard serve's URL)")
    .option('--config <file>', 'JSON or YAML with apiKey, secret (password); default: PERPGUARD_API_KEY, PERPGUARD_API_SECRET, PERPGUARD_API_PASSWORD')
    .option('--symbol <symbol...>', "only these positions (the venue's symbols, e.g. ETHUSDT)")
    .option('--yes', 'place every order without asking')
    .option('--dry-run', 'print the orders it would place, place none')
    .option('--json', 'one JSON document: each position, the order and what became of it')
    .addHelpText(
      'after',
      `\nKeys: trade-enabled API keys from the environment (PERPGUARD_API_KEY, PERPGUARD_API_SECRET) or --config; never on the command line.\n` +
        `Without a terminal to ask on, give --yes (or --dry-run). Exits 1 when the venue refused an order.\n` +
        `\nExample: perpguard protect --exchange binanceusdm --buffer-pct 1 --dry-run\n`,
    )
    .action((options: Options) => protect(options));
}

interface Outcome {
  readonly plan: ProtectPlan;
  readonly status: 'placed' | 'would place' | 'declined' | 'skipped' | 'failed';
  readonly orderId?: string;
  readonly error?: string;
}

async function protect(o: Options): Promise<void> {
  const id = choiceOption<WatchExchangeId>('--exchange', o.exchange, PROTECT_EXCHANGES);
  const buffer = percentOption('--buffer-pct', o.bufferPct);
  if (o.url !== undefined && !/^https?:\/\//.test(o.url)) throw new InputError('--url', `must be an http(s) URL, got "${o.url}"`);
  if (o.url !== undefined && id !== 'binanceusdm') throw new InputError('--url', `points ccxt's Binance USDⓈ-M URLs at a Binance-compatible venue; it cannot be used with ${id}`);
  // asked before anything is read: an order confirmed by nobody is never placed
  if (!o.dryRun && !o.yes && !io().stdinIsTTY) throw new InputError('--yes', 'no terminal to confirm each order on: give --yes to place them all, or --dry-run to see them');
  const credentials = readCredentials(o.config, process.env);
  if (credentials.apiKey === undefined) throw new InputError('PERPGUARD_API_KEY', 'is not set: give trade-enabled keys in PERPGUARD_API_KEY and PERPGUARD_API_SECRET, or in a --config file');
  const say = (text: string) => io().stderr(redact(text, credentials));
  say(`${TRADE_KEYS_LINE}\n`);
  protectCalls.length = 0;
  const exchange = await openStopPlacing(id, credentials, o.url, (m) => protectCalls.push(m));
  let reading;
  try {
    await exchange.loadMarkets();
    reading = await readVenue(exchange, new Map());
  } catch (error) {
    throw new InputError('--exchange', redact(`${id}: ${oneLine(error)}`, credentials));
  }
  const account = watchedAccount(id, reading, []);
  const only = o.symbol === undefined ? undefined : new Set(o.symbol.map((s) => s.toUpperCase()));
  const outcomes: Outcome[] = [];
  if (account) {
    const { snapshot } = account.loaded;
    const report = profileOf(snapshot.exchange).evaluate(snapshot);
    const checks = positionChecks(report, account.reported, account.stops, account.adjustments, buffer);
    const answers = o.dryRun || o.yes ? undefined : lineReader();
    for (const plan of protectPlans(report, checks, buffer)) {
      if (only && !only.has(plan.symbol)) continue;
      if (plan.kind === 'skip') outcomes.push({ plan, status: 'skipped' });
      else if (o.dryRun) outcomes.push({ plan, status: 'would place' });
      else {
        if (answers && !(await answers.confirm(`Place a reduce-only stop-market ${plan.side} of ${trim(plan.size)} ${plan.symbol} triggering at ${priceText(plan.triggerPrice)} (liquidation ${priceText(plan.liquidationPrice)}, mark ${priceText(plan.markPrice)})? [y/N] `))) {
          outcomes.push({ plan, status: 'declined' });
          continue;
        }
        outcomes.push(await place(exchange, reading.positions, plan, id, (t) => redact(t, credentials)));
      }
    }
    answers?.close();
  }
  if (only) for (const s of only) if (!outcomes.some((x) => x.plan.symbol === s)) say(`perpguard protect: no open position in ${s}\n`);
  if (o.json) out(JSON.stringify({ exchange: id, bufferPct: formatFixed(times(buffer, 100)), dryRun: o.dryRun === true, orders: outcomes.map(outcomeJson) }, null, 2) + '\n');
  else out(render(id, outcomes, o.dryRun === true));
  // an order the venue refused leaves a position without the stop the trader asked for
  if (outcomes.some((x) => x.status === 'failed')) setExitCode(1);
}

async function place(exchange: StopPlacingExchange, positions: readonly unknown[], plan: Extract<ProtectPlan, { kind: 'place' }>, id: string, clean: (t: string) => string): Promise<Outcome> {
  const position = ccxtPositionOf(positions, plan.symbol, plan.side === 'sell' ? 'long' : 'short');
  if (!position) return { plan, status: 'failed', error: 'the position is no longer on the venue' };
  try {
    // ccxt's unified stop loss: binanceusdm sends a STOP_MARKET to /fapi/v1/algoOrder, reduce-only
    const order = await exchange.createOrder(position.symbol, 'market', plan.side, position.contracts, undefined, { stopLossPrice: Number(formatFixed(plan.triggerPrice)), reduceOnly: true });
    return { plan, status: 'placed', orderId: String(order['id']) };
  } catch (error) {
    return { plan, status: 'failed', error: clean(`${id}: ${oneLine(error)}`) };
  }
}

function outcomeJson(x: Outcome) {
  const p = x.plan;
  return {
    position: p.position,
    status: x.status,
    reason: p.reason,
    ...(p.kind === 'place'
      ? { order: { type: 'STOP_MARKET', side: p.side, size: p.size, triggerPrice: formatFixed(p.triggerPrice), reduceOnly: true }, liquidationPrice: price8(p.liquidationPrice), markPrice: formatFixed(p.markPrice) }
      : { order: null }),
    orderId: x.orderId ?? null,
    error: x.error ?? null,
  };
}

function render(id: string, outcomes: readonly Outcome[], dryRun: boolean): string {
  if (outcomes.length === 0) return `${id}: no open position\n`;
  const rows = outcomes.map((x) => {
    const p = x.plan;
    const status = x.status === 'placed' ? `placed (order ${x.orderId})` : x.status === 'failed' ? `failed: ${x.error}` : x.status;
    return p.kind === 'place'
      ? [p.position, `${p.side} ${trim(p.size)}`, priceText(p.triggerPrice), priceText(p.liquidationPrice), priceText(p.markPrice), `${status}: ${p.reason}`]
      : [p.position, '—', '—', '—', '—', `${status}: ${p.reason}`];
  });
  const table = fitTable([{ head: 'position' }, { head: 'stop\norder' }, { head: 'trigger' }, { head: 'liq.' }, { head: 'mark' }, { head: dryRun ? 'dry run: nothing placed' : 'status', wrap: true, minWidth: 20 }], rows);
  return `${table.text}\n`;
}

/** Answers read one line per question from standard input (a terminal here), prompts on standard error. */
function lineReader(): { confirm(question: string): Promise<boolean>; close(): void } {
  const rl = createInterface({ input: io().stdinStream(), terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  return {
    async confirm(question) {
      io().stderr(question);
      const next = await lines.next();
      return !next.done && /^y(es)?$/i.test(next.value.trim());
    },
    close: () => rl.close(),
  };
}
