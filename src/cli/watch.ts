// `perpguard watch --exchange <ccxt id>`: the trader's live account polled through ccxt, every position's
// liquidation price in its mode and in the other mode, and warnings raised once and cleared once when the
// trader's thresholds are crossed. Read-only: the exchange object is behind ../io/watch-source.ts's guard.
// Keys come from PERPGUARD_API_KEY / PERPGUARD_API_SECRET or --config, never from the command line, and are
// cut out of every message printed (redact).
import { mkdirSync, writeFileSync } from 'node:fs';
import { setTimeout as sleepFor } from 'node:timers/promises';
import { join } from 'node:path';
import type { Command } from 'commander';
import { formatFixed, fromInt, isNegative, parseFixed, ratio, type Rate } from '../domain/fixed.ts';
import type { BracketTable } from '../domain/tiers.ts';
import { conditionsOf, markBands, positionChecks, stepWarnings, type Warning, type WatchThresholds } from '../advisor/watch.ts';
import { profileOf } from '../exchanges/profiles.ts';
import type { AccountSnapshot } from '../exchanges/rules.ts';
import { webAssets } from '../io/web-bundle.ts';
import { startWatchBoard, type WatchBoard } from '../server/watch/board.ts';
import { decimalText } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { importCcxtLeverageTiers, TierImportError } from '../io/ccxt-tiers.ts';
import { volatilityOf, watchedAccount } from '../io/watch-account.ts';
import { liquidatedOf, openExchange, readCredentials, readVenue, redact, venueSymbolOf, WATCH_EXCHANGES, type Credentials, type ReadOnlyExchange, type WatchExchangeId } from '../io/watch-source.ts';
import { openAccountStream, openProExchange, type AccountStream } from '../io/watch-stream.ts';
import { tickJson, warningJson, type TickJson } from '../views/watch.ts';
import { readJsonFile, choiceOption, wholeOption } from './advise-options.ts';
import { io, out, setExitCode } from './io.ts';
import { READ_ONLY_LINE, renderTick } from './watch-render.ts';

interface Options {
  exchange: string;
  url?: string;
  config?: string;
  intervalMs: string;
  once?: boolean;
  ticks?: string;
  json?: boolean;
  maxMarginRatio?: string;
  minDistancePct?: string;
  minDistanceHours?: string;
  requireStop?: boolean;
  stopBufferPct: string;
  maxDivergenceTicks: string;
  maxTopUps: string;
  webhook?: string;
  record?: string;
  tiers?: string;
  stream?: boolean;
  dashboard?: string | true;
}

/** How watch waits between ticks (a test replaces it to step a venue's clock instead of sleeping); a stream's change aborts it. */
type Pause = (ms: number, signal?: AbortSignal) => Promise<void>;
const sleep: Pause = (ms, signal) => sleepFor(ms, undefined, signal ? { signal } : {});
let pause: Pause = sleep;
export function setWatchPause(next: Pause | undefined): void {
  pause = next ?? sleep;
}

/** The methods the last watch called on its exchange (the read-only guard hears each): for tests. */
export const watchCalls: string[] = [];
/** The dashboard links watch opened (--dashboard), the newest last: for tests. */
export const watchBoardUrls: string[] = [];

const HUNDRED = fromInt<'Rate'>(100);
/** The margin ratio the dashboard marks when the trader set none: the 80 % at which Binance and perpguard's venue call for margin. */
const USUAL_MARGIN_CALL = parseFixed<'Rate'>('0.8');

export function percentOption(flag: string, text: string): Rate {
  const value = decimalText<'Rate'>(flag, text);
  if (isNegative(value)) throw new InputError(flag, `must be a percentage of 0 or more, got "${text}"`);
  return ratio(value, HUNDRED, 'halfEven');
}

function hoursOption(text: string): number {
  const hours = Number(text);
  if (text.trim() === '' || !Number.isFinite(hours) || hours <= 0) throw new InputError('--min-distance-hours', `must be a number of hours above 0, got "${text}"`);
  return hours;
}

