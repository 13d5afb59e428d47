// The bad-input suite's table (issue 9: every case exits 2 with one line naming the field; none is
// accepted; none crashes). Each case is a command line, optional stdin, and the field its one line must
// name. Most cases are one mutation of a valid input, so that the refusal is about that field alone.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

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

type Json = Record<string, unknown>;

const SNAPSHOT: Json = {
  exchange: 'binance-usdm',
  walletBalance: '1000',
  positions: [{ symbol: 'BTCUSDT', side: 'long', size: '0.02', entryPrice: '50000', marginMode: 'isolated', leverage: 10, isolatedMargin: '100' }],
};
const POSITION = (SNAPSHOT['positions'] as Json[])[0]!;

const JOURNAL_OPS: Json[] = [
  { op: 'deposit', asset: 'USDT', amount: '1000' },
  { op: 'mark', symbol: 'BTCUSDT', price: '50000' },
  { op: 'order', symbol: 'BTCUSDT', side: 'buy', type: 'market', quantity: '0.01' },
];
const JOURNAL: Json = { setup: { exchange: 'binance-usdm', fees: { taker: '0.0005', maker: '0.0002' } }, ops: JOURNAL_OPS };

const LEG: Json = { symbol: 'BTCUSDT', side: 'long', size: { notional: '5000' }, leverage: 5 };
const SPEC: Json = { name: 'bad-input', exchange: 'binance-usdm', wallet: '10000', legs: [LEG] };

