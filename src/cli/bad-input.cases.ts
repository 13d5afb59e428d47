// The bad-input suite's table (issue 9: every case exits 2 with one line naming the field; none is
// accepted; none crashes). Each case is a command line, optional stdin, and the field its one line must
// name. Most cases are one mutation of a valid input, so that the refusal is about that field alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { adviseCases } from './bad-input-advise.cases.ts';

export interface BadInputCase {
  /** The command the case counts under: calc, run, simulate, study, montecarlo, advise <topic>, checklist. */
  readonly command: string;
  readonly name: string;
  readonly args: readonly string[];
  readonly stdin?: string;
  /** Text the line must name between "perpguard: " and the reason (the field, flag, file or question). */
  readonly field: string;
  /** A checklist dialogue: stdout holds the questions asked, never a result. */
  readonly dialogue?: boolean;
}

export type Json = Record<string, unknown>;

/** What a section of the table needs: add a case, write a fixture file, and the valid spec file. */
export interface CaseBuilder {
  /** The folder the fixture files are written to. */
  readonly dir: string;
  readonly add: (command: string, name: string, args: readonly string[], field: string, stdin?: string) => void;
  readonly file: (name: string, text: string) => string;
  readonly json: (name: string, value: unknown) => string;
  readonly push: (c: BadInputCase) => void;
  readonly goodSpec: string;
}

export const SNAPSHOT: Json = {
  exchange: 'binance-usdm',
  walletBalance: '1000',
  positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'isolated', leverage: 10, isolatedMargin: '100' }],
};
export const POSITION = (SNAPSHOT['positions'] as Json[])[0]!;

