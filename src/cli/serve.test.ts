// `perpguard accounts create` and `perpguard serve`, run in-process: the credentials printed once, the key
// file made private, one line naming the flag on bad input (exit 2), and a server that answers a signed
// request with the printed credentials and stops cleanly on SIGTERM (exit 0).
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { client } from '../server/http/http-test-support.ts';
import { memoryIo } from './io.ts';
import { main } from './main.ts';
import { runCli } from './test-support.ts';

const folder = mkdtempSync(join(tmpdir(), 'perpguard-serve-cli-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const db = join(folder, 'venue.db');

describe('perpguard accounts create', () => {
  it('--json prints accountId, a 64-character API key and secret; the key file is created with mode 0600', async () => {
    const result = await runCli(['accounts', 'create', '--deposit', '10000', '--db', db, '--json']);
    assert.equal(result.code, 0, result.stderr);
    const created = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(created), ['accountId', 'apiKey', 'secret']);
    assert.match(created.apiKey, /^[A-Za-z0-9]{64}$/);
    assert.match(created.secret, /^[A-Za-z0-9]{64}$/);
    if (process.env['PERPGUARD_SECRET_KEY'] === undefined) assert.equal(statSync(`${db}.key`).mode & 0o777, 0o600);
  });

  it('without --json: the key, the secret, and that the secret is shown only once', async () => {
    const result = await runCli(['accounts', 'create', '--deposit', '250.5', '--db', db]);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /250\.5 USDT deposited/);
    assert.match(result.stdout, /shown only this once/);
  });

  for (const [args, flag] of [
    [['accounts', 'create', '--deposit', '-5', '--db', db], '--deposit'],
    [['accounts', 'create', '--deposit', '10', '--asset', 'usdt!', '--db', db], '--asset'],
    [['serve', '--db', db, '--port', 'http'], '--port'],
    [['serve', '--db', db, '--speed', '0'], '--speed'],
    [['serve', '--db', db, '--from', '1999-01-01'], '--from'],
    [['serve', '--db', db, '--from', 'yesterday'], '--from'],
    [['serve', '--db', db, '--admin-port', 'admin'], '--admin-port'],
    [['serve', '--db', db, '--port', '8090', '--admin-port', '8090'], '--admin-port'],
    [['serve', '--db', db, '--paused'], '--paused'],
  ] as const) {
    it(`${args.join(' ')}: exit 2, one line naming ${flag}`, async () => {
      const result = await runCli(args);
      assert.equal(result.code, 2);
      assert.equal(result.stderr.trim().split('\n').length, 1);
      assert.match(result.stderr, new RegExp(`^perpguard: ${flag}: `));
    });
  }
});

describe('perpguard serve', () => {
  it('prints {url, port}, answers a signed GET /fapi/v3/account with the printed credentials (and an account created beside it), stops on SIGTERM with exit 0', async () => {
    const created = JSON.parse((await runCli(['accounts', 'create', '--deposit', '10000', '--db', db, '--json'])).stdout);
    let stdout = '';
    let stderr = '';
    let announced!: (line: string) => void;
    const url = new Promise<string>((resolve) => (announced = resolve));
    const streams = memoryIo('', {
      stdout: (t) => {
        stdout += t;
        if (stdout.includes('\n')) announced(stdout);
      },
      stderr: (t) => (stderr += t),
    });
    const running = main(['node', 'perpguard', 'serve', '--db', db, '--port', '0', '--json'], streams);
    const first = await Promise.race([url, running.then((code) => `exited ${code}: ${stderr}`)]);
    const printed = JSON.parse(first);
    assert.match(printed.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    const account = await client(printed.url, created.apiKey, created.secret).signed('GET', '/fapi/v3/account', {});
    assert.equal(account.status, 200, JSON.stringify(account.body));
    assert.equal(account.body.totalWalletBalance, '10000');
    // an account created beside the running server trades at once (loaded from the log on its first request)
    const beside = JSON.parse((await runCli(['accounts', 'create', '--deposit', '777', '--db', db, '--json'])).stdout);
    const besideAccount = await client(printed.url, beside.apiKey, beside.secret).signed('GET', '/fapi/v2/balance', {});
    assert.equal(besideAccount.status, 200, JSON.stringify(besideAccount.body));
    assert.equal(besideAccount.body[0].balance, '777');
    process.emit('SIGTERM');
    assert.equal(await running, 0, stderr);
    // the port is closed again
    await assert.rejects(fetch(`${printed.url}/fapi/v1/ping`));
  });
});
