// `perpguard serve` (the paper-trading venue behind Binance's USDⓈ-M REST API; with --admin-port the admin
// API on a loopback port beside it; with --demo a demo account and a ccxt snippet, ./serve-demo.ts) and
// `perpguard accounts create` (an account and its API key; the secret is printed once). Flags are checked
// here, one line naming the flag on bad input (exit 2); the venue and the HTTP servers are ../server's.
import type { Command } from 'commander';
import { positiveDecimal } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { storeLocation } from '../store/connection.ts';
import { openStore } from '../store/store.ts';
import { hostname } from 'node:os';
import { ClusterMember } from '../server/cluster/member.ts';
import { listen } from '../server/http/app.ts';
import { ADMIN_HOST, listenAdmin, type RunningAdmin } from '../server/admin/admin-app.ts';
import { DEMO_DATABASE_FILE, DEMO_DEPOSIT_USDT, DEMO_SPEED, demoAccount, demoText, type DemoAccount } from './serve-demo.ts';
import { bundledRange, defaultFeed } from '../server/venue/default-feed.ts';
import { Venue } from '../server/venue/venue.ts';
import { MAX_SPEED, MIN_SPEED } from '../server/feed/replay-feed.ts';
import { io, out, setExitCode } from './io.ts';
import { webAssets } from '../io/web-bundle.ts';
import { openDemoPortfolio } from './demo-portfolio.ts';

export interface ServeFlags {
  readonly db?: string;
  readonly port: string;
  readonly host: string;
  /** Default 1 (the demo: 60). */
  readonly speed?: string;
  readonly from?: string;
  readonly adminPort?: string;
  readonly paused?: boolean;
  readonly demo?: boolean;
  /** With --demo: open the crash study's portfolio on the demo account at the first marks (./demo-portfolio.ts). */
  readonly demoPortfolio?: boolean;
  readonly json?: boolean;
  readonly advertise?: string;
}

const portNumber = (flag: string, text: string): number => {
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65_535) throw new InputError(flag, `must be a port number 0 to 65535 (0: any free port), got "${text}"`);
  return Number(text);
};

/** The parsed flags of `serve`, or InputError naming the flag. */
export function serveOptions(flags: ServeFlags): { port: number; host: string; speed: number; fromMs: number | undefined; adminPort: number | undefined } {
  const port = portNumber('--port', flags.port);
  const adminPort = flags.adminPort === undefined ? undefined : portNumber('--admin-port', flags.adminPort);
  if (adminPort !== undefined && adminPort !== 0 && adminPort === port) throw new InputError('--admin-port', `must differ from --port (${port}): the admin API has a port of its own`);
  if (flags.paused && adminPort === undefined) throw new InputError('--paused', 'needs --admin-port: only the admin API can step or resume a paused feed');
  const speedText = flags.speed ?? (flags.demo ? DEMO_SPEED : '1');
  const speed = Number(speedText);
  if (!/^[0-9]+(\.[0-9]+)?$/.test(speedText) || !(speed >= MIN_SPEED && speed <= MAX_SPEED)) throw new InputError('--speed', `must be a number from ${MIN_SPEED} (real time) to ${MAX_SPEED}, got "${speedText}"`);
  if (flags.host.trim() === '') throw new InputError('--host', 'must not be empty');
  let fromMs: number | undefined;
  if (flags.from !== undefined) {
    fromMs = /^\d{4}-\d{2}-\d{2}(T[0-9:.]+Z?)?$/.test(flags.from) ? Date.parse(flags.from.length === 10 ? `${flags.from}T00:00:00Z` : flags.from) : NaN;
    if (Number.isNaN(fromMs)) throw new InputError('--from', `must be an ISO date such as 2025-06-01 or 2025-06-01T08:00:00Z, got "${flags.from}"`);
    const { firstMs, lastMs } = bundledRange();
    if (fromMs < firstMs || fromMs > lastMs) throw new InputError('--from', `must fall within the bundled history, ${new Date(firstMs).toISOString()} to ${new Date(lastMs).toISOString()}`);
  }
  return { port, host: flags.host.trim(), speed, fromMs, adminPort };
}