export const JOURNAL_OPS: Json[] = [
  { op: 'deposit', asset: 'USDT', amount: '1000' },
  { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
  { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
];
export const JOURNAL: Json = { setup: { exchange: 'binance-usdm', fees: { taker: '0.0005', maker: '0.0002' } }, ops: JOURNAL_OPS };

export const LEG: Json = { symbol: 'BTCUSDT', side: 'long', size: { notional: '5000' }, leverage: 5 };
export const SPEC: Json = { name: 'bad-input', exchange: 'binance-usdm', wallet: '10000', legs: [LEG] };

export const CRASH = 'BTCUSDT=bundled:binance-futures-BTCUSDT-1m-crash-2020-03-12.csv';
export const HEADER = 'timestamp_ms,open,high,low,close,volume\n';

/** Writes the fixture files into `dir` and returns every case. `dir/out` must stay empty (nothing written). */
export function badInputCases(dir: string): BadInputCase[] {
  mkdirSync(join(dir, 'out'), { recursive: true });
  const file = (name: string, text: string) => {
    const path = join(dir, name);
    writeFileSync(path, text);
    return path;
  };
  const json = (name: string, value: unknown) => file(name, JSON.stringify(value));
  const out = (name: string) => join(dir, 'out', name);
  const cases: BadInputCase[] = [];
  const add = (command: string, name: string, args: readonly string[], field: string, stdin?: string) => cases.push({ command, name, args, field, ...(stdin !== undefined ? { stdin } : {}) });

  // ------------------------------------------------------------------------------------------ calc
  const calc = (name: string, snapshot: unknown, field: string) => add('calc', name, ['calc', '--json'], field, JSON.stringify(snapshot));
  const calcPosition = (name: string, change: Json, field: string) => calc(name, { ...SNAPSHOT, positions: [{ ...POSITION, ...change }] }, field);
  calc('an unknown top-level field, with the nearest name', { ...SNAPSHOT, wallet: '1' }, 'wallet');
  calc('a misspelt positions', { exchange: 'binance-usdm', walletBalance: '1', positons: [] }, 'positons');
  calc('an unknown venue', { ...SNAPSHOT, exchange: 'kraken' }, 'exchange');
  calc('a venue as a number', { ...SNAPSHOT, exchange: 5 }, 'exchange');
  calc('an unknown position mode', { ...SNAPSHOT, positionMode: 'both' }, 'positionMode');
  calc('a wallet as a JSON number', { ...SNAPSHOT, walletBalance: 1000 }, 'walletBalance');
  calc('a wallet of 1e400', { ...SNAPSHOT, walletBalance: '1e400' }, 'walletBalance');
  calc('a negative wallet', { ...SNAPSHOT, walletBalance: '-1' }, 'walletBalance');
  calc('a wallet in words', { ...SNAPSHOT, walletBalance: 'lots' }, 'walletBalance');
  calc('a wallet with 19 decimals', { ...SNAPSHOT, walletBalance: '1.0000000000000000001' }, 'walletBalance');
  calc('asOf 2024-13-45', { ...SNAPSHOT, asOf: '2024-13-45' }, 'asOf');
  calc('asOf 2023-02-29 (not a leap year)', { ...SNAPSHOT, asOf: '2023-02-29' }, 'asOf');
  calc('asOf in words', { ...SNAPSHOT, asOf: 'yesterday' }, 'asOf');
  calc('positions as an object', { ...SNAPSHOT, positions: {} }, 'positions');
  calc('positions missing', { exchange: 'binance-usdm', walletBalance: '1' }, 'positions');
  calc('__proto__ as a markets key', JSON.parse(`{"exchange":"binance-usdm","walletBalance":"1","positions":[],"markets":{"__proto__":{"maxLeverage":5}}}`), 'markets.__proto__');
  calc('an unknown field in a market', { ...SNAPSHOT, markets: { BTCUSDT: { maxLeverag: 5 } } }, 'markets.BTCUSDT.maxLeverag');
  calc('a taker fee of 50 %', { ...SNAPSHOT, fees: { taker: '0.5', maker: '0' } }, 'fees.taker');
  calc('fees without the maker rate', { ...SNAPSHOT, fees: { taker: '0.0005' } }, 'fees.maker');
  calc('an unknown fee field', { ...SNAPSHOT, fees: { taker: '0.0005', maker: '0', vip: '1' } }, 'fees.vip');
  calcPosition('reduce_only on a position', { reduce_only: true }, 'positions[0].reduce_only');
  calcPosition('an empty symbol', { symbol: '' }, 'positions[0].symbol');
  calcPosition('__proto__ as a symbol', { symbol: '__proto__' }, 'positions[0].symbol');
  calcPosition('constructor as a symbol', { symbol: 'constructor' }, 'positions[0].symbol');
  calcPosition('toString as a symbol', { symbol: 'toString' }, 'positions[0].symbol');
  calcPosition('an unknown symbol', { symbol: 'NOPEUSDT' }, 'positions[0].symbol');
  calcPosition('side buy', { side: 'buy' }, 'positions[0].side');
  calcPosition('size 0', { size: '0' }, 'positions[0].size');
  calcPosition('a negative size', { size: '-1' }, 'positions[0].size');
  calcPosition('a size of 1e400', { size: '1e400' }, 'positions[0].size');
  calcPosition('a size as a JSON number', { size: 0.02 }, 'positions[0].size');
  calcPosition('a notional of 1e19 (size 1e14 at 50,000)', { size: '1e14', isolatedMargin: '1e14' }, 'positions[0].size');
  calcPosition('entry price 0', { entryPrice: '0' }, 'positions[0].entryPrice');
  calcPosition('entry price NaN', { entryPrice: 'NaN' }, 'positions[0].entryPrice');
  calcPosition('mark price Infinity', { markPrice: 'Infinity' }, 'positions[0].markPrice');
  calcPosition('an unknown margin mode', { marginMode: 'portfolio' }, 'positions[0].marginMode');
  calcPosition('leverage 0', { leverage: 0 }, 'positions[0].leverage');
  calcPosition('leverage 500', { leverage: 500 }, 'positions[0].leverage');
  calcPosition('leverage as a string', { leverage: '10' }, 'positions[0].leverage');
  calcPosition('an isolated position without its margin', { isolatedMargin: undefined }, 'positions[0].isolatedMargin');
  calcPosition('a negative isolated margin', { isolatedMargin: '-5' }, 'positions[0].isolatedMargin');
  calcPosition('a maintenance rate of 200 %', { maintenance: { rate: '2', amount: '0' } }, 'positions[0].maintenance.rate');
  calcPosition('an unknown maintenance field', { maintenance: { rate: '0.004', amount: '0', cum: '0' } }, 'positions[0].maintenance.cum');
  calc('the same symbol twice in one-way mode', { ...SNAPSHOT, positions: [POSITION, POSITION] }, 'positions[1].symbol');
  add('calc', 'not JSON', ['calc'], 'input', '{oops');
  add('calc', 'empty input', ['calc'], 'input', '');
  add('calc', 'a JSON array', ['calc'], 'input', '[]');
  add('calc', 'JSON null', ['calc'], 'input', 'null');
  add('calc', 'two files', ['calc', 'a.json', 'b.json'], 'calc');
  add('calc', 'a misspelt option', ['calc', '--jsn'], '--jsn');
  add('calc', 'a missing file', ['calc', join(dir, 'missing.json')], 'file');
  add('calc', 'a missing tiers file', ['calc', '--tiers', join(dir, 'missing.json')], '--tiers');
  add('calc', 'a tiers date that is not a date', ['calc', '--tiers', join(dir, 'missing.json'), '--tiers-date', '2024-13-45'], '--tiers-date');
  add('calc', 'a tiers file that is not ccxt output', ['calc', '--tiers', json('tiers-list.json', [1, 2])], '--tiers');

  // ------------------------------------------------------------------------------------------- run
  const run = (name: string, journal: unknown, field: string) => add('run', name, ['run', '--json'], field, JSON.stringify(journal));
  const setup = JOURNAL['setup'] as Json;
  const runOp = (name: string, op: Json, field: string) => run(name, { ...JOURNAL, ops: [...JOURNAL_OPS, op] }, `ops[3].${field}`);
  run('a misspelt setup field', { ...JOURNAL, setup: { ...setup, exchnage: 'okx-swap' } }, 'setup.exchnage');
  run('an unknown venue', { ...JOURNAL, setup: { ...setup, exchange: 'kraken' } }, 'setup.exchange');
  run('asOf 2024-13-45', { ...JOURNAL, setup: { ...setup, asOf: '2024-13-45' } }, 'setup.asOf');
  run('a taker fee of 100 %', { ...JOURNAL, setup: { ...setup, fees: { taker: '1', maker: '0' } } }, 'setup.fees.taker');
  run('a negative insurance fund', { ...JOURNAL, setup: { ...setup, insuranceFund: '-1' } }, 'setup.insuranceFund');
  run('a margin-call ratio in words', { ...JOURNAL, setup: { ...setup, marginCallRatio: 'high' } }, 'setup.marginCallRatio');
  run('ops as an object', { ...JOURNAL, ops: {} }, 'ops');
  run('an unknown top-level field', { ...JOURNAL, opz: [] }, 'opz');
  run('an operation that is a number', { ...JOURNAL, ops: [5] }, 'ops[0]');
  runOp('an unknown op', { op: 'buy', symbol: 'BTCUSDT' }, 'op');
  runOp('no op', { symbol: 'BTCUSDT' }, 'op');
  runOp('a deposit as a JSON number', { op: 'deposit', asset: 'USDT', amount: 12 }, 'amount');
  runOp('a deposit of 1e400', { op: 'deposit', asset: 'USDT', amount: '1e400' }, 'amount');
  runOp('a deposit of "-"', { op: 'deposit', asset: 'USDT', amount: '-' }, 'amount');
  runOp('a deposit without an asset', { op: 'deposit', asset: '', amount: '5' }, 'asset');
  runOp('an empty account name', { op: 'deposit', account: '', asset: 'USDT', amount: '5' }, 'account');
  runOp('reduce_only (turned a reduce into a short)', { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'market', quantity: '0.03', reduce_only: true }, 'reduce_only');
  runOp('side long', { op: 'order', symbol: 'BTCUSDT', side: 'long', type: 'market', quantity: '0.01' }, 'side');
  runOp('type stop', { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'stop', quantity: '0.01' }, 'type');
  runOp('a quantity with 19 decimals', { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.0000000000000000001' }, 'quantity');
  runOp('a price in words', { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: 'market' }, 'price');
  runOp('time in force DAY', { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000', timeInForce: 'DAY' }, 'timeInForce');
  runOp('postOnly "yes"', { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'limit', quantity: '0.01', price: '40000', postOnly: 'yes' }, 'postOnly');
  runOp('a 40-character client order id', { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01', clientOrderId: 'x'.repeat(40) }, 'clientOrderId');
  runOp('a misspelt stopPrice', { op: 'order', symbol: 'BTCUSDT', side: 'sell', type: 'stop_market', quantity: '0.01', stop_price: '40000' }, 'stop_price');
  runOp('leverage as a string', { op: 'setLeverage', symbol: 'BTCUSDT', leverage: '10' }, 'leverage');
  runOp('margin mode "crossed"', { op: 'setMarginMode', symbol: 'BTCUSDT', mode: 'crossed' }, 'mode');
  runOp('position mode "two-way"', { op: 'setPositionMode', mode: 'two-way' }, 'mode');
  runOp('a mark as a JSON number', { op: 'mark', symbol: 'BTCUSDT', price: 51000 }, 'price');
  runOp('a mark without a symbol', { op: 'mark', price: '51000' }, 'symbol');
  runOp('an order id as a string', { op: 'cancel', symbol: 'BTCUSDT', orderId: '5' }, 'orderId');
  runOp('add margin in words', { op: 'addMargin', symbol: 'BTCUSDT', amount: 'some' }, 'amount');
  runOp('a funding rate of 200 %', { op: 'funding', symbol: 'BTCUSDT', rate: '2' }, 'rate');
  runOp('a negative funding time', { op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: -1 }, 'time');
  runOp('a fractional funding time', { op: 'funding', symbol: 'BTCUSDT', rate: '0.0001', time: 1.5 }, 'time');
  runOp('a mark with an unknown field', { op: 'mark', symbol: 'BTCUSDT', price: '51000', time: 5 }, 'time');
  add('run', 'not JSON', ['run'], 'input', 'ops: []');
  add('run', 'a missing file', ['run', join(dir, 'missing.json')], 'file');

  // -------------------------------------------------------------------------------------- simulate
  const spec = (name: string, value: unknown) => json(name, value);
  const simulate = (name: string, args: readonly string[], field: string) => add('simulate', name, ['simulate', ...args], field);
  const simulateSpec = (name: string, value: unknown, field: string) => simulate(name, ['--spec', spec(`sim-${cases.length}.json`, value), '--data', CRASH, '--html', out(`sim-${cases.length}.html`)], field);
  const goodSpec = spec('good-spec.json', SPEC);
  simulateSpec('a negative wallet', { ...SPEC, wallet: '-10' }, 'wallet');
  simulateSpec('a wallet of 1e400', { ...SPEC, wallet: '1e400' }, 'wallet');
  simulateSpec('a wallet as a JSON number', { ...SPEC, wallet: 10000 }, 'wallet');
  simulateSpec('a negative notional', { ...SPEC, legs: [{ ...LEG, size: { notional: '-5000' } }] }, 'legs[0].size.notional');
  simulateSpec('a misspelt size kind', { ...SPEC, legs: [{ ...LEG, size: { notionl: '5000' } }] }, 'legs[0].size');
  simulateSpec('two size kinds at once', { ...SPEC, legs: [{ ...LEG, size: { notional: '5000', margin: '100' } }] }, 'legs[0].size');
  simulateSpec('a misspelt leverage', { ...SPEC, legs: [{ ...LEG, levrage: 5 }] }, 'legs[0].levrage');
  simulateSpec('leverage 0', { ...SPEC, legs: [{ ...LEG, leverage: 0 }] }, 'legs[0].leverage');
  simulateSpec('side up', { ...SPEC, legs: [{ ...LEG, side: 'up' }] }, 'legs[0].side');
  simulateSpec('no legs', { ...SPEC, legs: [] }, 'legs');
  simulateSpec('a leg whose symbol has no data', { ...SPEC, legs: [{ ...LEG, symbol: 'ETHUSDT' }] }, 'legs[0].symbol');
  simulateSpec('an unknown strategy', { ...SPEC, strategy: { kind: 'martingale' } }, 'strategy.kind');
  simulateSpec('a misspelt strategy field', { ...SPEC, strategy: { kind: 'dca', everyBar: 3 } }, 'strategy.everyBar');
  simulateSpec('a trigger ratio of 2', { ...SPEC, strategy: { kind: 'margin-chaser', triggerRatio: '2' } }, 'strategy.triggerRatio');
  simulateSpec('a negative ruin fraction', { ...SPEC, ruinFraction: '-0.1' }, 'ruinFraction');
  simulateSpec('an unknown venue', { ...SPEC, exchange: 'ftx' }, 'exchange');
  simulateSpec('a riskPercent leg without a stop', { ...SPEC, legs: [{ ...LEG, size: { riskPercent: '2' } }] }, 'legs[0].stopLoss');
  simulateSpec('a stop at a negative percent', { ...SPEC, legs: [{ ...LEG, stopLoss: { percent: '-3' } }] }, 'legs[0].stopLoss.percent');
  simulateSpec('isolated margin on a cross leg', { ...SPEC, legs: [{ ...LEG, isolatedMargin: '100' }] }, 'legs[0].isolatedMargin');
  simulate('a spec that is not YAML', ['--spec', file('broken.yaml', 'legs: [\n  - {'), '--data', CRASH], '--spec');
  simulate('a missing spec', ['--spec', join(dir, 'missing.yaml'), '--data', CRASH], '--spec');
  simulate('no --spec', ['--data', CRASH], '--spec');
  simulate('no --data', ['--spec', goodSpec], '--data');
  simulate('a CSV line with 3 columns', ['--spec', goodSpec, '--data', `BTCUSDT=${file('short-1m-.csv', `${HEADER}0,1,2,1,1,5\n60000,1,2\n`)}`], 'short-1m-.csv:3');
  simulate('unsorted bars', ['--spec', goodSpec, '--data', `BTCUSDT=${file('unsorted-1m-.csv', `${HEADER}120000,1,2,1,1,5\n60000,1,2,1,1,5\n`)}`], 'unsorted-1m-.csv:3');
  simulate('a non-numeric price', ['--spec', goodSpec, '--data', `BTCUSDT=${file('words-1m-.csv', `${HEADER}0,1,2,one,1,5\n`)}`], 'words-1m-.csv:2');
  simulate('an impossible bar', ['--spec', goodSpec, '--data', `BTCUSDT=${file('impossible-1m-.csv', `${HEADER}0,1,0.5,2,1,5\n`)}`], 'impossible-1m-.csv:2');
  simulate('ccxt JSON that is not OHLCV', ['--spec', goodSpec, '--data', `BTCUSDT=${json('numbers.json', [1, 2, 3])}`], 'numbers.json');
  simulate('ccxt JSON of objects', ['--spec', goodSpec, '--data', `BTCUSDT=${json('objects.json', { data: [] })}`], 'objects.json');
  simulate('JSON that does not parse', ['--spec', goodSpec, '--data', `BTCUSDT=${file('broken.json', '[[1,2')}`], 'broken.json');
  simulate('a missing data file', ['--spec', goodSpec, '--data', `BTCUSDT=${join(dir, 'missing.csv')}`], 'missing.csv');
  simulate('a missing bundled file', ['--spec', goodSpec, '--data', 'BTCUSDT=bundled:nope.csv'], 'nope.csv');
  simulate('a data entry without a file', ['--spec', goodSpec, '--data', 'BTCUSDT='], '--data');
  simulate('a funding entry without a symbol', ['--spec', goodSpec, '--data', CRASH, '--funding', 'funding.csv'], '--funding');
  simulate('a funding file with other columns', ['--spec', goodSpec, '--data', CRASH, '--funding', `BTCUSDT=${file('funding-cols.csv', 'time,rate\n1,0.0001\n')}`], 'funding-cols.csv:2');
  simulate('a funding rate of 150 %', ['--spec', goodSpec, '--data', CRASH, '--funding', `BTCUSDT=${file('funding-big.csv', 'timestamp_ms,funding_rate\n1,1.5\n')}`], 'funding-big.csv:2');
  simulate('funding times going backwards', ['--spec', goodSpec, '--data', CRASH, '--funding', `BTCUSDT=${file('funding-back.csv', 'timestamp_ms,funding_rate\n5,0.0001\n1,0.0001\n')}`], 'funding-back.csv:3');
  simulate('an unknown mode', ['--spec', goodSpec, '--data', CRASH, '--modes', 'isolated,both'], '--modes');
  simulate('an unknown mark model', ['--spec', goodSpec, '--data', CRASH, '--mark', 'mid'], '--mark');
  simulate('a mark span of 0', ['--spec', goodSpec, '--data', CRASH, '--mark', 'smoothed', '--mark-span', '0'], '--mark-span');
  simulate('a timeframe in words', ['--spec', goodSpec, '--data', CRASH, '--timeframe', 'soon'], '--timeframe');
  simulate('an unknown option', ['--spec', goodSpec, '--data', CRASH, '--fast'], '--fast');

  // ----------------------------------------------------------------------------------------- study
  const study = (name: string, args: readonly string[], field: string) => add('study', name, ['study', ...args], field);
  study('a missing spec', ['--spec', join(dir, 'missing.yaml')], '--spec');
  study('a spec with an unknown field', ['--spec', spec('study-unknown.json', { ...SPEC, walet: '1' }), '--html', out('study-1.html')], 'walet');
  study('a spec with a negative wallet', ['--spec', spec('study-wallet.json', { ...SPEC, wallet: '-1' }), '--html', out('study-2.html')], 'wallet');
  study('a spec with a zero notional', ['--spec', spec('study-notional.json', { ...SPEC, legs: [{ ...LEG, size: { notional: '0' } }] })], 'legs[0].size.notional');
  study('a spec that is a list', ['--spec', spec('study-list.json', [SPEC])], 'spec');
  study('an empty spec file', ['--spec', file('empty.json', '')], '--spec');
  study('an unknown mode', ['--spec', goodSpec, '--modes', 'hedged'], '--modes');
  study('an unknown mark model', ['--spec', goodSpec, '--mark', 'index'], '--mark');
  study('a mark span in words', ['--spec', goodSpec, '--mark', 'smoothed', '--mark-span', 'five'], '--mark-span');
  study('an extra argument', ['extra'], 'study');
  study('an unknown option', ['--fast'], '--fast');
  study('--spec without a file', ['--spec'], '--spec');
  study('--html naming a directory', ['--spec', goodSpec, '--html', dir], '--html');
  study('--html inside a file', ['--spec', goodSpec, '--html', join(goodSpec, 'report.html')], '--html');
  simulate('--html naming a directory', ['--spec', goodSpec, '--data', CRASH, '--html', dir], '--html');
  add('montecarlo', '--html naming a directory', ['montecarlo', '--spec', goodSpec, '--html', dir], '--html');

  // ------------------------------------------------------------------------------------ montecarlo
  const mc = (name: string, args: readonly string[], field: string) => add('montecarlo', name, ['montecarlo', '--spec', goodSpec, '--html', out(`mc-${cases.length}.html`), ...args], field);
  mc('0 paths', ['--paths', '0'], '--paths');
  mc('paths in words', ['--paths', 'many'], '--paths');
  mc('a billion paths', ['--paths', '1000000000'], '--paths');
  mc('fractional paths', ['--paths', '2.5'], '--paths');
  mc('1 hour', ['--hours', '1'], '--hours');
  mc('an unknown generator', ['--generator', 'walk'], '--generator');
  mc('block hours 0', ['--block-hours', '0'], '--block-hours');
  mc('a crash probability of 2', ['--crash-probability', '2'], '--crash-probability');
  mc('a crash probability in words', ['--crash-probability', 'often'], '--crash-probability');
  mc('a negative seed', ['--seed', '-1'], '--seed');
  mc('0 workers', ['--workers', '0'], '--workers');
  mc('an unknown mode', ['--modes', 'cross,portfolio'], '--modes');
  add('montecarlo', 'a spec with an unknown field', ['montecarlo', '--spec', spec('mc-unknown.json', { ...SPEC, legz: [] })], 'legz');
  add('montecarlo', 'a missing spec', ['montecarlo', '--spec', join(dir, 'missing.json')], '--spec');
  add('montecarlo', 'an unknown option', ['montecarlo', '--path', '5'], '--path');

  adviseCases({ dir, add, file, json, push: (c) => cases.push(c), goodSpec });

  return cases;
}
