// The perpguard command end to end, in-process through runCli (the same main() the bin script calls);
// the pipe behaviour (stdin over 64 KB, a reader that closes early) with the real bin in a child process.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runCli } from './test-support.ts';
import { memoryIo, type CliIo } from './io.ts';
import { main } from './main.ts';

const bin = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const example = fileURLToPath(new URL('../../examples/account-cross-three.json', import.meta.url));

async function run(args: string[], input?: string) {
  const r = await runCli(args, { stdin: input ?? '' });
  return { code: r.code, out: r.stdout, err: r.stderr };
}

describe('perpguard CLI', () => {
  it('--help lists every command', async () => {
    const r = await run(['--help']);
    assert.equal(r.code, 0);
    for (const command of ['calc', 'tiers']) assert.match(r.out, new RegExp(`\\n  ${command} `));
  });
  it('calc prints the tables for people', async () => {
    const r = await run(['calc', example]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /Positions/);
    assert.match(r.out, /liq\./);
    assert.match(r.out, /margin ratio, cross/);
  });
  it('calc --json reads stdin and prints the documented shape with decimal strings', async () => {
    const snapshot = JSON.stringify({
      exchange: 'binance-usdm',
      walletBalance: '1000',
      positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'isolated', leverage: 10, isolatedMargin: '100' }],
    });
    const r = await run(['calc', '--json'], snapshot);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    // seed example: (100 - 0.02 x 50,000) / (0.02 x 0.004 - 0.02) = 45,180.7228...
    assert.equal(json.positions[0].liquidationPrice, '45180.72289157');
    assert.equal(json.positions[0].liquidationPriceTick, '45180.8');
    assert.equal(json.account.walletBalance, '1000.00000000');
  });
  it('bad input: exit code 2 and one line naming the field and the reason', async () => {
    const cases: [unknown, RegExp][] = [
      [{ exchange: 'kraken', positions: [] }, /exchange: must be one of/],
      [{ exchange: 'binance-usdm', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '-1', entryPrice: '1', marginMode: 'cross', leverage: 5 }], walletBalance: '1' }, /positions\[0\]\.size: must be above zero/],
      [{ exchange: 'binance-usdm', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '1', marginMode: 'isolated', leverage: 5 }] }, /positions\[0\]\.isolatedMargin: is required/],
      [{ exchange: 'binance-usdm', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '1', marginMode: 'cross', leverage: 500 }], walletBalance: '1' }, /positions\[0\]\.leverage: 500x is above the 125x maximum/],
      [{ exchange: 'okx-swap', positions: [{ symbol: 'NOPEUSDT', side: 'long', size: '1', entryPrice: '10', marginMode: 'isolated', leverage: 5, isolatedMargin: '2' }] }, /NOPEUSDT/],
      [{ exchange: 'binance-usdm', walletBalance: '1', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '1', marginMode: 'cross', leverage: 5, reduce_only: true }] }, /^perpguard: positions\[0\]\.reduce_only: unknown field/],
      [{ exchange: 'binance-usdm', wallet: '1', positions: [] }, /^perpguard: wallet: unknown field \(did you mean walletBalance\?\)$/m],
      [{ exchange: 'binance-usdm', walletBalance: '1e400', positions: [] }, /^perpguard: walletBalance: must be at most 1e15 in magnitude/],
      [{ exchange: 'binance-usdm', walletBalance: '-5', positions: [] }, /^perpguard: walletBalance: must not be negative/],
      [{ exchange: 'binance-usdm', walletBalance: '5', asOf: '2024-13-45', positions: [] }, /^perpguard: asOf: must be a real date YYYY-MM-DD, got "2024-13-45"/],
    ];
    for (const [input, message] of cases) {
      const r = await run(['calc', '--json'], JSON.stringify(input));
      assert.equal(r.code, 2, `${JSON.stringify(input)} -> ${r.err}`);
      assert.match(r.err, message);
      assert.equal(r.out, '');
      assert.equal(r.err.trim().split('\n').length, 1);
    }
    const notJson = await run(['calc'], '{oops');
    assert.equal(notJson.code, 2);
    assert.match(notJson.err, /not valid JSON/);
    const missing = await run(['calc', '/nonexistent.json']);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /^perpguard: file: cannot read \/nonexistent\.json: ENOENT\n$/);
  });
  it('tiers validates a ccxt dump and refuses a broken one', async () => {
    const good = await run(['tiers', '--json', fileURLToPath(new URL('../../test/fixtures/ccxt-binance-leverage-tiers.json', import.meta.url))]);
    assert.equal(good.code, 0, good.err);
    assert.equal(JSON.parse(good.out)[0].brackets[3].maintenanceAmount, '11450');
    const bad = await run(['tiers', fileURLToPath(new URL('../../test/fixtures/ccxt-tiers-broken-cum.json', import.meta.url))]);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /breaks cum_n/);
  });
  it('usage errors: one line naming the option or argument, exit 2', async () => {
    const cases: [string[], string][] = [
      [['calc', '--jsn'], 'perpguard: --jsn: unknown option (did you mean --json?)'],
      [['calc', 'a.json', 'b.json'], 'perpguard: calc: too many arguments (expected 1, got 2)'],
      [['simulate', '--data', 'x.csv'], 'perpguard: --spec: required option not specified'],
      [['simulate', '--spec'], 'perpguard: --spec: option argument missing'],
      [['clac'], 'perpguard: clac: unknown command (did you mean calc?)'],
      [['advise'], 'perpguard: advise: needs a subcommand, one of chasing, funding, hedge, leverage, liquidation, mode, size'],
    ];
    for (const [args, line] of cases) {
      const r = await run(args);
      assert.deepEqual([r.code, r.err, r.out], [2, `${line}\n`, ''], args.join(' '));
    }
  });
  it('account names are data: __proto__ and constructor are accounts like any other (they crashed run)', async () => {
    const ops = [
      { op: 'deposit', account: '__proto__', asset: 'USDT', amount: '5000' },
      { op: 'deposit', account: 'constructor', asset: 'USDT', amount: '5' },
      { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
      { op: 'order', account: '__proto__', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.001' },
    ];
    const r = await run(['run', '--json'], JSON.stringify({ setup: { exchange: 'binance-usdm', fees: { taker: '0.0005', maker: '0.0002' } }, ops }));
    assert.equal(r.code, 0, r.err);
    const balances = JSON.parse(r.out).state.balances;
    // 5,000 less the taker fee 0.001 x 50,000 x 0.05 % = 0.025
    assert.equal(balances['user/__proto__/cross'], '4999.975');
    assert.equal(balances['user/constructor/cross'], '5');
  });
  it('help and --version exit 0 on stdout', async () => {
    const version = await run(['--version']);
    assert.deepEqual([version.code, version.out, version.err], [0, '0.1.0\n', '']);
    const help = await run(['calc', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.out, /Usage: perpguard calc/);
  });
});

describe('an unexpected internal error', () => {
  // a stdin that fails in a way no input can: the bug path, not bad input
  const broken = (sink: { err: string }): CliIo => ({
    ...memoryIo('', { stdout: () => {}, stderr: (t) => (sink.err += t) }),
    readStdin: () => {
      throw new TypeError('boom');
    },
  });
  it('prints one line asking for a report, with the command, and exits 70', async () => {
    const sink = { err: '' };
    const code = await main(['node', 'perpguard', 'calc', '--json'], broken(sink));
    assert.equal(code, 70);
    assert.equal(sink.err.split('\n').length, 2, sink.err);
    assert.match(sink.err, /^perpguard: internal error in `perpguard calc --json`: TypeError: boom; please report it .* \(--debug shows the stack\)\n$/);
  });
  it('shows the stack only with --debug', async () => {
    const sink = { err: '' };
    const code = await main(['node', 'perpguard', 'calc', '--debug', '--json'], broken(sink));
    assert.equal(code, 70);
    assert.match(sink.err, /^perpguard: internal error in `perpguard calc --json`: TypeError: boom; please report it/);
    assert.match(sink.err, /\n {4}at /);
  });
});

describe('perpguard CLI through pipes (the bin script in a child process)', () => {
  it('reads a piped snapshot of more than 64 KB whole (readFileSync(0) failed with EAGAIN)', () => {
    // one position padded with 300 KB of whitespace: the JSON is the same, the pipe needs several reads
    const snapshot = `{"exchange":"binance-usdm","walletBalance":"1000",${' '.repeat(300_000)}"positions":[{"symbol":"BTCUSDT","side":"long","size":"0.02","entryPrice":"50000","marginMode":"isolated","leverage":10,"isolatedMargin":"100"}]}`;
    const r = spawnSync('/bin/sh', ['-c', `cat | "${process.execPath}" "${bin}" calc --json`], { input: snapshot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).positions[0].liquidationPrice, '45180.72289157');
  });
  it('a reader that closes early (| head -1) ends quietly with exit 0', () => {
    const r = spawnSync('/bin/sh', ['-c', `"${process.execPath}" "${bin}" tiers --exchange binance-usdm | head -1; exit \${PIPESTATUS:-0}`], { encoding: 'utf8' });
    assert.equal(r.stderr, '');
    assert.equal(r.stdout.split('\n').length, 2);
  });
});
