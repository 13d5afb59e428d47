// `perpguard serve --demo`: a demo account (created with 10,000 USDT on the first run, the same one after),
// its API key and secret printed with the URL and a ccxt snippet that runs as printed. The demo account's
// id and API key are kept in a file beside the database (<db>.demo.json, mode 0600; with DATABASE_URL,
// perpguard-demo.json in the working directory); its secret stays sealed in the store and is read back
// through the store's own credential lookup. Printing the secret on every start is the demo's purpose: it
// is a paper account on the operator's own machine, and nothing else prints a secret twice.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { StoreLocation } from '../store/connection.ts';
import type { Store } from '../store/store.ts';

export const DEMO_DATABASE_FILE = 'perpguard-demo.db';
export const DEMO_DEPOSIT_USDT = '10000';
/** The demo's default feed speed: an hour of history per wall minute, so marks move every 15 s. */
export const DEMO_SPEED = '60';
const DEMO_FILE_POSTGRES = 'perpguard-demo.json';

export interface DemoAccount {
  readonly accountId: string;
  readonly apiKey: string;
  readonly secret: string;
  /** True when this run created it. */
  readonly created: boolean;
  /** Where its id and key are kept. */
  readonly file: string;
}

export function demoFile(location: StoreLocation): string {
  return location.kind === 'sqlite' ? `${location.path}.demo.json` : DEMO_FILE_POSTGRES;
}

function remembered(file: string): { accountId: string; apiKey: string } | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const json = JSON.parse(readFileSync(file, 'utf8')) as { accountId?: unknown; apiKey?: unknown };
    return typeof json.accountId === 'string' && typeof json.apiKey === 'string' ? { accountId: json.accountId, apiKey: json.apiKey } : undefined;
  } catch {
    return undefined;
  }
}

/** The demo account of this store: the remembered one if the store still has it, else a new one (remembered). */
export async function demoAccount(store: Store, location: StoreLocation, nowMs: number): Promise<DemoAccount> {
  const file = demoFile(location);
  const known = remembered(file);
  if (known) {
    const credentials = await store.credentials(known.apiKey);
    if (credentials && credentials.accountId === known.accountId) return { ...known, secret: credentials.secret, created: false, file };
  }
  const created = await store.createAccount({ timeMs: nowMs, deposits: [{ asset: 'USDT', amount: DEMO_DEPOSIT_USDT }] });
  writeFileSync(file, `${JSON.stringify({ accountId: created.accountId, apiKey: created.apiKey })}\n`, { mode: 0o600 });
  return { accountId: created.accountId, apiKey: created.apiKey, secret: created.secret, created: true, file };
}

/**
 * A complete ES module for ccxt's binanceusdm pointed at the venue (only its URLs changed; fetchCurrencies
 * off: the venue has no spot wallet): load the markets, read the balance, buy 0.01 BTC, show the position.
 */
export function ccxtSnippet(url: string, apiKey: string, secret: string): string {
  return [
    "import ccxt from 'ccxt';",
    '',
    `const venue = '${url}';`,
    `const exchange = new ccxt.binanceusdm({ apiKey: '${apiKey}', secret: '${secret}', options: { fetchCurrencies: false } });`,
    "for (const [name, version] of [['', 'v1'], ['V2', 'v2'], ['V3', 'v3']]) {",
    '  exchange.urls.api[`fapiPublic${name}`] = `${venue}/fapi/${version}`;',
    '  exchange.urls.api[`fapiPrivate${name}`] = `${venue}/fapi/${version}`;',
    '}',
    'exchange.urls.api.sapi = `${venue}/sapi/v1`;',
    '',
    'await exchange.loadMarkets();',
    "console.log('USDT balance:', (await exchange.fetchBalance()).total.USDT);",
    "const order = await exchange.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01);",
    "console.log('order', order.id, order.status, 'at', order.average);",
    "const [position] = await exchange.fetchPositions(['BTC/USDT:USDT']);",
    "console.log('position', position.contracts, 'BTC at', position.entryPrice, 'margin', position.marginMode);",
  ].join('\n');
}

/** The lines that open and close the snippet in `serve --demo`'s output (a test cuts the snippet out by them). */
export const SNIPPET_START = '----- demo.mjs -----';
export const SNIPPET_END = '----- end of demo.mjs -----';

/**
 * The dashboard signed in as the demo account: the credentials ride in the URL's fragment, which the browser
 * never sends to the server (nor to its logs); the page moves them to the tab's storage and wipes it.
 */
export function dashboardUrl(url: string, demo: Pick<DemoAccount, 'apiKey' | 'secret'>): string {
  return `${url}/#key=${encodeURIComponent(demo.apiKey)}&secret=${encodeURIComponent(demo.secret)}`;
}

export function demoText(url: string, adminUrl: string | undefined, demo: DemoAccount): string {
  return [
    `demo account ${demo.accountId} (${demo.created ? `created now with ${DEMO_DEPOSIT_USDT} USDT` : 'the one created on the first run'}; its key is kept in ${demo.file})`,
    `  URL:     ${url}`,
    `  dashboard, signed in: ${dashboardUrl(url, demo)}`,
    `  API key: ${demo.apiKey}`,
    `  secret:  ${demo.secret}`,
    ...(adminUrl ? [`  admin:   ${adminUrl} (this machine only)`] : []),
    '',
    'ccxt (JavaScript): `npm install ccxt`, save the lines below as demo.mjs, run `node demo.mjs`',
    SNIPPET_START,
    ccxtSnippet(url, demo.apiKey, demo.secret),
    SNIPPET_END,
    '',
  ].join('\n');
}
