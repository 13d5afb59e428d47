// The log records the engine and the market tables it ran on; a replay on others is reported.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { InputError } from '../schema/input-error.ts';
import { runCli } from '../cli/test-support.ts';
import { parseJournal, runJournal } from './journal.ts';
import { initialState, marketOf } from './state.ts';
import { ENGINE_REVISION, ENGINE_VERSION, PACKAGE_VERSION, tableIdentity } from './version.ts';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

const journal = (setup: Record<string, unknown> = {}) => ({
  setup: { exchange: 'binance-usdm', fees: { taker: '0', maker: '0' }, ...setup },
  ops: [
    { op: 'deposit', asset: 'USDT', amount: '1000' },
    { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
    { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
  ],
});

describe('engine version', () => {
  it("is package.json's version plus the engine revision", () => {
    assert.equal(PACKAGE_VERSION, packageJson.version);
    assert.equal(ENGINE_VERSION, `${packageJson.version}+engine.${ENGINE_REVISION}`);
  });
});

describe('market table identity', () => {
  const state = initialState({ exchange: 'binance-usdm', brackets: { day: '2024-06-01' } });
  const btc = marketOf(state, 'BTCUSDT')!;
  it("names the bracket table's effective date and source, and hashes its numbers", () => {
    const id = tableIdentity('binance-usdm', btc);
    assert.equal(id.effectiveFrom, btc.brackets!.effectiveFrom);
    assert.equal(id.source, btc.brackets!.source);
    assert.match(id.hash, /^[0-9a-f]{16}$/);
    assert.equal(tableIdentity('binance-usdm', { ...btc }).hash, id.hash, 'the same facts give the same hash');
  });
  it('one tier changed (the first bracket\'s max leverage) gives another hash, with the same date and source', () => {
    const brackets = btc.brackets!;
    const changed = { ...btc, brackets: { ...brackets, brackets: [{ ...brackets.brackets[0]!, maxLeverage: brackets.brackets[0]!.maxLeverage - 1 }, ...brackets.brackets.slice(1)] } };
    assert.notEqual(tableIdentity('binance-usdm', changed).hash, tableIdentity('binance-usdm', btc).hash);
    // key order is not part of the identity
    const reordered = Object.fromEntries(Object.entries(btc).reverse()) as unknown as typeof btc;
    assert.equal(tableIdentity('binance-usdm', reordered).hash, tableIdentity('binance-usdm', btc).hash);
  });
});

describe('a journal records and checks its versions', () => {
  it('a run reports the engine and the table of every market its journal names', () => {
    const run = runJournal(parseJournal(journal({ asOf: '2024-06-01' })));
    assert.equal(run.engine, ENGINE_VERSION);
    assert.deepEqual(run.tables.map((t) => [t.venue, t.symbol]), [['binance-usdm', 'BTCUSDT']]);
  });

  it('recorded versions equal to the running ones replay as before', () => {
    const first = runJournal(parseJournal(journal({ asOf: '2024-06-01' })));
    const again = runJournal(parseJournal(journal({ asOf: '2024-06-01', engine: first.engine, tables: first.tables })));
    assert.equal(again.versionMismatch, undefined);
    assert.deepEqual(again.state.balances, first.state.balances);
  });

  it('another engine version is an InputError naming setup.engine and both versions, unless replayed anyway', () => {
    assert.throws(
      () => runJournal(parseJournal(journal({ engine: '0.0.9+engine.7' }))),
      (e: unknown) => e instanceof InputError && e.message.includes('setup.engine') && e.message.includes('0.0.9+engine.7') && e.message.includes(ENGINE_VERSION),
    );
    const anyway = runJournal(parseJournal(journal({ engine: '0.0.9+engine.7' })), undefined, { replayAnyVersion: true });
    assert.equal(anyway.versionMismatch?.field, 'setup.engine');
  });

  it('a table recorded with other numbers (a markets entry since changed) is reported as setup.tables[i]', () => {
    const recorded = runJournal(parseJournal(journal({ markets: { BTCUSDT: { maxLeverage: 50 } } }))).tables;
    assert.throws(() => runJournal(parseJournal(journal({ tables: recorded }))), (e: unknown) => e instanceof InputError && /setup\.tables\[0\]/.test(e.message) && /#[0-9a-f]{16}.*#[0-9a-f]{16}/.test(e.message));
  });

  it('journals without the fields (all vendored ones) keep working; unknown fields under setup are still errors', () => {
    assert.doesNotThrow(() => runJournal(parseJournal(journal())));
    assert.throws(() => parseJournal(journal({ engineVersion: 'x' })), InputError);
    assert.throws(() => parseJournal(journal({ tables: [{ venue: 'binance-usdm', symbol: 'BTCUSDT', effectiveFrom: null, source: null, hash: 'nothex' }] })), /16 hex digits/);
  });

  it('perpguard run: exit 2 naming the field and both versions; --replay-any-version runs and prints versionMismatch', async () => {
    const text = JSON.stringify(journal({ engine: '0.0.9+engine.7' }));
    const refused = await runCli(['run', '--json'], { stdin: text });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /setup\.engine.*0\.0\.9\+engine\.7.*--replay-any-version/);
    const anyway = await runCli(['run', '--json', '--replay-any-version'], { stdin: text });
    assert.equal(anyway.code, 0, anyway.stderr);
    const json = JSON.parse(anyway.stdout) as { engine: string; versionMismatch: { field: string }; tables: { symbol: string }[]; orders: { status: string }[]; trades: { quoteQty: string }[] };
    assert.deepEqual([json.engine, json.versionMismatch.field, json.tables[0]!.symbol], [ENGINE_VERSION, 'setup.engine', 'BTCUSDT']);
    assert.deepEqual([json.orders[0]!.status, json.trades[0]!.quoteQty], ['FILLED', '500']);
  });
});
