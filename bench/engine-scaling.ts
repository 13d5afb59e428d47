// How the engine's cost grows with the state, for `npm run bench`:
// - one account holding 1, 20, 100 or 500 cross positions (one per symbol): the cost of one mark tick
//   (a `mark` command on one symbol, the symbols taken in turn, so a pass over all of them is one tick per
//   position: "per-position tick cost") and of one market order (1 unit bought then sold on each symbol
//   in turn, so positions stay where they are);
// - a mark tick on one symbol held by one account of 5 positions, alone in the engine vs among 999 other
//   accounts of 5 positions each on 50 other symbols: the tick touches the same single position in both.
// The targets: the tick among 1,000 accounts within 2x of the tick alone, and the per-position
// tick at 500 positions within 1.5x of that at 20. apply() changes the state in place and a tick visits
// only the users exposed to its symbol (src/engine/exposure.ts), so neither depends on what else the
// engine holds; before that (apply() copied the whole state and re-checked every user per command) the
// figures were 1,324x and 21.9x.
// The synthetic symbols share one mid-cap bracket table (the bench account's DOTUSDT market, renamed):
// price 10 USDT, 100 units (1,000 USDT notional, bracket 1) per position at the default 20x leverage.
import { formatFixed, parseFixed } from '../src/domain/fixed.ts';
import { apply } from '../src/engine/apply.ts';
import { parseCommand, type Command } from '../src/engine/commands.ts';
import { checkSolvency } from '../src/engine/invariants.ts';
import { initialState, type EngineState } from '../src/engine/state.ts';
import type { Market } from '../src/exchanges/rules.ts';
import { crossAccount } from './cross-account.ts';

export const SCALING_POSITION_COUNTS = [1, 20, 100, 500] as const;
export const CROWD_ACCOUNTS = 1000;
const POSITIONS_PER_CROWD_ACCOUNT = 5;
const CROWD_SYMBOLS = 50;
const PRICE_USDT = 10;
const SIZE_UNITS = '100';
const DEPOSIT_USDT = '10000000';
/** Marks wiggle within +/-0.2 % of the price: far from any liquidation at 20x. */
const TICK_PRICES = Array.from({ length: 256 }, (_, i) => formatFixed(parseFixed<'Price'>((PRICE_USDT * (1 + 0.002 * Math.sin(i * 0.7))).toFixed(4))));

function command(json: Record<string, unknown>): Command {
  const parsed = parseCommand(json);
  if ('rejection' in parsed) throw new Error(parsed.rejection.message);
  return parsed.command;
}

/** An engine whose state the bench advances command by command; a rejection or liquidation is a bench bug. */
class Engine {
  private time = 0;
  constructor(public state: EngineState) {}
  run(next: Command): number {
    const result = apply(this.state, next, this.time++);
    if (result.rejection) throw new Error(`bench command rejected: ${result.rejection.message}`);
    if (result.events.some((e) => e.type === 'liquidation' || e.type === 'rejected')) throw new Error('the bench stream liquidated or was rejected');
    this.state = result.state;
    return 1;
  }
}

function marketsNamed(symbols: readonly string[]): Market[] {
  const template = crossAccount().legs.find((l) => l.symbol === 'DOTUSDT')!.market;
  return symbols.map((symbol) => ({ ...template, symbol }));
}

function openPositions(engine: Engine, account: string, symbols: readonly string[], marked: Set<string>): void {
  engine.run(command({ op: 'deposit', account, asset: 'USDT', amount: DEPOSIT_USDT }));
  symbols.forEach((symbol, k) => {
    if (!marked.has(symbol)) {
      engine.run(command({ op: 'mark', symbol, price: String(PRICE_USDT) }));
      marked.add(symbol);
    }
    engine.run(command({ op: 'order', account, symbol, side: k % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: SIZE_UNITS }));
  });
}

function tickCommands(symbols: readonly string[]): Command[] {
  return TICK_PRICES.map((price, i) => command({ op: 'mark', symbol: symbols[i % symbols.length]!, price }));
}

export interface ScalingCase {
  readonly positions: number;
  /** Applies the next mark tick; returns 1. */
  tick(): number;
  /** Applies the next market order; returns 1. */
  order(): number;
}

export function oneAccountCase(positions: number): ScalingCase {
  const symbols = Array.from({ length: positions }, (_, k) => `S${String(k).padStart(3, '0')}USDT`);
  const engine = new Engine(initialState({ exchange: 'binance-usdm', markets: marketsNamed(symbols), brackets: { day: '2024-11-01' } }));
  openPositions(engine, 'main', symbols, new Set());
  // symbol count and tick-price count are coprime for every case here (256 is a power of two, and the
  // counts 1, 20, 100, 500 are not multiples of 256), so every symbol sees every price over time
  const ticks = tickCommands(symbols);
  const orders = symbols.flatMap((symbol) => ['buy', 'sell'].map((side) => command({ op: 'order', account: 'main', symbol, side, type: 'market', quantity: '1' })));
  let t = 0;
  let o = 0;
  return {
    positions,
    tick: () => engine.run(ticks[t++ % ticks.length]!),
    order: () => engine.run(orders[o++ % orders.length]!),
  };
}

/**
 * A mark tick on TICKUSDT, held only by account `main` (5 positions), among `accounts` accounts in all:
 * the others hold 5 positions each on the 50 crowd symbols, every account opened through apply() (about
 * 6,000 commands for 1,000 accounts: each costs what it changes, so this takes well under a second).
 */
export function crowdTick(accounts: number): () => number {
  const mainSymbols = ['TICKUSDT', 'M1USDT', 'M2USDT', 'M3USDT', 'M4USDT'];
  const crowdSymbols = Array.from({ length: CROWD_SYMBOLS }, (_, k) => `C${String(k).padStart(2, '0')}USDT`);
  const engine = new Engine(initialState({ exchange: 'binance-usdm', markets: marketsNamed([...mainSymbols, ...crowdSymbols]), brackets: { day: '2024-11-01' } }));
  const marked = new Set<string>();
  openPositions(engine, 'main', mainSymbols, marked);
  for (let a = 1; a < accounts; a++) {
    const symbols = Array.from({ length: POSITIONS_PER_CROWD_ACCOUNT }, (_, j) => crowdSymbols[(a * POSITIONS_PER_CROWD_ACCOUNT + j) % CROWD_SYMBOLS]!);
    openPositions(engine, `u${a}`, symbols, marked);
  }
  if (Object.keys(engine.state.users).length !== accounts) throw new Error('crowd set-up made the wrong number of accounts');
  checkSolvency(engine.state);
  const ticks = tickCommands(['TICKUSDT']);
  let t = 0;
  return () => engine.run(ticks[t++ % ticks.length]!);
}
