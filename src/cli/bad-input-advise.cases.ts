// The bad-input suite's table, second part (see bad-input.cases.ts): every `advise` topic, `checklist`, and
// Object.prototype's names given as symbols to every command.
import { join } from 'node:path';
import { CRASH, JOURNAL, JOURNAL_OPS, LEG, POSITION, SNAPSHOT, SPEC, type CaseBuilder } from './bad-input.cases.ts';

/** Adds the cases of every `advise` topic, of `checklist`, and the names-are-data cases. */
export function adviseCases({ dir, add, file, json, push, goodSpec }: CaseBuilder): void {
  const spec = json;
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
  const dialogue = (name: string, stdin: string, field: string) => push({ command: 'checklist', name, args: ['checklist'], stdin, field, dialogue: true });
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
}
