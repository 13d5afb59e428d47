// Entry sizing and its memo (./sizing.ts): the crash study's legs (examples/crash-study.yaml) on Binance
// USD-M at BTC 91,048.6 and ETH 3,123.37 (the opening ticks most bootstrap paths start from).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { formatFixed, parseFixed, type Price } from '../domain/fixed.ts';
import { initialState } from '../engine/state.ts';
import { EntryMemo, entryCommands, sizeOf } from './sizing.ts';
import { parseSpec } from './spec.ts';

const spec = parseSpec(parseYaml(readFileSync(new URL('../../examples/crash-study.yaml', import.meta.url), 'utf8')));
const wallet = parseFixed<'Money'>(spec.wallet);
const btc = spec.legs[0]!;
const eth = spec.legs[1]!;
const price = (text: string) => parseFixed<'Price'>(text);
const state = () => initialState({ exchange: 'binance-usdm', time: Date.UTC(2026, 0, 21) });

describe('sizeOf', () => {
  it('by notional: 40,000 / 91,048.6 = 0.43932... rounded down to the 0.001 step', () => {
    assert.equal(formatFixed(sizeOf(state(), btc, price('91048.6'), wallet)), '0.439');
  });
  it('by margin x leverage: 500 x 20 / 3,123.37 = 3.2016... rounded down to the 0.001 step', () => {
    assert.equal(formatFixed(sizeOf(state(), eth, price('3123.37'), wallet)), '3.201');
  });
});

describe('EntryMemo', () => {
  it('gives what entryCommands gives, the same array again for the same leg and price, and computes a new price afresh', () => {
    const memo = new EntryMemo();
    const s = state();
    const first = memo.commands(s, btc, price('91048.6'), wallet);
    assert.deepEqual(first, entryCommands(s, btc, price('91048.6'), wallet));
    assert.equal(memo.commands(s, btc, price('91048.6'), wallet), first);
    const other = memo.commands(s, btc, price('91048.7'), wallet);
    assert.notEqual(other, first);
    assert.deepEqual(other, entryCommands(s, btc, price('91048.7'), wallet));
  });
  it('is not reused under another fee table or wallet (what sizing reads besides the leg and the price)', () => {
    const memo = new EntryMemo();
    const s = state();
    const first = memo.commands(s, btc, price('91048.6'), wallet);
    const feesChanged = { ...s, config: { ...s.config, fees: { taker: parseFixed<'Rate'>('0.0004'), maker: parseFixed<'Rate'>('0.0002') } } };
    assert.notEqual(memo.commands(feesChanged, btc, price('91048.6'), wallet), first);
    const risked = { ...btc, size: { riskPercent: '1' }, stopLoss: { percent: '2' } } as typeof btc;
    const a = memo.commands(s, risked, price('91048.6'), wallet);
    const b = memo.commands(s, risked, price('91048.6'), parseFixed<'Money'>('20000'));
    assert.notDeepEqual(a, b);
    assert.deepEqual(b, entryCommands(s, risked, price('91048.6'), parseFixed<'Money'>('20000')));
  });
});