const CRASH = 'BTCUSDT=bundled:binance-futures-BTCUSDT-1m-crash-2020-03-12.csv';
const HEADER = 'timestamp_ms,open,high,low,close,volume\n';

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

  // -------------------------------------------------------------------------------- advise chasing
  const chasing = (name: string, args: readonly string[], field: string) => add('advise chasing', name, ['advise', 'chasing', ...args], field);
  chasing('a journal with an unknown field', [json('chase-journal.json', { ...JOURNAL, ops: [...JOURNAL_OPS, { op: 'addMargin', symbol: 'BTCUSDT', amont: '5' }] })], 'ops[3].amont');
  chasing('a journal that is not JSON', [file('chase-broken.json', '{')], 'journal');
  chasing('a missing journal', [join(dir, 'missing.json')], 'journal');
  chasing('an unknown crash window', ['--spec', goodSpec, '--window', '2019-01-01'], '--window');
  chasing('an unknown margin mode', ['--spec', goodSpec, '--window', '2020-03-12', '--mode', 'both'], '--mode');
  chasing('a spec with a negative wallet', ['--spec', spec('chase-spec.json', { ...SPEC, wallet: '-5' }), '--window', '2020-03-12'], 'wallet');
  chasing('a data file with 3 columns', ['--spec', goodSpec, '--data', `BTCUSDT=${join(dir, 'short-1m-.csv')}`], 'short-1m-.csv:3');
  chasing('an unknown option', ['--windw', '2020-03-12'], '--windw');
  chasing('a spec leg without --data', ['--spec', spec('chase-eth.json', { ...SPEC, legs: [LEG, { ...LEG, symbol: 'ETHUSDT' }] }), '--data', CRASH], 'legs[1].symbol');
  chasing('a timeframe in words', ['--spec', goodSpec, '--data', CRASH, '--timeframe', 'hourly'], '--timeframe');

  // -------------------------------------------------------------------------------- advise funding
  const funding = (name: string, args: readonly string[], field: string) => add('advise funding', name, ['advise', 'funding', ...args], field);
  funding('a symbol without bundled history', ['--symbol', 'DOGEUSDT'], '--symbol');
  funding('side up', ['--side', 'up'], '--side');
  funding('a negative notional', ['--notional', '-5'], '--notional');
  funding('a notional of 1e400', ['--notional', '1e400'], '--notional');
  funding('size 0', ['--size', '0', '--entry', '60000'], '--size');
  funding('an entry in words', ['--entry', 'market'], '--entry');
  funding('leverage 0', ['--leverage', '0'], '--leverage');
  funding('a margin in words', ['--margin', 'half'], '--margin');
  funding('an unknown venue', ['--exchange', 'kraken'], '--exchange');
  funding('a liquidation move of 0', ['--lp-move', '0'], '--lp-move');
  funding('0 settlements a day', ['--per-day', '0'], '--per-day');
  funding('a funding file with 3 columns', ['--funding', file('fund-3.csv', 'timestamp_ms,funding_rate\n1,0.0001\n2\n')], 'fund-3.csv:3');
  funding('a missing funding file', ['--funding', join(dir, 'missing.csv')], 'missing.csv');

  // ---------------------------------------------------------------------------------- advise hedge
  const hedge = (name: string, snapshot: unknown, field: string) => add('advise hedge', name, ['advise', 'hedge'], field, JSON.stringify(snapshot));
  hedge('an unknown field', { ...SNAPSHOT, positionz: [] }, 'positionz');
  hedge('a negative wallet', { ...SNAPSHOT, walletBalance: '-100' }, 'walletBalance');
  hedge('a size of 1e400', { ...SNAPSHOT, positions: [{ ...POSITION, size: '1e400' }] }, 'positions[0].size');
  hedge('__proto__ as a symbol', { ...SNAPSHOT, positions: [{ ...POSITION, symbol: '__proto__' }] }, 'positions[0].symbol');
  hedge('a leverage of 1e9', { ...SNAPSHOT, positions: [{ ...POSITION, leverage: 1e9 }] }, 'positions[0].leverage');
  add('advise hedge', 'not JSON', ['advise', 'hedge'], 'input', 'positions');
  add('advise hedge', 'a missing file', ['advise', 'hedge', join(dir, 'missing.json')], 'file');
  add('advise hedge', 'two files', ['advise', 'hedge', 'a.json', 'b.json'], 'hedge');

  // ------------------------------------------------------------------------------- advise leverage
  const leverage = (name: string, args: readonly string[], field: string) => add('advise leverage', name, ['advise', 'leverage', '--paths', '0', ...args], field);
  leverage('a symbol without history', ['--symbol', 'DOGEUSDT'], '--data');
  leverage('side up', ['--side', 'up'], '--side');
  leverage('horizon 0', ['--horizon', '0'], '--horizon');
  leverage('a confidence of 1.5', ['--confidence', '1.5'], '--confidence');
  leverage('a negative margin', ['--margin', '-100'], '--margin');
  leverage('a wallet in words', ['--wallet', 'plenty'], '--wallet');
  leverage('an unknown venue', ['--exchange', 'kraken'], '--exchange');
  leverage('a price of 0', ['--price', '0'], '--price');
  leverage('a move in words', ['--move', 'big'], '--move');
  leverage('a margin-call ratio of 2', ['--margin-call', '2'], '--margin-call');
  leverage('leverage 0 in the list', ['--leverages', '0,5'], '--leverages');
  leverage('negative paths', ['--paths', '-5'], '--paths');
  leverage('a seed in words', ['--seed', 'lucky'], '--seed');
  leverage('a crash probability of -1', ['--crash-probability', '-1'], '--crash-probability');
  leverage('a data file with 3 columns', ['--data', join(dir, 'short-1m-.csv')], 'short-1m-.csv:3');
  leverage('a timeframe of 0 hours', ['--timeframe', '0h'], '--timeframe');
  leverage('a snapshot with an unknown field', ['--snapshot', json('lev-snap.json', { ...SNAPSHOT, extra: 1 })], 'extra');
  leverage('a spec with an unknown field', ['--spec', spec('lev-spec.json', { ...SPEC, extra: 1 })], 'extra');

  // ---------------------------------------------------------------------------- advise liquidation
  const liq = (name: string, args: readonly string[], field: string) => add('advise liquidation', name, ['advise', 'liquidation', ...args], field);
  const planned = ['--symbol', 'BTCUSDT', '--side', 'long', '--entry', '50000', '--size', '0.02', '--leverage', '10', '--wallet', '1000'];
  const withFlag = (flag: string, value: string) => {
    const i = planned.indexOf(flag);
    return i >= 0 ? [...planned.slice(0, i + 1), value, ...planned.slice(i + 2)] : [...planned, flag, value];
  };
  liq('side up', withFlag('--side', 'up'), '--side');
  liq('entry 0', withFlag('--entry', '0'), '--entry');
  liq('entry of 1e400', withFlag('--entry', '1e400'), '--entry');
  liq('a size in words', withFlag('--size', 'some'), '--size');
  liq('leverage 0', withFlag('--leverage', '0'), '--leverage');
  liq('leverage 500', withFlag('--leverage', '500'), '--leverage');
  liq('a wallet in words', withFlag('--wallet', 'rich'), '--wallet');
  liq('a negative wallet', withFlag('--wallet', '-10'), '--wallet');
  liq('a mark of 0', withFlag('--mark', '0'), '--mark');
  liq('an unknown venue', withFlag('--exchange', 'kraken'), '--exchange');
  liq('an unknown symbol', withFlag('--symbol', 'NOPEUSDT'), '--symbol');
  liq('moves in words', withFlag('--moves', 'up,down'), '--moves');
  liq('wallet changes in words', withFlag('--wallet-changes', 'more'), '--wallet-changes');
  add('advise liquidation', 'a snapshot index past the end', ['advise', 'liquidation', '-', '--index', '5'], '--index', JSON.stringify(SNAPSHOT));
  add('advise liquidation', 'a snapshot symbol that is not there', ['advise', 'liquidation', '-', '--symbol', 'ETHUSDT'], '--symbol', JSON.stringify(SNAPSHOT));
  add('advise liquidation', 'a snapshot with an unknown field', ['advise', 'liquidation', '-'], 'positions[0].isolated_margin', JSON.stringify({ ...SNAPSHOT, positions: [{ ...POSITION, isolated_margin: '1' }] }));

  // ----------------------------------------------------------------------------------- advise mode
  const mode = (name: string, args: readonly string[], field: string) => add('advise mode', name, ['advise', 'mode', '--paths', '0', ...args], field);
  mode('a leg index past the end', ['--spec', goodSpec, '--leg', '5'], '--leg');
  mode('a leg symbol not in the spec', ['--spec', goodSpec, '--leg', 'XRPUSDT'], '--leg');
  mode('side up', ['--spec', goodSpec, '--symbol', 'ETHUSDT', '--side', 'up', '--margin', '100'], '--side');
  mode('a negative margin', ['--spec', goodSpec, '--symbol', 'ETHUSDT', '--margin', '-100'], '--margin');
  mode('a notional in words', ['--spec', goodSpec, '--symbol', 'ETHUSDT', '--notional', 'big'], '--notional');
  mode('leverage 0', ['--spec', goodSpec, '--symbol', 'ETHUSDT', '--margin', '100', '--leverage', '0'], '--leverage');
  mode('an unknown role', ['--spec', goodSpec, '--leg', '0', '--role', 'yolo'], '--role');
  mode('an unknown experience', ['--spec', goodSpec, '--leg', '0', '--experience', 'guru'], '--experience');
  mode('hours in words', ['--spec', goodSpec, '--leg', '0', '--hours', 'week'], '--hours');
  mode('a crash probability of 3', ['--spec', goodSpec, '--leg', '0', '--crash-probability', '3'], '--crash-probability');
  mode('a spec with an unknown field', ['--spec', spec('mode-spec.json', { ...SPEC, leggs: [] }), '--leg', '0'], 'leggs');
  mode('a missing spec', ['--spec', join(dir, 'missing.yaml'), '--leg', '0'], '--spec');

  // ----------------------------------------------------------------------------------- advise size
  const size = (name: string, args: readonly string[], field: string) => add('advise size', name, ['advise', 'size', ...args], field);
  const sized = ['--portfolio', '10000', '--risk', '2', '--entry', '60000', '--stop', '58800'];
  const sizedWith = (flag: string, value: string) => {
    const i = sized.indexOf(flag);
    return i >= 0 ? [...sized.slice(0, i + 1), value, ...sized.slice(i + 2)] : [...sized, flag, value];
  };
  size('no portfolio', sized.slice(2), '--portfolio');
  size('a negative portfolio', sizedWith('--portfolio', '-10000'), '--portfolio');
  size('a portfolio of 1e400', sizedWith('--portfolio', '1e400'), '--portfolio');
  size('a risk in words', sizedWith('--risk', 'low'), '--risk');
  size('a risk of 0', sizedWith('--risk', '0'), '--risk');
  size('entry 0', sizedWith('--entry', '0'), '--entry');
  size('a stop in words', sizedWith('--stop', 'tight'), '--stop');
  size('a stop equal to the entry', sizedWith('--stop', '60000'), '--stop');
  size('side up', sizedWith('--side', 'up'), '--side');
  size('an unknown symbol', sizedWith('--symbol', 'NOPEUSDT'), '--symbol');
  size('an unknown venue', sizedWith('--exchange', 'kraken'), '--exchange');
  size('leverage 0', sizedWith('--leverage', '0'), '--leverage');
  size('a margin in words', sizedWith('--margin', 'half'), '--margin');
  size('a taker fee in words', sizedWith('--taker', 'normal'), '--taker');
  size('a buffer in words', sizedWith('--buffer', 'some'), '--buffer');

  // ------------------------------------------------------------------------------------- checklist
  const checklist = (name: string, args: readonly string[], field: string, stdin?: string) => add('checklist', name, ['checklist', ...args], field, stdin);
  const dialogue = (name: string, stdin: string, field: string) => cases.push({ command: 'checklist', name, args: ['checklist'], stdin, field, dialogue: true });
  const answered = ['--equity', '10000', '--side', 'long', '--entry', '60000', '--size', '0.1', '--leverage', '10'];
  const answeredWith = (flag: string, value: string) => {
    const i = answered.indexOf(flag);
    return i >= 0 ? [...answered.slice(0, i + 1), value, ...answered.slice(i + 2)] : [...answered, flag, value];
  };
  checklist('equity in words', answeredWith('--equity', 'lots'), '--equity');
  checklist('a negative equity', answeredWith('--equity', '-5'), '--equity');
  checklist('entry 0', answeredWith('--entry', '0'), '--entry');
  checklist('leverage 0', answeredWith('--leverage', '0'), '--leverage');
  checklist('leverage 2.5', answeredWith('--leverage', '2.5'), '--leverage');
  checklist('leverage 500', answeredWith('--leverage', '500'), '--leverage');
  checklist('side up', answeredWith('--side', 'up'), '--side');
  checklist('an unknown strategy', answeredWith('--strategy', 'gamble'), '--strategy');
  checklist('an unknown margin mode', answeredWith('--mode', 'both'), '--mode');
  checklist('an unknown symbol', answeredWith('--symbol', 'NOPEUSDT'), '--symbol');
  checklist('an unknown venue', answeredWith('--exchange', 'kraken'), '--exchange');
  checklist('a risk of 500 %', answeredWith('--risk', '500'), '--risk');
  checklist('a negative size', answeredWith('--size', '-1'), '--size');
  checklist('a negative isolated margin', answeredWith('--margin', '-1'), '--margin');
  checklist('a stop in words', answeredWith('--stop', 'soon'), '--stop');
  checklist('a missing answers file', ['--input', join(dir, 'missing.json')], '--input');
  checklist('an answers file that is not JSON', ['--input', file('answers-broken.json', '{')], '--input');
  const numbers = json('answers-numbers.json', { equity: 10000, side: 'long', entry: '60000', size: '0.1', leverage: '10' });
  checklist('answers as JSON numbers', ['--input', numbers], `${numbers}: equity`);
  const typo = json('answers-typo.json', { equity: '10000', sied: 'long' });
  checklist('a misspelt answer', ['--input', typo], `${typo}: sied`);
  checklist('answers that are a list', ['--input', json('answers-list.json', [])], '--input');
  dialogue('a dialogue that ends before the entry price', '10000\n\nlong\n', '"Entry price"');
  dialogue('a dialogue whose last answer is bad', '10000\n\nup\n', '"Side"');
  dialogue('a dialogue of bad equities only', 'lots\n-5\n0\n', '"1. Account equity"');
  dialogue('a dialogue with an unknown symbol, then the end (the symbol falls back to BTCUSDT)', '10000\nNOPEUSDT\n', '"Side"');
  dialogue('a dialogue with leverage 0 at the end', '10000\n\nlong\n60000\n0.1\n0\n', '"Leverage"');
  dialogue('an empty dialogue', '', '"1. Account equity"');
  // ------------------------------------------- names are data: Object.prototype's names as symbols
  for (const name of ['__proto__', 'constructor', 'toString']) {
    const legSpec = spec(`name-${name}.json`, { ...SPEC, legs: [{ ...LEG, symbol: name }] });
    add('study', `${name} as a leg symbol`, ['study', '--spec', legSpec], 'legs[0].symbol');
    add('simulate', `${name} as a leg symbol`, ['simulate', '--spec', legSpec, '--data', `${name}=bundled:binance-futures-BTCUSDT-1m-crash-2020-03-12.csv`], 'legs[0].symbol');
    add('montecarlo', `${name} as a leg symbol`, ['montecarlo', '--spec', legSpec], 'legs[0].symbol');
    add('advise mode', `${name} as a leg symbol`, ['advise', 'mode', '--spec', legSpec, '--leg', '0', '--paths', '0'], 'legs[0].symbol');
    add('advise chasing', `${name} as a leg symbol`, ['advise', 'chasing', '--spec', legSpec, '--window', '2020-03-12'], 'legs[0].symbol');
    add('advise funding', `${name} as the symbol`, ['advise', 'funding', '--symbol', name], '--symbol');
    add('advise size', `${name} as the symbol`, ['advise', 'size', ...sized, '--symbol', name], '--symbol');
    add('advise liquidation', `${name} as the symbol`, ['advise', 'liquidation', ...withFlag('--symbol', name)], '--symbol');
    add('checklist', `${name} as the symbol`, ['checklist', ...answered, '--symbol', name], '--symbol');
  }
  add('montecarlo', 'a market without bundled history (XRPUSDT, described under markets)', ['montecarlo', '--spec', spec('mc-market.json', { ...SPEC, legs: [{ ...LEG, symbol: 'XRPUSDT' }], markets: { XRPUSDT: { maxLeverage: 20 } } })], 'legs[0].symbol');
  return cases;
}