export function thresholdsOf(o: Options): WatchThresholds {
  const ticks = decimalText<'Rate'>('--max-divergence-ticks', o.maxDivergenceTicks);
  if (isNegative(ticks)) throw new InputError('--max-divergence-ticks', `must be 0 or more, got "${o.maxDivergenceTicks}"`);
  return {
    ...(o.maxMarginRatio !== undefined ? { maxMarginRatio: percentOption('--max-margin-ratio', o.maxMarginRatio) } : {}),
    ...(o.minDistancePct !== undefined ? { minDistance: percentOption('--min-distance-pct', o.minDistancePct) } : {}),
    ...(o.minDistanceHours !== undefined ? { minDistanceHours: hoursOption(o.minDistanceHours) } : {}),
    requireStop: o.requireStop === true,
    stopBuffer: percentOption('--stop-buffer-pct', o.stopBufferPct),
    maxDivergenceTicks: ticks,
    maxTopUps: wholeOption('--max-top-ups', o.maxTopUps, 0, 1000),
  };
}

function webhookOption(text: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new InputError('--webhook', `must be an http(s) URL, got "${text}"`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new InputError('--webhook', `must be an http(s) URL, got "${text}"`);
  return url.toString();
}

function overrideTiers(file: string | undefined): BracketTable[] {
  if (file === undefined) return [];
  try {
    return importCcxtLeverageTiers(readJsonFile('--tiers', file), '1970-01-01', `ccxt fetchLeverageTiers dump ${file}`);
  } catch (error) {
    if (error instanceof TierImportError) throw new InputError('--tiers', `${file}: ${error.message}`);
    throw error;
  }
}

export function registerWatch(program: Command): void {
  program
    .command('watch')
    .description("watch a live account through ccxt (read-only): liquidation prices in both modes, the venue's beside perpguard's, stops, and warnings when thresholds are crossed")
    .requiredOption('--exchange <id>', `ccxt exchange id: ${WATCH_EXCHANGES.join(', ')}`)
    .option('--url <base>', "a Binance-compatible REST base for binanceusdm (perpguard serve's URL)")
    .option('--config <file>', 'JSON or YAML with apiKey, secret (password, walletAddress); default: PERPGUARD_API_KEY, PERPGUARD_API_SECRET, PERPGUARD_API_PASSWORD, PERPGUARD_WALLET_ADDRESS')
    .option('--interval-ms <ms>', 'time between two readings', '5000')
    .option('--once', 'read once, print, exit')
    .option('--ticks <n>', 'stop after this many readings')
    .option('--json', 'with --once one JSON document; else JSON lines, one per tick and one per warning raised or cleared')
    .option('--max-margin-ratio <pct>', 'warn at this margin ratio (maintenance / margin balance) or above, in %')
    .option('--min-distance-pct <pct>', 'warn when the mark is closer than this to the liquidation price, in % of the mark')
    .option('--min-distance-hours <h>', "warn when a 99 % move of the symbol's recent hourly volatility (scaled by the square root of time) reaches the liquidation price within this many hours")
    .option('--require-stop', 'warn for a position without a reduce-only stop in front of its liquidation price')
    .option('--stop-buffer-pct <pct>', 'how far in front of the liquidation price a stop must trigger, in % of the mark', '0.5')
    .option('--max-divergence-ticks <n>', "warn when the venue's liquidation price and perpguard's differ by more ticks than this", '1')
    .option('--max-top-ups <n>', 'warn when an isolated position has been topped up this many times (margin chasing); 0: off', '3')
    .option('--webhook <url>', 'POST each warning raised or cleared as JSON to this URL')
    .option('--record <dir>', "write each reading's account as a snapshot file (perpguard calc reads it)")
    .option('--stream', "also listen to the venue's streams (ccxt.pro watchPositions, watchBalance, watchOrders, watchMarkPrices): an account change, or a mark a quarter of the way to a liquidation price, is read at once, not at the next interval")
    .option('--tiers <file>', "a ccxt fetchLeverageTiers dump to compute with instead of the venue's tiers")
    .option('--dashboard [port]', 'serve the account on the dashboard\'s portfolio page at http://127.0.0.1:port (default: a free port); the link is printed')
    .addHelpText(
      'after',
      `\nKeys: read-only API keys from the environment (PERPGUARD_API_KEY, PERPGUARD_API_SECRET) or --config; never on the command line.\n` +
        `--once exits 1 while a warning is active, 0 when none is.\n` +
        `\nExamples (against a venue; without --once it runs until Ctrl-C):\n` +
        `perpguard watch --exchange binanceusdm --url http://127.0.0.1:8080 --once --json\n` +
        `perpguard watch --exchange bybit --config keys.yaml --max-margin-ratio 50 --min-distance-pct 5 --require-stop\n`,
    )
    .action((options: Options) => watch(options));
}

async function watch(o: Options): Promise<void> {
  const id = choiceOption<WatchExchangeId>('--exchange', o.exchange, WATCH_EXCHANGES);
  const intervalMs = wholeOption('--interval-ms', o.intervalMs, 100, 86_400_000);
  const ticks = o.once ? 1 : o.ticks === undefined ? Infinity : wholeOption('--ticks', o.ticks, 1, 1_000_000);
  const thresholds = thresholdsOf(o);
  const webhook = o.webhook === undefined ? undefined : webhookOption(o.webhook);
  const override = overrideTiers(o.tiers);
  if (o.url !== undefined && !/^https?:\/\//.test(o.url)) throw new InputError('--url', `must be an http(s) URL, got "${o.url}"`);
  if (o.url !== undefined && id !== 'binanceusdm') throw new InputError('--url', `points ccxt's Binance USDⓈ-M URLs at a Binance-compatible venue; it cannot be used with ${id}`);
  const credentials = readCredentials(o.config, process.env);
  if (credentials.apiKey === undefined && id !== 'hyperliquid') throw new InputError('PERPGUARD_API_KEY', 'is not set: give read-only keys in PERPGUARD_API_KEY and PERPGUARD_API_SECRET, or in a --config file');
  if (o.record !== undefined) mkdirSync(o.record, { recursive: true });
  const boardPort = o.dashboard === undefined ? undefined : o.dashboard === true ? 0 : wholeOption('--dashboard', o.dashboard, 0, 65_535);
  watchCalls.length = 0;
  const exchange = await openExchange(id, credentials, o.url, (m) => watchCalls.push(m));
  io().stderr(`${READ_ONLY_LINE}\n`);
  const say = (text: string) => io().stderr(redact(text, credentials));
  try {
    await exchange.loadMarkets();
  } catch (error) {
    throw new InputError('--exchange', redact(`${id} refused the first reading: ${oneLine(error)}`, credentials));
  }
  const state: LoopState = { active: new Map(), liquidated: new Set(), previous: new Map(), tierCache: new Map(), tick: 0 };
  const board = boardPort === undefined ? undefined : await startWatchBoard(await webAssets(), id, boardPort);
  if (board) {
    watchBoardUrls.push(board.url);
    // the link's key and secret open this page only (../server/watch/board.ts): they are not the exchange's
    io().stderr(`perpguard watch: the account's dashboard (read-only, this machine only): ${board.url}\n`);
  }
  const stream = o.stream && !o.once ? await accountStream(id, credentials, o.url, intervalMs, say) : undefined;
  try {
    await watchLoop(o, id, exchange, override, thresholds, state, { ticks, intervalMs, webhook, say, board, stream, hide: (text) => redact(text, credentials) });
  } finally {
    await stream?.close();
    await board?.close();
  }
  if (o.once && state.active.size > 0) setExitCode(1);
}

/** The account streams, or undefined (said on standard error) where the venue offers none or they fail to start. */
async function accountStream(id: WatchExchangeId, credentials: Credentials, url: string | undefined, intervalMs: number, say: (t: string) => void): Promise<AccountStream | undefined> {
  try {
    const stream = await openAccountStream(await openProExchange(id, credentials, url), say, intervalMs);
    if (stream.methods.length === 0) {
      say(`perpguard watch: ${id} offers no account stream in ccxt.pro; reading every ${intervalMs} ms\n`);
      await stream.close();
      return undefined;
    }
    say(`perpguard watch: streaming ${stream.methods.join(', ')}: a change is read at once, else every ${intervalMs} ms\n`);
    return stream;
  } catch (error) {
    say(`perpguard watch: the account streams did not start (${oneLine(error)}); reading every ${intervalMs} ms\n`);
    return undefined;
  }
}

interface LoopSettings {
  readonly ticks: number;
  readonly intervalMs: number;
  readonly webhook: string | undefined;
  readonly say: (text: string) => void;
  /** Cuts the exchange's key and secret out of a message (redact). */
  readonly hide: (text: string) => string;
  readonly board: WatchBoard | undefined;
  /** The account streams (--stream) that wake a reading before the interval ends. */
  readonly stream: AccountStream | undefined;
}

async function watchLoop(o: Options, id: WatchExchangeId, exchange: ReadOnlyExchange, override: readonly BracketTable[], thresholds: WatchThresholds, state: LoopState, settings: LoopSettings): Promise<void> {
  const { ticks, intervalMs, webhook, say, board, hide, stream } = settings;
  /** What started this reading: the first one, the interval, a change on the account's streams, or a mark outside its band. */
  let trigger: 'start' | 'interval' | 'stream' | 'mark' = 'start';
  for (;;) {
    let json: TickJson | undefined;
    let snapshot: AccountSnapshot | undefined;
    let step;
    let bands;
    try {
      ({ json, snapshot, step, bands } = await oneTick(id, exchange, override, thresholds, state, o.record));
    } catch (error) {
      if (error instanceof InputError) throw new InputError(error.field, hide(error.reason));
      if (o.once) throw new InputError('--exchange', hide(`${id}: ${oneLine(error)}`));
      say(`perpguard watch: reading ${state.tick + 1} failed: ${oneLine(error)}; trying again in ${intervalMs} ms\n`);
      await pause(intervalMs);
      continue;
    }
    state.tick++;
    const warnings = { raised: step.raised.map(warningJson), cleared: step.cleared.map(warningJson), active: [...step.active.values()].map(warningJson) };
    const time = new Date().toISOString();
    if (o.json && o.once) out(JSON.stringify(json ?? emptyTick(id, warnings), null, 2) + '\n');
    else if (o.json) {
      out(JSON.stringify({ type: 'tick', tick: state.tick, time, trigger, ...(json ?? emptyTick(id, warnings)) }) + '\n');
      for (const w of warnings.raised) out(JSON.stringify({ type: 'warning', state: 'raised', tick: state.tick, time, ...w }) + '\n');
      for (const w of warnings.cleared) out(JSON.stringify({ type: 'warning', state: 'cleared', tick: state.tick, time, ...w }) + '\n');
    } else {
      // a terminal is redrawn in place; a pipe or file gets the ticks one after the other
      out(`${io().stdoutColumns !== undefined && !o.once ? '\x1b[H\x1b[2J' : ''}${renderTick(json, id, time, warnings)}`);
    }
    if (webhook) await postWarnings(webhook, id, time, step.raised, step.cleared, say);
    if (board && json && snapshot) board.update({ exchange: id, time, tick: state.tick, snapshot, json, marginCallRatio: formatFixed(thresholds.maxMarginRatio ?? USUAL_MARGIN_CALL) });
    if (state.tick >= ticks) break;
    stream?.setMarkBands(bands);
    if (stream) trigger = await stream.next(intervalMs, pause);
    else {
      await pause(intervalMs);
      trigger = 'interval';
    }
  }
}

interface LoopState {
  active: ReadonlyMap<string, Warning>;
  /** Positions the venue liquidated, until a position of the same name opens again. */
  liquidated: Set<string>;
  /** Last reading's positions by name: their ccxt symbol and last update (to ask the venue about the gone ones). */
  previous: Map<string, { symbol: string; lastUpdateMs: number }>;
  tierCache: Map<string, unknown>;
  tick: number;
}

async function oneTick(id: WatchExchangeId, exchange: ReadOnlyExchange, override: readonly BracketTable[], thresholds: WatchThresholds, state: LoopState, record: string | undefined) {
  const reading = await readVenue(exchange, state.tierCache);
  const current = new Map<string, { symbol: string; lastUpdateMs: number }>();
  for (const p of reading.positions as Record<string, unknown>[]) {
    const info = (p['info'] ?? {}) as Record<string, unknown>;
    const name = `${String(info['symbol'] ?? info['instId'] ?? p['symbol'])} ${String(p['side'])}`;
    current.set(name, { symbol: String(p['symbol']), lastUpdateMs: typeof p['timestamp'] === 'number' ? p['timestamp'] : 0 });
  }
  const goneNames = [...state.previous.keys()].filter((n) => !current.has(n));
  const goneSymbols = await liquidatedOf(exchange, goneNames.map((n) => state.previous.get(n)!));
  for (const n of goneNames) if (goneSymbols.includes(state.previous.get(n)!.symbol)) state.liquidated.add(n);
  for (const n of current.keys()) state.liquidated.delete(n);
  state.previous = current;
  const account = watchedAccount(id, reading, override);
  if (!account) {
    const step = stepWarnings(state.active, [...state.liquidated].map((p) => ({ id: `liquidated ${p}`, kind: 'liquidated' as const, position: p, figure: 'liquidated', threshold: 'none', message: `${p}: liquidated by the venue` })));
    state.active = step.active;
    return { json: undefined, snapshot: undefined, step, bands: new Map() };
  }
  const { snapshot, imported } = account.loaded;
  const report = profileOf(snapshot.exchange).evaluate(snapshot);
  const checks = positionChecks(report, account.reported, account.stops, account.adjustments, thresholds.stopBuffer, volatilityOf(reading));
  const step = stepWarnings(state.active, conditionsOf(report, checks, thresholds, [...state.liquidated]));
  state.active = step.active;
  if (record !== undefined) writeFileSync(join(record, `tick-${String(state.tick + 1).padStart(6, '0')}.json`), JSON.stringify(account.record, null, 2) + '\n');
  const json = tickJson({
    exchange: id,
    format: imported.format,
    notes: imported.notes,
    snapshot,
    report,
    reported: account.reported,
    checks,
    raised: step.raised,
    cleared: step.cleared,
    active: [...step.active.values()],
  });
  // the marks that make a reading due early (--stream), by ccxt symbol
  const ccxtSymbols = new Map((reading.positions as Record<string, unknown>[]).map((p) => [venueSymbolOf(p), String(p['symbol'])]));
  const bands = new Map([...markBands(report)].flatMap(([s, band]) => (ccxtSymbols.has(s) ? [[ccxtSymbols.get(s)!, band] as const] : [])));
  return { json, snapshot, step, bands };
}

function emptyTick(exchange: string, warnings: TickJson['warnings']) {
  return { exchange, imported: null, positions: [], account: null, blastRadius: null, domino: null, warnings };
}

/** One POST per warning raised or cleared; a webhook that fails is reported, and watching goes on. */
async function postWarnings(url: string, exchange: string, time: string, raised: readonly Warning[], cleared: readonly Warning[], say: (t: string) => void): Promise<void> {
  const events = [...raised.map((w) => ['raised', w] as const), ...cleared.map((w) => ['cleared', w] as const)];
  for (const [state, w] of events) {
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ state, exchange, time, ...warningJson(w) }), signal: AbortSignal.timeout(10_000) });
      if (!response.ok) say(`perpguard watch: the webhook answered ${response.status} to the ${w.kind} warning of ${w.position}\n`);
    } catch (error) {
      say(`perpguard watch: the webhook failed for the ${w.kind} warning of ${w.position}: ${oneLine(error)}\n`);
    }
  }
}

export function oneLine(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.split('\n')[0]!.slice(0, 300);
}
