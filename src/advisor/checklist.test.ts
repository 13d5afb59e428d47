// The pre-trade checklist's numbers, by hand: 0.1 BTC long at 60,000, 10x, on a $10,000 account
// (Binance USD-M BTCUSDT bracket 1: MMR 0.4 %, cum 0; taker 0.05 %).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseFixed, price, quantity, rate } from '../domain/fixed.ts';
import { resolveSnapshot } from '../exchanges/snapshot.ts';
import { checklist, type ChecklistInput } from './checklist.ts';

const market = resolveSnapshot({ exchange: 'binance-usdm', walletBalance: '1', positions: [{ symbol: 'BTCUSDT', side: 'long', size: '1', entryPrice: '60000', marginMode: 'cross', leverage: 10 }] }).legs[0]!.market;
const base: ChecklistInput = {
  exchange: 'binance-usdm',
  market,
  fees: { taker: rate('0.0005'), maker: rate('0.0002') },
  equity: parseFixed('10000'),
  strategy: 'speculative',
  marginMode: 'isolated',
  isolatedMargin: parseFixed('600'),
  side: 1,
  entry: price('60000'),
  quantity: quantity('0.1'),
  leverage: 10,
  stop: price('58800'),
  riskFraction: rate('0.02'),
};

describe('pre-trade checklist', () => {
  it('ready: liquidation at (6,000 - 600) / (0.1 x 0.996) = 54,216.87; loss at the stop 120 + 5.94 fees = 125.94', () => {
    const r = checklist(base);
    assert.equal(r.ready, true);
    const stop = r.steps[4]!;
    assert.equal(stop.numbers['liquidationPrice'], '54216.87');
    assert.equal(stop.numbers['lossAtStop'], '125.94');
    assert.equal(stop.numbers['lossPercentOfEquity'], '1.26 %');
    // 600 of isolated margin is more than the 2 % budget (200): a warning, not a refusal
    assert.equal(r.steps[3]!.ok, false);
    assert.equal(r.steps[3]!.refusal, false);
    assert.equal(r.warnings.length, 1);
  });
  it('refuses without a stop-loss', () => {
    const r = checklist({ ...base, stop: undefined });
    assert.equal(r.ready, false);
    assert.match(r.refusals.join(), /5\. stop-loss: a trade without a stop-loss is not ready/);
  });
  it('refuses a stop beyond the liquidation price (53,000 < 54,216.87), and a stop on the wrong side', () => {
    assert.match(checklist({ ...base, stop: price('53000') }).refusals.join(), /lies beyond the liquidation price 54216\.87/);
    assert.match(checklist({ ...base, stop: price('61000') }).refusals.join(), /stop must be below the entry/);
  });
  it('refuses without an explicit margin mode or strategy type', () => {
    assert.match(checklist({ ...base, marginMode: undefined }).refusals.join(), /never rely on the default/);
    assert.match(checklist({ ...base, strategy: undefined }).refusals.join(), /speculative, core or hedge/);
  });
  it('refuses isolated margin below the initial margin (600 at 10x on 6,000 notional)', () => {
    assert.match(checklist({ ...base, isolatedMargin: parseFixed('599.99') }).refusals.join(), /below the initial margin 600\.00/);
  });
  it('warns when the stop sits within 10 % of the distance to liquidation (54,700 vs 54,216.87: gap 483 < 578)', () => {
    const r = checklist({ ...base, stop: price('54700') });
    assert.equal(r.ready, true);
    assert.match(r.warnings.join(), /within 10 % of the distance/);
  });
  it('cross: no isolated margin; the cross liquidation price uses the whole equity (none for 0.6x)', () => {
    const r = checklist({ ...base, strategy: 'core', marginMode: 'cross', isolatedMargin: undefined });
    assert.equal(r.ready, true);
    assert.equal(r.steps[3]!.numbers['liquidationPrice'], 'none');
  });
});
