// GET /perpguard/v1/sweep on a live venue account: the answer equals `perpguard sweep --json` on the same
// spec and flags, field by field (the spec the route ran is in its answer, written to a file for the CLI;
// only the `run` block, timings and where it ran, differs); the account's own positions are the portfolio;
// too big a grid, a bad axis and a risk-sized example are refused naming the field.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../cli/test-support.ts';
import { testVenue, type TestVenue } from './dashboard-test-support.ts';
import { client, type SignedClient } from './http-test-support.ts';

const cliJson = async (args: string[]) => {
  const result = await runCli([...args, '--json']);
  assert.equal(result.code, 0, result.stderr);
  return JSON.parse(result.stdout);
};

/** Every field of the CLI's --json but its `run` block (seconds, where it ran). */
function withoutRun(json: Record<string, unknown>): Record<string, any> {
  const { run, ...rest } = json;
  assert.equal(typeof run, 'object');
  return rest;
}

describe('/perpguard/v1/sweep', { timeout: 60_000 }, () => {
  let v: TestVenue;
  let api: SignedClient;
  before(async () => {
    v = await testVenue(['10000']);
    const trader = v.accounts[0]!;
    api = client(v.server.url, trader.apiKey, trader.secret);
    assert.equal((await api.signed('POST', '/fapi/v1/leverage', { symbol: 'BTCUSDT', leverage: '20' })).status, 200);
    assert.equal((await api.signed('POST', '/fapi/v1/order', { symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.5' })).status, 200);
  });
  after(() => v.close());

  it('an example equals `perpguard sweep --json` field by field (cells, verdicts, refused cells, header)', async () => {
    const params = { spec: 'max-exposure', leverage: '2,50', allocation: '0.1,1', modes: 'cross,mixed', paths: '12', hours: '96', seed: '5', crashes: '2024-08-05', maxRuin: '0.05', probable: '0.05' };
    const answer = await api.signed('GET', '/perpguard/v1/sweep', params);
    assert.equal(answer.status, 200, answer.headers.get('x-perpguard-detail') ?? '');
    const cli = await cliJson(['sweep', '--spec', 'examples/max-exposure.yaml', '--leverage', '2,50', '--allocation', '0.1,1', '--modes', 'cross,mixed', '--paths', '12', '--hours', '96', '--seed', '5', '--crashes', '2024-08-05', '--max-ruin', '0.05', '--probable', '0.05', '--workers', '2']);
    const route = withoutRun(answer.body.json);
    const expected = withoutRun(cli);
    assert.deepEqual(Object.keys(route), Object.keys(expected));
    for (const key of Object.keys(expected)) assert.deepEqual(route[key], expected[key], key);
    assert.equal(answer.body.json.run.units, cli.run.units);
    // a grid that shows something: 2x at 10 % is safe, 50x at 10 % in cross breaks the seed's rule, and 50x
    // on the whole wallet is refused (BTC's notional is above the 50x cap of the crash window's dated brackets)
    const at = (leverage: number, allocation: string, mode: string) => route.cells.find((c: any) => c.leverage === leverage && c.allocation === allocation && c.mode === mode);
    assert.equal(route.cells.length, 6);
    assert.equal(at(2, '0.1', 'cross').safe, true);
    assert.equal(at(50, '0.1', 'cross').breaksRule, true);
    assert.deepEqual(route.refused.map((r: any) => `${r.leverage}x ${r.allocation}`), ['50x 1']);
    assert.equal(answer.body.spec.name, 'maximum exposure (core cross long + isolated hedge)');
  });

  it("the account's own positions: the spec is the position, and the CLI on that spec gives the same map", async () => {
    const answer = await api.signed('GET', '/perpguard/v1/sweep', { leverage: '3,20', allocation: '0.5', modes: 'isolated,cross', paths: '8', hours: '48', crashes: 'none' });
    assert.equal(answer.status, 200, answer.headers.get('x-perpguard-detail') ?? '');
    assert.deepEqual(answer.body.spec.legs.map((l: any) => `${l.symbol} ${l.side} ${l.marginMode} ${l.leverage}x`), ['BTCUSDT long cross 20x']);
    const file = join(v.folder, 'account-spec.json');
    writeFileSync(file, JSON.stringify(answer.body.spec));
    const cli = await cliJson(['sweep', '--spec', file, '--leverage', '3,20', '--allocation', '0.5', '--modes', 'isolated,cross', '--paths', '8', '--hours', '48', '--crashes', 'none', '--workers', '1']);
    assert.deepEqual(withoutRun(answer.body.json), withoutRun(cli));
    assert.deepEqual(answer.body.json.cells.map((c: any) => `${c.leverage}x ${c.mode}`), ['3x isolated', '3x cross', '20x isolated', '20x cross']);
  });

  it('refusals name the field: too many cells, too much work, a bad axis, an unknown window, a risk-sized example', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ spec: 'max-exposure', leverage: '1..30:6', allocation: '0.1..1:6' }, /^leverage: 6 leverages x 6 allocations is 36 cells, over the dashboard's 30/],
      [{ spec: 'max-exposure', leverage: '2,5', allocation: '0.5', paths: '500', hours: '168' }, /^paths: 2 cells x 500 paths x 168 h is over the dashboard's 100,000 cell-path-hours/],
      [{ spec: 'max-exposure', leverage: '2,x' }, /^leverage: "x" is not a number; write a list/],
      [{ spec: 'max-exposure', allocation: '0..1' }, /^allocation: 0 is outside 0.0001 to 1/],
      [{ spec: 'max-exposure', crashes: '2019-01-01' }, /^crashes: "2019-01-01" is not a bundled crash window/],
      [{ spec: 'max-exposure', maxRuin: '1.5' }, /^maxRuin: must be from 0 to 1, got 1.5/],
      [{ spec: 'safety-net' }, /^spec: legs\[\d\]\.size: perpguard sweep re-sizes legs by margin/],
    ];
    for (const [params, detail] of cases) {
      const answer = await api.signed('GET', '/perpguard/v1/sweep', params);
      assert.equal(answer.status, 400, JSON.stringify(params));
      assert.match(answer.headers.get('x-perpguard-detail') ?? '', detail);
    }
    const unknown = await api.signed('GET', '/perpguard/v1/sweep', { leverages: '2' });
    assert.equal(unknown.body.code, -1104);
    assert.equal((await api.get('/perpguard/v1/sweep')).status >= 400, true);
  });
});
