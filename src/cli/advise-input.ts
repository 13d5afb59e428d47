// Input helpers shared by the advise-liquidation, -size, -hedge and -funding commands: flags into exact
// values, or an InputError naming the flag (main.ts prints it and exits with 2).
import { readFileSync } from 'node:fs';
import { FittedRows, keyValueText } from './format.ts';
import {
  contractsOf,
  decimalProblem,
  divideBy,
  formatFixed,
  isPositive,
  parseFixed,
  quantityOf,
  roundToStep,
  type Fixed,
  type Money,
  type Price,
  type Quantity,
  type Rate,
} from '../domain/fixed.ts';
import { contractSize, EXCHANGE_IDS, type AccountSnapshot, type ExchangeId, type FeeRates, type Market } from '../exchanges/rules.ts';
import { DEFAULT_MARKETS } from '../exchanges/markets.ts';
import { DEFAULT_FEES, parseSnapshotText, resolveSnapshot } from '../exchanges/snapshot.ts';
import { decimalText } from '../schema/decimal.ts';
import { InputError } from '../schema/input-error.ts';
import { loadAccount } from '../io/import/read.ts';
import { readStdinText } from './io.ts';

const fmt = formatFixed;

export function positiveFlag<U extends string>(flag: string, text: string): Fixed<U> {
  const value = decimalText<U>(flag, text);
  if (!isPositive(value)) throw new InputError(flag, `must be above zero, got "${text}"`);
  return value;
}

/** A percent flag ("2" = 2 %) as a fraction. */
export function percentFlag(flag: string, text: string): Rate {
  return divideBy(decimalText<'Rate'>(flag, text), 100, 'halfEven');
}

/** A comma-separated list of percents ("-30,-20,+5") as fractions. */
export function percentListFlag(flag: string, text: string): Rate[] {
  const parts = text.split(',').map((p) => p.trim());
  if (parts.every((p) => p === '')) throw new InputError(flag, 'must list at least one percent, e.g. "-30,-10,0,10"');
  return parts.map((p) => {
    const problem = decimalProblem(p.replace(/^\+/, ''));
    if (problem) throw new InputError(flag, `"${p}": ${problem}`);
    return percentFlag(flag, p.replace(/^\+/, ''));
  });
}

export function wholeFlag(flag: string, text: string, min = 1): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) throw new InputError(flag, `must be a whole number >= ${min}, got "${text}"`);
  return n;
}

export function exchangeFlag(text: string): ExchangeId {
  if (!(EXCHANGE_IDS as readonly string[]).includes(text)) throw new InputError('--exchange', `must be one of ${EXCHANGE_IDS.join(', ')}, got "${text}"`);
  return text as ExchangeId;
}

export function sideFlag(flag: string, text: string): 1 | -1 {
  const t = text.trim().toLowerCase();
  if (t === 'long' || t === 'buy') return 1;
  if (t === 'short' || t === 'sell') return -1;
  throw new InputError(flag, `must be "long" or "short", got "${text}"`);
}

