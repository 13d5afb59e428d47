// The checklist dialogue end to end: the real command, its prompts answered over piped stdin.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../bin/perpguard.mjs', import.meta.url));
const run = (args: string[], input = '') => {
  const r = spawnSync(process.execPath, [bin, 'checklist', ...args], { input, encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
// equity, symbol, side, entry, size, leverage, strategy, mode, isolated margin, stop
const answers = (stop: string) => ['10000', '', 'long', '60000', '0.1', '10', 'speculative', 'isolated', '600', stop].join('\n') + '\n';

describe('perpguard checklist', () => {
  it('asks the five steps and says READY (exit 0) with a stop inside the liquidation price', () => {
    const r = run([], answers('58800'));
    assert.equal(r.code, 0, r.err);
    for (const prompt of ['1. Account equity', '2. Strategy type', '3. Margin mode', '4. Isolated margin', '5. Stop-loss']) assert.ok(r.out.includes(prompt), prompt);
    assert.match(r.out, /READY/);
    assert.match(r.out, /liquidationPrice: 54216\.87/);
  });
  it('refuses without a stop (exit 3)', () => {
    const r = run([], answers(''));
    assert.equal(r.code, 3);
    assert.match(r.out, /NOT READY:\n {2}- 5\. stop-loss: a trade without a stop-loss is not ready/);
  });
  it('refuses a stop beyond the liquidation price (exit 3)', () => {
    const r = run([], answers('53000'));
    assert.equal(r.code, 3);
    assert.match(r.out, /lies beyond the liquidation price 54216\.87/);
  });
  it('non-interactive with flags and --json, for scripts', () => {
    const r = run(['--equity', '10000', '--side', 'short', '--entry', '60000', '--notional', '6000', '--leverage', '10', '--strategy', 'hedge', '--mode', 'cross', '--stop', '61500', '--json']);
    assert.equal(r.code, 0, r.err);
    const json = JSON.parse(r.out);
    assert.equal(json.ready, true);
    assert.equal(json.steps.length, 5);
  });
  it('bad input: one line naming the field, exit 2', () => {
    const r = run(['--equity', 'lots', '--side', 'long', '--entry', '1', '--size', '1', '--leverage', '2']);
    assert.equal(r.code, 2);
    assert.match(r.err, /--equity: must be a decimal string/);
  });
});