/** Resolves on the first SIGINT or SIGTERM (then the listeners are removed). */
function signalled(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

async function serve(flags: ServeFlags): Promise<void> {
  const options = serveOptions(flags);
  if (flags.demoPortfolio && !flags.demo) throw new InputError('--demo-portfolio', 'opens positions on the demo account: add --demo');
  const log = (line: string) => io().stderr(`perpguard serve: ${line}\n`);
  if (flags.advertise !== undefined && !/^https?:\/\/[^\s/]+$/.test(flags.advertise)) throw new InputError('--advertise', `must be a URL such as http://10.0.0.5:8080 (no path), got "${flags.advertise}"`);
  const location = storeLocation(process.env, flags.db ?? (flags.demo ? DEMO_DATABASE_FILE : undefined));
  const store = await openStore({ location, env: process.env });
  let fatal: ((reason: string) => void) | undefined;
  const failed = new Promise<string>((resolve) => (fatal = resolve));
  // PostgreSQL: a node of a cluster (../server/cluster/); SQLite: the one process serving the file
  const member = store.cluster ? new ClusterMember({ store, cluster: store.cluster, log, onFatal: () => fatal!('fatal') }) : undefined;
  let venue: Venue;
  let demo: DemoAccount | undefined;
  try {
    if (!member) await store.lockServe({ pid: process.pid, host: hostname() });
    if (flags.demo) demo = await demoAccount(store, location, Date.now());
    venue = await Venue.open({
      store,
      clock: Date.now,
      log,
      // fail-stop: the log refused an append; stop serving (a restart replays the log)
      onFatal: () => fatal!('fatal'),
      feed: (logTimeMs, wallMs) => defaultFeed({ speed: options.speed, fromMs: options.fromMs, logTimeMs }, wallMs),
      ...(member ? { cluster: member.link } : {}),
    });
  } catch (caught) {
    await store.close();
    throw caught;
  }
  // the API serves without the dashboard if its bundle cannot be built (esbuild missing): said once, on stderr
  const dashboard = await webAssets().catch((caught: Error) => void log(`the dashboard is not served: ${caught.message.split('\n')[0]}`));
  const server = await listen({ venue, clock: Date.now, log, host: options.host, port: options.port, dashboard, ...(member ? { route: member.route } : {}) }).catch(async (caught: NodeJS.ErrnoException) => {
    await venue.close();
    if (caught.code === 'EADDRINUSE' || caught.code === 'EACCES' || caught.code === 'EADDRNOTAVAIL') throw new InputError('--port', `cannot listen on ${options.host}:${options.port} (${caught.code})`);
    throw caught;
  });
  if (member) {
    try {
      await member.join(flags.advertise ?? server.url, venue);
    } catch (caught) {
      await server.close();
      throw caught;
    }
  }
  // paused at the instant the first marks are applied: the market has its marks, then only admin steps move it
  if (flags.paused) await venue.adminEvents((_nowMs, wallMs) => (venue.feed.pause(wallMs), []));
  venue.start();
  const opened = flags.demoPortfolio && demo ? await openDemoPortfolio(venue, demo.accountId) : [];
  let admin: RunningAdmin | undefined;
  if (options.adminPort !== undefined) {
    admin = await listenAdmin({ venue, store, clock: Date.now, log, port: options.adminPort }).catch(async (caught: NodeJS.ErrnoException) => {
      member?.stop();
      await server.close();
      if (caught.code === 'EADDRINUSE' || caught.code === 'EACCES') throw new InputError('--admin-port', `cannot listen on ${ADMIN_HOST}:${options.adminPort} (${caught.code})`);
      throw caught;
    });
  }
  // listening for the signals before the URL is printed: a script that stops the server as soon as it read
  // the URL must get the clean shutdown, not the default action of SIGTERM
  const stopping = signalled();
  if (flags.json) {
    const credentials = demo ? { accountId: demo.accountId, apiKey: demo.apiKey, secret: demo.secret } : {};
    out(`${JSON.stringify({ url: server.url, port: server.port, ...(admin ? { adminUrl: admin.url } : {}), ...credentials })}\n`);
  } else {
    out(`perpguard serve: Binance USDⓈ-M paper venue on ${server.url}, streams on ${server.url.replace(/^http/, 'ws')}/ws (feed x${options.speed}; Ctrl-C stops)\n`);
    if (!demo) out(`dashboard: ${server.url}/ (sign in with an account's API key and secret)\n`);
    if (admin && !demo) out(`admin API (this machine only): ${admin.url}\n`);
    if (demo) out(demoText(server.url, admin?.url, demo));
    if (opened.length > 0) out(`the demo account opened the crash study's portfolio: ${opened.join(', ')}\n`);
  }
  const reason = await Promise.race([stopping, failed]);
  await admin?.close();
  member?.stop();
  await server.close();
  if (reason === 'fatal') setExitCode(1);
  else log(`stopped (${reason}), the log is closed`);
}

async function createAccount(flags: { deposit: string; asset: string; db?: string; json?: boolean }): Promise<void> {
  if (!positiveDecimal.safeParse(flags.deposit).success) throw new InputError('--deposit', `must be a positive decimal amount such as 10000, got "${flags.deposit}"`);
  if (!/^[A-Z0-9]{2,12}$/.test(flags.asset)) throw new InputError('--asset', `must be an asset such as USDT, got "${flags.asset}"`);
  const store = await openStore({ location: storeLocation(process.env, flags.db), env: process.env });
  try {
    const created = await store.createAccount({ timeMs: Date.now(), deposits: [{ asset: flags.asset, amount: flags.deposit }] });
    if (flags.json) out(`${JSON.stringify({ accountId: created.accountId, apiKey: created.apiKey, secret: created.secret })}\n`);
    else {
      out(`account ${created.accountId}: ${flags.deposit} ${flags.asset} deposited\n`);
      out(`API key: ${created.apiKey}\nsecret:  ${created.secret}\n`);
      out('The secret is shown only this once: keep it now (the venue stores it encrypted and never prints it again).\n');
    }
  } finally {
    await store.close();
  }
}

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description("the paper-trading venue: the engine behind Binance's USDⓈ-M REST API and WebSocket streams (ccxt binanceusdm and ccxt.pro, the `binance` package), every command logged before it is acknowledged")
    .option('--db <file>', 'the SQLite file of the venue (DATABASE_URL, when set, selects PostgreSQL instead)', undefined)
    .option('--port <n>', 'TCP port (0: any free port)', '8080')
    .option('--host <h>', 'address to listen on', '127.0.0.1')
    .option('--speed <x>', `feed speed: feed ms per wall ms, ${MIN_SPEED} to ${MAX_SPEED} (default 1; --demo: ${DEMO_SPEED})`)
    .option('--from <date>', 'where a new venue starts the bundled BTC/ETH/SOL hourly history (ISO date; default 7 days before its end); a venue with a log resumes after it')
    .option('--admin-port <n>', `also serve the admin API (feed control, pushed marks, accounts) on ${ADMIN_HOST}:<n> only (0: any free port); default: no admin API`)
    .option('--paused', 'start with the feed paused at its first marks (with --admin-port: step, push marks or resume it there)')
    .option('--demo', `a demo account with ${DEMO_DEPOSIT_USDT} USDT (created on the first run, the same after; database ${DEMO_DATABASE_FILE} unless --db): prints its API key, secret and a ccxt snippet`)
    .option('--demo-portfolio', "with --demo: the demo account opens the crash study's portfolio (examples/crash-study.yaml, mixed) at the first marks, unless it holds positions")
    .option('--json', 'print {"url", "port"} (and "adminUrl"; with --demo "accountId", "apiKey", "secret") instead of sentences')
    .option('--advertise <url>', 'PostgreSQL cluster: the URL the other serve processes forward this one\'s accounts\' requests to (default: the listening URL)')
    .addHelpText('after', '\nExample (runs until Ctrl-C): perpguard serve --db venue.db --port 8080 --admin-port 8081\nThe secret key that seals API secrets: PERPGUARD_SECRET_KEY (64 hex digits), else the file <db>.key (created, mode 0600).\n')
    .action((flags: ServeFlags) => serve(flags));

  const accounts = program.command('accounts').description('paper-trading accounts of a venue (see perpguard serve)');
  accounts
    .command('create')
    .description('create an account with an opening deposit and print its API key and secret (the secret only this once)')
    .requiredOption('--deposit <amount>', 'opening deposit, e.g. 10000')
    .option('--asset <asset>', 'asset of the deposit', 'USDT')
    .option('--db <file>', 'the SQLite file of the venue (DATABASE_URL, when set, selects PostgreSQL instead)')
    .option('--json', 'print {"accountId", "apiKey", "secret"}')
    .addHelpText('after', '\nExample: perpguard accounts create --deposit 10000 --db venue.db --json\n')
    .action((flags: { deposit: string; asset: string; db?: string; json?: boolean }) => createAccount(flags));
}
