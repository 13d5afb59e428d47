// `perpguard serve --demo`, in-process: the printed ccxt snippet is cut out of the output and run as printed
// by a separate node process (ccxt from the project's node_modules) against the running venue; it buys 0.01
// BTC with the demo account. A second start (--paused) reuses the account (same key and secret; the position
// is there; the feed stands at its marks) and --json prints {url, port, adminUrl, accountId, apiKey,
// secret}. Both stop on SIGTERM with exit 0.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { client } from '../server/http/http-test-support.ts';
import { memoryIo } from './io.ts';
import { main } from './main.ts';
import { ccxtSnippet, SNIPPET_END, SNIPPET_START } from './serve-demo.ts';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const folder = mkdtempSync(join(tmpdir(), 'perpguard-demo-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const db = join(folder, 'demo.db');

/** Starts `perpguard <args>` in-process; resolves with what it printed once `ready` says the output is complete. */
async function start(args: readonly string[], ready: (stdout: string) => boolean) {
  let stdout = '';
  let stderr = '';
  let announce!: () => void;
  const announced = new Promise<void>((resolve) => (announce = resolve));
  const streams = memoryIo('', {
    stdout: (t) => {
      stdout += t;
      if (ready(stdout)) announce();
    },
    stderr: (t) => (stderr += t),
  });
  // the venue reads PERPGUARD_SECRET_KEY from the environment when set: the key file is then not created
  const running = main(['node', 'perpguard', ...args], streams);
  const early = await Promise.race([announced.then(() => undefined), running.then((code) => `exited ${code}: ${stderr}`)]);
  assert.equal(early, undefined);
  return { stdout, running, stderr: () => stderr };
}

describe('perpguard serve --demo', () => {
  it("README's ccxt script is the printed one, with KEY and SECRET for the demo account's", () => {
    const readme = readFileSync(join(root, 'README.md'), 'utf8');
    const block = /```js\n(import ccxt from 'ccxt';[\s\S]*?)\n```/.exec(readme)?.[1];
    assert.equal(block, ccxtSnippet('http://127.0.0.1:8080', 'KEY', 'SECRET'));
  });

  let apiKey: string;
  let secret: string;

  it('prints the URL, the demo account key and secret and a ccxt snippet that runs as printed', async (t) => {
    const server = await start(['serve', '--demo', '--db', db, '--port', '0', '--admin-port', '0'], (out) => out.includes(SNIPPET_END));
    const url = /URL: +(http:\/\/127\.0\.0\.1:\d+)/.exec(server.stdout)![1]!;
    apiKey = /API key: +([A-Za-z0-9]{64})/.exec(server.stdout)![1]!;
    secret = /secret: +([A-Za-z0-9]{64})/.exec(server.stdout)![1]!;
    // stopped however the test ends: a second start on the same file needs it closed
    t.after(async () => {
      process.emit('SIGTERM');
      assert.equal(await server.running, 0, server.stderr());
    });
    assert.match(server.stdout, /feed x60/);
    assert.match(server.stdout, /created now with 10000 USDT/);
    assert.match(server.stdout, /admin: +http:\/\/127\.0\.0\.1:\d+ \(this machine only\)/);
    assert.equal(statSync(`${db}.demo.json`).mode & 0o777, 0o600);
    const snippet = server.stdout.slice(server.stdout.indexOf(SNIPPET_START) + SNIPPET_START.length, server.stdout.indexOf(SNIPPET_END));
    assert.ok(snippet.includes(url) && snippet.includes(apiKey) && snippet.includes(secret));
    const run = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', snippet], { cwd: root, timeout: 60_000 });
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines[0], 'USDT balance: 10000');
    assert.match(lines[1]!, /^order \d+ closed at \d+(\.\d+)?$/);
    const [, contracts, entry] = /^position (\S+) BTC at (\S+) margin cross$/.exec(lines[2]!) ?? [];
    assert.equal(contracts, '0.01', run.stdout);
    // the venue's own figures for the position (positionRisk, what ccxt read)
    const risk = await client(url, apiKey, secret).signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' });
    assert.equal(Number(entry), Number(risk.body[0].entryPrice));
    assert.equal(risk.body[0].positionAmt, '0.01');
  });

  it('a second start reuses the demo account; --json prints url, port, adminUrl, accountId, apiKey and secret', async () => {
    const server = await start(['serve', '--demo', '--db', db, '--port', '0', '--admin-port', '0', '--paused', '--json'], (out) => out.includes('\n'));
    const printed = JSON.parse(server.stdout);
    assert.deepEqual(Object.keys(printed), ['url', 'port', 'adminUrl', 'accountId', 'apiKey', 'secret']);
    assert.deepEqual([printed.apiKey, printed.secret], [apiKey, secret]);
    const risk = await client(printed.url, printed.apiKey, printed.secret).signed('GET', '/fapi/v3/positionRisk', { symbol: 'BTCUSDT' });
    assert.equal(risk.status, 200, JSON.stringify(risk.body));
    assert.equal(risk.body[0].positionAmt, '0.01');
    const feed = await fetch(`${printed.adminUrl}/admin/v1/feed`);
    // --paused: the marks are there, the feed stands until the admin API moves it
    const status = (await feed.json()) as { speed: number; state: string; marks: Record<string, string> };
    assert.deepEqual([status.speed, status.state, Object.keys(status.marks)], [60, 'paused', ['BTCUSDT', 'ETHUSDT', 'SOLUSDT']]);
    process.emit('SIGTERM');
    assert.equal(await server.running, 0, server.stderr());
  });
});