/** Reads and resolves a snapshot file (or - for stdin), as `perpguard calc` does. */
export function readSnapshot(file: string): AccountSnapshot {
  let text: string;
  try {
    text = file === '-' ? readStdinText() : readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError('file', `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  // a perpguard snapshot, or an exchange's / ccxt's positions with their balance in the same file (src/io/import)
  return loadAccount(text, { label: file === '-' ? 'the input' : file }).snapshot;
}

/** Which of the snapshot's positions: --index (0-based) or --symbol (with --side in hedge mode). */
export function selectLeg(account: AccountSnapshot, index: string | undefined, symbol: string | undefined, side: string | undefined): number {
  if (index !== undefined) {
    const i = wholeFlag('--index', index, 0);
    if (i >= account.legs.length) throw new InputError('--index', `the snapshot has ${account.legs.length} position(s) (0 to ${account.legs.length - 1})`);
    return i;
  }
  if (symbol !== undefined) {
    const wanted = side === undefined ? undefined : sideFlag('--side', side);
    const matches = account.legs.flatMap((l, i) => (l.symbol === symbol && (wanted === undefined || l.side === wanted) ? [i] : []));
    if (matches.length === 0) throw new InputError('--symbol', `no ${symbol}${side ? ` ${side}` : ''} position in the snapshot (${account.legs.map((l) => l.symbol).join(', ') || 'none'})`);
    if (matches.length > 1) throw new InputError('--side', `${symbol} has a long and a short leg: say which with --side`);
    return matches[0]!;
  }
  if (account.legs.length === 1) return 0;
  throw new InputError('--index', `the snapshot has ${account.legs.length} positions: choose one with --index or --symbol`);
}

export interface PlannedFlags {
  exchange?: string;
  symbol?: string;
  side?: string;
  entry?: string;
  mark?: string;
  size?: string;
  notional?: string;
  leverage?: string;
  wallet?: string;
}

const FLAG_OF_FIELD: Record<string, string> = {
  'positions[0].symbol': '--symbol',
  'positions[0].side': '--side',
  'positions[0].size': '--size',
  'positions[0].entryPrice': '--entry',
  'positions[0].markPrice': '--mark',
  'positions[0].leverage': '--leverage',
  walletBalance: '--wallet',
};

/**
 * A planned position in an otherwise empty account, from flags: one cross leg at --entry (mark = entry
 * unless --mark), size from --size or --notional / entry (rounded down to the market's step), wallet.
 */
export function plannedSnapshot(flags: PlannedFlags): AccountSnapshot {
  const exchange = exchangeFlag(flags.exchange ?? 'binance-usdm');
  if (flags.symbol === undefined) throw new InputError('--symbol', 'is required for a planned position (or give a snapshot file)');
  if (flags.side === undefined) throw new InputError('--side', 'is required for a planned position: long or short');
  const side = sideFlag('--side', flags.side);
  if (flags.entry === undefined) throw new InputError('--entry', 'is required for a planned position: the entry price');
  const entry = positiveFlag<'Price'>('--entry', flags.entry);
  if (flags.leverage === undefined) throw new InputError('--leverage', 'is required for a planned position');
  const leverage = wholeFlag('--leverage', flags.leverage);
  if (flags.wallet === undefined) throw new InputError('--wallet', 'is required for a planned position: the cross wallet balance');
  const wallet = decimalText<'Money'>('--wallet', flags.wallet);
  const mark = flags.mark === undefined ? entry : positiveFlag<'Price'>('--mark', flags.mark);
  const json = (size: string) => ({
    exchange,
    walletBalance: fmt(wallet),
    positions: [{ symbol: flags.symbol, side: side === 1 ? 'long' : 'short', size, entryPrice: fmt(entry), markPrice: fmt(mark), marginMode: 'cross', leverage }],
  });
  const resolve = (size: string): AccountSnapshot => {
    try {
      return resolveSnapshot(json(size));
    } catch (error) {
      if (error instanceof InputError) throw new InputError((Object.hasOwn(FLAG_OF_FIELD, error.field) ? FLAG_OF_FIELD[error.field] : undefined) ?? error.field, error.reason);
      throw error;
    }
  };
  if (flags.size !== undefined) return resolve(fmt(positiveFlag<'Quantity'>('--size', flags.size)));
  if (flags.notional === undefined) throw new InputError('--size', 'give the position size (base quantity or contracts) or --notional');
  const notional = positiveFlag<'Money'>('--notional', flags.notional);
  const probe = resolve('1');
  const market = probe.legs[0]!.market;
  const size = sizeOfNotional(notional, entry, market);
  if (!isPositive(size)) throw new InputError('--notional', `is below one step (${fmt(market.stepSize)}) of ${market.symbol} at ${fmt(entry)}`);
  return resolve(fmt(size));
}


/** The quantity with this notional at the price, rounded down to the step (inverse: coin x price / contract size). */
export function sizeOfNotional(notional: Money, price: Price, market: Market): Quantity {
  const raw = market.kind === 'linear' ? quantityOf(notional, price, 'floor') : contractsOf(notional, price, contractSize(market), 'floor');
  return roundToStep(raw, market.stepSize, 'floor');
}

// ------------------------------------------------------------------------------------ output

/** A table for people, without rules between rows, fitted to the output width (--wide: as wide as it needs). */
export function table(head: string[]): FittedRows {
  return new FittedRows(head, { compact: true });
}

/** A two-column table of labelled values, the values wrapped to the output width. */
export function keyValueTable(rows: readonly (readonly [string, string])[]): string {
  return keyValueText(rows, { compact: true });
}


/** A bundled market of the venue with its newest bracket table, as `perpguard calc` resolves it. */
export function marketFlag(exchange: ExchangeId, symbol: string): Market {
  const known = DEFAULT_MARKETS[exchange].map((m) => m.symbol);
  if (!known.includes(symbol)) throw new InputError('--symbol', `${symbol} is not a bundled market of ${exchange} (${known.join(', ')}); give a snapshot with "markets" for others`);
  const probe = resolveSnapshot({ exchange, walletBalance: '1', positions: [{ symbol, side: 'long', size: '1', entryPrice: '1', marginMode: 'cross', leverage: 1 }] });
  return probe.legs[0]!.market;
}

/** The venue's base-tier fees, the taker rate replaced by --taker (in %) when given. */
export function feesFlag(exchange: ExchangeId, takerPercent: string | undefined): FeeRates {
  const base = DEFAULT_FEES[exchange];
  return {
    taker: takerPercent === undefined ? parseFixed(base.taker) : percentFlag('--taker', takerPercent),
    maker: parseFixed(base.maker),
  };
}
