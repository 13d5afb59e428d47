// The checklist dialogue end to end: the command in-process (runCli), its prompts answered over stdin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './test-support.ts';

const run = async (args: string[], input = '') => {
  const r = await runCli(['checklist', ...args], { stdin: input });
  return { code: r.code, out: r.stdout, err: r.stderr };
};
// equity, symbol, side, entry, size, leverage, strategy, mode, isolated margin, stop
const answers = (stop: string) => ['10000', '', 'long', '60000', '0.1', '10', 'speculative', 'isolated', '600', stop].join('\n') + '\n';

describe('perpguard checklist', async () => {
  it('asks the five steps and says READY (exit 0) with a stop inside the liquidation price', async () => {
    const r = await run([], answers('58800'));
    assert.equal(r.code, 0, r.err);
    for (const prompt of ['1. Account equity', '2. Strategy type', '3. Margin mode', '4. Isolated margin', '5. Stop-loss']) assert.ok(r.out.includes(prompt), prompt);
    assert.match(r.out, /READY/);
    assert.match(r.out, /liquidationPrice: 54216\.87/);
  });
  it('refuses without a stop (exit 3)', async () => {
    const r = await run([], answers(''));
    assert.equal(r.code, 3);
    assert.match(r.out, /NOT READY:\n {2}- 5\. stop-loss: a trade without a stop-loss is not ready/);
  });
  it('refuses a stop beyond the liquidation price (exit 3)', async () => {
    const r = await run([], answers('53000'));
    assert.equal(r.code, 3);
    assert.match(r.out, /lies beyond the liquidation price 54216\.87/);
  });
  it('non-interactive with flags and --json, for scripts', async () => {
    const r = await run(['--equity', '10000', '--side', 'short', '--entry', '60000', '--notional', '6000', '--leverage', '10', '--strategy', 'hedge', '--mode', 'cross', '--stop', '61500', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.ready, true);
    assert.equal(json.steps.length, 5);
  });
  it('bad input: one line naming the field, exit 2', async () => {
    const r = await run(['--equity', 'lots', '--side', 'long', '--entry', '1', '--size', '1', '--leverage', '2']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--equity: must be a decimal string/);
  });
  it('checks each answer as it is given and asks again (a typo does not end the dialogue)', async () => {
    const input = ['ten thousand', '10000', 'DOGEUSDT', '', 'up', 'long', '60000', '0.1', '0', '10', 'speculative', 'isolated', '600', '58800'].join('\n') + '\n';
    const r = await run([], input);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /1\. Account equity \(USDT\): ten thousand\n {2}must be a decimal string such as "123\.45" or "1e-4", got "tenthousand"; please answer again\.\n1\. Account equity \(USDT\): 10000\n/);
    assert.match(r.out, /DOGEUSDT is not a bundled market of binance-usdm .*; please answer again/);
    assert.match(r.out, /Side \(long\/short\): up\n {2}must be one of long, short, got "up"; please answer again/);
    assert.match(r.out, /Leverage: 0\n {2}must be a whole number >= 1, got "0"; please answer again/);
    assert.match(r.out, /READY/);
  });
  it('input that ends before a required answer: one line naming the question, never a flag', async () => {
    const r = await run([], '10000\n\nlong\n');
    assert.equal(r.code, 2);
    assert.equal(r.err, 'perpguard: "Entry price": is required\n');
  });
  it('an --input file: strict, answers as strings; errors name the file and the field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'perpguard-checklist-'));
    const file = (name: string, json: unknown) => {
      const path = join(dir, name);
      writeFileSync(path, JSON.stringify(json));
      return path;
    };
    const numbers = file('numbers.json', { equity: 10000, side: 'long', entry: '60000', size: '0.1', leverage: '10' });
    let r = await run(['--input', numbers]);
    assert.deepEqual([r.code, r.out], [2, '']);
    assert.equal(r.err, `perpguard: ${numbers}: equity: must be a decimal string such as "123.45", got the JSON number 10000 (write it as a string so it stays exact)\n`);
    const typo = file('typo.json', { equity: '10000', sied: 'long' });
    r = await run(['--input', typo]);
    assert.equal(r.err, `perpguard: ${typo}: sied: unknown field (did you mean side?)\n`);
    const badLeverage = file('lev.json', { equity: '10000', side: 'long', entry: '60000', size: '0.1', leverage: '500' });
    r = await run(['--input', badLeverage]);
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`^perpguard: ${badLeverage.replace(/[.\/]/g, '\\$&')}: leverage: 500x is above the 125x maximum`));
  });
});
